"""batch_norm_by_hand normalizes with x.var()'s default, the unbiased variance, instead of the biased one."""

import torch

from solutions.layers import *  # noqa: F403
from solutions.layers import batch_norm_by_hand as _reference


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    y, new_mean, new_var = _reference(x, running_mean, running_var, weight, bias, training, momentum, eps)
    if training:
        shape = (1, -1, 1, 1)
        mean, var = x.mean(dim=(0, 2, 3)), x.var(dim=(0, 2, 3))
        y = (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + eps) * weight.reshape(shape) + bias.reshape(shape)
    return y, new_mean, new_var
