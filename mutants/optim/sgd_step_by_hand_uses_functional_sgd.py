"""sgd_step_by_hand hands the work to torch.optim's functional SGD (torch.optim.sgd.sgd, the function behind
SGD.step): no Optimizer is built and the numbers are right, but the update rule is not written by hand."""

import torch
from torch.optim.sgd import sgd

from solutions.optim import *  # noqa: F403


def sgd_step_by_hand(params, lr, momentum=0.0, buffers=None):
    velocities = list(buffers) if buffers is not None else [None] * len(params)
    with torch.no_grad():
        sgd(
            params, [p.grad for p in params], velocities, foreach=False,
            weight_decay=0.0, momentum=momentum, lr=lr, dampening=0.0, nesterov=False, maximize=False,
        )  # fmt: skip
    return velocities if momentum else [None] * len(params)
