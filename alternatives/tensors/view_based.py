"""The view-based style: flatten with nn.Flatten or contiguous().view, and answer the storage question by asking
whether Tensor.view accepts the shape (view succeeds exactly when reshape would return a view)."""

import torch
from torch import nn

from solutions.tensors import *  # noqa: F403


def pick_device():
    return torch.device("cuda:0") if torch.cuda.is_available() else torch.device("cpu")


def flatten_per_sample(batch):
    if batch.is_contiguous():
        return nn.Flatten()(batch)
    return batch.contiguous().view(batch.size(0), -1)


def reshape_shares_storage(x, shape):
    try:
        x.view(shape)
    except RuntimeError:
        return False
    return True
