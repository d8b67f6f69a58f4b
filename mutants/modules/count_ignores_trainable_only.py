"""count_parameters ignores trainable_only and always counts frozen parameters too."""

from solutions.modules import *  # noqa: F403


def count_parameters(model, trainable_only=False):
    return sum(p.numel() for p in model.parameters())
