"""reshape always copies (clone first), so writes to the result never reach the original."""

import torch

from solutions.tensors import *  # noqa: F403


def reshape(x, shape):
    return torch.reshape(x.clone(), shape)
