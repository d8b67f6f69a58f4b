"""normalize is written by hand as x - mean / std: the division binds first."""

import torch

from solutions.transforms import *  # noqa: F403


def normalize(tensor, mean, std):
    if not isinstance(tensor, torch.Tensor):
        raise TypeError("normalize needs a tensor")
    mean = torch.as_tensor(mean, dtype=tensor.dtype).view(-1, 1, 1)
    std = torch.as_tensor(std, dtype=tensor.dtype).view(-1, 1, 1)
    return tensor - mean / std
