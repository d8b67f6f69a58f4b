"""Kata 14: the whole training and testing loop on CIFAR10, on CPU or GPU, logged to TensorBoard.

From the note's sections 训练, 测试 and GPU训练. Five pieces, each built on the ones before it: moving a batch to
a device, one epoch of training, an evaluation that changes nothing, the whole CIFAR10 pipeline (data, the note's
network, optimizer, TensorBoard log, progress bar), and ``python -m <package>.training``, the same from the
command line.

【中文】
练习 14：在 CIFAR10 上完整的训练与测试循环，可在 CPU 或 GPU 上运行，并记录到 TensorBoard。

对应笔记的“训练”“测试”和“GPU训练”几节。共五个部分，后面的建立在前面的之上：把一批数据移到设备上、
训练一轮、不改变任何东西的评估、完整的 CIFAR10 流程（数据、笔记中的网络、优化器、TensorBoard 日志、
进度条），以及在命令行中完成同样工作的 ``python -m <package>.training``。
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
    """Move one batch - the images *and* the labels - to ``device``; return both, images first.

    ``device`` is a torch.device or a device name ('cpu', 'cuda', ...). Both returned tensors live on that device
    and keep their shapes, dtypes and values. The lesson: the loss compares the model's outputs with the labels,
    so the labels have to be where the model is, just like the images.

    Checked only where a GPU is usable: moving to 'cuda' puts both tensors on the GPU, and bringing them back to the
    CPU gives the original values.

    【中文】
    把一批数据——图像*和*标签——移到 ``device`` 上，并返回两者（图像在前）。

    ``device`` 可以是 torch.device，也可以是设备名（'cpu'、'cuda' 等）。返回的两个张量都位于该设备上，
    形状、数据类型（dtype）和数值都不变。要点：损失函数要拿模型的输出和标签比较，所以标签也必须和图像
    一样，待在模型所在的设备上。

    只在有可用 GPU 的机器上检查：移到 'cuda' 之后两个张量都在 GPU 上，再移回 CPU 时数值与原来相同。
    """
    # The loss compares outputs (on device) with labels: both must live on the same device.
    # 损失函数拿（设备上的）输出和标签比较：两者必须位于同一设备上。
    return images.to(device), labels.to(device)


def train_one_epoch(model: nn.Module, batches: Iterable, loss_fn: nn.Module, optimizer: torch.optim.Optimizer, device) -> list[float]:
    """Train ``model`` (already on ``device``) for one pass over ``batches`` of (images, labels).

    Every batch, in order, makes exactly one update of ``optimizer``, driven by that batch's loss alone
    (``loss_fn`` of the model's output and the labels): gradients the model arrives with, or that an earlier
    batch left behind, never take part in a step. Every forward pass runs in training mode, whatever mode the
    model arrives in, and each batch is moved to ``device`` before anything is computed with it. Returns the loss
    of every step (computed before that step's update) as a list of Python floats, one per batch. Repeated over
    several epochs on a learnable problem, the loss goes down.

    Checked only where a GPU is usable: the same epoch run on 'cuda' gives the same step losses and moves the
    parameters the same way as on the CPU (to about 1e-3).

    【中文】
    在 ``batches``（由 (images, labels) 组成）上把 ``model``（已在 ``device`` 上）训练一遍。

    每一批按顺序让 ``optimizer`` 恰好更新一次，而且只由这一批的损失（``loss_fn`` 作用于模型输出和标签）
    驱动：模型带进来的梯度，或者前一批留下的梯度，都不能参与任何一步更新。每次前向传播都在训练模式下
    进行，不论模型进来时处于什么模式；每一批在参与任何计算之前都要先移到 ``device`` 上。返回每一步的
    损失（在该步更新之前计算），是一个 Python float 列表，每批一个。在可学习的问题上重复训练几轮，损失
    会下降。

    只在有可用 GPU 的机器上检查：同样的一轮在 'cuda' 上运行，每步损失和参数的变化都与 CPU 上相同
    （误差约 1e-3）。
    """
    model.train()
    losses = []
    for images, labels in batches:
        images, labels = move_batch(images, labels, device)
        optimizer.zero_grad()  # gradients accumulate otherwise
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def evaluate(model: nn.Module, batches: Iterable, loss_fn: nn.Module, device) -> tuple[float, float]:
    """Return (accuracy, mean loss) of ``model`` over ``batches`` as a tuple of two Python floats, without training it.

    A sample counts as correct when the class with the largest output along dim 1 (the class dimension) is its
    label. Both numbers are averages over samples, not over batches: a last, smaller batch weighs less. Every
    forward pass runs in evaluation mode (Dropout off, BatchNorm on its running statistics, so two evaluations
    give the same result) with gradient tracking off (no autograd graph is recorded); each batch is moved to
    ``device`` first. The model's parameters and buffers are unchanged afterwards and no gradient is computed.

    【中文】
    以两个 Python float 组成的元组返回 ``model`` 在 ``batches`` 上的 (准确率, 平均损失)，过程中不训练模型。

    如果在 dim 1（类别维度）上输出最大的那个类别就是样本的标签，这个样本就算预测正确。两个数都按样本
    平均，而不是按批平均：最后一批若较小，所占的权重也较小。每次前向传播都在评估模式下进行（Dropout
    关闭，BatchNorm 使用运行统计量，因此两次评估结果相同），并且关闭梯度跟踪（不记录自动求导的计算图）；
    每一批都先移到 ``device`` 上。评估之后，模型的参数和缓冲区保持不变，也不会算出任何梯度。
    """
    model.eval()  # Dropout and BatchNorm switch to their inference behaviour
    correct, total, loss_sum = 0, 0, 0.0
    with torch.no_grad():  # no graph: faster, and less memory
        for images, labels in batches:
            images, labels = move_batch(images, labels, device)
            outputs = model(images)
            loss_sum += loss_fn(outputs, labels).item() * labels.shape[0]
            correct += (outputs.argmax(dim=1) == labels).sum().item()
            total += labels.shape[0]
    return correct / total, loss_sum / total


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

    Data: both splits under ``data_root``, read by torchvision's CIFAR10 class; a missing dataset is downloaded
    when ``download`` is True, and otherwise raises the RuntimeError torchvision gives (no download is
    attempted). The training split goes through a DataLoader that shuffles it, in batches of ``batch_size``:
    every training image is used once per epoch, the last batch smaller when ``batch_size`` does not divide the
    split (or the whole split in one batch when ``batch_size`` exceeds it). The test split may be batched in any
    size.
    Training: one modules.CifarNet on ``device`` and exactly one torch.optim.SGD over all its parameters, at
    learning rate ``lr``. Each epoch first trains on every training batch (training mode, one optimizer step per
    batch with that batch's gradients only), then evaluates on the whole test split (evaluation mode, no
    gradients). Returns the test accuracies, one Python float per epoch. The pipeline learns: on the tests'
    stand-in it reaches 60% test accuracy after 5 epochs with batch_size=10 and lr=0.01.
    Logging: with ``log_dir``, exactly one SummaryWriter writing into ``log_dir``, closed before returning; the
    training loss of every step under the tag 'train/loss' at global step 0, 1, 2, ... (the number of steps taken
    before it, counting on across epochs), and each epoch's test accuracy - the number returned for it - under
    'test/accuracy' at global step = epoch (from 1). Without ``log_dir``, no SummaryWriter is created.
    Progress: a tqdm progress bar over each epoch's training batches, on stderr, when ``progress`` is True, or when
    it is None and stderr is a terminal at the time of the call; no bar otherwise.
    ``on_epoch``: when given, it is called once per epoch with two arguments, the epoch number (from 1) and that
    epoch's returned accuracy, right after that epoch's evaluation and before the next epoch starts training.

    Checked only where a GPU is usable: with device='cuda' the pipeline trains on the GPU and still reaches the
    accuracy bar (on the real CIFAR10 when CIFAR10_ROOT names it, else on the stand-in).

    【中文】
    在 ``data_root`` 下的 CIFAR10 上训练 modules.CifarNet，返回每轮结束后的测试准确率。

    数据：用 torchvision 的 CIFAR10 类读取 ``data_root`` 下的训练集和测试集；数据集缺失时，``download`` 为
    True 就下载，否则抛出 torchvision 给出的 RuntimeError（不尝试下载）。训练集交给一个会打乱顺序的
    DataLoader，批大小为 ``batch_size``：每轮每张训练图像恰好用一次；``batch_size`` 不能整除训练集时，
    最后一批较小（``batch_size`` 比整个训练集还大时，整个训练集就是一批）。测试集的批大小不限。
    训练：在 ``device`` 上用一个 modules.CifarNet，以及恰好一个作用于它全部参数、学习率为 ``lr`` 的
    torch.optim.SGD。每一轮先在每个训练批上训练（训练模式，每批一步更新，只用这一批的梯度），再在整个
    测试集上评估（评估模式，不计算梯度）。返回各轮的测试准确率，每轮一个 Python float。这个流程要真的能
    学会：在测试用的替身数据上，batch_size=10、lr=0.01 训练 5 轮后，测试准确率达到 60%。
    日志：给出 ``log_dir`` 时，恰好用一个写入 ``log_dir`` 的 SummaryWriter，并在返回前关闭；每一步的训练
    损失记在标签 'train/loss' 下，global step 依次为 0, 1, 2, ...（此前已完成的步数，跨轮连续计数）；每轮的
    测试准确率（即该轮返回的那个数）记在 'test/accuracy' 下，global step 等于轮次（从 1 开始）。没有
    ``log_dir`` 时，不创建任何 SummaryWriter。
    进度：当 ``progress`` 为 True，或者为 None 且调用时 stderr 是终端时，在 stderr 上为每轮的训练批显示
    tqdm 进度条；其他情况不显示。
    ``on_epoch``：给出时每轮调用一次，传入两个参数：轮次（从 1 开始）和该轮返回的准确率；时机是该轮评估
    刚结束、下一轮开始训练之前。

    只在有可用 GPU 的机器上检查：device='cuda' 时流程在 GPU 上训练，并且仍能达到准确率门槛（设置了
    CIFAR10_ROOT 时用真实的 CIFAR10，否则用替身数据）。
    """
    from torch.utils.data import DataLoader
    from torchvision import datasets, transforms

    device = torch.device(device)
    to_tensor = transforms.ToTensor()
    train_set = datasets.CIFAR10(str(data_root), train=True, transform=to_tensor, download=download)
    test_set = datasets.CIFAR10(str(data_root), train=False, transform=to_tensor, download=download)
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=batch_size)

    model = CifarNet().to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    writer = None
    if log_dir is not None:
        from torch.utils.tensorboard import SummaryWriter

        writer = SummaryWriter(log_dir=str(log_dir))
    show = sys.stderr.isatty() if progress is None else progress
    accuracies, step = [], 0
    try:
        for epoch in range(1, epochs + 1):
            batches = train_loader
            if show:
                from tqdm import tqdm

                batches = tqdm(train_loader, desc=f"epoch {epoch}/{epochs}", unit="batch", leave=False)
            for loss in train_one_epoch(model, batches, loss_fn, optimizer, device):
                if writer is not None:
                    writer.add_scalar("train/loss", loss, global_step=step)
                step += 1
            accuracy, test_loss = evaluate(model, test_loader, loss_fn, device)
            accuracies.append(accuracy)
            if writer is not None:
                writer.add_scalar("test/accuracy", accuracy, global_step=epoch)
            if show:
                print(f"epoch {epoch}: test accuracy {accuracy:.2%}, test loss {test_loss:.4f}", file=sys.stderr)
            if on_epoch is not None:
                on_epoch(epoch, accuracy)  # now, not after the loop: the caller reports while training goes on
    finally:
        if writer is not None:
            writer.close()
    return accuracies


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m <package>.training --data DIR [--epochs N] [--batch-size N] [--lr LR]
    [--device D] [--log-dir DIR] [--download]``; ``argv`` is the argument list (None: the process's own).

    ``--help`` names every one of these options and exits with status 0. Otherwise main runs run_training once
    with the options given (defaults: 10 epochs, batch size 64, lr 0.01, no log dir, no download; --device:
    cuda when a GPU is usable at the moment main runs, else cpu) and returns 0. It prints one line per epoch on
    stdout, starting ``epoch N: test accuracy A`` (N from 1, A the accuracy as a fraction such as 0.8125), and
    each line is delivered - written and flushed - as soon as its epoch has been evaluated, before the next epoch
    starts training: a pipe or a log file shows every epoch as it ends, not all of them at the end.
    Usage errors exit with status 2, a message on stderr and no traceback, before any training starts:
    - no --data;
    - --epochs or --batch-size below 1;
    - --lr that is not a number above 0 (0, negative, nan);
    - a --device that torch does not recognise as a device name;
    - a cuda device (cuda, cuda:0, ...) where CUDA is not available; the message says so (it mentions cuda).
    A missing dataset (without --download) prints torchvision's reason ('Dataset not found ...') on stderr, with
    no traceback, and main returns 1.

    【中文】
    命令行：``python -m <package>.training --data DIR [--epochs N] [--batch-size N] [--lr LR]
    [--device D] [--log-dir DIR] [--download]``；``argv`` 是参数列表（None 表示用进程自己的命令行参数）。

    ``--help`` 会列出上面每一个选项，并以状态码 0 退出。除此之外，main 用给定的选项调用一次 run_training
    （默认值：10 轮、批大小 64、lr 0.01、不记录日志、不下载；--device 的默认值：main 运行的那一刻若有可用
    的 GPU 则为 cuda，否则为 cpu），然后返回 0。每轮在 stdout 上打印一行，以 ``epoch N: test accuracy A``
    开头（N 从 1 开始，A 是用小数表示的准确率，例如 0.8125）；每一行都要在该轮评估完成后立即送达——写出并
    刷新（flush）——赶在下一轮开始训练之前：这样管道或日志文件在每轮结束时就能看到这一轮，而不是到最后
    才一起看到。
    以下属于用法错误：以状态码 2 退出，在 stderr 上给出信息、不打印 traceback，且不开始任何训练：
    - 没有 --data；
    - --epochs 或 --batch-size 小于 1；
    - --lr 不是大于 0 的数（0、负数、nan）；
    - torch 不认识的 --device 设备名；
    - 在没有可用 CUDA 的机器上指定 cuda 设备（cuda、cuda:0 等），信息中要说明这一点（提到 cuda）。
    数据集缺失（且未指定 --download）时，在 stderr 上打印 torchvision 给出的原因（'Dataset not found ...'），
    不打印 traceback，main 返回 1。
    """
    parser = argparse.ArgumentParser(prog="training", description="Train the note's CIFAR10 network and report test accuracy.")
    parser.add_argument("--data", required=True, help="folder holding cifar-10-batches-py/")
    parser.add_argument("--epochs", type=int, default=10, help="number of passes over the training set (default 10)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu", help="cpu, cuda, cuda:1, ...")
    parser.add_argument("--log-dir", default=None, help="TensorBoard log folder (default: no logging)")
    parser.add_argument("--batch-size", type=int, default=64, help="images per training step (default 64)")
    parser.add_argument("--lr", type=float, default=1e-2, help="SGD learning rate (default 0.01)")
    parser.add_argument("--download", action="store_true", help="download CIFAR10 into --data if it is missing")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1:
        parser.error("--epochs and --batch-size must be at least 1")
    if not args.lr > 0:  # also refuses nan
        parser.error("--lr must be above 0")
    try:
        device = torch.device(args.device)
    except RuntimeError:
        parser.error(f"--device {args.device!r} is not a device name such as cpu, cuda or cuda:0")
    if device.type == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda, but CUDA is not available here (torch.cuda.is_available() is False)")

    def report(epoch: int, accuracy: float) -> None:
        # flush: through a pipe or into a log file, stdout is block-buffered and would hold the line back
        # flush：经由管道或写入日志文件时，stdout 是块缓冲的，不刷新就会把这一行扣在缓冲区里
        print(f"epoch {epoch}: test accuracy {accuracy:.4f}", flush=True)

    try:
        run_training(args.data, args.epochs, device, args.log_dir, args.batch_size, args.lr, args.download, on_epoch=report)
    except RuntimeError as exc:  # torchvision's "Dataset not found or corrupted"
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
