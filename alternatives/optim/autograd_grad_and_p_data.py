"""gradient_of with torch.autograd.grad instead of backward() and .grad; sgd_step_by_hand through p.data (no
no_grad block), with a velocity that starts at zero (so the first b = m * 0 + g = g) and is updated in place."""

import torch

from solutions.optim import *  # noqa: F403


def gradient_of(fn, x):
    leaf = x.detach().requires_grad_()  # detach() already gives a new tensor object; no clone needed
    (grad,) = torch.autograd.grad(fn(leaf), leaf)
    return grad


def sgd_step_by_hand(params, lr, momentum=0.0, buffers=None):
    if buffers is None:
        buffers = [torch.zeros_like(p) for p in params]
    for p, b in zip(params, buffers):
        if momentum:
            b.mul_(momentum).add_(p.grad)  # the caller's old list is not reused after this call
            p.data -= lr * b  # p.data is the same storage; -= changes it in place
        else:
            p.data -= lr * p.grad
    return buffers
