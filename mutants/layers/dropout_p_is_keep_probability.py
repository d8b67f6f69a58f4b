"""channel_dropout reads p as the probability to KEEP a channel (TensorFlow 1's keep_prob), not to drop it."""

import torch

from solutions.layers import *  # noqa: F403


def channel_dropout(x, p, training=True):
    if not training or p == 0:
        return x
    keep = (torch.rand(x.shape[0], x.shape[1], 1, 1) < p).to(x.dtype)
    return x * keep / (1 - p)
