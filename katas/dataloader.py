"""Kata 3: DataLoader - batches, shuffling, samplers, worker processes and the last partial batch.

From the note's section 数据加载 · Dataloader. A DataLoader asks a sampler for indices, fetches those
samples from the dataset (in worker processes when num_workers > 0) and collates them into a batch:
samples made of tensors and numbers become stacked tensors, not lists.
"""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader, Dataset


def batched_loader(dataset: Dataset, batch_size: int, drop_last: bool = False) -> DataLoader:
    """A DataLoader that walks ``dataset`` in order, ``batch_size`` samples at a time.

    When len(dataset) is not a multiple of batch_size, the last batch is smaller, unless
    ``drop_last`` is True, in which case that partial batch is skipped altogether. So
    ``len(loader)`` is ceil(N / batch_size), or floor(N / batch_size) with drop_last.
    """
    # TODO: build a DataLoader with batch_size and drop_last, in order.
    raise NotImplementedError("kata dataloader.batched_loader is not solved yet")


def shuffled_loader(dataset: Dataset, batch_size: int, seed: int) -> DataLoader:
    """A DataLoader that visits the samples in a new random order on every pass (every epoch).

    Give it its own ``torch.Generator`` seeded with ``seed``: two loaders built with the same seed
    produce the same sequence of orders, whatever the global random state is.
    """
    # TODO: build a shuffling DataLoader driven by its own seeded torch.Generator.
    raise NotImplementedError("kata dataloader.shuffled_loader is not solved yet")


def subset_loader(dataset: Dataset, indices: list[int], batch_size: int) -> DataLoader:
    """A DataLoader that visits only the samples at ``indices``, in exactly that order.

    A sampler is anything iterable that yields dataset indices (and has a length); a plain list is
    one. Passing a sampler replaces shuffle - the two together are refused.
    """
    # TODO: build a DataLoader whose sampler yields exactly these indices.
    raise NotImplementedError("kata dataloader.subset_loader is not solved yet")


def grouped_loader(dataset: Dataset, groups: list[list[int]]) -> DataLoader:
    """A DataLoader whose batches are exactly ``groups``: batch k holds the samples at groups[k].

    A batch_sampler yields whole batches of indices, so batches may differ in size. It decides
    batch_size, shuffle, sampler and drop_last by itself: none of those may be passed with it.
    """
    # TODO: build a DataLoader whose batch_sampler yields these groups.
    raise NotImplementedError("kata dataloader.grouped_loader is not solved yet")


def parallel_loader(dataset: Dataset, batch_size: int, num_workers: int) -> DataLoader:
    """A DataLoader that loads batches in ``num_workers`` worker processes, keeping the order.

    With num_workers=0 everything happens in the main process; with num_workers > 0 each worker
    process fetches and collates whole batches, and the loader still yields them in order.
    """
    # TODO: build a DataLoader that uses worker processes.
    raise NotImplementedError("kata dataloader.parallel_loader is not solved yet")


def first_batch(loader: DataLoader):
    """Return the first batch of ``loader``.

    A DataLoader is iterable, not an iterator: ``next(loader)`` is a TypeError. Each ``iter(loader)``
    starts a fresh pass (for a shuffled loader, a fresh order), so calling this twice on an
    unshuffled loader gives the same batch twice.
    """
    # TODO: start a pass over the loader and take its first batch.
    raise NotImplementedError("kata dataloader.first_batch is not solved yet")
