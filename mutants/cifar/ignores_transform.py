"""load_cifar10 accepts a transform but never passes it on to CIFAR10, so items stay PIL images."""

from torchvision import datasets

from solutions.cifar import *  # noqa: F403


def load_cifar10(root, train, transform=None):
    return datasets.CIFAR10(root=str(root), train=train, download=False)
