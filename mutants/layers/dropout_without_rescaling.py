"""channel_dropout zeroes whole channels but forgets to scale the survivors by 1 / (1 - p)."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training:
        return x
    return x * (torch.rand(x.shape[0], x.shape[1], 1, 1) >= p).to(x.dtype)
