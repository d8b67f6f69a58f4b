"""relu_inplace computes a new tensor, copies it into x, but returns the new tensor rather than x itself."""

import torch

from solutions.layers import *  # noqa: F403


def relu_inplace(x):
    out = torch.relu(x)
    x.data.copy_(out)
    return out
