"""Kata 6: a torchvision dataset - CIFAR10 from disk, its classes, and its images as tensors.

From the note's section torchvision数据集. The data is the python version of CIFAR-10, already on disk in
``root/cifar-10-batches-py``. Nothing here ever downloads: missing or damaged data is an error the caller sees,
never a network access.

【中文】
练习 6：torchvision 数据集——从磁盘读取 CIFAR10，查看它的类别，并把图像变成张量。

对应笔记的“torchvision数据集”一节。数据是 Python 版的 CIFAR-10，已经放在磁盘上的
``root/cifar-10-batches-py`` 里。这里的函数一律不下载：数据缺失或损坏时，调用方得到的是一个错误，
而绝不是一次网络访问。
"""

from __future__ import annotations

from pathlib import Path

import torch
from torchvision import datasets, transforms


def load_cifar10(root: str | Path, train: bool, transform=None):
    """The CIFAR10 training (train=True) or test (train=False) split under ``root``, as a
    torchvision.datasets.CIFAR10, never downloading.

    ``root`` (a str or a pathlib.Path) is the folder that holds ``cifar-10-batches-py``. The result is an instance
    of torchvision's CIFAR10 class with every item of the chosen split; item i is ``(image, target)``, the i-th
    picture of the split's files and its class index, a Python int in 0..9. The image is a 32x32 RGB PIL image
    with the file's pixels, or ``transform(image)`` when a transform is given. Missing files, or files that fail
    torchvision's integrity check, raise RuntimeError and nothing is downloaded.

    【中文】
    以 torchvision.datasets.CIFAR10 对象返回 ``root`` 下 CIFAR10 的训练集（train=True）或测试集
    （train=False），绝不下载。

    ``root``（str 或 pathlib.Path）是包含 ``cifar-10-batches-py`` 的文件夹。结果是 torchvision 的 CIFAR10
    类的实例，含有所选部分的全部样本；第 i 个样本是 ``(image, target)``：该部分文件中的第 i 张图片，及其
    类别索引——0..9 之间的 Python int。图像是像素与文件一致的 32x32 RGB PIL 图像；给了 transform 时则是
    ``transform(image)``。文件缺失，或者没有通过 torchvision 的完整性校验时，抛出 RuntimeError，且不下载
    任何东西。
    """
    # TODO: open this split of CIFAR10 under root with its transform; missing data must be an error, never a download.
    # 待办：打开 root 下 CIFAR10 的训练集或测试集，并应用给定的 transform；数据缺失必须报错，绝不能去下载。
    raise NotImplementedError("kata cifar.load_cifar10 is not solved yet")


def sample_with_class_name(dataset, index: int):
    """Return ``(image, class_name)`` for item ``index`` of ``dataset``.

    ``image`` is that item's image exactly as indexing the dataset gives it (its transform applied, if it has
    one); ``class_name`` is the readable name of the item's class, taken from the dataset's own ``classes`` list
    (target k is named ``dataset.classes[k]``), so a dataset whose ``classes`` were renamed gives the new names.

    【中文】
    返回 ``dataset`` 第 ``index`` 个样本的 ``(image, class_name)``。

    ``image`` 就是对数据集做索引时该样本给出的图像，原样返回（数据集有 transform 时，是变换之后的结果）；
    ``class_name`` 是该样本类别的可读名称，取自数据集自己的 ``classes`` 列表（target 为 k 的类别名是
    ``dataset.classes[k]``），因此数据集的 ``classes`` 改了名，返回的也就是新名字。
    """
    # TODO: give back the item's image together with the readable name of its class, not its number.
    # 待办：返回该样本的图像，以及它所属类别的可读名称，而不是类别编号。
    raise NotImplementedError("kata cifar.sample_with_class_name is not solved yet")


def load_cifar10_tensors(root: str | Path, train: bool):
    """The CIFAR10 split (train=True: training, False: test) under ``root`` with its images as tensors, never
    downloading.

    Item i is ``(image, target)`` as in load_cifar10, except that the image is a float32 tensor of shape
    (3, 32, 32): channel first, then row, then column, each value the pixel's 0..255 value divided by 255 (so in
    [0, 1], with no further normalisation). Missing data raises RuntimeError, as in load_cifar10.

    【中文】
    以张量形式返回 ``root`` 下 CIFAR10 的训练集（train=True）或测试集（train=False），绝不下载。

    第 i 个样本与 load_cifar10 一样是 ``(image, target)``，只是图像变成了形状为 (3, 32, 32) 的 float32
    张量：第一维是通道，然后是行、列；每个值等于该像素 0..255 的取值除以 255（因此落在 [0, 1] 内，不再做
    其他归一化）。数据缺失时抛出 RuntimeError，与 load_cifar10 相同。
    """
    # TODO: get the same split, but with every image arriving as a float tensor in [0, 1] instead of a PIL image.
    # 待办：取同样的数据，但每张图像拿到手时是 [0, 1] 内的浮点张量，而不是 PIL 图像。
    raise NotImplementedError("kata cifar.load_cifar10_tensors is not solved yet")


def count_per_class(dataset) -> dict[str, int]:
    """How many items each class has: a dict from class name (``dataset.classes``) to count.

    Every class of ``dataset.classes`` is a key, with 0 when it has no item - including a split with no items at
    all. Each count is a Python int. No image is loaded (the dataset keeps its labels apart from its images, so
    counting is cheap), and the dataset is left unchanged.

    【中文】
    统计每个类别有多少个样本：返回一个从类别名（``dataset.classes``）到数量的字典。

    ``dataset.classes`` 中的每个类别都是一个键，没有样本的类别对应 0——一个样本都没有的数据集也一样。
    每个数量都是 Python int。不加载任何图像（数据集把标签和图像分开保存，所以计数很便宜），也不改动数据集。
    """
    # TODO: count the items of every class (empty ones too) as Python ints, without loading a single image.
    # 待办：统计每个类别（包括没有样本的类别）的样本数，结果为 Python int，且一张图像也不加载。
    raise NotImplementedError("kata cifar.count_per_class is not solved yet")
