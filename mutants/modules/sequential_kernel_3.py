"""cifar_sequential uses the common 3x3 kernels with padding 1: the sizes match, the network does not."""

from torch import nn

from solutions.modules import *  # noqa: F403


def cifar_sequential():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.MaxPool2d(2), nn.Conv2d(32, 32, 3, padding=1), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1024, 64), nn.Linear(64, 10),
    )  # fmt: skip
