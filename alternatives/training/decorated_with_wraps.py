"""The module's functions behind decorators built with functools.wraps, whose wrappers live in other modules:
``@torch.enable_grad()`` on train_one_epoch, ``@torch.no_grad()`` on evaluate, and a ``contextlib.ContextDecorator``
(a timer) on run_training and main. The names the functions use (SGD, DataLoader, CIFAR10, SummaryWriter,
run_training) are imported or defined at the top of this module, which is where Python looks them up."""

from __future__ import annotations

import contextlib
import sys
import time

import torch
from torch import nn
from torch.optim import SGD
from torch.utils.data import DataLoader
from torch.utils.tensorboard import SummaryWriter
from torchvision.datasets import CIFAR10
from torchvision.transforms import ToTensor

from solutions.modules import CifarNet
from solutions.training import *  # noqa: F403
from solutions.training import move_batch


class timed(contextlib.ContextDecorator):
    """Keeps the seconds of the last call in ``timed.seconds``; prints nothing."""

    seconds: dict[str, float] = {}

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        timed.seconds[self.name] = time.perf_counter() - self.start
        return False


@torch.enable_grad()
def train_one_epoch(model, batches, loss_fn, optimizer, device):
    model.train()
    losses = []
    for images, labels in batches:
        images, labels = move_batch(images, labels, device)
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@torch.no_grad()
def evaluate(model, batches, loss_fn, device):
    model.eval()
    correct, total, loss_sum = 0, 0, 0.0
    for images, labels in batches:
        images, labels = move_batch(images, labels, device)
        outputs = model(images)
        loss_sum += loss_fn(outputs, labels).item() * labels.shape[0]
        correct += (outputs.argmax(dim=1) == labels).sum().item()
        total += labels.shape[0]
    return correct / total, loss_sum / total


@timed("run_training")
def run_training(data_root, epochs, device="cpu", log_dir=None, batch_size=64, lr=1e-2, download=False, progress=None, on_epoch=None):
    device = torch.device(device)
    train_loader = DataLoader(CIFAR10(str(data_root), train=True, transform=ToTensor(), download=download), batch_size=batch_size, shuffle=True)
    test_loader = DataLoader(CIFAR10(str(data_root), train=False, transform=ToTensor(), download=download), batch_size=batch_size)
    model = CifarNet().to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = SGD(model.parameters(), lr=lr)
    writer = SummaryWriter(log_dir=str(log_dir)) if log_dir is not None else None
    show = sys.stderr.isatty() if progress is None else progress
    accuracies, step = [], 0
    try:
        for epoch in range(1, epochs + 1):
            batches = train_loader
            if show:
                from tqdm import tqdm

                batches = tqdm(train_loader, desc=f"epoch {epoch}/{epochs}", leave=False)
            for loss in train_one_epoch(model, batches, loss_fn, optimizer, device):
                if writer is not None:
                    writer.add_scalar("train/loss", loss, global_step=step)
                step += 1
            accuracy, _ = evaluate(model, test_loader, loss_fn, device)
            accuracies.append(accuracy)
            if writer is not None:
                writer.add_scalar("test/accuracy", accuracy, global_step=epoch)
            if on_epoch is not None:
                on_epoch(epoch, accuracy)
    finally:
        if writer is not None:
            writer.close()
    return accuracies


@timed("main")
def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="training")
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--device", default=None)
    parser.add_argument("--log-dir", default=None)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--download", action="store_true")
    args = parser.parse_args(argv)
    if min(args.epochs, args.batch_size) < 1 or not args.lr > 0:
        parser.error("--epochs and --batch-size must be at least 1, --lr above 0")
    try:
        device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    except RuntimeError:
        parser.error(f"--device {args.device!r} is not a device")
    if device.type == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda, but CUDA is not available")
    try:
        run_training(
            args.data, args.epochs, device, args.log_dir, args.batch_size, args.lr, args.download,
            on_epoch=lambda epoch, accuracy: print(f"epoch {epoch}: test accuracy {accuracy:.4f}", flush=True),
        )  # fmt: skip
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
