"""subset_loader wraps the dataset in a Subset (fine) but also passes shuffle=True, losing the requested order."""

from torch.utils.data import DataLoader, Subset

from solutions.dataloader import *  # noqa: F403


def subset_loader(dataset, indices, batch_size):
    return DataLoader(Subset(dataset, indices), batch_size=batch_size, shuffle=True)
