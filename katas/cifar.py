"""Kata 6: a torchvision dataset - CIFAR10 from disk, its classes, and its images as tensors.

From the note's section torchvision数据集. torchvision.datasets.CIFAR10 reads the python version of
CIFAR-10 from ``root/cifar-10-batches-py``. These katas never download: pass download=False, so
missing data is torchvision's clear RuntimeError instead of a network access.

【中文】
练习 6：torchvision 数据集——从磁盘读取 CIFAR10，查看它的类别，并把图像变成张量。

对应笔记的“torchvision数据集”一节。torchvision.datasets.CIFAR10 从 ``root/cifar-10-batches-py`` 读取
Python 版的 CIFAR-10。这些练习从不下载：传入 download=False，这样数据缺失时得到的是 torchvision
清楚的 RuntimeError，而不是一次网络访问。
"""

from __future__ import annotations

from pathlib import Path

import torch
from torchvision import datasets, transforms


def load_cifar10(root: str | Path, train: bool, transform=None):
    """The CIFAR10 training (train=True) or test (train=False) split under ``root``, as a
    torchvision.datasets.CIFAR10, never downloading.

    ``root`` is the folder that holds ``cifar-10-batches-py``. Each item is ``(image, target)``: a 32x32
    RGB PIL image (or ``transform(image)`` when a transform is given) and the class index, a Python int
    in 0..9. Missing or corrupted files raise torchvision's RuntimeError instead of a download.

    【中文】
    以 torchvision.datasets.CIFAR10 对象返回 ``root`` 下 CIFAR10 的训练集（train=True）或测试集
    （train=False），绝不下载。

    ``root`` 是包含 ``cifar-10-batches-py`` 的文件夹。每个样本是 ``(image, target)``：一张 32x32 的 RGB
    PIL 图像（给了 transform 时则是 ``transform(image)``），以及类别索引——0..9 之间的 Python int。
    文件缺失或损坏时抛出 torchvision 的 RuntimeError，而不是去下载。
    """
    # TODO: open this split of CIFAR10 under root with its transform; missing data must be an error, never a download.
    # 待办：打开 root 下 CIFAR10 的训练集或测试集，并应用给定的 transform；数据缺失必须报错，绝不能去下载。
    raise NotImplementedError("kata cifar.load_cifar10 is not solved yet")


def sample_with_class_name(dataset, index: int):
    """Return ``(image, class_name)`` for item ``index``: the item's image as the dataset gives it, and
    its target looked up in ``dataset.classes`` (target k is named ``dataset.classes[k]``).

    【中文】
    返回第 ``index`` 个样本的 ``(image, class_name)``：图像就是数据集给出的样子，类别名则用该样本的
    target 到 ``dataset.classes`` 中查得（target 为 k 的类别名是 ``dataset.classes[k]``）。
    """
    # TODO: give back the item's image together with the readable name of its class, not its number.
    # 待办：返回该样本的图像，以及它所属类别的可读名称，而不是类别编号。
    raise NotImplementedError("kata cifar.sample_with_class_name is not solved yet")


def load_cifar10_tensors(root: str | Path, train: bool):
    """The CIFAR10 split (train=True: training, False: test) under ``root`` as tensors, never downloading.

    Each image becomes a float32 (3, 32, 32) tensor in [0, 1]: pixel value / 255 in (channel, row,
    column) order, what transforms.ToTensor() gives. Missing data raises RuntimeError, as in load_cifar10.

    【中文】
    以张量形式返回 ``root`` 下的 CIFAR10 数据（train=True 为训练集，False 为测试集），绝不下载。

    每张图像变成 [0, 1] 内的 float32 (3, 32, 32) 张量：像素值 / 255，按 (通道, 行, 列) 排列，也就是
    transforms.ToTensor() 给出的结果。数据缺失时抛出 RuntimeError，与 load_cifar10 相同。
    """
    # TODO: get the same split, but with every image arriving as a float tensor in [0, 1] instead of a PIL image.
    # 待办：取同样的数据，但每张图像拿到手时是 [0, 1] 内的浮点张量，而不是 PIL 图像。
    raise NotImplementedError("kata cifar.load_cifar10_tensors is not solved yet")


def count_per_class(dataset) -> dict[str, int]:
    """How many items each class has: a dict from class name (``dataset.classes``) to count.

    Every class is present (0 when it has no item) and each count is a Python int. Read the labels from
    ``dataset.targets`` rather than loading every image, and leave the dataset unchanged.

    【中文】
    统计每个类别有多少个样本：返回一个从类别名（``dataset.classes``）到数量的字典。

    每个类别都要出现（没有样本时为 0），每个数量都是 Python int。从 ``dataset.targets`` 读取标签，
    不要逐个加载图像，也不要改动数据集。
    """
    # TODO: count the items of every class (empty ones too) as Python ints, without loading a single image.
    # 待办：统计每个类别（包括没有样本的类别）的样本数，结果为 Python int，且一张图像也不加载。
    raise NotImplementedError("kata cifar.count_per_class is not solved yet")
