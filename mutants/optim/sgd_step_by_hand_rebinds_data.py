"""sgd_step_by_hand assigns p.data = p.data - lr * step: the parameter now points at new storage, so any tensor
that shared the old storage (a view, a state_dict entry) keeps the old values."""

from solutions.optim import *  # noqa: F403


def sgd_step_by_hand(params, lr, momentum=0.0, buffers=None):
    new_buffers = []
    for i, p in enumerate(params):
        step = p.grad
        if momentum:
            step = p.grad.clone() if buffers is None else momentum * buffers[i] + p.grad
            new_buffers.append(step)
        p.data = p.data - lr * step
    return new_buffers if momentum else [None] * len(params)


