"""cross_entropy does log_softmax over the last dimension: right for (N, C) and (C,), wrong for (N, C, d1, d2),
whose classes are along dim 1."""

import torch
from torch import nn

from solutions.losses import *  # noqa: F403
from solutions.losses import cross_entropy as _reference


def cross_entropy(logits, target, weight=None, ignore_index=-100, label_smoothing=0.0):
    if target.is_floating_point() or label_smoothing:
        return _reference(logits, target, weight, ignore_index, label_smoothing)
    return nn.NLLLoss(weight=weight, ignore_index=ignore_index)(torch.log_softmax(logits, dim=-1), target)
