"""count_parameters counts the parameter tensors (a weight and a bias per layer), not their elements."""

from solutions.modules import *  # noqa: F403


def count_parameters(model, trainable_only=False):
    return len([p for p in model.parameters() if p.requires_grad or not trainable_only])
