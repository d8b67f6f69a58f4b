"""load_cifar10_tensors always loads the training split, whatever train says."""

from torchvision import transforms

from solutions.cifar import *  # noqa: F403
from solutions.cifar import load_cifar10


def load_cifar10_tensors(root, train):
    return load_cifar10(root, True, transform=transforms.ToTensor())
