"""cifar_sequential leaves out the second MaxPool2d: 64x8x8 = 4096 features reach Linear(1024, 64)."""

from torch import nn

from solutions.modules import *  # noqa: F403


def cifar_sequential() -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 5, padding=2),
        nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1024, 64), nn.Linear(64, 10),
    )  # fmt: skip
