"""subset_loader passes the indices as a sampler but forgets batch_size, so every batch holds one sample."""

from torch.utils.data import DataLoader

from solutions.dataloader import *  # noqa: F403


def subset_loader(dataset, indices, batch_size):
    return DataLoader(dataset, sampler=indices)
