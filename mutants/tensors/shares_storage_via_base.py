"""reshape_shares_storage checks y._base is x, which misses views of an x that is itself a view (a slice)."""

import torch

from solutions.tensors import *  # noqa: F403


def reshape_shares_storage(x, shape):
    y = torch.reshape(x, shape)
    return y._base is x
