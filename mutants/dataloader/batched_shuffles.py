"""batched_loader passes shuffle=True out of habit, although the batches must follow the dataset order."""

from torch.utils.data import DataLoader

from solutions.dataloader import *  # noqa: F403


def batched_loader(dataset, batch_size, drop_last=False):
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, drop_last=drop_last)
