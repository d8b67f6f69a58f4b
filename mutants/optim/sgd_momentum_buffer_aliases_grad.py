"""sgd_step_by_hand starts the velocity as p.grad itself (no copy) and then updates it in place
(b.mul_(m).add_(g)): the buffer and .grad are one tensor, so each step corrupts the other."""

import torch

from solutions.optim import *  # noqa: F403


def sgd_step_by_hand(params, lr, momentum=0.0, buffers=None):
    new_buffers = []
    with torch.no_grad():
        for i, p in enumerate(params):
            step = p.grad
            if momentum:
                step = p.grad if buffers is None else buffers[i].mul_(momentum).add_(p.grad)
                new_buffers.append(step)
            p -= lr * step
    return new_buffers if momentum else [None] * len(params)
