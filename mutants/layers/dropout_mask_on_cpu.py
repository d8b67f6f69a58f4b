"""channel_dropout draws its mask with torch.rand(N, C, 1, 1) and no device: the mask is on the CPU whatever x's
device, so an x on a GPU meets a CPU mask (a device-mismatch error)."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    keep = (torch.rand(x.shape[0], x.shape[1], 1, 1) >= p).to(x.dtype)
    return x * keep / (1 - p)
