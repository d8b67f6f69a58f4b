"""Kata 1: where tensors live and how torch.reshape rearranges them.

From the note's opening sections: 配置 (setting PyTorch up, and whether CUDA is usable) and
常用操作 torch.reshape().

【中文】
练习 1：张量放在哪个设备上，以及 torch.reshape 如何重排张量。

对应笔记开头的两节：配置（安装配置 PyTorch，以及 CUDA 能否使用）和常用操作 torch.reshape()。
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

    【中文】
    返回用来计算的设备：PyTorch 能使用 GPU 时为 ``cuda``，否则为 ``cpu``。

    CUDA 能否使用取决于三样东西：支持 CUDA 的 torch 构建版本、显卡驱动和 GPU，而与运行代码的是哪个
    解释器、是否处在虚拟环境中无关。每次调用本函数时都要询问 ``torch.cuda.is_available()``（而不是在
    导入模块时只问一次）。

    返回：
        一个 torch.device（不是字符串），类型为 ``cuda`` 或 ``cpu``。
    """
    # Ask torch at call time: the answer depends on the build, the driver and the hardware.
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def to_device(obj: torch.Tensor | nn.Module, device: torch.device | str) -> torch.Tensor | nn.Module:
    """Move a tensor or a module to ``device`` and return what the caller must use from now on.

    Tensor.to returns a *new* tensor and leaves the original where it was; Module.to moves the
    parameters and buffers in place and returns the same module.

    Args:
        obj: a tensor or an nn.Module.
        device: a torch.device or a string such as "cpu", "cuda" or "meta".
    Returns:
        the tensor on ``device`` (same shape, dtype and values), or the same module object, moved.

    【中文】
    把张量或模块移到 ``device`` 上，并返回调用者此后应当使用的对象。

    Tensor.to 返回一个*新*张量，原张量仍留在原处；Module.to 则原地移动参数和缓冲区（buffer），并返回
    同一个模块。

    参数：
        obj：一个张量或一个 nn.Module。
        device：torch.device，或 "cpu"、"cuda"、"meta" 这样的字符串。
    返回：
        位于 ``device`` 上的张量（形状、数据类型和数值都不变），或者已经移过去的同一个模块对象。
    """
    # Both have .to(); the tensor's result must be returned because the original is not moved.
    return obj.to(device)


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

    【中文】
    用 torch.reshape 把 ``x`` 重排成 ``shape`` 形状并返回。

    元素保持行优先（C 顺序）的次序。``shape`` 中可以有一项为 -1：它的大小由元素总数推断。新形状的元素个数
    与 ``x.numel()`` 不相等（或 -1 无法推断）时，抛出 RuntimeError。torch.reshape 适用于任何张量：内存
    布局允许时（``x`` 连续时总是允许），结果是与 ``x`` 共享内存的视图，往里写入会改变 ``x``；否则（例如
    转置后的 ``x``，Tensor.view 会拒绝它）结果是一份副本。

    参数：
        x：任意张量，连续或不连续均可。
        shape：新形状，例如 (2, 3) 或 (-1, 4)。
    返回：
        所要求形状的张量，按原来的顺序存放 ``x`` 的元素，数据类型和设备都与 ``x`` 相同。
    """
    return torch.reshape(x, shape)


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

    【中文】
    把一批数据中的每个样本展平成一行：(N, d1, d2, ...) -> (N, d1*d2*...)。

    网络的卷积部分与第一个 Linear 层之间做的正是这一步。保留 N，让 torch 推断每行的长度；反过来让它推断
    N，比如写成 reshape(-1, k) 而 k 是写死的或算错的，那么只要元素总数恰好能被 k 整除，就会悄无声息地
    得到错误的行数。

    参数：
        batch：形状为 (N, ...)、至少有两维的张量；N 可以是 1，``batch`` 也可以是不连续的
            （例如经 permute 变成 channels-last）。
    返回：
        形状为 (N, 其余各维之积) 的张量，第 i 行按行优先顺序存放 batch[i] 的元素。
    """
    # Keep N explicit and let -1 infer the rest: correct for any N, including N == 1.
    return torch.reshape(batch, (batch.shape[0], -1))


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

    【中文】
    把 ``x`` 重排成 ``shape`` 形状，并判断结果是否与 ``x`` 共享内存。

    只要新形状能用 ``x`` 内存上的步长（stride）表示出来（连续张量总是可以），torch.reshape 就返回视图
    （不复制），否则返回副本（例如很多转置过的张量）。往视图里写入会改变原张量。

    提问不能改变被提问的对象：``x`` 的值必须保持不变。

    参数：
        x：任意张量。
        shape：新形状。
    返回：
        一个 Python bool：``torch.reshape(x, shape)`` 与 ``x`` 共享存储时为 True，是副本时为 False。
    """
    y = torch.reshape(x, shape)
    # A view points into the same storage; a copy has storage of its own.
    return y.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
