"""smooth_l1_loss ignores beta, as if the switch point were always 1 (as the note's description suggests)."""

from torch import nn

from solutions.losses import *  # noqa: F403


def smooth_l1_loss(prediction, target, beta=1.0):
    return nn.SmoothL1Loss()(prediction, target)
