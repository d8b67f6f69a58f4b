"""Kata 10: loss functions - L1Loss, MSELoss, SmoothL1Loss and CrossEntropyLoss.

From the note's section 损失函数. A loss is a module: build it with its options (reduction, beta,
weight, ...) and then call it with (input, target). ``nn.L1Loss(input, target)`` would pass the
tensors as constructor options - a misuse. Prediction and target must have the same shape: a (3, 1)
prediction against a (3,) target broadcasts to (3, 3) with only a warning, and a wrong result.
"""

from __future__ import annotations

import torch
from torch import nn


def l1_loss(prediction: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """Mean absolute error as nn.L1Loss computes it: |prediction - target| per element, then reduced.

    reduction: 'mean' (the default: the average over all elements), 'sum', or 'none' (the per-element
    tensor, shaped like the inputs); 'mean' and 'sum' give a 0-d tensor. Use torch's loss (nn.L1Loss,
    or F.l1_loss) on the tensors as they come: it does not check that their shapes match but broadcasts
    them, so a (3, 1) prediction against a (3,) target gives the mean of |i - j| over all 3 x 3 pairs,
    with only a UserWarning from torch to tell you. (Do not reshape the inputs: that hides the warning.)
    """
    return nn.L1Loss(reduction=reduction)(prediction, target)


def mse_loss(prediction: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """Mean squared error as nn.MSELoss computes it: (prediction - target)^2 per element, then reduced.

    reduction as in l1_loss ('mean' by default, 'sum', 'none'). The result is differentiable: backward()
    through the mean gives prediction the gradient 2 * (prediction - target) / number_of_elements.
    """
    return nn.MSELoss(reduction=reduction)(prediction, target)


def smooth_l1_loss(prediction: torch.Tensor, target: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    """Smooth L1 as nn.SmoothL1Loss(beta=beta) computes it, averaged over all elements (a 0-d tensor).

    Per element, with d = prediction - target: 0.5 * d^2 / beta where |d| < beta, else |d| - 0.5 * beta.
    beta is where the loss turns from quadratic to linear - not always 1. beta = 0 makes it exactly the
    L1 loss. (nn.HuberLoss(delta=beta) is a different loss: beta times this one.)
    """
    return nn.SmoothL1Loss(beta=beta)(prediction, target)


def cross_entropy(logits: torch.Tensor, target: torch.Tensor, weight=None, ignore_index: int = -100, label_smoothing: float = 0.0) -> torch.Tensor:
    """Cross entropy as nn.CrossEntropyLoss computes it with these options, averaged (a 0-d tensor).

    ``logits`` are raw scores, not probabilities: the loss applies log_softmax itself, over the class
    dimension (dim 1; dim 0 for a (C,) input). An item's loss is -log_softmax(logits)[its class].
    Shapes: (N, C) logits with (N,) class indices; (N, C, d1, ...) with (N, d1, ...); (C,) with a 0-d
    target. An (N, C) float target holds class probabilities instead of indices: an item's loss is then
    -sum over c of target[c] * log_softmax(logits)[c].
    ``weight`` (C,) weighs each class; with class indices y the mean becomes sum(w[y] * loss) / sum(w[y]).
    Items whose class index is ``ignore_index`` count in neither sum (every item ignored: 0 / 0 = nan).
    ``label_smoothing`` eps replaces the one-hot target by (1 - eps) * one_hot + eps / C.
    """
    return nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)(logits, target)
