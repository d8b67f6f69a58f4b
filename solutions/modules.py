"""Kata 7: building networks with nn.Module and nn.Sequential - the note's CIFAR10 network, twice.

From the note's sections 神经网络 · nn.Module and nn.Sequential. The network: Conv2d 3->32 (kernel 5,
padding 2), MaxPool2d 2, Conv2d 32->32 (5, padding 2), MaxPool2d 2, Conv2d 32->64 (5, padding 2),
MaxPool2d 2, Flatten, Linear 1024->64, Linear 64->10, with no activation function anywhere (the note's
network has none). On (N, 3, 32, 32) images it gives (N, 10) logits.

【中文】
练习 7：用 nn.Module 和 nn.Sequential 搭建网络——把笔记中的 CIFAR10 网络写两遍。

对应笔记的“神经网络 · nn.Module”和“nn.Sequential”两节。网络结构依次为：
Conv2d 3->32（卷积核 5，填充（padding）2）、MaxPool2d 2、Conv2d 32->32（5，填充 2）、MaxPool2d 2、
Conv2d 32->64（5，填充 2）、MaxPool2d 2、Flatten、Linear 1024->64、Linear 64->10，其中没有任何激活函数
（笔记中的网络就没有）。输入 (N, 3, 32, 32) 的图像，输出 (N, 10) 的 logits。
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

    【中文】
    把笔记中的 CIFAR10 网络写成 nn.Module 的子类。

    ``__init__`` 先调用 ``super().__init__()``（nn.Module 必须先建好内部的登记机制，之后才能把层赋给它），
    再按本文件开头文档字符串中的顺序创建各个 Conv2d 和 Linear 层，并让它们成为已注册的子模块——每层单独
    作为一个属性，或放进一个 nn.Sequential 或 nn.ModuleList 属性（普通的 Python 列表什么也不会注册）——
    这样 ``parameters()`` 才能给出它们的 145,578 个参数。池化和展平两步既可以用模块，也可以用函数
    （F.max_pool2d、torch.flatten）。

    ``forward(x)`` 按顺序执行这九步，中间不插入别的操作，把 (N, 3, 32, 32) 变成 (N, 10)。要逐个样本展平、
    保留批维度：其他尺寸的图像必须报错（RuntimeError 或 ValueError），绝不能输出成另一个行数——
    ``x.view(-1, 1024)`` 遇到 64x64 的图像恰恰会这样。``forward`` 还必须能处理 channels_last 的模型和输入
    （快速训练那个练习会用到），这时 ``x.view(len(x), -1)`` 会报错；nn.Flatten、torch.flatten 和 reshape
    能处理任何内存布局。
    """

    def __init__(self) -> None:
        super().__init__()  # registers the machinery that tracks submodules: before any layer
        self.conv1 = nn.Conv2d(3, 32, kernel_size=5, padding=2)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(32, 32, kernel_size=5, padding=2)
        self.pool2 = nn.MaxPool2d(2)
        self.conv3 = nn.Conv2d(32, 64, kernel_size=5, padding=2)
        self.pool3 = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(64 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool1(self.conv1(x))  # (N, 32, 16, 16)
        x = self.pool2(self.conv2(x))  # (N, 32, 8, 8)
        x = self.pool3(self.conv3(x))  # (N, 64, 4, 4)
        return self.fc2(self.fc1(self.flatten(x)))  # (N, 1024) -> (N, 64) -> (N, 10)


def cifar_sequential() -> nn.Sequential:
    """The same network as one nn.Sequential of nine layers, in the same order as CifarNet's.

    nn.Sequential takes layer *instances* (nn.Flatten(), not nn.Flatten) and calls them in order.

    【中文】
    同一个网络，写成一个包含九层的 nn.Sequential，层的顺序与 CifarNet 相同。

    nn.Sequential 接收的是层的*实例*（nn.Flatten()，而不是 nn.Flatten），并按顺序依次调用它们。
    """
    return nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 5, padding=2),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2),
        nn.MaxPool2d(2),
        nn.Flatten(),  # (N, 64, 4, 4) -> (N, 1024): the Linear layers need one row per sample
        nn.Linear(1024, 64),
        nn.Linear(64, 10),
    )


def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    """The number of scalar parameters of ``model`` (every weight and bias element), as a Python int.

    With ``trainable_only``, count only parameters with requires_grad=True. Buffers (such as
    BatchNorm's running statistics) are not parameters.

    【中文】
    以 Python int 返回 ``model`` 的标量参数个数（权重和偏置的每个元素都算一个）。

    若 ``trainable_only`` 为真，只统计 requires_grad=True 的参数。缓冲区（buffer，例如 BatchNorm 的
    running_mean、running_var 这类运行统计量）不是参数。
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
