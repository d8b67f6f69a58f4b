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

    The batches follow the dataset order, the same on every pass. When len(dataset) is not a multiple of
    ``batch_size``, the last batch is smaller - unless ``drop_last`` is True (it is False by default), in
    which case that partial batch is left out. ``len(loader)`` is the number of batches a pass yields:
    ceil(N / batch_size), or floor(N / batch_size) with drop_last (so 0 when N < batch_size).

    A batch has the structure of DataLoader's default collate: for ``(image, int label)`` samples with
    images of shape (C, H, W), it is a list ``[images, labels]`` - the images one stacked tensor
    (B, C, H, W) in sample order, the labels one int64 tensor of shape (B,), not a tuple of lists. str
    labels come as a tuple of str, and dict samples give one dict with the same keys whose values are
    batched (numbers and tensors stacked).

    The result is the DataLoader itself. It is iterable - every ``for`` loop over it starts a new pass -
    but it is not an iterator: ``next(loader)`` raises TypeError.

    The lesson: batch_size and drop_last decide how the samples are cut into batches, and the default
    collate decides what a batch looks like.

    【中文】
    按顺序遍历 ``dataset`` 的 DataLoader，每次取 ``batch_size`` 个样本。

    批按数据集的顺序产出，每一遍都相同。len(dataset) 不是 ``batch_size`` 的整数倍时，最后一批会小一些——
    除非 ``drop_last`` 为 True（默认为 False），这时这个不满的批会被舍弃。``len(loader)`` 是一遍产出的批数：
    ceil(N / batch_size)，设置 drop_last 时为 floor(N / batch_size)（因此 N < batch_size 时为 0）。

    一批的结构由 DataLoader 默认的整理（collate）方式决定：对于图片形状为 (C, H, W) 的 ``(image, int label)``
    样本，一批是列表 ``[images, labels]``——图片按样本顺序堆叠成一个 (B, C, H, W) 张量，标签是一个形状为
    (B,) 的 int64 张量，而不是由列表组成的元组。str 标签会收集成由 str 组成的元组；dict 样本得到一个键相同
    的 dict，其中的值按批组合（数字和张量被堆叠）。

    返回值就是 DataLoader 本身。它是可迭代对象——每个遍历它的 ``for`` 循环都会重新开始一遍——但不是迭代器：
    ``next(loader)`` 会抛出 TypeError。

    要点：batch_size 和 drop_last 决定样本怎样切分成批，默认的 collate 决定一批长什么样。
    """
    # shuffle=False keeps the dataset order; drop_last decides the fate of the partial batch.
    # shuffle=False 保持数据集的顺序；drop_last 决定那个不满的批是去是留。
    return DataLoader(dataset, batch_size=batch_size, shuffle=False, drop_last=drop_last)


def shuffled_loader(dataset: Dataset, batch_size: int, seed: int) -> DataLoader:
    """A DataLoader that visits the samples in a new random order on every pass (every epoch).

    The first pass is already shuffled, and every new pass draws a new order; each pass visits every
    sample exactly once, ``batch_size`` samples at a time (the last batch may be smaller).

    The orders depend on ``seed`` alone: two loaders built with the same seed yield the same sequence of
    orders, whatever torch's global random state is and however their passes are interleaved (the test
    reseeds the global generator between passes); different seeds give different orders. Building the
    loader leaves torch's global random state exactly as it was, so the randomness of other code (weight
    initialisation, dropout) does not change because of it.

    The lesson: ``shuffle`` reshuffles on every pass, and reproducibility comes from the loader's own
    source of randomness (DataLoader's ``generator`` argument), not from reseeding torch globally.

    【中文】
    每一遍（每一轮 epoch）都以新的随机顺序访问样本的 DataLoader。

    第一遍就已经打乱，此后每一遍都换一种新顺序；每一遍都恰好访问每个样本一次，每次 ``batch_size`` 个
    （最后一批可能小一些）。

    这些顺序只由 ``seed`` 决定：用同一个种子构建的两个加载器，产出的顺序序列完全相同，无论 torch 的全局
    随机状态如何，也无论它们的各遍如何交错进行（测试会在两遍之间重新设置全局生成器的种子）；不同的种子
    给出不同的顺序。构建加载器后，torch 的全局随机状态保持原样，因此其他代码的随机性（权重初始化、
    dropout）不会因它而改变。

    要点：``shuffle`` 每一遍都会重新打乱；可复现性来自加载器自己的随机源（DataLoader 的 ``generator``
    参数），而不是重新设置 torch 的全局随机种子。
    """
    # A private generator makes the order reproducible without touching the global RNG.
    # 加载器私有的生成器让顺序可复现，又不触动全局随机数生成器。
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, generator=generator)


def subset_loader(dataset: Dataset, indices: list[int], batch_size: int) -> DataLoader:
    """A DataLoader that visits only the samples at ``indices``, in exactly that order, on every pass.

    The samples come ``batch_size`` at a time (the last batch may be smaller), so ``len(loader)`` is
    ceil(len(indices) / batch_size). An index listed twice is visited twice. Every pass visits the same
    samples in the same order. Alongside, the test checks torch's own rule that DataLoader refuses a
    ``sampler`` together with ``shuffle=True`` (ValueError): here the order is yours, not random.

    The lesson: which samples a pass visits, and in what order, is the job of DataLoader's ``sampler``.

    【中文】
    每一遍都只访问 ``indices`` 处的样本、并严格按这个顺序访问的 DataLoader。

    样本每次来 ``batch_size`` 个（最后一批可能小一些），所以 ``len(loader)`` 为
    ceil(len(indices) / batch_size)。某个索引出现两次，对应的样本就被访问两次。每一遍访问的样本和顺序都
    相同。此外，测试还会检查 torch 自己的规则：DataLoader 不接受 ``sampler`` 与 ``shuffle=True`` 同时使用
    （抛出 ValueError）：这里的顺序由你决定，而不是随机的。

    要点：一遍访问哪些样本、按什么顺序访问，是 DataLoader 的 ``sampler`` 负责的事。
    """
    # A list is a valid sampler: it has a length and yields the indices, again on every pass.
    # 列表就是合格的采样器：它有长度，能产出索引，而且每一遍都能重新产出。
    return DataLoader(dataset, batch_size=batch_size, sampler=indices)


def grouped_loader(dataset: Dataset, groups: list[list[int]]) -> DataLoader:
    """A DataLoader whose batches are exactly ``groups``: batch k holds the samples at groups[k].

    The samples of a batch keep their order within the group, batches may differ in size, every pass
    yields the same batches, and ``len(loader)`` is len(groups). The loader is built with DataLoader's
    ``batch_sampler``, so ``loader.batch_size`` is None; alongside, the test checks torch's own rule that
    DataLoader refuses a ``batch_size`` beside a ``batch_sampler`` (ValueError).

    The lesson: a batch_sampler hands over whole batches of indices, so it alone decides what each batch
    holds.

    【中文】
    批恰好就是 ``groups`` 的 DataLoader：第 k 批包含 groups[k] 处的样本。

    一批中的样本保持它们在组内的顺序，各批大小可以不同，每一遍产出的批都相同，``len(loader)`` 为
    len(groups)。加载器用 DataLoader 的 ``batch_sampler`` 构建，因此 ``loader.batch_size`` 为 None；
    此外，测试还会检查 torch 自己的规则：DataLoader 不接受与 ``batch_sampler`` 一同给出的 ``batch_size``
    （抛出 ValueError）。

    要点：batch_sampler 每次交出一整批索引，所以每一批装什么完全由它决定。
    """
    # A batch_sampler yields whole batches, so batch_size/shuffle/sampler/drop_last stay unset.
    # batch_sampler 按整批产出索引，所以 batch_size/shuffle/sampler/drop_last 都保持不设置。
    return DataLoader(dataset, batch_sampler=groups)


def parallel_loader(dataset: Dataset, batch_size: int, num_workers: int) -> DataLoader:
    """A DataLoader that loads batches of ``batch_size`` samples in ``num_workers`` worker processes.

    ``loader.num_workers`` is num_workers. With num_workers=0 every sample is loaded in the calling
    process; with num_workers > 0 the samples are loaded in exactly that many other processes, never in
    the calling one, and the loader still yields the batches in dataset order, the last one possibly
    smaller.

    The lesson: DataLoader's ``num_workers`` moves loading into helper processes without changing what the
    loader yields.

    【中文】
    在 ``num_workers`` 个工作进程中加载批（每批 ``batch_size`` 个样本）的 DataLoader。

    ``loader.num_workers`` 等于 num_workers。num_workers=0 时，所有样本都在调用它的进程中加载；
    num_workers > 0 时，样本恰好在这么多个其他进程中加载，绝不在调用它的进程中加载，而加载器产出的批
    仍按数据集的顺序排列，最后一批可能小一些。

    要点：DataLoader 的 ``num_workers`` 把加载工作交给辅助进程，而加载器产出的内容不变。
    """
    # Each worker process fetches and collates whole batches; the loader reorders them for us.
    # 每个工作进程读取并整理整批数据；加载器替我们把各批重新排好顺序。
    return DataLoader(dataset, batch_size=batch_size, num_workers=num_workers)


def first_batch(loader: DataLoader):
    """Return the first batch of ``loader``.

    Each call starts a fresh pass over the loader: calling it twice on an unshuffled loader gives the
    same first batch twice, and on a loader whose order changes with every pass (a shuffled one) it gives
    the first batch of each new order. ``next(loader)`` on the loader itself is a TypeError.

    The lesson: a DataLoader is iterable, not an iterator - it keeps no position of its own.

    【中文】
    返回 ``loader`` 的第一批。

    每次调用都重新开始遍历加载器：对不打乱的加载器调用两次，两次得到的都是同一个第一批；对每一遍顺序都会
    变化的加载器（打乱的加载器），每次得到的是新顺序下的第一批。直接对加载器调用 ``next(loader)`` 会抛出
    TypeError。

    要点：DataLoader 是可迭代对象，而不是迭代器——它自己不记录遍历到了哪里。
    """
    # iter() starts a new pass; next() takes its first batch.
    # iter() 开始新的一遍；next() 取出这一遍的第一批。
    return next(iter(loader))
