"""batch_norm_by_hand updates running_mean and running_var in place (mul_/add_), changing the caller's tensors."""

from solutions.layers import *  # noqa: F403
from solutions.layers import batch_norm_by_hand as _reference


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    y, new_mean, new_var = _reference(x, running_mean, running_var, weight, bias, training, momentum, eps)
    running_mean.copy_(new_mean)
    running_var.copy_(new_var)
    return y, running_mean, running_var
