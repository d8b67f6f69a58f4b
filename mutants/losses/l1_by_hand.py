"""l1_loss computes |prediction - target| by hand instead of using torch's loss: the numbers are right, but a
shape mismatch broadcasts silently, without the UserWarning torch gives."""

from solutions.losses import *  # noqa: F403


def l1_loss(prediction, target, reduction="mean"):
    per_element = (prediction - target).abs()
    if reduction == "none":
        return per_element
    return per_element.sum() if reduction == "sum" else per_element.mean()
