"""smooth_l1_loss sums over the elements instead of averaging them."""

from torch import nn

from solutions.losses import *  # noqa: F403


def smooth_l1_loss(prediction, target, beta=1.0):
    return nn.SmoothL1Loss(beta=beta, reduction="sum")(prediction, target)
