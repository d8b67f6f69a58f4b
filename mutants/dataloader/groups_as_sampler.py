"""grouped_loader passes the groups as a sampler with a fixed batch size, so batches ignore the groups."""

from torch.utils.data import DataLoader

from solutions.dataloader import *  # noqa: F403


def grouped_loader(dataset, groups):
    return DataLoader(dataset, batch_size=2, sampler=[i for group in groups for i in group])
