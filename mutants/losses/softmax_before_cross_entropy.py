"""cross_entropy applies softmax to the logits first; CrossEntropyLoss already includes log_softmax."""

import torch
from torch import nn

from solutions.losses import *  # noqa: F403


def cross_entropy(logits, target, weight=None, ignore_index=-100, label_smoothing=0.0):
    loss = nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)
    return loss(torch.softmax(logits, dim=-1 if logits.dim() == 1 else 1), target)
