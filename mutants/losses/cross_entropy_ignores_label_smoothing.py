"""cross_entropy builds nn.CrossEntropyLoss with weight and ignore_index but never passes label_smoothing on."""

from torch import nn

from solutions.losses import *  # noqa: F403


def cross_entropy(logits, target, weight=None, ignore_index=-100, label_smoothing=0.0):
    return nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index)(logits, target)
