"""cifar_sequential leaves out nn.Flatten, so the (N, 64, 4, 4) maps reach Linear(1024, 64) unflattened."""

from torch import nn

from solutions.modules import *  # noqa: F403


def cifar_sequential():
    return nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(2), nn.Conv2d(32, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2), nn.Linear(1024, 64), nn.Linear(64, 10),
    )  # fmt: skip
