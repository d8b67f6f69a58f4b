"""shuffled_loader draws one random order up front, so every epoch repeats it."""

import torch
from torch.utils.data import DataLoader

from solutions.dataloader import *  # noqa: F403


def shuffled_loader(dataset, batch_size, seed):
    order = torch.randperm(len(dataset), generator=torch.Generator().manual_seed(seed)).tolist()
    return DataLoader(dataset, batch_size=batch_size, sampler=order)
