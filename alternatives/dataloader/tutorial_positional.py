"""The tutorial's style: DataLoader arguments passed positionally (dataset, batch_size, shuffle), and first_batch
unpacking the batch into (images, labels) through loader.__iter__()."""

import torch
from torch.utils.data import DataLoader

from solutions.dataloader import *  # noqa: F403


def batched_loader(dataset, batch_size, drop_last=False):
    return DataLoader(dataset, batch_size, False, drop_last=drop_last)


def shuffled_loader(dataset, batch_size, seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return DataLoader(dataset, batch_size, True, generator=g)


def subset_loader(dataset, indices, batch_size):
    return DataLoader(dataset, batch_size, False, indices)


def parallel_loader(dataset, batch_size, num_workers):
    return DataLoader(dataset, batch_size, False, num_workers=num_workers)


def first_batch(loader):
    images, labels = loader.__iter__().__next__()
    return images, labels
