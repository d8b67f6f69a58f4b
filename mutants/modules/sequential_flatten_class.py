"""cifar_sequential passes the class nn.Flatten instead of a layer, nn.Flatten() (the note's nn.ReLu-without-() slip):
torch says "Flatten is not a Module subclass", which is false to a beginner; the explanation says what it means."""

from torch import nn

from solutions.modules import *  # noqa: F403


def cifar_sequential() -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2),
        nn.Flatten, nn.Linear(1024, 64), nn.Linear(64, 10),
    )  # fmt: skip
