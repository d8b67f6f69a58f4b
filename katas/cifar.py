"""Kata 6: a torchvision dataset - CIFAR10 from disk, its classes, and its images as tensors.

From the note's section torchvision数据集. torchvision.datasets.CIFAR10 reads the python version of
CIFAR-10 from ``root/cifar-10-batches-py``. These katas never download: pass download=False, so
missing data is torchvision's clear RuntimeError instead of a network access.
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
    """
    # TODO: open this split of CIFAR10 under root with its transform; missing data must be an error, never a download.
    raise NotImplementedError("kata cifar.load_cifar10 is not solved yet")


def sample_with_class_name(dataset, index: int):
    """Return ``(image, class_name)`` for item ``index``: the item's image as the dataset gives it, and
    its target looked up in ``dataset.classes`` (target k is named ``dataset.classes[k]``)."""
    # TODO: give back the item's image together with the readable name of its class, not its number.
    raise NotImplementedError("kata cifar.sample_with_class_name is not solved yet")


def load_cifar10_tensors(root: str | Path, train: bool):
    """The CIFAR10 split (train=True: training, False: test) under ``root`` as tensors, never downloading.

    Each image becomes a float32 (3, 32, 32) tensor in [0, 1]: pixel value / 255 in (channel, row,
    column) order, what transforms.ToTensor() gives. Missing data raises RuntimeError, as in load_cifar10.
    """
    # TODO: get the same split, but with every image arriving as a float tensor in [0, 1] instead of a PIL image.
    raise NotImplementedError("kata cifar.load_cifar10_tensors is not solved yet")


def count_per_class(dataset) -> dict[str, int]:
    """How many items each class has: a dict from class name (``dataset.classes``) to count.

    Every class is present (0 when it has no item) and each count is a Python int. Read the labels from
    ``dataset.targets`` rather than loading every image, and leave the dataset unchanged.
    """
    # TODO: count the items of every class (empty ones too) as Python ints, without loading a single image.
    raise NotImplementedError("kata cifar.count_per_class is not solved yet")
