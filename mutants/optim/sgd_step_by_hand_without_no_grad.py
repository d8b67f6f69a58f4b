"""sgd_step_by_hand updates the parameters without torch.no_grad(): autograd refuses an in-place change of a leaf
that requires grad."""

from solutions.optim import *  # noqa: F403


def sgd_step_by_hand(params, lr, momentum=0.0, buffers=None):
    new_buffers = []
    for i, p in enumerate(params):
        step = p.grad
        if momentum:
            step = p.grad.clone() if buffers is None else momentum * buffers[i] + p.grad
            new_buffers.append(step)
        p -= lr * step
    return new_buffers if momentum else [None] * len(params)
