"""Other correct spellings: the batch accuracy as `.float().mean()` weighted by the batch size,
`model.zero_grad()` instead of the optimizer's, a RandomSampler instead of shuffle=True, the writer as a
context manager (contextlib.nullcontext when there is no log_dir), and percentages never printed."""

from __future__ import annotations

import contextlib
import sys

import torch
from torch import nn

from solutions.modules import CifarNet
from solutions.training import *  # noqa: F403
from solutions.training import move_batch


def train_one_epoch(model, batches, loss_fn, optimizer, device):
    model.train()
    losses = []
    for images, labels in batches:
        images, labels = move_batch(images, labels, device)
        model.zero_grad()  # the same parameters as the optimizer's: clears the same gradients
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    return losses


def evaluate(model, batches, loss_fn, device):
    model.eval()
    weighted_accuracy, weighted_loss, seen = 0.0, 0.0, 0
    with torch.no_grad():
        for images, labels in batches:
            images, labels = move_batch(images, labels, device)
            outputs = model(images)
            n = len(labels)
            weighted_accuracy += (outputs.argmax(dim=1) == labels).float().mean().item() * n
            weighted_loss += loss_fn(outputs, labels).item() * n
            seen += n
    return weighted_accuracy / seen, weighted_loss / seen


def run_training(data_root, epochs, device="cpu", log_dir=None, batch_size=64, lr=1e-2, download=False, progress=None, on_epoch=None):
    from torch.utils.data import DataLoader, RandomSampler
    from torchvision import datasets, transforms

    train_set = datasets.CIFAR10(data_root, train=True, transform=transforms.ToTensor(), download=download)
    test_set = datasets.CIFAR10(data_root, train=False, transform=transforms.ToTensor(), download=download)
    train_loader = DataLoader(train_set, batch_size=batch_size, sampler=RandomSampler(train_set))
    test_loader = DataLoader(test_set, batch_size=2 * batch_size)  # evaluation needs no gradients: bigger batches fit
    model = CifarNet().to(device)
    optimizer = torch.optim.SGD(params=model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    if log_dir is None:
        logging = contextlib.nullcontext()
    else:
        from torch.utils.tensorboard import SummaryWriter

        logging = SummaryWriter(log_dir=log_dir)
    if progress is None:
        progress = sys.stderr.isatty()
    history = []
    with logging as writer:
        for epoch in range(epochs):
            batches = train_loader
            if progress:
                from tqdm.auto import tqdm

                batches = tqdm(train_loader, total=len(train_loader))
            losses = train_one_epoch(model, batches, loss_fn, optimizer, device)
            accuracy, _ = evaluate(model, test_loader, loss_fn, device)
            history.append(accuracy)
            if on_epoch is not None:
                on_epoch(epoch + 1, accuracy)
            if writer is not None:
                for i, loss in enumerate(losses):
                    writer.add_scalar(tag="train/loss", scalar_value=loss, global_step=epoch * len(train_loader) + i)
                writer.add_scalar(tag="test/accuracy", scalar_value=accuracy, global_step=epoch + 1)
    return history
