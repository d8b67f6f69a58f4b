"""l1_loss defaults to reduction='sum': right whenever a reduction is passed, wrong when the caller relies on the
default, which is 'mean' as for nn.L1Loss."""

from torch import nn

from solutions.losses import *  # noqa: F403


def l1_loss(prediction, target, reduction="sum"):
    return nn.L1Loss(reduction=reduction)(prediction, target)
