"""count_parameters walks state_dict(keep_vars=True) and keeps the nn.Parameter entries: buffers are left out and
requires_grad is seen, but a layer used twice is listed under two names, so its parameters are counted twice."""

from torch import nn

from solutions.modules import *  # noqa: F403


def count_parameters(model, trainable_only=False):
    entries = model.state_dict(keep_vars=True).values()
    return sum(t.numel() for t in entries if isinstance(t, nn.Parameter) and (t.requires_grad or not trainable_only))
