"""CifarNet keeps its layers in a plain Python list, which nn.Module does not look into: parameters() is
empty, so an optimizer would train nothing (and .to(device) would move nothing)."""

import torch
from torch import nn

from solutions.modules import *  # noqa: F403


class CifarNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layers = [
            nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(2), nn.Conv2d(32, 32, 5, padding=2), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1024, 64), nn.Linear(64, 10),
        ]  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x)
        return x
