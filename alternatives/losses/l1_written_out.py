"""l1_loss written out as |prediction - target| and its reduction, without torch's loss: the same numbers, and a
shape mismatch broadcasts to the same wrong value (without torch's warning, which the kata does not ask for)."""

from solutions.losses import *  # noqa: F403


def l1_loss(prediction, target, reduction="mean"):
    per_element = (prediction - target).abs()
    if reduction == "none":
        return per_element
    return per_element.sum() if reduction == "sum" else per_element.mean()
