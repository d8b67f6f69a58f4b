"""The whole module in the tutorial's own style: step counters (total_train_step), `.to(device)` inline
instead of move_batch, torchvision imported as a module, correct predictions summed as a tensor and read
once with .item(), the writer closed at the end, tqdm's `disable=` for the quiet case, and argparse
`type=` functions for the number checks."""

from __future__ import annotations

import argparse
import sys

import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader

from solutions.modules import CifarNet
from solutions.training import *  # noqa: F403


def train_one_epoch(model, batches, loss_fn, optimizer, device):
    model.train()
    step_losses = []
    for data in batches:
        imgs, targets = data
        imgs = imgs.to(device)
        targets = targets.to(device)
        outputs = model(imgs)
        loss = loss_fn(outputs, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step_losses.append(loss.item())
    return step_losses


def evaluate(model, batches, loss_fn, device):
    model.eval()
    total_test_loss = 0.0
    total_accuracy = torch.zeros((), dtype=torch.long)
    total_size = 0
    with torch.no_grad():
        for data in batches:
            imgs, targets = data
            imgs = imgs.to(device)
            targets = targets.to(device)
            outputs = model(imgs)
            total_test_loss = total_test_loss + loss_fn(outputs, targets).item() * len(targets)
            total_accuracy = total_accuracy + (outputs.argmax(1) == targets).sum().cpu()
            total_size += len(targets)
    return total_accuracy.item() / total_size, total_test_loss / total_size


def run_training(data_root, epochs, device="cpu", log_dir=None, batch_size=64, lr=1e-2, download=False, progress=None, on_epoch=None):
    from tqdm import tqdm

    train_data = torchvision.datasets.CIFAR10(root=str(data_root), train=True, transform=torchvision.transforms.ToTensor(), download=download)
    test_data = torchvision.datasets.CIFAR10(root=str(data_root), train=False, transform=torchvision.transforms.ToTensor(), download=download)
    train_dataloader = DataLoader(train_data, batch_size=batch_size, shuffle=True)
    test_dataloader = DataLoader(test_data, batch_size=batch_size)

    tudui = CifarNet()
    tudui = tudui.to(device)
    loss_fn = nn.CrossEntropyLoss()
    loss_fn = loss_fn.to(device)
    optimizer = torch.optim.SGD(tudui.parameters(), lr=lr)

    writer = None
    if log_dir is not None:
        from torch.utils.tensorboard import SummaryWriter

        writer = SummaryWriter(str(log_dir))
    quiet = not sys.stderr.isatty() if progress is None else not progress

    total_train_step = 0
    total_test_step = 0
    accuracies = []
    for i in range(epochs):
        for loss in train_one_epoch(tudui, tqdm(train_dataloader, disable=quiet, file=sys.stderr), loss_fn, optimizer, device):
            if writer is not None:
                writer.add_scalar("train/loss", loss, total_train_step)
            total_train_step = total_train_step + 1
        test_accuracy, _ = evaluate(tudui, test_dataloader, loss_fn, device)
        total_test_step = total_test_step + 1
        if writer is not None:
            writer.add_scalar("test/accuracy", test_accuracy, total_test_step)
        accuracies.append(test_accuracy)
        if on_epoch is not None:
            on_epoch(total_test_step, test_accuracy)
    if writer is not None:
        writer.close()
    return accuracies


def _at_least_1(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _positive_float(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0, got {value}")
    return value


def _device(text):
    try:
        device = torch.device(text)
    except RuntimeError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a device") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise argparse.ArgumentTypeError("CUDA is not available on this machine")
    return device


def main(argv=None):
    parser = argparse.ArgumentParser(prog="training")
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=_at_least_1, default=10)
    parser.add_argument("--batch-size", type=_at_least_1, default=64)
    parser.add_argument("--lr", type=_positive_float, default=0.01)
    parser.add_argument("--device", type=_device, default=None)
    parser.add_argument("--log-dir", default=None)
    parser.add_argument("--download", action="store_true")
    args = parser.parse_args(argv)
    device = args.device if args.device is not None else torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        run_training(
            args.data, args.epochs, device, args.log_dir, args.batch_size, args.lr, args.download,
            on_epoch=lambda i, accuracy: print(f"epoch {i}: test accuracy {accuracy:.3f}", flush=True),
        )  # fmt: skip
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    return 0
