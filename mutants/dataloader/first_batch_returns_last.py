"""first_batch loops over the loader without stopping, so it returns the last batch instead of the first."""

from solutions.dataloader import *  # noqa: F403


def first_batch(loader):
    for batch in loader:
        pass
    return batch
