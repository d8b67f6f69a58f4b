"""channel_dropout multiplies x in place (mul_ / div_), so the caller's tensor is changed too."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training or p == 0:
        return x
    keep = (torch.rand(x.shape[0], x.shape[1], 1, 1) >= p).to(x.dtype)
    return x.mul_(keep).div_(1 - p)
