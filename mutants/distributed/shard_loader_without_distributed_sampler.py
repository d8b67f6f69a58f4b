"""shard_loader shuffles the whole dataset on every rank (no DistributedSampler): every rank trains on everything."""

from torch.utils.data import DataLoader

from solutions.distributed import *  # noqa: F403


def shard_loader(dataset, batch_size, rank, world_size, seed=0):
    return DataLoader(dataset, batch_size=batch_size, shuffle=True)
