"""channel_dropout draws from its own generator seeded with 0 'for reproducibility': every call drops the same channels."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training or p == 0:
        return x
    generator = torch.Generator().manual_seed(0)
    keep = (torch.rand(x.shape[0], x.shape[1], 1, 1, generator=generator) >= p).to(x.dtype)
    return x * keep / (1 - p)
