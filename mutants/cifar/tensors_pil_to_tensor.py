"""load_cifar10_tensors uses PILToTensor, which keeps uint8 values 0..255 instead of floats in [0, 1]."""

from torchvision import transforms

from solutions.cifar import *  # noqa: F403
from solutions.cifar import load_cifar10


def load_cifar10_tensors(root, train):
    return load_cifar10(root, train, transform=transforms.PILToTensor())
