"""Kata 7: building networks with nn.Module and nn.Sequential - the note's CIFAR10 network, twice.

From the note's sections 神经网络 · nn.Module and nn.Sequential. The network: Conv2d 3->32 (kernel 5,
padding 2), MaxPool2d 2, Conv2d 32->32 (5, padding 2), MaxPool2d 2, Conv2d 32->64 (5, padding 2),
MaxPool2d 2, Flatten, Linear 1024->64, Linear 64->10, with no activation function anywhere (the note's
network has none). On (N, 3, 32, 32) images it gives (N, 10) logits.
"""

from __future__ import annotations

import torch
from torch import nn


class CifarNet(nn.Module):
    """The note's CIFAR10 network as an nn.Module subclass.

    ``__init__`` calls ``super().__init__()`` first (nn.Module must set up its bookkeeping before a
    layer can be assigned), then creates the Conv2d and Linear layers of the module docstring, in
    that order, as registered submodules - each its own attribute, or inside an nn.Sequential or
    nn.ModuleList attribute (a plain Python list registers nothing) - so that ``parameters()`` yields
    their 145,578 parameters. The pooling and flattening steps may be modules or functions
    (F.max_pool2d, torch.flatten).

    ``forward(x)`` applies the nine steps in order, nothing in between, taking (N, 3, 32, 32) to
    (N, 10). Flatten each sample, keeping the batch dimension: images of another size must raise an
    error (RuntimeError or ValueError), never come out as a different number of rows, which is what
    ``x.view(-1, 1024)`` does to 64x64 images. ``forward`` must also work on a channels_last model and
    input (the fast-training kata uses them), where ``x.view(len(x), -1)`` raises: nn.Flatten,
    torch.flatten and reshape handle any memory layout.
    """

    def __init__(self) -> None:
        # TODO: let nn.Module set itself up before anything else, then create the layers so that PyTorch registers them.
        raise NotImplementedError("kata modules.CifarNet is not solved yet")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO: apply the nine steps in order, turning (N, 3, 32, 32) into (N, 10) with the batch dimension kept intact.
        raise NotImplementedError("kata modules.CifarNet is not solved yet")


def cifar_sequential() -> nn.Sequential:
    """The same network as one nn.Sequential of nine layers, in the same order as CifarNet's.

    nn.Sequential takes layer *instances* (nn.Flatten(), not nn.Flatten) and calls them in order.
    """
    # TODO: describe the same nine layers, in CifarNet's order, as one container that runs them one after another.
    raise NotImplementedError("kata modules.cifar_sequential is not solved yet")


def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    """The number of scalar parameters of ``model`` (every weight and bias element), as a Python int.

    With ``trainable_only``, count only parameters with requires_grad=True. Buffers (such as
    BatchNorm's running statistics) are not parameters.
    """
    # TODO: total the scalar values held by the model's parameters (only the trainable ones when asked), as an int.
    raise NotImplementedError("kata modules.count_parameters is not solved yet")
