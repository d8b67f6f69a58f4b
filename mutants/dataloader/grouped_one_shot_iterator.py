"""grouped_loader passes iter(groups) as the batch_sampler: the first pass is right, every later pass is empty."""

from torch.utils.data import DataLoader

from solutions.dataloader import *  # noqa: F403


def grouped_loader(dataset, groups):
    return DataLoader(dataset, batch_sampler=iter(groups))
