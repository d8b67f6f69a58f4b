"""mse_loss uses the absolute error instead of the squared error."""

from torch import nn

from solutions.losses import *  # noqa: F403


def mse_loss(prediction, target, reduction="mean"):
    return nn.L1Loss(reduction=reduction)(prediction, target)
