"""CifarNet builds its layers inside forward: every call gets fresh random weights and the module itself
registers no parameter, so nothing could ever be trained."""

import torch
from torch import nn

from solutions.modules import *  # noqa: F403


class CifarNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = nn.MaxPool2d(2)(nn.Conv2d(3, 32, 5, padding=2)(x))
        x = nn.MaxPool2d(2)(nn.Conv2d(32, 32, 5, padding=2)(x))
        x = nn.MaxPool2d(2)(nn.Conv2d(32, 64, 5, padding=2)(x))
        return nn.Linear(64, 10)(nn.Linear(1024, 64)(nn.Flatten()(x)))
