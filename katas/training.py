"""Kata 14: the whole training and testing loop on CIFAR10, on CPU or GPU, logged to TensorBoard.

From the note's sections 训练, 测试 and GPU training. The pieces:
- one epoch of training: model.train(), then per batch: move to the device, zero_grad, forward, loss,
  backward, step;
- evaluation: model.eval() and torch.no_grad(), accuracy (argmax over the class dimension) and mean loss;
- the pipeline: CIFAR10 through torchvision with ToTensor, the note's network (modules.CifarNet), SGD,
  CrossEntropyLoss, a TensorBoard log and, in a terminal, a progress bar;
- ``python -m <package>.training --help``: the same from the command line.

【中文】
练习 14：在 CIFAR10 上完整的训练与测试循环，可在 CPU 或 GPU 上运行，并记录到 TensorBoard。

对应笔记的“训练”“测试”和“GPU训练”几节。组成部分：
- 训练一轮：model.train()，然后对每一批：移到设备上、zero_grad、前向传播、计算损失、反向传播、
  更新一步；
- 评估：model.eval() 与 torch.no_grad()，计算准确率（在类别维度上取 argmax）和平均损失；
- 完整流程：用 torchvision 加载 CIFAR10 并配合 ToTensor，笔记中的网络（modules.CifarNet）、SGD、
  CrossEntropyLoss、TensorBoard 日志，以及在终端里显示的进度条；
- ``python -m <package>.training --help``：在命令行中完成同样的流程。
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import torch
from torch import nn

from .modules import CifarNet


def move_batch(images: torch.Tensor, labels: torch.Tensor, device: torch.device | str) -> tuple[torch.Tensor, torch.Tensor]:
    """Move one batch - the images *and* the labels - to ``device``; return both.

    【中文】
    把一批数据——图像*和*标签——移到 ``device`` 上，并返回两者。
    """
    # TODO: return the images and the labels, both now living on the given device.
    # 待办：返回图像和标签，二者都要位于给定的设备上。
    raise NotImplementedError("kata training.move_batch is not solved yet")


def train_one_epoch(model: nn.Module, batches: Iterable, loss_fn: nn.Module, optimizer: torch.optim.Optimizer, device) -> list[float]:
    """Train ``model`` (already on ``device``) for one pass over ``batches`` of (images, labels).

    Put the model in training mode; for every batch move it to the device, clear the gradients (before
    the backward: the model may arrive with stale ones), compute the loss, backpropagate and step.
    Return the loss of every step as a list of Python floats (not tensors).

    【中文】
    在 ``batches``（由 (images, labels) 组成）上把 ``model``（已在 ``device`` 上）训练一遍。

    把模型切换到训练模式；对每一批：移到设备上，清除梯度（要在 backward 之前：传进来的模型可能带着
    旧梯度），计算损失，反向传播，再更新一步。以 Python float 列表（不是张量）返回每一步的损失。
    """
    # TODO: one pass in training mode where every batch makes exactly one clean update; return each step's loss as a float.
    # 待办：在训练模式下遍历一遍，每一批恰好做一次干净的更新；以 float 返回每一步的损失。
    raise NotImplementedError("kata training.train_one_epoch is not solved yet")


def evaluate(model: nn.Module, batches: Iterable, loss_fn: nn.Module, device) -> tuple[float, float]:
    """Return (accuracy, mean loss) of ``model`` over ``batches`` as two Python floats, without training it.

    Evaluation mode (Dropout off, BatchNorm on its running statistics) and torch.no_grad() (no graph is
    built; torch.inference_mode() does as well). The prediction is the argmax over the class dimension
    (dim 1). Both numbers are averages over samples, not over batches: a last, smaller batch weighs less.

    【中文】
    以两个 Python float 返回 ``model`` 在 ``batches`` 上的 (准确率, 平均损失)，过程中不训练模型。

    使用评估模式（Dropout 关闭，BatchNorm 使用其运行统计量）和 torch.no_grad()（不构建计算图；
    torch.inference_mode() 也可以）。预测结果是在类别维度（dim 1）上取的 argmax。两个数都按样本平均，
    而不是按批平均：最后一批若较小，所占的权重也较小。
    """
    # TODO: score the model in its inference behaviour, recording no graph; average accuracy and loss over samples, not batches.
    # 待办：让模型以推理时的行为打分，不记录计算图；准确率和损失按样本平均，而不是按批平均。
    raise NotImplementedError("kata training.evaluate is not solved yet")


def run_training(
    data_root: str | Path,
    epochs: int,
    device: str | torch.device = "cpu",
    log_dir: str | Path | None = None,
    batch_size: int = 64,
    lr: float = 1e-2,
    download: bool = False,
    progress: bool | None = None,
    on_epoch: Callable[[int, float], None] | None = None,
) -> list[float]:
    """Train modules.CifarNet on CIFAR10 under ``data_root`` and return the test accuracy after each epoch.

    Load the training split (train=True) and the test split (train=False) with torchvision's CIFAR10
    and ToTensor (downloading only when ``download`` is True) and batch both with DataLoaders: the
    training set shuffled, in batches of ``batch_size`` (the test set in batches of any size). On
    ``device``, with one SGD optimizer over the model's parameters at learning rate ``lr`` and
    CrossEntropyLoss, each epoch trains on every training batch once, then evaluates on the test
    split. Return the test accuracies, one Python float per epoch.
    When ``log_dir`` is given, log through one SummaryWriter writing to ``log_dir``, closed before
    returning: the training loss of every step as 'train/loss' (global step = the number of steps taken
    before it: 0, 1, 2, ..., counting on across epochs) and the test accuracy of every epoch as
    'test/accuracy' (global step = epoch, from 1); without ``log_dir``, create no writer. Show a tqdm
    progress bar over each epoch's training batches on stderr when ``progress`` is True, or when it is
    None and stderr is a terminal. When ``on_epoch`` is given, call ``on_epoch(epoch, accuracy)`` (epoch
    from 1, the accuracy it returns for that epoch) once per epoch, right after that epoch's evaluation
    and before the next epoch trains.

    【中文】
    在 ``data_root`` 下的 CIFAR10 上训练 modules.CifarNet，返回每轮结束后的测试准确率。

    用 torchvision 的 CIFAR10 和 ToTensor 加载训练集（train=True）和测试集（train=False）（仅当
    ``download`` 为 True 时才下载），两者都用 DataLoader 分批：训练集要打乱，批大小为 ``batch_size``
    （测试集的批大小不限）。在 ``device`` 上，用一个作用于模型参数、学习率为 ``lr`` 的 SGD 优化器和
    CrossEntropyLoss：每轮把每个训练批各训练一次，然后在测试集上评估。返回各轮的测试准确率，每轮一个
    Python float。
    给出 ``log_dir`` 时，通过一个写入 ``log_dir`` 的 SummaryWriter 记录日志，并在返回前关闭它：每一步
    的训练损失记为 'train/loss'（global step = 此前已完成的步数：0, 1, 2, ...，跨轮连续计数），每轮的
    测试准确率记为 'test/accuracy'（global step = 轮次，从 1 开始）；没有 ``log_dir`` 时不创建任何
    writer。当 ``progress`` 为 True，或者为 None 且 stderr 是终端时，在 stderr 上为每轮的训练批显示
    tqdm 进度条。给出 ``on_epoch`` 时，每轮调用一次 ``on_epoch(epoch, accuracy)``（epoch 从 1 开始，
    accuracy 是该轮要返回的准确率），时机是该轮评估刚结束、下一轮开始训练之前。
    """
    # TODO: train CifarNet on CIFAR10 for `epochs` epochs, evaluating (and, with a log_dir, logging) each one; return the accuracies.
    # 待办：在 CIFAR10 上训练 CifarNet `epochs` 轮，每轮都评估（有 log_dir 时还记录日志）；返回各轮准确率。
    raise NotImplementedError("kata training.run_training is not solved yet")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m <package>.training --data DIR [--epochs N] [--batch-size N] [--lr LR]
    [--device D] [--log-dir DIR] [--download]``.

    Calls run_training with these options (defaults: 10 epochs, batch size 64, lr 0.01, no log, no
    download), prints one line per epoch on stdout, starting ``epoch N: test accuracy A`` (N from 1, A
    the accuracy as a fraction, e.g. 0.8125), and returns 0. Each line is written and flushed as soon as
    its epoch has been evaluated, before the next epoch starts: a user watching a long run (or a pipe, or
    a log file) sees every epoch as it ends, not all of them at the end. --device defaults to cuda when
    torch.cuda.is_available() says so as main runs, else cpu. Bad arguments are usage errors (argparse's:
    a message on stderr, exit status 2, and no training): a missing --data, --epochs or --batch-size
    below 1, --lr not above 0, a --device torch cannot parse, and cuda on a machine without CUDA (say
    so in the message). A missing dataset (without --download) is reported on stderr with torchvision's
    reason, and main returns 1.

    【中文】
    命令行：``python -m <package>.training --data DIR [--epochs N] [--batch-size N] [--lr LR]
    [--device D] [--log-dir DIR] [--download]``。

    用这些选项调用 run_training（默认值：10 轮、批大小 64、lr 0.01、不记录日志、不下载），每轮在
    stdout 上打印一行，以 ``epoch N: test accuracy A`` 开头（N 从 1 开始，A 是用小数表示的准确率，例如
    0.8125），然后返回 0。每一行都要在该轮评估完成后立即写出并刷新（flush），在下一轮开始之前：
    观察长时间运行的用户（或管道、日志文件）在每轮结束时就能看到这一轮，而不是到最后才一起看到。
    --device 的默认值：main 运行时若 torch.cuda.is_available() 为真，则为 cuda，否则为 cpu。
    错误的参数属于用法错误（按 argparse 的方式处理：在 stderr 上输出信息，退出状态码为 2，
    且不进行训练）：缺少 --data、--epochs 或 --batch-size 小于 1、--lr 不大于 0、torch 无法解析的
    --device，以及在没有 CUDA 的机器上指定 cuda（要在信息中说明这一点）。数据集缺失（且未指定
    --download）时，在 stderr 上报告 torchvision 给出的原因，main 返回 1。
    """
    # TODO: turn the options into one run_training call, refusing bad values as usage errors; report one line per epoch.
    # 待办：把选项转换成一次 run_training 调用，把错误的取值当作用法错误拒绝；每轮报告一行。
    raise NotImplementedError("kata training.main is not solved yet")


if __name__ == "__main__":
    sys.exit(main())
