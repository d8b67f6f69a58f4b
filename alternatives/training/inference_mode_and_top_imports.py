"""evaluate under torch.inference_mode() (the docstring allows it) with the count kept on the device,
zero_grad(set_to_none=False) in train_one_epoch, and run_training with SGD, DataLoader, CIFAR10 and
SummaryWriter imported at the top of the module (`from ... import ...`), a try/finally around the writer,
and main's checks written out by hand after parse_args."""

from __future__ import annotations

import argparse
import sys

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


def train_one_epoch(model, batches, loss_fn, optimizer, device):
    model.train()
    losses = []
    for images, labels in batches:
        images, labels = move_batch(images, labels, device)
        optimizer.zero_grad(set_to_none=False)
        outputs = model(images)
        loss = loss_fn(outputs, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def evaluate(model, batches, loss_fn, device):
    model.eval()
    correct = torch.zeros((), dtype=torch.long, device=device)
    loss_sum = torch.zeros((), device=device)
    count = 0
    with torch.inference_mode():
        for images, labels in batches:
            images, labels = move_batch(images, labels, device)
            outputs = model(images)
            correct += (outputs.argmax(dim=1) == labels).sum()
            loss_sum += loss_fn(outputs, labels) * len(labels)  # the batch mean times its size
            count += len(labels)
    return correct.item() / count, loss_sum.item() / count


def run_training(data_root, epochs, device="cpu", log_dir=None, batch_size=64, lr=1e-2, download=False, progress=None, on_epoch=None):
    train_loader = DataLoader(CIFAR10(data_root, True, ToTensor(), download=download), batch_size, shuffle=True)
    test_loader = DataLoader(CIFAR10(data_root, False, ToTensor(), download=download), batch_size)
    model = CifarNet().to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = SGD(model.parameters(), lr)
    writer = SummaryWriter(log_dir) if log_dir is not None else None
    show = progress if progress is not None else sys.stderr.isatty()
    accuracies = []
    step = 0
    try:
        for _ in range(epochs):
            if show:
                import tqdm

                batches = tqdm.tqdm(train_loader, file=sys.stderr)
            else:
                batches = train_loader
            for loss in train_one_epoch(model, batches, loss_fn, optimizer, device):
                if writer:
                    writer.add_scalar("train/loss", loss, step)
                step += 1
            accuracy = evaluate(model, test_loader, loss_fn, device)[0]
            accuracies.append(accuracy)
            if on_epoch is not None:
                on_epoch(len(accuracies), accuracy)
            if writer:
                writer.add_scalar("test/accuracy", accuracy, len(accuracies))
    finally:
        if writer:
            writer.close()
    return accuracies


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="dataset folder")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--device")
    parser.add_argument("--log-dir")
    parser.add_argument("--download", action="store_true")
    args = parser.parse_args(argv)
    for name, value in (("--epochs", args.epochs), ("--batch-size", args.batch_size)):
        if value <= 0:
            parser.error(f"{name} must be positive")
    if args.lr <= 0 or args.lr != args.lr:
        parser.error("--lr must be positive")
    if args.device is None:
        args.device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        device = torch.device(args.device)
    except RuntimeError as error:
        parser.error(str(error))
    if device.type == "cuda" and not torch.cuda.is_available():
        parser.error("cuda was asked for, but CUDA is not available")
    try:
        run_training(args.data, args.epochs, device, args.log_dir, args.batch_size, args.lr, args.download, on_epoch=_report)
    except RuntimeError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    return 0


def _report(n, a):
    sys.stdout.write(f"epoch {n}: test accuracy {a:.4f}\n")
    sys.stdout.flush()
