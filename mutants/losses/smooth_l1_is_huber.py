"""smooth_l1_loss uses nn.HuberLoss(delta=beta), which is beta times SmoothL1Loss (the same only for beta=1)."""

from torch import nn

from solutions.losses import *  # noqa: F403


def smooth_l1_loss(prediction, target, beta=1.0):
    return nn.HuberLoss(delta=beta)(prediction, target)
