"""The tutorial's own style: CifarNet keeps the nine layers in one nn.Sequential attribute (model1) and
forward just calls it; cifar_sequential names its layers through an OrderedDict; count_parameters is a
plain loop."""

from collections import OrderedDict

import torch
from torch import nn

from solutions.modules import *  # noqa: F403


class CifarNet(nn.Module):
    def __init__(self):
        super(CifarNet, self).__init__()
        self.model1 = nn.Sequential(
            nn.Conv2d(3, 32, 5, padding=2),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 5, padding=2),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding=2),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(1024, 64),
            nn.Linear(64, 10),
        )

    def forward(self, x):
        x = self.model1(x)
        return x


def cifar_sequential():
    return nn.Sequential(
        OrderedDict(
            [
                ("conv1", nn.Conv2d(3, 32, 5, 1, 2)),
                ("pool1", nn.MaxPool2d(2)),
                ("conv2", nn.Conv2d(32, 32, 5, 1, 2)),
                ("pool2", nn.MaxPool2d(2)),
                ("conv3", nn.Conv2d(32, 64, 5, 1, 2)),
                ("pool3", nn.MaxPool2d(2)),
                ("flatten", nn.Flatten()),
                ("fc1", nn.Linear(64 * 4 * 4, 64)),
                ("fc2", nn.Linear(64, 10)),
            ]
        )
    )


def count_parameters(model, trainable_only=False):
    total = 0
    for parameter in model.parameters():
        if trainable_only and not parameter.requires_grad:
            continue
        total += parameter.numel()
    return total


_ = torch  # keep the import the tutorial has
