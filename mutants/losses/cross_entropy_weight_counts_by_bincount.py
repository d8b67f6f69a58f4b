"""cross_entropy by hand divides the weighted sum by (weight * torch.bincount(target)).sum(): right while every
class has an item in the batch, but bincount stops at the largest class present, so a batch without the last class
gives a (C-1,) count that cannot be multiplied by the (C,) weight."""

import torch
from torch import nn

from solutions.losses import *  # noqa: F403


def cross_entropy(logits, target, weight=None, ignore_index=-100, label_smoothing=0.0):
    if weight is None or target.is_floating_point() or label_smoothing > 0 or logits.dim() != 2:
        return nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)(
            logits, target
        )
    keep = target != ignore_index
    kept_logits, kept_target = logits[keep], target[keep]
    picked = -torch.log_softmax(kept_logits, dim=1).gather(1, kept_target.unsqueeze(1)).squeeze(1)
    return (weight[kept_target] * picked).sum() / (weight * torch.bincount(kept_target)).sum()
