"""to_device moves a deep copy of a module, so the caller's module stays where it was."""

import copy

from torch import nn

from solutions.tensors import *  # noqa: F403


def to_device(obj, device):
    if isinstance(obj, nn.Module):
        return copy.deepcopy(obj).to(device)
    return obj.to(device)
