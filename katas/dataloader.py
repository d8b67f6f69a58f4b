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

    Keep the default collate: for ``(image, int label)`` samples with images of shape (C, H, W),
    a batch is a list ``[images, labels]``, the images stacked into one tensor (B, C, H, W) and
    the labels an int64 tensor of shape (B,). str labels are gathered into a tuple of str, and
    dict samples give one dict with the same keys whose values are batched.

    Return the DataLoader itself. It is iterable - every ``for`` loop over it starts a new
    pass - but it is not an iterator: ``next(loader)`` is a TypeError.
    """
    # TODO: return a loader that walks the dataset in order, keeping or skipping the partial last batch as asked.
    raise NotImplementedError("kata dataloader.batched_loader is not solved yet")


def shuffled_loader(dataset: Dataset, batch_size: int, seed: int) -> DataLoader:
    """A DataLoader that visits the samples in a new random order on every pass (every epoch).

    The first pass is already shuffled; every pass visits each sample exactly once, ``batch_size``
    samples at a time (the last batch may be smaller).

    The orders must depend on ``seed`` alone: give the loader its own ``torch.Generator`` seeded
    with ``seed`` instead of seeding torch's global generator. Two loaders built with the same seed
    then produce the same sequence of orders, whatever the global random state is and however their
    passes are interleaved. Building the loader leaves torch's global random state untouched, so the
    randomness of other code (weight initialisation, dropout) does not change because of it.
    """
    # TODO: return a loader that reshuffles every epoch in orders fixed by seed alone, leaving the global RNG alone.
    raise NotImplementedError("kata dataloader.shuffled_loader is not solved yet")


def subset_loader(dataset: Dataset, indices: list[int], batch_size: int) -> DataLoader:
    """A DataLoader that visits only the samples at ``indices``, in exactly that order, on every pass.

    The samples come ``batch_size`` at a time (the last batch may be smaller), so ``len(loader)``
    is ceil(len(indices) / batch_size).

    A sampler is anything iterable that yields dataset indices and has a length - a plain list is
    one - and each new pass iterates it again; wrapping the dataset in a torch.utils.data.Subset
    works too. Leave shuffle off: the sampler decides the order, and torch refuses a sampler
    together with shuffle=True (ValueError).
    """
    # TODO: return a loader that visits exactly these indices, in this order, on every pass.
    raise NotImplementedError("kata dataloader.subset_loader is not solved yet")


def grouped_loader(dataset: Dataset, groups: list[list[int]]) -> DataLoader:
    """A DataLoader whose batches are exactly ``groups``: batch k holds the samples at groups[k].

    The samples of a batch keep their order within the group, every pass yields the same batches,
    and ``len(loader)`` is len(groups).

    A batch_sampler yields whole batches of indices, so batches may differ in size. It decides
    batch_size, shuffle, sampler and drop_last by itself: torch refuses any of those beside it
    (ValueError), and the loader's ``batch_size`` is None.
    """
    # TODO: return a loader whose batches are exactly the given groups, on every pass.
    raise NotImplementedError("kata dataloader.grouped_loader is not solved yet")


def parallel_loader(dataset: Dataset, batch_size: int, num_workers: int) -> DataLoader:
    """A DataLoader that loads batches of ``batch_size`` samples in ``num_workers`` worker processes.

    With num_workers=0 everything happens in the main process; with num_workers > 0 the samples are
    fetched in that many worker processes (each batch by one worker, which also collates it), and
    the loader still yields the batches in dataset order. ``loader.num_workers`` is num_workers.
    """
    # TODO: return a loader whose samples are fetched by num_workers processes, batches still in order.
    raise NotImplementedError("kata dataloader.parallel_loader is not solved yet")


def first_batch(loader: DataLoader):
    """Return the first batch of ``loader``.

    A DataLoader is iterable, not an iterator: ``next(loader)`` is a TypeError. Each call must
    start a fresh pass over the loader, so calling this twice on an unshuffled loader gives the same
    batch twice, and on a loader whose order changes with every pass (a shuffled one) it gives the
    first batch of each new order.
    """
    # TODO: start a fresh pass over the loader and return the first batch it yields.
    raise NotImplementedError("kata dataloader.first_batch is not solved yet")
