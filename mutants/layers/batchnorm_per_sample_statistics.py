"""batch_norm_by_hand takes the statistics over H and W of each sample (instance norm), not over N, H and W."""

import torch

from solutions.layers import *  # noqa: F403
from solutions.layers import batch_norm_by_hand as _reference


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    y, new_mean, new_var = _reference(x, running_mean, running_var, weight, bias, training, momentum, eps)
    if training:
        mean = x.mean(dim=(2, 3), keepdim=True)
        var = x.var(dim=(2, 3), unbiased=False, keepdim=True)
        y = (x - mean) / torch.sqrt(var + eps) * weight.reshape(1, -1, 1, 1) + bias.reshape(1, -1, 1, 1)
    return y, new_mean, new_var
