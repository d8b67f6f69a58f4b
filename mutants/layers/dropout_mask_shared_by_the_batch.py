"""channel_dropout draws one mask of shape (1, C, 1, 1): every sample of the batch loses the same channels."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training or p == 0:
        return x
    keep = (torch.rand(1, x.shape[1], 1, 1) >= p).to(x.dtype)
    return x * keep / (1 - p)
