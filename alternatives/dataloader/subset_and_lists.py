"""subset_loader over a torch.utils.data.Subset instead of a sampler, grouped_loader over a copy of the groups,
parallel_loader with every worker option spelled out, and first_batch that materialises the whole pass."""

import torch
from torch.utils.data import DataLoader, Subset

from solutions.dataloader import *  # noqa: F403


def shuffled_loader(dataset, batch_size, seed):
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(int(seed)))


def subset_loader(dataset, indices, batch_size):
    return DataLoader(Subset(dataset, list(indices)), batch_size=batch_size, shuffle=False)


def grouped_loader(dataset, groups):
    return DataLoader(dataset, batch_sampler=[list(group) for group in groups])


def parallel_loader(dataset, batch_size, num_workers):
    return DataLoader(dataset, batch_size=batch_size, shuffle=False, num_workers=num_workers, persistent_workers=False)


def first_batch(loader):
    return list(loader)[0]
