"""load_cifar10_tensors forgets the transform: items are still PIL images."""

from solutions.cifar import *  # noqa: F403
from solutions.cifar import load_cifar10


def load_cifar10_tensors(root, train):
    return load_cifar10(root, train)
