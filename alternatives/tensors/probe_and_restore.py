"""The experimental style: find out whether reshape shares memory by writing into the result, looking at x, and
putting the old value back; flatten with an explicitly computed row length; to_device branches on the type."""

import math

import torch
from torch import nn

from solutions.tensors import *  # noqa: F403


def to_device(obj, device):
    if isinstance(obj, nn.Module):
        obj.to(device)  # modules move in place
        return obj
    return obj.to(device)


def flatten_per_sample(batch):
    return torch.reshape(batch, (batch.shape[0], math.prod(batch.shape[1:])))


def reshape_shares_storage(x, shape):
    y = torch.reshape(x, shape)
    first = (0,) * y.dim()
    old = y[first].clone()
    before = x.clone()
    y[first] = old + 1
    shared = not torch.equal(x, before)
    y[first] = old
    return shared
