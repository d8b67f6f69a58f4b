"""batched_loader defaults drop_last to True, so a plain call silently loses the partial last batch."""

from torch.utils.data import DataLoader

from solutions.dataloader import *  # noqa: F403


def batched_loader(dataset, batch_size, drop_last=True):
    return DataLoader(dataset, batch_size=batch_size, drop_last=drop_last)
