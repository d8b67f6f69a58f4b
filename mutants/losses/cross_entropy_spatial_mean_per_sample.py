"""cross_entropy with (N, C, d1, d2) logits averages each sample's positions first and then the N sample means:
the same as torch while every sample keeps the same number of positions, wrong once ignore_index leaves out more
positions in one sample than in another."""

import torch
from torch import nn

from solutions.losses import *  # noqa: F403


def cross_entropy(logits, target, weight=None, ignore_index=-100, label_smoothing=0.0):
    loss = nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)
    if logits.dim() <= 2:
        return loss(logits, target)
    return torch.stack([loss(logits[i : i + 1], target[i : i + 1]) for i in range(logits.shape[0])]).mean()
