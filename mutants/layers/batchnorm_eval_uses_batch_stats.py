"""batch_norm_by_hand always normalizes with the batch statistics, even when not training."""

from solutions.layers import *  # noqa: F403
from solutions.layers import batch_norm_by_hand as _reference


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    y, _, _ = _reference(x, running_mean, running_var, weight, bias, True, momentum, eps)
    if training:
        return _reference(x, running_mean, running_var, weight, bias, True, momentum, eps)
    return y, running_mean.clone(), running_var.clone()
