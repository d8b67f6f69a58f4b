"""Kata 16 (beyond the note): data-parallel training on several processes - torch.distributed, DDP and torchrun.

The note ends with training on one GPU. Data-parallel training runs one copy of the same program per
device; each copy is a *rank*. The launcher, torchrun, starts them and tells each one, in environment
variables, who it is and where to meet the others. Every rank then:
- joins the process group (backend nccl on CUDA GPUs, gloo on CPUs) and works on its own device;
- reads its own shard of the training set (DistributedSampler), in a new order every epoch (set_epoch);
- trains its copy of the model wrapped in DistributedDataParallel (DDP), which averages the gradients of
  all ranks during backward(): every copy takes the same step, so the copies stay identical;
- counts its part of the test set; the counts are summed over all ranks (all_reduce);
- leaves the side effects to rank 0: printing, the TensorBoard log and the checkpoint, saved without
  DDP's ``module.`` prefix and followed by a barrier.
One machine, four GPUs: ``torchrun --nproc_per_node=4 -m <package>.distributed --data DIR``. Two
machines: the same command on both, with ``--nnodes=2 --rdzv-backend=c10d --rdzv-id=JOB
--rdzv-endpoint=HOST:PORT`` naming the first machine. On a CPU, ``--nproc_per_node=2`` runs two ranks
over gloo.

【中文】
练习 16（笔记之外）：多进程数据并行训练——torch.distributed、DDP 与 torchrun。

笔记止步于单卡训练。数据并行训练为每个设备运行同一个程序的一份副本，每份副本称为一个 *rank*（进程编号）。
启动器 torchrun 负责启动它们，并通过环境变量告诉每个进程：它是谁、到哪里与其他进程会合。随后每个 rank：
- 加入进程组（在 CUDA 显卡上用 nccl 后端，在 CPU 上用 gloo），并在自己的设备上工作；
- 读取训练集中属于自己的那一份分片（DistributedSampler），每轮（epoch）换一种顺序（set_epoch）；
- 用 DistributedDataParallel（DDP）包装自己的模型副本再训练：DDP 在 backward() 期间对所有 rank 的梯度
  取平均，于是每份副本都更新同样的一步，各副本始终保持一致；
- 统计自己那部分测试集的结果，再把各 rank 的计数相加（all_reduce）；
- 把有副作用的事情交给 rank 0：打印、TensorBoard 日志和检查点（保存时去掉 DDP 的 ``module.`` 前缀，
  之后设一道屏障（barrier））。
一台机器、四块 GPU：``torchrun --nproc_per_node=4 -m <package>.distributed --data DIR``。两台机器：在两台上
运行同一条命令，都加上 ``--nnodes=2 --rdzv-backend=c10d --rdzv-id=JOB --rdzv-endpoint=HOST:PORT``，
其中 HOST:PORT 指向第一台机器。在 CPU 上，``--nproc_per_node=2`` 会通过 gloo 运行两个 rank。
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Dataset, DistributedSampler, Subset

from .modules import CifarNet

# The variables torchrun sets for every process it starts.
TORCHRUN_VARIABLES = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")


def setup_process_group() -> tuple[int, int, torch.device]:
    """Join the process group that torchrun describes in the environment; return (rank, world_size, device).

    torchrun sets, for every process it starts: RANK (this process's number, 0 to WORLD_SIZE - 1, counted
    over all machines), WORLD_SIZE (how many processes there are), LOCAL_RANK (its number on this machine),
    MASTER_ADDR and MASTER_PORT (where the processes meet). When any of the five is missing (or empty),
    raise RuntimeError naming the missing ones and saying to launch with torchrun - before joining anything.

    With CUDA available, the backend is nccl and the device cuda:LOCAL_RANK, made the current device with
    torch.cuda.set_device: one GPU per process on each machine (LOCAL_RANK, not RANK, which goes on counting
    on the second machine). Without CUDA, the backend is gloo and the device is the cpu. Join with
    torch.distributed.init_process_group and that backend; its default init_method, env://, reads the same
    variables. Return rank and world_size as ints, and the device as a torch.device.

    【中文】
    加入 torchrun 通过环境变量描述的进程组；返回 (rank, world_size, device)。

    torchrun 为它启动的每个进程设置：RANK（本进程的编号，从 0 到 WORLD_SIZE - 1，跨所有机器计数）、
    WORLD_SIZE（进程总数）、LOCAL_RANK（本进程在这台机器上的编号）、MASTER_ADDR 和 MASTER_PORT（各进程会合
    的地址和端口）。只要这五个变量中有任何一个缺失（或为空），就在加入任何进程组之前抛出 RuntimeError，
    指出缺了哪些变量，并说明应当用 torchrun 启动。

    CUDA 可用时，后端用 nccl，设备用 cuda:LOCAL_RANK，并用 torch.cuda.set_device 把它设为当前设备：每台机器
    上每个进程一块 GPU（用 LOCAL_RANK，而不是 RANK——RANK 在第二台机器上会接着往下数）。没有 CUDA 时，后端用
    gloo，设备为 cpu。用 torch.distributed.init_process_group 以该后端加入进程组；它默认的 init_method
    env:// 读取的正是这些变量。rank 和 world_size 以 int 返回，设备以 torch.device 返回。
    """
    # TODO: refuse clearly without torchrun's five variables, then join the group with the backend and device this machine calls for; return (rank, world_size, device).
    # 待办：没有 torchrun 的五个环境变量时明确拒绝；否则按本机条件选择后端和设备加入进程组，返回 (rank, world_size, device)。
    raise NotImplementedError("kata distributed.setup_process_group is not solved yet")


def teardown_process_group() -> None:
    """Leave the process group: destroy it, so that its connections are closed and a new group can be set up.

    Does nothing when no group is initialized (after a setup that failed, or when called twice).

    【中文】
    离开进程组：销毁它，让它的连接关闭，之后才能重新建立新的进程组。

    当前没有已初始化的进程组时（setup 失败之后，或被调用第二次时）什么也不做。
    """
    # TODO: leave the process group if there is one; do nothing otherwise.
    # 待办：如果存在进程组就离开它，否则什么也不做。
    raise NotImplementedError("kata distributed.teardown_process_group is not solved yet")


def shard_loader(dataset: Dataset, batch_size: int, rank: int, world_size: int, seed: int = 0) -> DataLoader:
    """A DataLoader over the shard of ``dataset`` that belongs to ``rank``, in batches of ``batch_size``.

    Give the loader a DistributedSampler as its sampler, for ``world_size`` ranks, this ``rank``, shuffled,
    with ``seed`` (every rank must pass the same seed, or the shards overlap): the ranks' shards are then
    disjoint and together cover the dataset, and the order of an epoch depends only on the seed and on the
    epoch number given to ``loader.sampler.set_epoch`` (train_epoch calls it). The loader itself does not
    shuffle (sampler and shuffle=True exclude each other) and keeps a last, smaller batch.

    Uneven sizes: when world_size does not divide len(dataset), DistributedSampler (drop_last=False, its
    default) pads the shards with samples repeated from the start of the shuffled order, so that every rank
    gets ceil(len(dataset) / world_size) samples. Every rank then takes the same number of steps, which DDP
    needs: a rank with one step more would wait forever for the others at its gradient all-reduce. A few
    samples count twice in such an epoch.

    【中文】
    在 ``dataset`` 中属于 ``rank`` 的那一份分片上建一个数据加载器（DataLoader），批大小为 ``batch_size``。

    给加载器一个 DistributedSampler 作为采样器：共 ``world_size`` 个 rank，本 rank 为 ``rank``，打乱顺序，
    随机种子为 ``seed``（每个 rank 必须传入相同的种子，否则分片会重叠）。这样各 rank 的分片互不相交，合起来
    覆盖整个数据集；一轮的顺序只取决于种子和传给 ``loader.sampler.set_epoch`` 的轮次编号（train_epoch 会调用
    它）。加载器本身不打乱（sampler 与 shuffle=True 不能同时使用），并保留最后一个较小的批。

    大小不均时：当 world_size 不能整除 len(dataset)，DistributedSampler（drop_last=False，即默认值）会从打乱
    后顺序的开头重复取一些样本来填充（padding）各分片，使每个 rank 都得到 ceil(len(dataset) / world_size) 个
    样本。这样每个 rank 走的步数相同——DDP 需要这一点：多走一步的 rank 会在梯度的 all-reduce 处永远等待其他
    rank。在这样的一轮里，少数样本会被计算两次。
    """
    # TODO: build a loader that reads only this rank's shard, in an order all ranks agree on.
    # 待办：建一个只读取本 rank 分片的加载器，其顺序由所有 rank 共同约定。
    raise NotImplementedError("kata distributed.shard_loader is not solved yet")


def wrap_model(model: nn.Module, device: torch.device | str, lr: float) -> tuple[DistributedDataParallel, torch.optim.SGD]:
    """Move ``model`` to ``device``, wrap it in DistributedDataParallel, and create its SGD optimizer at ``lr``.

    Return (wrapped model, optimizer). Needs an initialized process group. The order is the lesson:
    1. move first (Module.to): DDP registers the parameters where they will live - on CUDA, give it
       device_ids=[device], the one GPU this rank drives; on the cpu, no device_ids;
    2. wrap second: when DDP is built it broadcasts rank 0's weights, so all copies start equal;
    3. create the optimizer last, over the parameters of the wrapped model (the same tensors as
       model.parameters() once moved). torch.optim's documentation: move a model before constructing
       its optimizer.
    The wrapped model's ``module`` is ``model`` itself.

    【中文】
    把 ``model`` 移到 ``device``，用 DistributedDataParallel 包装它，并以学习率 ``lr`` 为它创建 SGD 优化器。

    返回 (包装后的模型, 优化器)。需要已初始化的进程组。顺序正是本练习要学的：
    1. 先移动（Module.to）：DDP 会在参数最终所在的位置登记它们——在 CUDA 上传入 device_ids=[device]，
       即本 rank 负责的那一块 GPU；在 cpu 上不传 device_ids；
    2. 再包装：DDP 在构建时会广播 rank 0 的权重，于是所有副本从相同的起点出发；
    3. 最后创建优化器，基于包装后模型的参数（移动之后，它们与 model.parameters() 是同一批张量）。
       torch.optim 的文档要求：先移动模型，再为它构建优化器。
    包装后模型的 ``module`` 就是 ``model`` 本身。
    """
    # TODO: put the model on its device, let DDP keep the copies in step, then give it an SGD optimizer; return both.
    # 待办：把模型放到它的设备上，让 DDP 保持各副本同步，再为它配一个 SGD 优化器；两者都返回。
    raise NotImplementedError("kata distributed.wrap_model is not solved yet")


def train_epoch(model: nn.Module, loader: DataLoader, loss_fn: nn.Module, optimizer: torch.optim.Optimizer, device, epoch: int) -> list[float]:
    """Train the DDP-wrapped ``model`` for one epoch on this rank's ``loader``; return this rank's step losses.

    First call ``loader.sampler.set_epoch(epoch)``: DistributedSampler shuffles with seed + epoch, so
    without it every epoch repeats the first epoch's order. Then the single-GPU loop, unchanged: training
    mode; for each batch, move images and labels to ``device``, clear the gradients, forward, loss,
    backward - where DDP averages every gradient over all ranks - and step. Every rank applies the same
    averaged gradient to the same weights, so the copies stay identical without exchanging weights: after
    the epoch they equal one process that took, at each step, the mean of the ranks' gradients. Return the
    loss of each step (this rank's batch only) as a list of Python floats.

    【中文】
    在本 rank 的 ``loader`` 上把经 DDP 包装的 ``model`` 训练一轮；返回本 rank 每一步的损失。

    先调用 ``loader.sampler.set_epoch(epoch)``：DistributedSampler 用 seed + epoch 来打乱，不调用的话，每一轮
    都会重复第一轮的顺序。然后是原封不动的单卡训练循环：训练模式；对每一批，把图像和标签移到 ``device``，
    清空梯度，前向传播，计算损失，反向传播——DDP 就在这里对所有 rank 的每个梯度取平均——再更新一步。每个
    rank 都把相同的平均梯度用在相同的权重上，所以各副本无需交换权重就能保持一致：一轮之后，它们等于一个
    在每一步都采用各 rank 梯度平均值的单进程训练的结果。以 Python 浮点数列表的形式返回每一步的损失（只是
    本 rank 那一批的损失）。
    """
    # TODO: tell the sampler which epoch this is, then run the usual training loop; return each step's loss as a float.
    # 待办：告诉采样器这是第几轮，然后执行常规的训练循环；以浮点数返回每一步的损失。
    raise NotImplementedError("kata distributed.train_epoch is not solved yet")


def global_accuracy(model: nn.Module, loader, device) -> float:
    """The accuracy of ``model`` over a test set split between the ranks; the same Python float on every rank.

    ``loader`` yields (images, labels) batches of this rank's part. Evaluate like training.evaluate
    (evaluation mode, torch.no_grad(), the prediction is the argmax over dim 1), counting the correct
    predictions and the samples. Then sum both counts over all ranks with torch.distributed.all_reduce
    (ReduceOp.SUM) - as tensors on ``device``, which nccl requires - and return correct / total. Rank 0's
    part alone is a sample, not the test set; the mean of the ranks' accuracies is wrong too when the parts
    differ in size. Needs an initialized process group.

    【中文】
    ``model`` 在分散于各 rank 的测试集上的准确率；每个 rank 上返回同一个 Python 浮点数。

    ``loader`` 给出本 rank 那部分数据的 (images, labels) 批。像 training.evaluate 那样评估（评估模式、
    torch.no_grad()、预测取 dim 1 上的 argmax），统计预测正确的数量和样本数。然后用
    torch.distributed.all_reduce（ReduceOp.SUM）在所有 rank 间对这两个计数求和——作为 ``device`` 上的张量，
    nccl 要求如此——返回 correct / total。只看 rank 0 那一部分只是一个抽样，不是整个测试集；当各部分大小不同
    时，对各 rank 的准确率取平均也是错的。需要已初始化的进程组。
    """
    # TODO: count this rank's correct predictions and samples, add the counts up over all ranks, return the fraction.
    # 待办：统计本 rank 预测正确的数量和样本数，在所有 rank 间把计数相加，返回比例。
    raise NotImplementedError("kata distributed.global_accuracy is not solved yet")


def save_checkpoint(model: DistributedDataParallel, path: str | Path) -> None:
    """Save the weights of the DDP-wrapped ``model`` to ``path`` from rank 0 only; return once the file is complete.

    Only rank 0 writes (torch.distributed.get_rank() == 0): the copies are identical, and several processes
    writing one file would corrupt it. Save ``model.module.state_dict()`` with torch.save: the wrapper's own
    state_dict prefixes every key with ``module.``, which a plain (unwrapped) model refuses to load. Then
    every rank - rank 0 after writing - calls torch.distributed.barrier(), so that no rank returns, and
    perhaps reads the file, before it is completely written. Needs an initialized process group.

    【中文】
    只由 rank 0 把经 DDP 包装的 ``model`` 的权重保存到 ``path``；等文件完整写好后才返回。

    只有 rank 0 写文件（torch.distributed.get_rank() == 0）：各副本完全相同，而多个进程写同一个文件会把它
    写坏。用 torch.save 保存 ``model.module.state_dict()``：包装器自己的状态字典（state_dict）会给每个键加上
    ``module.`` 前缀，普通的（未包装的）模型拒绝加载这样的键。随后每个 rank——rank 0 在写完之后——都调用
    torch.distributed.barrier()，这样在文件完整写好之前，没有哪个 rank 会返回并可能去读它。需要已初始化的
    进程组。
    """
    # TODO: write the plain model's weights from rank 0 alone, and let no rank return before the file is complete.
    # 待办：只由 rank 0 写出普通模型的权重，并且在文件写完之前不让任何 rank 返回。
    raise NotImplementedError("kata distributed.save_checkpoint is not solved yet")


def run_distributed(
    data_root: str | Path,
    epochs: int,
    device: str | torch.device = "cpu",
    batch_size: int = 64,
    lr: float = 1e-2,
    log_dir: str | Path | None = None,
    checkpoint: str | Path | None = None,
) -> list[float]:
    """Train modules.CifarNet on CIFAR10 with every rank of the process group; return the global test accuracies.

    Needs an initialized process group (setup_process_group); this rank's number and the world size come
    from torch.distributed.get_rank() and get_world_size(), ``device`` is this rank's device. Load both
    splits with torchvision's CIFAR10 and ToTensor, without downloading (a missing dataset raises
    torchvision's RuntimeError). The training split goes through shard_loader, in batches of ``batch_size``;
    the test split is divided between the ranks without repeats - say the rank takes the images rank,
    rank + world_size, rank + 2 * world_size, ... (a Subset), in batches of any size - so that every test
    image is counted exactly once, which DistributedSampler's padding would not guarantee.

    A CifarNet goes through wrap_model (SGD at ``lr``); the loss is CrossEntropyLoss. For each epoch e = 0,
    1, ..., epochs - 1: train_epoch(..., epoch=e) on the training shard, then global_accuracy on this rank's
    test images (the unwrapped ``.module`` will do: evaluation has no gradients to average). Return the
    accuracies, one Python float per epoch, the same list on every rank. Side effects happen once: with
    ``log_dir``, rank 0 alone creates a SummaryWriter writing to ``log_dir``, logs each epoch's accuracy as
    'test/accuracy' (global step = epoch number, from 1) and closes it before returning; other ranks create
    no writer. With ``checkpoint``, every rank calls save_checkpoint(wrapped model, checkpoint) after each
    epoch (it writes on rank 0 only).

    【中文】
    用进程组中的所有 rank 在 CIFAR10 上训练 modules.CifarNet；返回全局测试准确率。

    需要已初始化的进程组（setup_process_group）；本 rank 的编号和总进程数来自 torch.distributed.get_rank() 和
    get_world_size()，``device`` 是本 rank 的设备。用 torchvision 的 CIFAR10 和 ToTensor 加载两个划分，不下载
    （数据集缺失时会抛出 torchvision 的 RuntimeError）。训练集交给 shard_loader，批大小为 ``batch_size``；
    测试集在各 rank 间无重复地划分——比如本 rank 取第 rank、rank + world_size、rank + 2 * world_size……
    张图像（用 Subset），批大小任意——这样每张测试图像恰好被统计一次，而 DistributedSampler 的填充
    （padding）做不到这一点。

    CifarNet 经过 wrap_model（SGD，学习率 ``lr``）；损失函数用 CrossEntropyLoss。对每一轮 e = 0, 1, ...,
    epochs - 1：先在训练分片上执行 train_epoch(..., epoch=e)，再在本 rank 的测试图像上计算 global_accuracy
    （用未包装的 ``.module`` 即可：评估时没有需要平均的梯度）。返回各轮的准确率，每轮一个 Python 浮点数，
    每个 rank 上是同一个列表。副作用只发生一次：给了 ``log_dir`` 时，只有 rank 0 创建一个写入
    ``log_dir`` 的 SummaryWriter，把每轮的准确率记为 'test/accuracy'（全局步数 = 轮次编号，从 1 开始），
    并在返回前关闭它；其他 rank 不创建 SummaryWriter。给了 ``checkpoint`` 时，每个 rank 在每轮之后都调用
    save_checkpoint(包装后的模型, checkpoint)（它只在 rank 0 上写文件）。
    """
    # TODO: load the data, shard it, train and evaluate each epoch with the katas above; log on rank 0 only; return the accuracies.
    # 待办：加载数据并分片，每轮用上面的练习训练和评估；只在 rank 0 上写日志；返回各轮准确率。
    raise NotImplementedError("kata distributed.run_distributed is not solved yet")


def main(argv: list[str] | None = None) -> int:
    """Command line, for torchrun: ``torchrun --nproc_per_node=N -m <package>.distributed --data DIR [--epochs N]
    [--batch-size N] [--lr LR] [--log-dir DIR] [--checkpoint FILE]``.

    Defaults: 10 epochs, batch size 64, lr 0.01, no log, no checkpoint. Usage errors (argparse's: a
    message on stderr, exit status 2, nothing joined or trained): a missing --data, --epochs or --batch-size
    below 1, --lr not above 0, and - checked after the options - a run without torchrun's environment (any
    of RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT missing), whose message names the missing
    variables and says to launch with torchrun. Otherwise: call this module's setup_process_group, then
    run_distributed with the options on the device it returned, then teardown_process_group - also when
    run_distributed raises. Rank 0 alone prints one line per epoch on stdout, starting ``epoch N: test
    accuracy A`` (N from 1, A as a fraction, e.g. 0.8125); every rank returns 0. A missing dataset
    (run_distributed's RuntimeError): every rank returns 1, and rank 0 alone reports it on stderr in one
    line that names the --data folder and says to fetch CIFAR10 into it first and pass it with --data -
    not torchvision's advice to use download=True, an option this program does not have.

    【中文】
    命令行，供 torchrun 使用：``torchrun --nproc_per_node=N -m <package>.distributed --data DIR [--epochs N]
    [--batch-size N] [--lr LR] [--log-dir DIR] [--checkpoint FILE]``。

    默认值：10 轮、批大小 64、学习率 0.01、不写日志、不保存检查点。以下都是用法错误（argparse 的方式：
    在 stderr 上给出消息，退出状态为 2，不加入进程组也不训练）：缺少 --data，--epochs 或 --batch-size
    小于 1，--lr 不大于 0，以及——在检查完选项之后——没有 torchrun 的环境就运行（RANK、WORLD_SIZE、
    LOCAL_RANK、MASTER_ADDR、MASTER_PORT 中任何一个缺失），这时消息要指出缺少的变量，并说明应当用
    torchrun 启动。否则：调用本模块的 setup_process_group，再以这些选项、在它返回的设备上调用
    run_distributed，最后调用 teardown_process_group——run_distributed 抛出异常时也要调用。只有 rank 0
    在 stdout 上每轮打印一行，以 ``epoch N: test accuracy A`` 开头（N 从 1 开始，A 为小数形式，例如
    0.8125）；每个 rank 都返回 0。数据集缺失时（run_distributed 抛出 RuntimeError）：每个 rank 都返回 1，
    只有 rank 0 在 stderr 上用一行报告它：指出 --data 给的文件夹，并说明要先把 CIFAR10 下载到那里、再用
    --data 传入——而不是 torchvision 那句“使用 download=True”的建议，本程序没有这个选项。
    """
    # TODO: check the options and torchrun's environment, then set up, run and always tear down; only rank 0 prints.
    # 待办：检查选项和 torchrun 的环境，然后建立进程组、运行，并且无论如何都要销毁进程组；只有 rank 0 打印。
    raise NotImplementedError("kata distributed.main is not solved yet")


if __name__ == "__main__":
    sys.exit(main())
