"""max_pool builds nn.MaxPool2d without passing ceil_mode on."""

from torch import nn

from solutions.layers import *  # noqa: F403


def max_pool(x, kernel_size, stride=None, padding=0, ceil_mode=False):
    return nn.MaxPool2d(kernel_size, stride=stride, padding=padding)(x)
