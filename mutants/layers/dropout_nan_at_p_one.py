"""channel_dropout always divides by 1 - p: at p = 1 every plane is zeroed and then divided by 0, so the result is
0 / 0 = NaN everywhere instead of zeros."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training or p == 0:
        return x
    keep = (torch.rand(x.shape[0], x.shape[1], 1, 1, device=x.device) >= p).to(x.dtype)
    return x * keep / (1 - p)
