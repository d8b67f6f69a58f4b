"""channel_dropout through elementwise dropout of a per-channel mask of ones, (N, C, 1, 1): F.dropout zeroes each
(sample, channel) entry with probability p and scales the rest by 1 / (1 - p), and broadcasting spreads each
decision over its plane - Dropout2d built by hand from Dropout, without torch's channel dropout."""

import torch
import torch.nn.functional as F

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training:
        return x
    mask = F.dropout(torch.ones(x.shape[0], x.shape[1], 1, 1, dtype=x.dtype, device=x.device), p, training=True)
    return x * mask
