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
    """Mean absolute error with nn.L1Loss: |prediction - target| per element, then reduced.

    reduction: 'mean' (average over all elements), 'sum', or 'none' (the per-element tensor).
    """
    return nn.L1Loss(reduction=reduction)(prediction, target)


def mse_loss(prediction: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """Mean squared error with nn.MSELoss: (prediction - target)^2 per element, then reduced as in l1_loss."""
    return nn.MSELoss(reduction=reduction)(prediction, target)


def smooth_l1_loss(prediction: torch.Tensor, target: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    """nn.SmoothL1Loss with this beta, averaged: per element 0.5 * d^2 / beta if |d| < beta, else |d| - 0.5 * beta.

    d = prediction - target. beta = 0 makes it exactly L1Loss.
    """
    return nn.SmoothL1Loss(beta=beta)(prediction, target)


def cross_entropy(logits: torch.Tensor, target: torch.Tensor, weight=None, ignore_index: int = -100, label_smoothing: float = 0.0) -> torch.Tensor:
    """nn.CrossEntropyLoss (mean reduction) with these options.

    ``logits`` are raw scores - not probabilities: the loss applies log_softmax itself. Shapes:
    (N, C) logits with (N,) class indices; (N, C, d1, ...) with (N, d1, ...); (C,) with a 0-d target.
    ``weight`` (C,) weighs each class (the mean divides by the sum of the weights used);
    items whose target is ``ignore_index`` count in neither the sum nor the divisor;
    ``label_smoothing`` eps mixes the one-hot target with the uniform distribution: (1 - eps) and eps / C.
    """
    return nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)(logits, target)
