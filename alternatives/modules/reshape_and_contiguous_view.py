"""CifarNet flattens with x.reshape(x.size(0), -1) after an explicit list of layers in a ModuleList;
cifar_sequential unpacks a list; count_parameters multiplies the shape with math.prod over named_parameters."""

import math

from torch import nn

from solutions.modules import *  # noqa: F403


class CifarNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.ModuleList([
            nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(2), nn.Conv2d(32, 32, 5, padding=2), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2),
        ])  # fmt: skip
        self.classifier = nn.ModuleList([nn.Linear(1024, 64), nn.Linear(64, 10)])

    def forward(self, x):
        for layer in self.features:
            x = layer(x)
        x = x.reshape(x.size(0), -1)
        for layer in self.classifier:
            x = layer(x)
        return x


def cifar_sequential():
    layers = []
    for c_in, c_out in [(3, 32), (32, 32), (32, 64)]:
        layers += [nn.Conv2d(c_in, c_out, kernel_size=(5, 5), padding=(2, 2)), nn.MaxPool2d(kernel_size=2)]
    layers += [nn.Flatten(start_dim=1), nn.Linear(1024, 64), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


def count_parameters(model, trainable_only=False):
    return sum(math.prod(p.shape) for _, p in model.named_parameters() if not trainable_only or p.requires_grad)
