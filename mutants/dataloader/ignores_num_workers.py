"""parallel_loader drops num_workers, so everything is loaded in the main process."""

from torch.utils.data import DataLoader

from solutions.dataloader import *  # noqa: F403


def parallel_loader(dataset, batch_size, num_workers):
    return DataLoader(dataset, batch_size=batch_size)
