"""mse_loss defaults to reduction='sum': right whenever a reduction is passed, wrong when the caller relies on the
default, which is 'mean' as for nn.MSELoss."""

from torch import nn

from solutions.losses import *  # noqa: F403


def mse_loss(prediction, target, reduction="sum"):
    return nn.MSELoss(reduction=reduction)(prediction, target)
