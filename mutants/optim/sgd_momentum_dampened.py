"""sgd_step_by_hand averages velocity and gradient (b = m*b + (1-m)*g): an exponential average, not torch's SGD."""

import torch

from solutions.optim import *  # noqa: F403


def sgd_step_by_hand(params, lr, momentum=0.0, buffers=None):
    new = []
    with torch.no_grad():
        for i, p in enumerate(params):
            b = p.grad.clone() if buffers is None or buffers[i] is None else momentum * buffers[i] + (1 - momentum) * p.grad
            new.append(b)
            p -= lr * b
    return new
