"""sgd_step_by_hand scales the gradient in place (g = p.grad; g *= lr), believing g is a copy: .grad is changed."""

import torch

from solutions.optim import *  # noqa: F403


def sgd_step_by_hand(params, lr, momentum=0.0, buffers=None):
    new_buffers = []
    with torch.no_grad():
        for i, p in enumerate(params):
            step = p.grad
            if momentum:
                step = p.grad.clone() if buffers is None else momentum * buffers[i] + p.grad
                new_buffers.append(step.clone())
            step *= lr
            p -= step
    return new_buffers if momentum else [None] * len(params)
