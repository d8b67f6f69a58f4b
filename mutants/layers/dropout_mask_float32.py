"""channel_dropout builds its mask with .float(): x * mask is promoted to float32, so a float16 or bfloat16 x comes
back float32."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    keep = (torch.rand(x.shape[0], x.shape[1], 1, 1, device=x.device) >= p).float()
    return x * keep / (1 - p)
