"""relu_inplace uses torch.relu, which returns a new tensor and leaves x unchanged."""

import torch

from solutions.layers import *  # noqa: F403


def relu_inplace(x):
    return torch.relu(x)
