"""shuffled_loader creates one torch.Generator at import and only reseeds it per call: every loader shares it, so
two loaders built with the same seed disturb each other's orders."""

import torch
from torch.utils.data import DataLoader

from solutions.dataloader import *  # noqa: F403

_GENERATOR = torch.Generator()


def shuffled_loader(dataset, batch_size, seed):
    _GENERATOR.manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, generator=_GENERATOR)
