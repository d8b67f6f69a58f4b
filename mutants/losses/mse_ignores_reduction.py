"""mse_loss builds nn.MSELoss() without passing reduction on, so it always averages."""

from torch import nn

from solutions.losses import *  # noqa: F403


def mse_loss(prediction, target, reduction="mean"):
    return nn.MSELoss()(prediction, target)
