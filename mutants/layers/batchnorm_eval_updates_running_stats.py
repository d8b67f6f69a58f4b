"""batch_norm_by_hand normalizes with the running statistics in eval, but still updates them with the batch."""

from solutions.layers import *  # noqa: F403
from solutions.layers import batch_norm_by_hand as _reference


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    y, _, _ = _reference(x, running_mean, running_var, weight, bias, training, momentum, eps)
    _, new_mean, new_var = _reference(x, running_mean, running_var, weight, bias, True, momentum, eps)
    return y, new_mean, new_var
