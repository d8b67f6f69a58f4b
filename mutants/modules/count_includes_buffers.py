"""count_parameters counts the state_dict, so buffers (BatchNorm's running statistics) are counted as parameters."""

from solutions.modules import *  # noqa: F403


def count_parameters(model, trainable_only=False):
    return sum(t.numel() for t in model.state_dict().values())
