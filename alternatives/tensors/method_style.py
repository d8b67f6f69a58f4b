"""Method calls instead of torch functions: x.reshape(*shape), torch.flatten(batch, start_dim=1), obj.to(device=...),
and the storage test compares the first elements' addresses (Tensor.data_ptr) instead of the storages'."""

import torch

from solutions.tensors import *  # noqa: F403


def pick_device():
    if torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")


def to_device(obj, device):
    return obj.to(device=device)


def reshape(x, shape):
    return x.reshape(*shape)


def flatten_per_sample(batch):
    return torch.flatten(batch, start_dim=1)


def reshape_shares_storage(x, shape):
    # A view made by reshape starts at x's first element; a copy lives elsewhere.
    return x.reshape(shape).data_ptr() == x.data_ptr()
