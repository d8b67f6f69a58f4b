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

    ``CifarNet()`` builds the Conv2d and Linear layers of the module docstring once, with the settings
    given there, as submodules PyTorch has registered, in the network's order: ``modules()`` lists
    them and ``parameters()`` yields all of their 145,578 parameters. The pooling and flattening steps
    may be modules or functions. (Lesson of the section: nn.Module refuses a layer assigned before
    its own set-up has run, with AttributeError.)

    ``model(x)`` takes (N, 3, 32, 32) images, N = 1 included, to (N, 10): the nine steps in order,
    nothing in between, every layer used (each parameter gets a gradient). Its output equals the
    note's pipeline computed with the model's own layers. Each image keeps its own row: images of
    another size raise RuntimeError or ValueError, never come out as a different number of rows.
    A model and input converted to the channels_last memory format (the fast-training kata uses it)
    give the same output as in the default layout.

    【中文】
    把笔记中的 CIFAR10 网络写成 nn.Module 的子类。

    ``CifarNet()`` 按本文件开头文档字符串中的设置，一次性创建其中的各个 Conv2d 和 Linear 层，它们都是
    PyTorch 已注册的子模块，顺序与网络相同：``modules()`` 能列出它们，``parameters()`` 能给出它们全部
    145,578 个参数。池化和展平这两步既可以用模块，也可以用函数。（这一节要讲的道理：在 nn.Module 自身
    初始化完成之前给它赋一个层，会被拒绝并抛出 AttributeError。）

    ``model(x)`` 把 (N, 3, 32, 32) 的图像（N 可以是 1）变成 (N, 10)：按顺序执行这九步，中间不插入别的
    操作，每一层都要用到（每个参数都能得到梯度）。它的输出等于用模型自己的各层按笔记的流程算出的结果。
    每张图像各占一行：其他尺寸的图像要抛出 RuntimeError 或 ValueError，绝不能输出成另一个行数。模型和
    输入都转换成 channels_last 内存格式时（快速训练那个练习会用到），输出与默认布局下的相同。
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

    The result is an nn.Sequential whose nine children are, in order, Conv2d, MaxPool2d, Conv2d,
    MaxPool2d, Conv2d, MaxPool2d, Flatten, Linear, Linear, with the settings of the module docstring
    and 145,578 parameters. It maps (N, 3, 32, 32) images to (N, 10), and with the same weights it
    gives the same outputs as the network written out layer by layer. Lesson: nn.Sequential holds
    layer objects and runs them one after another; a layer class in their place is a TypeError.

    【中文】
    同一个网络，写成一个包含九层的 nn.Sequential，层的顺序与 CifarNet 相同。

    结果是一个 nn.Sequential，它的九个子模块依次为 Conv2d、MaxPool2d、Conv2d、MaxPool2d、Conv2d、
    MaxPool2d、Flatten、Linear、Linear，各层设置与本文件开头文档字符串一致，共 145,578 个参数。它把
    (N, 3, 32, 32) 的图像映射为 (N, 10)；权重相同时，输出与逐层写出的同一个网络完全一致。要点：
    nn.Sequential 存放的是层的对象，并依次执行它们；放进去的若是层的类，会引发 TypeError。
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

    Every element of every parameter counts once - a parameter shared by two places of the model
    (the same layer used twice) counts once too. Buffers (such as BatchNorm's running statistics)
    are not parameters, and a model without parameters has 0. With ``trainable_only``, count only
    the parameters that require gradients (frozen ones are left out); without it, count them all.

    【中文】
    以 Python int 返回 ``model`` 的标量参数个数（权重和偏置的每个元素都算一个）。

    每个参数的每个元素只算一次——模型中两处共用的同一个参数（同一层被用了两次）也只算一次。缓冲区
    （buffer，例如 BatchNorm 的 running_mean、running_var 这类运行统计量）不是参数；没有参数的模型
    得 0。若 ``trainable_only`` 为真，只统计需要梯度的参数（冻结的不算）；否则全部统计。
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
