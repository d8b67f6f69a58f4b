"""Kata 16 (beyond the note): data-parallel training on several processes - torch.distributed, DDP and torchrun.

The note ends with training on one GPU. Data-parallel training runs one copy of the same program per
device; each copy is a *rank*. The launcher, torchrun, starts them and tells each one, in environment
variables, who it is and where to meet the others. The ranks train identical copies of one model on
different parts of the data, keep the copies identical by averaging gradients, add up what they count,
and leave the side effects (printing, logging, saving) to one rank.
One machine, four GPUs: ``torchrun --nproc_per_node=4 -m <package>.distributed --data DIR``. Two
machines: the same command on both, with ``--nnodes=2 --rdzv-backend=c10d --rdzv-id=JOB
--rdzv-endpoint=HOST:PORT`` naming the first machine. On a CPU, ``--nproc_per_node=2`` runs two ranks
over gloo.

【中文】
练习 16（笔记之外）：多进程数据并行训练——torch.distributed、DDP 与 torchrun。

笔记止步于单卡训练。数据并行训练为每个设备运行同一个程序的一份副本，每份副本称为一个 *rank*（进程编号）。
启动器 torchrun 负责启动它们，并通过环境变量告诉每个进程：它是谁、到哪里与其他进程会合。各 rank 在数据的
不同部分上训练同一个模型的相同副本，通过对梯度取平均让各副本保持一致，把各自统计的结果加在一起，并把有
副作用的事情（打印、写日志、保存）交给一个 rank。
一台机器、四块 GPU：``torchrun --nproc_per_node=4 -m <package>.distributed --data DIR``。两台机器：在两台上
运行同一条命令，都加上 ``--nnodes=2 --rdzv-backend=c10d --rdzv-id=JOB --rdzv-endpoint=HOST:PORT``，
其中 HOST:PORT 指向第一台机器。在 CPU 上，``--nproc_per_node=2`` 会通过 gloo 运行两个 rank。
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
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
    MASTER_ADDR and MASTER_PORT (where the processes meet).

    Rules the tests check:
    - when any of the five is missing or empty: RuntimeError, raised before anything is joined, whose
      message names the missing variables and says to launch with torchrun;
    - otherwise the process joins the default group with torch.distributed.init_process_group, called once,
      as rank RANK of WORLD_SIZE: backend nccl when CUDA is available, gloo when it is not. Two processes
      started with these variables end up in one group;
    - the result: rank and world size as ints, and the device as a torch.device - the cpu without CUDA;
      with CUDA, the GPU numbered LOCAL_RANK on this machine (rank 3 of 4, the second process of the second
      machine, drives cuda:1, not cuda:3), made the current device with torch.cuda.set_device before joining.
    The lesson: the launcher, not the program, decides who is who; each process reads it and joins.

    【中文】
    加入 torchrun 通过环境变量描述的进程组；返回 (rank, world_size, device)。

    torchrun 为它启动的每个进程设置：RANK（本进程的编号，从 0 到 WORLD_SIZE - 1，跨所有机器计数）、
    WORLD_SIZE（进程总数）、LOCAL_RANK（本进程在这台机器上的编号）、MASTER_ADDR 和 MASTER_PORT（各进程会合
    的地址和端口）。

    测试检查的规则：
    - 这五个变量中只要有一个缺失或为空：在加入任何进程组之前抛出 RuntimeError，消息中指出缺少的变量，并
      说明应当用 torchrun 启动；
    - 否则用 torch.distributed.init_process_group 加入默认进程组，只调用一次，身份是 WORLD_SIZE 个进程中的
      第 RANK 个：CUDA 可用时后端为 nccl，不可用时为 gloo。用这些变量启动的两个进程最终位于同一个进程组中；
    - 返回值：rank 和 world_size 为 int，设备为 torch.device——没有 CUDA 时是 cpu；有 CUDA 时是本机上编号为
      LOCAL_RANK 的 GPU（4 个进程中的 rank 3，即第二台机器上的第二个进程，使用 cuda:1 而不是 cuda:3），并在
      加入之前用 torch.cuda.set_device 把它设为当前设备。
    要学的是：谁是谁由启动器决定，而不是程序本身；每个进程读取这些信息，然后加入进程组。
    """
    # TODO: refuse clearly without torchrun's five variables, then join the group with the backend and device this machine calls for; return (rank, world_size, device).
    # 待办：没有 torchrun 的五个环境变量时明确拒绝；否则按本机条件选择后端和设备加入进程组，返回 (rank, world_size, device)。
    raise NotImplementedError("kata distributed.setup_process_group is not solved yet")


def teardown_process_group() -> None:
    """Leave the process group: afterwards no default group is initialized, so a new one can be set up.

    When no group is initialized (after a setup that failed, or on a second call) it does nothing and
    raises nothing.
    The lesson: a group holds connections to the other processes; close them once, and only if they exist.

    【中文】
    离开进程组：之后不再有已初始化的默认进程组，于是可以重新建立新的进程组。

    当前没有已初始化的进程组时（setup 失败之后，或第二次调用时），什么也不做，也不抛出异常。
    要学的是：进程组持有与其他进程的连接；关闭它们一次，而且只在它们存在时关闭。
    """
    # TODO: leave the process group if there is one; do nothing otherwise.
    # 待办：如果存在进程组就离开它，否则什么也不做。
    raise NotImplementedError("kata distributed.teardown_process_group is not solved yet")


def shard_loader(dataset: Dataset, batch_size: int, rank: int, world_size: int, seed: int = 0) -> DataLoader:
    """A DataLoader over the shard of ``dataset`` that belongs to ``rank`` of ``world_size`` ranks, in
    batches of ``batch_size`` (a last, smaller batch is kept).

    Rules the tests check:
    - ``loader.sampler`` is a DistributedSampler for ``world_size`` ranks and this ``rank``, shuffled with
      ``seed``; the batches hold exactly the indices that sampler gives, in its order. Calling
      ``loader.sampler.set_epoch(e)`` gives the order of epoch e, a new one;
    - the shards of all ranks (same dataset, same seed) are disjoint and together hold every sample;
    - uneven sizes: every rank gets ceil(len(dataset) / world_size) samples (10 samples on 4 ranks: 3 each),
      the shards padded with repeated samples, so that every rank takes the same number of steps.
    The lesson: every rank runs the same code; only the part of the data it reads differs. DDP needs equal
    step counts: a rank with one step more would wait forever for the others at its gradient exchange.

    【中文】
    在 ``dataset`` 中属于 ``world_size`` 个 rank 里第 ``rank`` 个的那一份分片上建一个数据加载器（DataLoader），
    批大小为 ``batch_size``（保留最后一个较小的批）。

    测试检查的规则：
    - ``loader.sampler`` 是一个对应 ``world_size`` 个 rank 和本 ``rank`` 的 DistributedSampler，用 ``seed``
      打乱顺序；各批包含的正是该采样器给出的下标，顺序也相同。调用 ``loader.sampler.set_epoch(e)`` 得到第
      e 轮的顺序，是一种新的顺序；
    - 所有 rank 的分片（同一个数据集、同一个种子）互不相交，合起来包含每一个样本；
    - 大小不均时：每个 rank 得到 ceil(len(dataset) / world_size) 个样本（10 个样本分给 4 个 rank：每个 3 个），
      分片用重复的样本填充（padding），这样每个 rank 走的步数相同。
    要学的是：每个 rank 运行同样的代码，不同的只是它读取的那部分数据。DDP 要求步数相同：多走一步的 rank
    会在交换梯度时永远等待其他 rank。
    """
    # TODO: build a loader that reads only this rank's shard, in an order all ranks agree on.
    # 待办：建一个只读取本 rank 分片的加载器，其顺序由所有 rank 共同约定。
    raise NotImplementedError("kata distributed.shard_loader is not solved yet")


def wrap_model(model: nn.Module, device: torch.device | str, lr: float) -> tuple[DistributedDataParallel, torch.optim.SGD]:
    """Put ``model`` on ``device``, wrap it in DistributedDataParallel, and give it an SGD optimizer at ``lr``;
    return (wrapped model, optimizer). Needs an initialized process group.

    Rules the tests check:
    - the wrapped model is a DistributedDataParallel whose ``module`` is ``model`` itself; on the cpu it has
      no device_ids (on a GPU, device_ids is the rank's one GPU);
    - the optimizer is a torch.optim.SGD with learning rate ``lr`` over exactly the wrapped model's
      parameters;
    - the order: the model is moved before it is wrapped, and the optimizer is created after the wrapping.
    The lesson: DDP registers the parameters where they are when it is built, and broadcasts rank 0's
    weights so that every copy starts equal; torch.optim's documentation asks for a model to be moved
    before its optimizer is constructed.

    【中文】
    把 ``model`` 放到 ``device`` 上，用 DistributedDataParallel 包装它，再为它配一个学习率为 ``lr`` 的 SGD
    优化器；返回 (包装后的模型, 优化器)。需要已初始化的进程组。

    测试检查的规则：
    - 包装后的模型是 DistributedDataParallel，它的 ``module`` 就是 ``model`` 本身；在 cpu 上没有 device_ids
      （在 GPU 上，device_ids 是本 rank 的那一块 GPU）；
    - 优化器是 torch.optim.SGD，学习率为 ``lr``，所管理的恰好是包装后模型的参数；
    - 顺序：先移动模型，再包装，包装之后才创建优化器。
    要学的是：DDP 在构建时按参数当时所在的位置登记它们，并广播 rank 0 的权重，让各副本从相同的起点出发；
    torch.optim 的文档要求先移动模型，再构建它的优化器。
    """
    # TODO: put the model on its device, let DDP keep the copies in step, then give it an SGD optimizer; return both.
    # 待办：把模型放到它的设备上，让 DDP 保持各副本同步，再为它配一个 SGD 优化器；两者都返回。
    raise NotImplementedError("kata distributed.wrap_model is not solved yet")


def train_epoch(model: nn.Module, loader: DataLoader, loss_fn: nn.Module, optimizer: torch.optim.Optimizer, device, epoch: int) -> list[float]:
    """Train the DDP-wrapped ``model`` for epoch ``epoch`` on this rank's ``loader``; return this rank's step losses.

    ``loader`` is a shard loader (its ``sampler`` a DistributedSampler); ``epoch`` counts from 0.

    Rules the tests check:
    - the samples come in the order ``loader.sampler`` gives for epoch ``epoch``, a new order every epoch
      (a DistributedSampler learns the epoch only when told, through its set_epoch);
    - training mode; every batch (images and labels) is moved to ``device`` before use;
    - one optimizer step per batch, with the gradients of that batch only (gradients left over from before
      are not applied);
    - the returned list holds one Python float per step: the loss of this rank's batch;
    - on two ranks, the copies end the epoch identical, equal to one process that took, at each step, the
      mean of the two ranks' gradients: forward and backward go through the wrapped model.
    The lesson: the single-GPU loop is unchanged; DDP averages the gradients inside backward().

    【中文】
    在本 rank 的 ``loader`` 上，把经 DDP 包装的 ``model`` 训练第 ``epoch`` 轮；返回本 rank 每一步的损失。

    ``loader`` 是分片加载器（它的 ``sampler`` 是 DistributedSampler）；``epoch`` 从 0 开始计数。

    测试检查的规则：
    - 样本的顺序是 ``loader.sampler`` 在第 ``epoch`` 轮给出的顺序，每轮都是新的顺序（DistributedSampler
      只有通过它的 set_epoch 被告知时才知道是第几轮）；
    - 训练模式；每一批（图像和标签）在使用之前都移到 ``device`` 上；
    - 每批更新一步，只用这一批的梯度（之前残留的梯度不能被用上）；
    - 返回的列表中每一步一个 Python float：本 rank 那一批的损失；
    - 在两个 rank 上，一轮结束时各副本完全相同，等于一个在每一步都采用两个 rank 梯度平均值的单进程训练：
      前向传播和反向传播都要经过包装后的模型。
    要学的是：单卡训练循环保持不变；DDP 在 backward() 内部对梯度取平均。
    """
    # TODO: tell the sampler which epoch this is, then run the usual training loop; return each step's loss as a float.
    # 待办：告诉采样器这是第几轮，然后执行常规的训练循环；以浮点数返回每一步的损失。
    raise NotImplementedError("kata distributed.train_epoch is not solved yet")


def global_accuracy(model: nn.Module, loader, device) -> float:
    """The accuracy of ``model`` over a test set split between the ranks: the same Python float on every rank.

    ``loader`` yields (images, labels) batches of this rank's part; ``device`` is this rank's device. Needs an
    initialized process group.

    Rules the tests check:
    - the result is (correct predictions) / (samples), both counted over every rank's part - not rank 0's
      part alone, and not the mean of the ranks' accuracies (the parts may differ in size: 3 of 7 and 4 of 5
      make 7 of 12);
    - a prediction is the class with the highest score over dim 1;
    - evaluation mode, no autograd;
    - the counts cross between ranks as tensors on ``device`` (nccl exchanges only GPU tensors).
    The lesson: a sum over ranks is one collective operation; every rank takes part and gets the total.

    【中文】
    ``model`` 在分散于各 rank 的测试集上的准确率：每个 rank 上返回同一个 Python float。

    ``loader`` 给出本 rank 那部分数据的 (images, labels) 批；``device`` 是本 rank 的设备。需要已初始化的
    进程组。

    测试检查的规则：
    - 结果是（预测正确的数量）/（样本数），两者都在所有 rank 的数据上统计——不是只看 rank 0 那一部分，也
      不是各 rank 准确率的平均值（各部分大小可能不同：7 个中对 3 个、5 个中对 4 个，合起来是 12 个中对 7 个）；
    - 预测是在 dim 1 上得分最高的类别；
    - 评估模式，不使用 autograd；
    - 计数以 ``device`` 上的张量的形式在 rank 之间传递（nccl 只交换 GPU 上的张量）。
    要学的是：跨 rank 求和是一次集合通信操作；每个 rank 都参与，每个 rank 都拿到总数。
    """
    # TODO: count this rank's correct predictions and samples, add the counts up over all ranks, return the fraction.
    # 待办：统计本 rank 预测正确的数量和样本数，在所有 rank 间把计数相加，返回比例。
    raise NotImplementedError("kata distributed.global_accuracy is not solved yet")


def save_checkpoint(model: DistributedDataParallel, path: str | Path) -> None:
    """Save the weights of the DDP-wrapped ``model`` to ``path``, written by rank 0 only; return once the file
    is complete. Needs an initialized process group.

    Rules the tests check:
    - rank 0 (torch.distributed.get_rank() == 0) writes ``path`` once with torch.save; no other rank writes;
    - the file holds the state_dict of the plain model inside the wrapper: its keys have no ``module.``
      prefix, and it loads (weights_only=True) into an unwrapped model of the same class;
    - on no rank does save_checkpoint return before rank 0 has finished writing the file, so any rank may
      read it right after the call.
    The lesson: the copies are identical, so one writer is enough, and two writers would corrupt the file;
    the others must wait for it.

    Checked only where a GPU is usable: one rank on CUDA over nccl sets up, wraps (device_ids the rank's GPU),
    trains an epoch, counts an accuracy with tensors on the GPU, saves a file that loads on the cpu, and
    tears the group down.

    【中文】
    把经 DDP 包装的 ``model`` 的权重保存到 ``path``，只由 rank 0 写；等文件完整写好后才返回。需要已初始化的
    进程组。

    测试检查的规则：
    - rank 0（torch.distributed.get_rank() == 0）用 torch.save 把 ``path`` 写一次；其他 rank 都不写；
    - 文件中保存的是包装器内部那个普通模型的状态字典（state_dict）：键没有 ``module.`` 前缀，可以
      （weights_only=True）加载进同一个类的未包装模型；
    - 在任何 rank 上，save_checkpoint 都不会在 rank 0 写完文件之前返回，所以调用之后任何 rank 都可以立即读取它。
    要学的是：各副本完全相同，一个写入者就够了，两个写入者会把文件写坏；其他 rank 必须等它写完。

    只在有可用 GPU 的机器上检查：在 CUDA 上通过 nccl 运行一个 rank：建立进程组、包装模型（device_ids 为本
    rank 的 GPU）、训练一轮、用 GPU 上的张量统计准确率、保存一个能在 cpu 上加载的文件，最后销毁进程组。
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
    on_epoch: Callable[[int, float], None] | None = None,
) -> list[float]:
    """Train modules.CifarNet on CIFAR10 under ``data_root`` with every rank of the process group; return the
    test accuracy over the whole test split after each epoch.

    Needs an initialized process group; ``device`` is this rank's device.

    Rules the tests check (on two ranks, 20 training and 15 test images):
    - both splits are read with torchvision's CIFAR10 and ToTensor, never downloaded: without the data,
      torchvision's RuntimeError comes out;
    - training: each rank trains on its shard from this module's shard_loader, 10 of the 20 images per
      epoch in batches of ``batch_size``, with one SGD at ``lr`` from wrap_model and CrossEntropyLoss; the
      samplers are told the epochs 0, 1, ...;
    - evaluation: after each epoch, every test image is evaluated exactly once over all ranks (15 of 15, no
      padding), and the accuracy is the whole test split's (global_accuracy);
    - the result: one Python float per epoch, the same list on every rank;
    - with ``log_dir``: rank 0 alone creates one SummaryWriter writing to ``log_dir``, logs each epoch's
      accuracy as 'test/accuracy' at global steps 1, 2, ... (the returned values), and closes it before
      returning; the other ranks create no writer;
    - with ``checkpoint``: after each epoch the weights are saved there through save_checkpoint (written on
      rank 0 only);
    - with ``on_epoch``: ``on_epoch(epoch, accuracy)`` is called once per epoch (epoch from 1, the accuracy
      returned for it), after that epoch's evaluation and before the next epoch trains.
    The lesson: the earlier katas assembled; training data may be padded, counted data may not.

    【中文】
    用进程组中的所有 rank，在 ``data_root`` 下的 CIFAR10 上训练 modules.CifarNet；返回每轮结束后在整个测试集
    上的准确率。

    需要已初始化的进程组；``device`` 是本 rank 的设备。

    测试检查的规则（两个 rank，20 张训练图像、15 张测试图像）：
    - 两个划分都用 torchvision 的 CIFAR10 和 ToTensor 读取，从不下载：没有数据时抛出 torchvision 的
      RuntimeError；
    - 训练：每个 rank 在本模块 shard_loader 给出的分片上训练，每轮 20 张中的 10 张，批大小为
      ``batch_size``，使用 wrap_model 给出的、学习率为 ``lr`` 的 SGD 和 CrossEntropyLoss；采样器被告知的
      轮次依次为 0, 1, ...；
    - 评估：每轮之后，所有 rank 合起来把每张测试图像恰好评估一次（15 张中的 15 张，不做填充），准确率是整个
      测试集上的（global_accuracy）；
    - 返回值：每轮一个 Python float，每个 rank 上是同一个列表；
    - 给出 ``log_dir`` 时：只有 rank 0 创建一个写入 ``log_dir`` 的 SummaryWriter，把每轮的准确率记为
      'test/accuracy'，global step 依次为 1, 2, ...（值即返回的准确率），并在返回前关闭它；其他 rank 不创建
      writer；
    - 给出 ``checkpoint`` 时：每轮之后通过 save_checkpoint 把权重保存到那里（只由 rank 0 写）；
    - 给出 ``on_epoch`` 时：每轮调用一次 ``on_epoch(epoch, accuracy)``（epoch 从 1 开始，accuracy 是该轮要
      返回的准确率），时机是该轮评估之后、下一轮开始训练之前。
    要学的是：把前面的练习组装起来；训练数据可以填充，要计数的数据不可以。
    """
    # TODO: load the data, shard it, train and evaluate each epoch with the katas above; log on rank 0 only; report each epoch as it ends; return the accuracies.
    # 待办：加载数据并分片，每轮用上面的练习训练和评估；只在 rank 0 上写日志；每轮结束时就报告这一轮；返回各轮准确率。
    raise NotImplementedError("kata distributed.run_distributed is not solved yet")


def main(argv: list[str] | None = None) -> int:
    """Command line, for torchrun: ``torchrun --nproc_per_node=N -m <package>.distributed --data DIR [--epochs N]
    [--batch-size N] [--lr LR] [--log-dir DIR] [--checkpoint FILE]``; returns the exit status.

    Defaults: 10 epochs, batch size 64, lr 0.01, no log, no checkpoint; --help lists every option.

    Rules the tests check:
    - usage errors, argparse's way (a message on stderr, exit status 2, nothing joined or run): a missing
      --data, --epochs or --batch-size below 1, --lr not above 0, and - checked after the options - a start
      without torchrun's environment (any of RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT
      missing), whose message names the missing variables and torchrun;
    - otherwise it calls this module's setup_process_group, then run_distributed with the options on the
      device setup returned, then teardown_process_group - also when run_distributed raises;
    - rank 0 of the whole run (RANK 0, not every machine's LOCAL_RANK 0) alone prints one line per epoch on
      stdout, starting ``epoch N: test accuracy A`` (N from 1, A as a fraction, e.g. 0.8125). Each line is
      written and flushed as soon as its epoch has been evaluated, before the next epoch starts, even when
      stdout is a pipe or a file. Every rank returns 0;
    - a missing dataset (run_distributed's RuntimeError): every rank returns 1, and rank 0 alone writes one
      line on stderr that names the --data folder and says to fetch CIFAR10 into it and give it with --data -
      not torchvision's advice to use download=True, an option this program does not have;
    - ``python -m <package>.distributed`` runs main and exits with its status: under torchrun with two
      ranks it prints each epoch once, writes one TensorBoard event file and the checkpoint, and nothing
      else.
    The lesson: the same program runs once per rank; only one of them talks to the user.

    Checked only where a GPU is usable: under torchrun on the GPUs (nccl), the run prints both epochs' lines
    and the checkpoint loads into a plain CifarNet.

    【中文】
    命令行，供 torchrun 使用：``torchrun --nproc_per_node=N -m <package>.distributed --data DIR [--epochs N]
    [--batch-size N] [--lr LR] [--log-dir DIR] [--checkpoint FILE]``；返回退出状态。

    默认值：10 轮、批大小 64、学习率 0.01、不写日志、不保存检查点；--help 列出所有选项。

    测试检查的规则：
    - 以下都是用法错误，按 argparse 的方式处理（在 stderr 上给出消息，退出状态为 2，不加入进程组也不运行）：
      缺少 --data，--epochs 或 --batch-size 小于 1，--lr 不大于 0，以及——在检查完选项之后——没有 torchrun
      的环境就启动（RANK、WORLD_SIZE、LOCAL_RANK、MASTER_ADDR、MASTER_PORT 中任何一个缺失），这时消息要指出
      缺少的变量并提到 torchrun；
    - 否则依次调用本模块的 setup_process_group、以这些选项在 setup 返回的设备上调用 run_distributed、再调用
      teardown_process_group——run_distributed 抛出异常时也要调用；
    - 只有整个运行中的 rank 0（RANK 为 0，而不是每台机器上 LOCAL_RANK 为 0 的进程）在 stdout 上每轮打印一行，
      以 ``epoch N: test accuracy A`` 开头（N 从 1 开始，A 为小数形式，例如 0.8125）。每一行都要在该轮评估完成
      后立即写出并刷新（flush），在下一轮开始之前，即使 stdout 是管道或文件也是如此。每个 rank 都返回 0；
    - 数据集缺失时（run_distributed 抛出 RuntimeError）：每个 rank 都返回 1，只有 rank 0 在 stderr 上写一行：
      指出 --data 给的文件夹，并说明要先把 CIFAR10 放到那里、再用 --data 传入——而不是 torchvision 那句“使用
      download=True”的建议，本程序没有这个选项；
    - ``python -m <package>.distributed`` 会运行 main 并以它的返回值退出：在 torchrun 下用两个 rank 运行时，
      每轮只打印一次，写出一个 TensorBoard 事件文件和检查点，不写其他任何东西。
    要学的是：同一个程序在每个 rank 上各运行一次；只有其中一个负责和用户说话。

    只在有可用 GPU 的机器上检查：在 torchrun 下用 GPU（nccl）运行时，两轮的输出行都会打印出来，检查点能加载
    进普通的 CifarNet。
    """
    # TODO: check the options and torchrun's environment, then set up, run and always tear down; only rank 0 prints, each epoch as it ends.
    # 待办：检查选项和 torchrun 的环境，然后建立进程组、运行，并且无论如何都要销毁进程组；只有 rank 0 打印，每轮结束时就打印这一轮。
    raise NotImplementedError("kata distributed.main is not solved yet")


if __name__ == "__main__":
    sys.exit(main())
