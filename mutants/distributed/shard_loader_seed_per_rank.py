"""shard_loader seeds each rank's sampler differently (seed + rank), so the ranks draw different permutations and their shards overlap."""

from torch.utils.data import DataLoader, DistributedSampler

from solutions.distributed import *  # noqa: F403


def shard_loader(dataset, batch_size, rank, world_size, seed=0):
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed + rank)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler)
