"""reshape goes through NumPy: a wrong element count raises NumPy's ValueError, not RuntimeError (and GPU tensors fail)."""

import torch

from solutions.tensors import *  # noqa: F403


def reshape(x, shape):
    return torch.from_numpy(x.numpy().reshape(shape))
