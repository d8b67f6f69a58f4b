"""channel_dropout drops channels whatever training says: eval mode is not the identity."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    keep = (torch.rand(x.shape[0], x.shape[1], 1, 1) >= p).to(x.dtype)
    return x * keep / (1 - p)
