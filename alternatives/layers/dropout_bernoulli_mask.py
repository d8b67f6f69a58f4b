"""channel_dropout with a mask from torch.bernoulli: a (N, C, 1, 1) tensor of keep probabilities 1 - p, made in x's
dtype on x's device, gives one 0-or-1 decision per (sample, channel) from the global generator; at p = 1 the mask
is all zeros and the result x * 0."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training:
        return x
    keep_probability = torch.full((x.shape[0], x.shape[1], 1, 1), 1 - p, dtype=x.dtype, device=x.device)
    mask = torch.bernoulli(keep_probability)
    return x * mask if p == 1 else x * mask / (1 - p)
