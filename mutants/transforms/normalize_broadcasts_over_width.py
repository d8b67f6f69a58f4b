"""normalize is written by hand without reshaping mean and std to (C, 1, 1): they broadcast over the last
dimension (the width), not over the channels."""

import torch

from solutions.transforms import *  # noqa: F403


def normalize(tensor, mean, std):
    if not isinstance(tensor, torch.Tensor):
        raise TypeError("normalize needs a tensor")
    return (tensor - torch.tensor(mean)) / torch.tensor(std)
