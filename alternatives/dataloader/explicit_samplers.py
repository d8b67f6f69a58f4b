"""Every loader built from explicit sampler objects: a BatchSampler over a SequentialSampler, a RandomSampler with
its own generator (passed to the sampler, not to the DataLoader), Sampler subclasses for the indices and the groups,
and first_batch as a for loop that returns at once."""

import torch
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, Sampler, SequentialSampler

from solutions.dataloader import *  # noqa: F403


class _Indices(Sampler):
    def __init__(self, indices):
        self.indices = list(indices)

    def __iter__(self):
        return iter(self.indices)

    def __len__(self):
        return len(self.indices)


class _Groups(Sampler):
    def __init__(self, groups):
        self.groups = [list(group) for group in groups]

    def __iter__(self):
        yield from self.groups

    def __len__(self):
        return len(self.groups)


def batched_loader(dataset, batch_size, drop_last=False):
    return DataLoader(dataset, batch_sampler=BatchSampler(SequentialSampler(dataset), batch_size, drop_last))


def shuffled_loader(dataset, batch_size, seed):
    generator = torch.Generator()
    generator.manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, sampler=RandomSampler(dataset, generator=generator))


def subset_loader(dataset, indices, batch_size):
    return DataLoader(dataset, batch_size=batch_size, sampler=_Indices(indices))


def grouped_loader(dataset, groups):
    return DataLoader(dataset, batch_sampler=_Groups(groups))


def first_batch(loader):
    for batch in loader:
        return batch
