"""cross_entropy divides the weighted sum by weight[target].sum() over every target, ignored ones included
(weight[-1] silently indexes the last class)."""

from torch import nn

from solutions.losses import *  # noqa: F403
from solutions.losses import cross_entropy as _reference


def cross_entropy(logits, target, weight=None, ignore_index=-100, label_smoothing=0.0):
    if weight is None:
        return _reference(logits, target, weight, ignore_index, label_smoothing)
    per_item = nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, reduction="none")(logits, target)
    return per_item.sum() / weight[target].sum()
