"""cross_entropy smooths the target first and then weighs each item by weight[its class]: right for weights alone
and for smoothing alone, but torch weighs the smoothed part class by class (weight[c] for every c), so the two
together give another number."""

import torch
import torch.nn.functional as F
from torch import nn

from solutions.losses import *  # noqa: F403


def cross_entropy(logits, target, weight=None, ignore_index=-100, label_smoothing=0.0):
    if label_smoothing == 0 or weight is None or target.is_floating_point() or logits.dim() != 2:
        return nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)(
            logits, target
        )
    keep = target != ignore_index
    log_probs, kept = torch.log_softmax(logits[keep], dim=1), target[keep]
    classes = logits.shape[1]
    soft = (1 - label_smoothing) * F.one_hot(kept, classes) + label_smoothing / classes
    per_item = -(soft * log_probs).sum(dim=1)
    return (weight[kept] * per_item).sum() / weight[kept].sum()
