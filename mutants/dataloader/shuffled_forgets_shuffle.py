"""shuffled_loader passes a seeded generator but not shuffle=True, as if a generator alone made the loader random."""

import torch
from torch.utils.data import DataLoader

from solutions.dataloader import *  # noqa: F403


def shuffled_loader(dataset, batch_size, seed):
    return DataLoader(dataset, batch_size=batch_size, generator=torch.Generator().manual_seed(seed))
