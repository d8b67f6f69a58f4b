"""l1_loss hands the tensors to nn.L1Loss's constructor (the note's nn.L1Loss(prediction, target)) instead of making
the loss module and calling it: torch answers "Boolean value of Tensor with more than one value is ambiguous",
which the explanation of that error turns into the real mistake."""

from torch import nn

from solutions.losses import *  # noqa: F403


def l1_loss(prediction, target, reduction="mean"):
    return nn.L1Loss(prediction, target)
