"""channel_dropout draws one decision per sample, (N, 1, 1, 1): a sample loses all its channels or none."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training or p == 0:
        return x
    keep = (torch.rand(x.shape[0], 1, 1, 1) >= p).to(x.dtype)
    return x * keep / (1 - p)
