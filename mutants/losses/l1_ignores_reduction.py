"""l1_loss always averages, whatever reduction was asked for."""

from torch import nn

from solutions.losses import *  # noqa: F403


def l1_loss(prediction, target, reduction="mean"):
    return nn.L1Loss()(prediction, target)
