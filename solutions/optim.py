"""Kata 11: backward() and the optimizer - gradients, zero_grad and SGD steps.

From the note's sections 反向传播 and 优化器. loss.backward() *adds* the gradient of the loss to each
parameter's ``.grad``, where it stays until something clears it (optimizer.zero_grad() or
model.zero_grad()). The optimizer's step() then updates the parameters from their ``.grad``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import nn


def gradient_of(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """d fn(x) / d x, computed by autograd at the point ``x``; ``fn`` must return a scalar (a 0-d tensor).

    Work on a fresh leaf made from ``x`` (detached, requiring grad), so that the caller's ``x`` is left
    as it was: same values, same requires_grad, same ``.grad`` (even when it already has one). Each call
    returns only its own gradient: nothing accumulates from one call to the next. When fn(x) is not a
    scalar, backward needs an explicit gradient and raises RuntimeError: let that error through (do not
    sum the output to make it go away).
    """
    leaf = x.detach().clone().requires_grad_(True)
    fn(leaf).backward()  # backward needs a scalar (or an explicit gradient argument)
    return leaf.grad


def sgd_step_by_hand(params: list[torch.Tensor], lr: float, momentum: float = 0.0, buffers: list | None = None) -> list:
    """One step of torch.optim.SGD (lr and momentum; no dampening, Nesterov or weight decay), by hand.

    ``params`` are tensors whose ``.grad`` is set. Do the arithmetic yourself: no torch.optim.
    Without momentum: p <- p - lr * p.grad. With momentum m, each parameter has a velocity buffer b:
    on the first step (``buffers`` is None) b is a copy of p.grad, afterwards b <- m * b + p.grad; then
    p <- p - lr * b. Return the new buffers, one per parameter in order, for the caller to pass back as
    ``buffers`` next time (without momentum the return value is not used).
    Update each p in place - in its own storage, so that the model and every tensor sharing that storage
    see the new values - without autograd recording it (under torch.no_grad(), or through p.data): p
    stays a leaf that requires grad. Leave every ``.grad`` unchanged: backward may reuse the same tensor
    on the next step (after zero_grad(set_to_none=False)).
    """
    new_buffers = []
    with torch.no_grad():
        for i, p in enumerate(params):
            step = p.grad
            if momentum:
                previous = None if buffers is None else buffers[i]
                step = p.grad.clone() if previous is None else momentum * previous + p.grad
                new_buffers.append(step)
            p -= lr * step  # in place: the tensor the model holds is the one updated
    return new_buffers if momentum else [None] * len(params)


def train_step(model: nn.Module, loss_fn: nn.Module, optimizer: torch.optim.Optimizer, inputs: torch.Tensor, targets: torch.Tensor) -> float:
    """One optimization step on one batch; return the loss measured before the update, as a Python float.

    Clear the old gradients, forward, loss, backward, then step the given optimizer once. Clear them
    before backward: the model may arrive with stale gradients in ``.grad``, and backward adds to
    whatever is there. Return the number with loss.item(), not a tensor - not even a 0-d one.
    """
    optimizer.zero_grad()  # otherwise this batch's gradient is added to the previous ones
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()


def fit(model: nn.Module, batches: Iterable[tuple[torch.Tensor, torch.Tensor]], lr: float, epochs: int) -> list[float]:
    """Train ``model`` with torch.optim.SGD(model.parameters(), lr=lr) and nn.CrossEntropyLoss, ``epochs`` passes.

    Put the model (every layer of it) in training mode first: each forward pass runs in train mode.
    The model may arrive with stale gradients: clear them before each backward. Plain SGD - no momentum.
    Return the loss of every step, in order, as Python floats (one per batch per epoch). ``batches`` can
    be iterated several times (a list or a DataLoader of (inputs, class indices) pairs).
    Training changes parameter values only: layer settings such as a Conv2d's kernel_size, and the
    shapes of the parameters, stay as they were.
    """
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    return [train_step(model, loss_fn, optimizer, x, y) for _ in range(epochs) for x, y in batches]
