"""reshape_shares_storage writes into the result to see whether x changes, and leaves the written value in x."""

import torch

from solutions.tensors import *  # noqa: F403


def reshape_shares_storage(x, shape):
    y = torch.reshape(x, shape)
    before = x.clone()
    y[(0,) * y.dim()] += 1
    return not torch.equal(x, before)
