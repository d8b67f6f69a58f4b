"""cross_entropy builds the smoothed target from F.one_hot(target) without num_classes: one_hot then infers C from
the largest class present, which is right only while the last class has an item in the batch."""

import torch
import torch.nn.functional as F
from torch import nn

from solutions.losses import *  # noqa: F403


def cross_entropy(logits, target, weight=None, ignore_index=-100, label_smoothing=0.0):
    if label_smoothing == 0 or weight is not None or target.is_floating_point() or logits.dim() != 2:
        return nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)(
            logits, target
        )
    keep = target != ignore_index
    log_probs, kept = torch.log_softmax(logits[keep], dim=1), target[keep]
    one_hot = F.one_hot(kept)
    soft = (1 - label_smoothing) * one_hot + label_smoothing / one_hot.shape[1]
    return -(soft * log_probs).sum(dim=1).mean()
