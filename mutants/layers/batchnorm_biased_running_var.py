"""batch_norm_by_hand updates running_var with the biased batch variance."""

from solutions.layers import *  # noqa: F403
from solutions.layers import batch_norm_by_hand as _reference


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    y, new_mean, new_var = _reference(x, running_mean, running_var, weight, bias, training, momentum, eps)
    if training:
        new_var = (1 - momentum) * running_var + momentum * x.var(dim=(0, 2, 3), unbiased=False)
    return y, new_mean, new_var
