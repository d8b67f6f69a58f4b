"""Kata 3: DataLoader - batches, shuffling, samplers, worker processes and the last partial batch.

From the note's section 数据加载 · Dataloader. A DataLoader asks a sampler for indices, fetches those
samples from the dataset (in worker processes when num_workers > 0) and collates them into a batch:
samples made of tensors and numbers become stacked tensors, not lists.

【中文】
练习 3：数据加载器（DataLoader）——批、打乱、采样器、工作进程，以及最后那个不满的批。

对应笔记的“数据加载 · Dataloader”一节。DataLoader 先向采样器要索引，再从数据集中取出这些样本
（num_workers > 0 时在工作进程中取），然后把它们整理（collate）成一批：由张量和数字组成的样本会被
堆叠成张量，而不是列表。
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

    【中文】
    按顺序遍历 ``dataset`` 的 DataLoader，每次取 ``batch_size`` 个样本。

    len(dataset) 不是 batch_size 的整数倍时，最后一批会小一些；但若 ``drop_last`` 为 True，这个不满的批
    会被整个跳过。因此 ``len(loader)`` 为 ceil(N / batch_size)，设置了 drop_last 时为
    floor(N / batch_size)。

    保留默认的整理（collate）方式：对于图片形状为 (C, H, W) 的 ``(image, int label)`` 样本，一批是列表
    ``[images, labels]``，其中图片堆叠成一个 (B, C, H, W) 张量，标签是形状为 (B,) 的 int64 张量。
    str 标签会被收集成一个由 str 组成的元组；dict 样本得到一个键相同的 dict，其中的值按批组合。

    返回 DataLoader 本身。它是可迭代对象——每个遍历它的 ``for`` 循环都会重新开始一遍——但它不是迭代器：
    ``next(loader)`` 会抛出 TypeError。
    """
    # shuffle=False keeps the dataset order; drop_last decides the fate of the partial batch.
    return DataLoader(dataset, batch_size=batch_size, shuffle=False, drop_last=drop_last)


def shuffled_loader(dataset: Dataset, batch_size: int, seed: int) -> DataLoader:
    """A DataLoader that visits the samples in a new random order on every pass (every epoch).

    The first pass is already shuffled; every pass visits each sample exactly once, ``batch_size``
    samples at a time (the last batch may be smaller).

    The orders must depend on ``seed`` alone: give the loader its own ``torch.Generator`` seeded
    with ``seed`` instead of seeding torch's global generator. Two loaders built with the same seed
    then produce the same sequence of orders, whatever the global random state is and however their
    passes are interleaved. Building the loader leaves torch's global random state untouched, so the
    randomness of other code (weight initialisation, dropout) does not change because of it.

    【中文】
    每一遍（每一轮 epoch）都以新的随机顺序访问样本的 DataLoader。

    第一遍就已经打乱；每一遍都恰好访问每个样本一次，每次 ``batch_size`` 个（最后一批可能小一些）。

    这些顺序只能由 ``seed`` 决定：给加载器一个它自己的、用 ``seed`` 设定随机种子的 ``torch.Generator``，
    而不是设置 torch 全局生成器的种子。这样，用同一个种子构建的两个加载器会产生相同的顺序序列，无论全局
    随机状态如何，也无论它们的各遍如何交错进行。构建加载器不会改动 torch 的全局随机状态，因此其他代码的
    随机性（权重初始化、dropout）不会因它而改变。
    """
    # A private generator makes the order reproducible without touching the global RNG.
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, generator=generator)


def subset_loader(dataset: Dataset, indices: list[int], batch_size: int) -> DataLoader:
    """A DataLoader that visits only the samples at ``indices``, in exactly that order, on every pass.

    The samples come ``batch_size`` at a time (the last batch may be smaller), so ``len(loader)``
    is ceil(len(indices) / batch_size).

    A sampler is anything iterable that yields dataset indices and has a length - a plain list is
    one - and each new pass iterates it again; wrapping the dataset in a torch.utils.data.Subset
    works too. Leave shuffle off: the sampler decides the order, and torch refuses a sampler
    together with shuffle=True (ValueError).

    【中文】
    每一遍都只访问 ``indices`` 处的样本、并严格按这个顺序访问的 DataLoader。

    样本每次来 ``batch_size`` 个（最后一批可能小一些），所以 ``len(loader)`` 为
    ceil(len(indices) / batch_size)。

    采样器（sampler）是任何能产出数据集索引、并且有长度的可迭代对象——普通列表就是一个——每开始新的一遍
    都会重新迭代它；用 torch.utils.data.Subset 包装数据集也可以。不要开启 shuffle：顺序由采样器决定，
    而且 torch 不接受采样器与 shuffle=True 同时使用（抛出 ValueError）。
    """
    # A list is a valid sampler: it has a length and yields the indices, again on every pass.
    return DataLoader(dataset, batch_size=batch_size, sampler=indices)


def grouped_loader(dataset: Dataset, groups: list[list[int]]) -> DataLoader:
    """A DataLoader whose batches are exactly ``groups``: batch k holds the samples at groups[k].

    The samples of a batch keep their order within the group, every pass yields the same batches,
    and ``len(loader)`` is len(groups).

    A batch_sampler yields whole batches of indices, so batches may differ in size. It decides
    batch_size, shuffle, sampler and drop_last by itself: torch refuses any of those beside it
    (ValueError), and the loader's ``batch_size`` is None.

    【中文】
    批恰好就是 ``groups`` 的 DataLoader：第 k 批包含 groups[k] 处的样本。

    一批中的样本保持它们在组内的顺序，每一遍产出的批都相同，``len(loader)`` 为 len(groups)。

    batch_sampler 每次产出一整批索引，所以各批的大小可以不同。batch_size、shuffle、sampler 和 drop_last
    都由它自己决定：torch 不接受与它一同给出其中任何一个（抛出 ValueError），而且加载器的
    ``batch_size`` 为 None。
    """
    # A batch_sampler yields whole batches, so batch_size/shuffle/sampler/drop_last stay unset.
    return DataLoader(dataset, batch_sampler=groups)


def parallel_loader(dataset: Dataset, batch_size: int, num_workers: int) -> DataLoader:
    """A DataLoader that loads batches of ``batch_size`` samples in ``num_workers`` worker processes.

    With num_workers=0 everything happens in the main process; with num_workers > 0 the samples are
    fetched in that many worker processes (each batch by one worker, which also collates it), and
    the loader still yields the batches in dataset order. ``loader.num_workers`` is num_workers.

    【中文】
    在 ``num_workers`` 个工作进程中加载批（每批 ``batch_size`` 个样本）的 DataLoader。

    num_workers=0 时一切都在主进程中完成；num_workers > 0 时，样本由这么多个工作进程读取（每一批由一个
    工作进程读取，并由它完成整理），加载器产出的批仍按数据集的顺序排列。``loader.num_workers`` 等于
    num_workers。
    """
    # Each worker process fetches and collates whole batches; the loader reorders them for us.
    return DataLoader(dataset, batch_size=batch_size, num_workers=num_workers)


def first_batch(loader: DataLoader):
    """Return the first batch of ``loader``.

    A DataLoader is iterable, not an iterator: ``next(loader)`` is a TypeError. Each call must
    start a fresh pass over the loader, so calling this twice on an unshuffled loader gives the same
    batch twice, and on a loader whose order changes with every pass (a shuffled one) it gives the
    first batch of each new order.

    【中文】
    返回 ``loader`` 的第一批。

    DataLoader 是可迭代对象，而不是迭代器：``next(loader)`` 会抛出 TypeError。每次调用都必须重新开始
    遍历加载器，因此对不打乱的加载器调用两次，会两次得到同一批；对每一遍顺序都会变化的加载器（打乱的
    加载器），每次得到的是新顺序下的第一批。
    """
    # iter() starts a new pass; next() takes its first batch.
    return next(iter(loader))
