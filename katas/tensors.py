"""Kata 1: where tensors live and how torch.reshape rearranges them.

From the note's opening sections: 配置 (setting PyTorch up, and whether CUDA is usable) and
常用操作 torch.reshape().
"""

from __future__ import annotations

import torch
from torch import nn


def pick_device() -> torch.device:
    """Return the device to compute on: ``cuda`` when PyTorch can use a GPU, otherwise ``cpu``.

    Whether CUDA is usable depends on a CUDA build of torch, a driver and a GPU - not on which
    interpreter or virtual environment runs the code. Ask ``torch.cuda.is_available()`` each time
    the function is called (not once when the module is imported).

    Returns:
        a torch.device (not a string) of type ``cuda`` or ``cpu``.
    """
    # TODO: return the GPU device when PyTorch can use one right now, otherwise the CPU device.
    raise NotImplementedError("kata tensors.pick_device is not solved yet")


def to_device(obj: torch.Tensor | nn.Module, device: torch.device | str) -> torch.Tensor | nn.Module:
    """Move a tensor or a module to ``device`` and return what the caller must use from now on.

    Tensor.to returns a *new* tensor and leaves the original where it was; Module.to moves the
    parameters and buffers in place and returns the same module.

    Args:
        obj: a tensor or an nn.Module.
        device: a torch.device or a string such as "cpu", "cuda" or "meta".
    Returns:
        the tensor on ``device`` (same shape, dtype and values), or the same module object, moved.
    """
    # TODO: get obj onto device and return what the caller must use from now on (a tensor does not move in place).
    raise NotImplementedError("kata tensors.to_device is not solved yet")


def reshape(x: torch.Tensor, shape: tuple[int, ...]) -> torch.Tensor:
    """Return ``x`` rearranged into ``shape`` with torch.reshape.

    Elements keep their row-major (C) order. One entry of ``shape`` may be -1: its size is inferred
    from the number of elements. A shape whose element count differs from ``x.numel()`` (or a -1
    that cannot be inferred) raises RuntimeError. torch.reshape works for any tensor: where the
    memory layout allows it (always for a contiguous ``x``) the result is a view that shares x's
    memory, so writing into it changes ``x``; otherwise (e.g. a transposed ``x``, which Tensor.view
    refuses) it is a copy.

    Args:
        x: any tensor, contiguous or not.
        shape: the new shape, e.g. (2, 3) or (-1, 4).
    Returns:
        a tensor of the requested shape holding x's elements in the same order, with x's dtype and
        device.
    """
    # TODO: give x the new shape, keeping its elements in the same order.
    raise NotImplementedError("kata tensors.reshape is not solved yet")


def flatten_per_sample(batch: torch.Tensor) -> torch.Tensor:
    """Flatten every sample of a batch into one row: (N, d1, d2, ...) -> (N, d1*d2*...).

    This is what sits between the convolutional part of a network and its first Linear layer.
    Keep N and let torch infer the row length: inferring N instead, as in reshape(-1, k) with a
    hard-coded or wrong k, silently gives a wrong number of rows whenever the element count
    happens to be divisible by k.

    Args:
        batch: a tensor of shape (N, ...) with at least two dimensions; N may be 1, and ``batch``
            may be non-contiguous (e.g. permuted to channels-last).
    Returns:
        a tensor of shape (N, product of the other dimensions) whose row i holds batch[i]'s
        elements in row-major order.
    """
    # TODO: turn each sample into one row; the batch dimension must survive whatever N is.
    raise NotImplementedError("kata tensors.flatten_per_sample is not solved yet")


def reshape_shares_storage(x: torch.Tensor, shape: tuple[int, ...]) -> bool:
    """Reshape ``x`` into ``shape`` and tell whether the result shares memory with ``x``.

    torch.reshape returns a view (no copy) whenever the new shape can be expressed with strides over
    x's memory - always the case for a contiguous tensor - and a copy otherwise (e.g. for many
    transposed tensors). Writing into a view changes the original.

    A question must not change what it asks about: ``x`` keeps its values.

    Args:
        x: any tensor.
        shape: the new shape.
    Returns:
        a Python bool: True if ``torch.reshape(x, shape)`` shares storage with ``x``, False if it
        is a copy.
    """
    # TODO: tell, as a Python bool, whether the reshaped result uses x's memory or a copy of its own.
    raise NotImplementedError("kata tensors.reshape_shares_storage is not solved yet")
