"""shuffled_loader draws random indices with replacement, so an epoch repeats some samples and misses others."""

import torch
from torch.utils.data import DataLoader, RandomSampler

from solutions.dataloader import *  # noqa: F403


def shuffled_loader(dataset, batch_size, seed):
    generator = torch.Generator().manual_seed(seed)
    sampler = RandomSampler(dataset, replacement=True, generator=generator)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler)
