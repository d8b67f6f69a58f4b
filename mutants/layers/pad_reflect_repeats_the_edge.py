"""pad_reflect repeats the edge pixel too ([1, 2, 3] -> [2, 1, 1, 2, 3], symmetric padding) instead of mirroring around it."""

import torch

from solutions.layers import *  # noqa: F403


def pad_reflect(x, padding):
    left, right, top, bottom = (padding,) * 4 if isinstance(padding, int) else padding
    h, w = x.shape[-2:]
    rows = list(range(top - 1, -1, -1)) + list(range(h)) + list(range(h - 1, h - 1 - bottom, -1))
    cols = list(range(left - 1, -1, -1)) + list(range(w)) + list(range(w - 1, w - 1 - right, -1))
    return x[..., torch.tensor(rows), :][..., torch.tensor(cols)]
