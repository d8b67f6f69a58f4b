"""Kata 11: backward() and the optimizer - gradients, zero_grad and SGD steps.

From the note's sections 反向传播 and 优化器. loss.backward() *adds* the gradient of the loss to each
parameter's ``.grad``; nothing clears it but optimizer.zero_grad() (or model.zero_grad()). The
optimizer's step() then updates the parameters from their ``.grad``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import nn


def gradient_of(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """d fn(x) / d x for a scalar-valued ``fn``, computed with autograd (backward), at the point ``x``.

    Work on a detached copy of ``x`` that requires grad, so the caller's tensor is left alone.
    """
    # TODO: make a leaf copy that requires grad, call backward on fn(leaf), return leaf.grad.
    raise NotImplementedError("kata optim.gradient_of is not solved yet")


def sgd_step_by_hand(params: list[torch.Tensor], lr: float, momentum: float = 0.0, buffers: list | None = None) -> list:
    """One step of torch.optim.SGD, by hand, on tensors whose ``.grad`` is set. Returns the new buffers.

    Without momentum: p <- p - lr * p.grad. With momentum m: the velocity buffer b starts as a copy
    of the gradient on the first step and becomes b <- m * b + p.grad afterwards; then p <- p - lr * b.
    ``buffers`` is what the previous call returned (None on the first step). Update each p in place
    under torch.no_grad().
    """
    # TODO: under no_grad, update each parameter in place from its grad (and velocity buffer with momentum).
    raise NotImplementedError("kata optim.sgd_step_by_hand is not solved yet")


def train_step(model: nn.Module, loss_fn: nn.Module, optimizer: torch.optim.Optimizer, inputs: torch.Tensor, targets: torch.Tensor) -> float:
    """One optimization step on one batch; return the loss (a float) measured before the update.

    zero_grad, forward, loss, backward, step - clearing the gradients first, since backward accumulates.
    """
    # TODO: zero the gradients, forward, compute the loss, backward, step; return loss.item().
    raise NotImplementedError("kata optim.train_step is not solved yet")


def fit(model: nn.Module, batches: Iterable[tuple[torch.Tensor, torch.Tensor]], lr: float, epochs: int) -> list[float]:
    """Train ``model`` with SGD(lr) and CrossEntropyLoss over ``batches`` for ``epochs`` passes.

    Put the model in training mode first. Return the loss of every step, in order (one float per
    batch per epoch). ``batches`` can be iterated several times (a list or a DataLoader).
    """
    # TODO: switch to train mode, make an SGD optimizer and a CrossEntropyLoss, run train_step over every batch of every epoch.
    raise NotImplementedError("kata optim.fit is not solved yet")
