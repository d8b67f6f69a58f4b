"""cross_entropy takes the log of softmax(logits) instead of log_softmax: the same numbers for moderate logits, but
softmax underflows to 0 for large ones and log(0) = -inf turns a finite loss (1000) into inf."""

import torch
from torch import nn

from solutions.losses import *  # noqa: F403


def cross_entropy(logits, target, weight=None, ignore_index=-100, label_smoothing=0.0):
    if target.is_floating_point() or label_smoothing > 0:
        return nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)(
            logits, target
        )
    log_probs = torch.log(torch.softmax(logits, dim=0 if logits.dim() == 1 else 1))
    return nn.NLLLoss(weight=weight, ignore_index=ignore_index)(log_probs, target)
