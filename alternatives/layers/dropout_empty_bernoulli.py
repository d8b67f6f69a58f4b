"""channel_dropout with a mask filled in place: torch.empty(N, C, 1, 1) in x's dtype on x's device, then
Tensor.bernoulli_(1 - p) from the global generator; the survivors are multiplied by a Python-float scale, which is
0 at p = 1."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training:
        return x
    mask = torch.empty(x.shape[0], x.shape[1], 1, 1, dtype=x.dtype, device=x.device).bernoulli_(1 - p)
    scale = 0.0 if p == 1 else 1.0 / (1 - p)
    return x * (mask * scale)
