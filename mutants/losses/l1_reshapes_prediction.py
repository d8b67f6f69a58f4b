"""l1_loss "fixes" the shapes by viewing the prediction as the target's shape, which hides a (3, 1) vs (3,)
mismatch (a loss of 0) instead of letting it broadcast to the wrong value the lesson is about."""

from torch import nn

from solutions.losses import *  # noqa: F403


def l1_loss(prediction, target, reduction="mean"):
    return nn.L1Loss(reduction=reduction)(prediction.reshape(target.shape), target)
