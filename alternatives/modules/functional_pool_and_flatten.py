"""CifarNet registers only the Conv2d and Linear layers and pools and flattens with functions
(F.max_pool2d, torch.flatten(x, 1)); cifar_sequential is built with append and one shared MaxPool2d
instance (it has no parameters); count_parameters filters with filter()."""

import torch
import torch.nn.functional as F
from torch import nn

from solutions.modules import *  # noqa: F403


class CifarNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 5, padding="same")
        self.conv2 = nn.Conv2d(32, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 5, padding=2)
        self.fc1 = nn.Linear(1024, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        for conv in (self.conv1, self.conv2, self.conv3):
            x = F.max_pool2d(conv(x), kernel_size=2)
        x = torch.flatten(x, 1)
        return self.fc2(self.fc1(x))


def cifar_sequential():
    pool = nn.MaxPool2d(2)
    model = nn.Sequential()
    for layer in (nn.Conv2d(3, 32, 5, padding=2), pool, nn.Conv2d(32, 32, 5, padding=2), pool,
                  nn.Conv2d(32, 64, 5, padding=2), pool, nn.Flatten(), nn.Linear(1024, 64), nn.Linear(64, 10)):
        model.append(layer)
    return model


def count_parameters(model, trainable_only=False):
    parameters = model.parameters()
    if trainable_only:
        parameters = filter(lambda p: p.requires_grad, parameters)
    return sum(p.numel() for p in parameters)
