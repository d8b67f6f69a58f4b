"""Kata 14: the whole training and testing loop on CIFAR10, on CPU or GPU, logged to TensorBoard.

From the note's sections 训练, 测试 and GPU training. The pieces:
- one epoch of training: model.train(), then per batch: move to the device, zero_grad, forward, loss,
  backward, step;
- evaluation: model.eval() and torch.no_grad(), accuracy (argmax over the class dimension) and mean loss;
- the pipeline: CIFAR10 through torchvision with ToTensor, the note's network (modules.CifarNet), SGD,
  CrossEntropyLoss, a TensorBoard log and, in a terminal, a progress bar;
- ``python -m <package>.training --help``: the same from the command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

import torch
from torch import nn

from .modules import CifarNet


def move_batch(images: torch.Tensor, labels: torch.Tensor, device: torch.device | str) -> tuple[torch.Tensor, torch.Tensor]:
    """Move one batch - the images *and* the labels - to ``device``; return both."""
    # The loss compares outputs (on device) with labels: both must live on the same device.
    return images.to(device), labels.to(device)


def train_one_epoch(model: nn.Module, batches: Iterable, loss_fn: nn.Module, optimizer: torch.optim.Optimizer, device) -> list[float]:
    """Train ``model`` (already on ``device``) for one pass over ``batches`` of (images, labels).

    Put the model in training mode; for every batch move it to the device, clear the gradients (before
    the backward: the model may arrive with stale ones), compute the loss, backpropagate and step.
    Return the loss of every step as a list of Python floats (not tensors).
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
    """Return (accuracy, mean loss) of ``model`` over ``batches`` as two Python floats, without training it.

    Evaluation mode (Dropout off, BatchNorm on its running statistics) and torch.no_grad() (no graph is
    built; torch.inference_mode() does as well). The prediction is the argmax over the class dimension
    (dim 1). Both numbers are averages over samples, not over batches: a last, smaller batch weighs less.
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
    None and stderr is a terminal.
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
    finally:
        if writer is not None:
            writer.close()
    return accuracies


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m <package>.training --data DIR [--epochs N] [--batch-size N] [--lr LR]
    [--device D] [--log-dir DIR] [--download]``.

    Calls run_training with these options (defaults: 10 epochs, batch size 64, lr 0.01, no log, no
    download), prints one line per epoch on stdout, starting ``epoch N: test accuracy A`` (N from 1, A
    the accuracy as a fraction, e.g. 0.8125), and returns 0. --device defaults to cuda when
    torch.cuda.is_available() says so as main runs, else cpu. Bad arguments are usage errors (argparse's:
    a message on stderr, exit status 2, and no training): a missing --data, --epochs or --batch-size
    below 1, --lr not above 0, a --device torch cannot parse, and cuda on a machine without CUDA (say
    so in the message). A missing dataset (without --download) is reported on stderr with torchvision's
    reason, and main returns 1.
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
    try:
        accuracies = run_training(args.data, args.epochs, device, args.log_dir, args.batch_size, args.lr, args.download)
    except RuntimeError as exc:  # torchvision's "Dataset not found or corrupted"
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for epoch, accuracy in enumerate(accuracies, start=1):
        print(f"epoch {epoch}: test accuracy {accuracy:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
