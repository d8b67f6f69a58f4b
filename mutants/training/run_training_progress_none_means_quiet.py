"""run_training treats progress=None like False: no bar even when stderr is a terminal (an interactive user sees
nothing move)."""

from __future__ import annotations

import argparse  # noqa: F401
import sys  # noqa: F401
from collections.abc import Callable  # noqa: F401
from pathlib import Path  # noqa: F401

import torch  # noqa: F401
from torch import nn  # noqa: F401

from solutions.modules import CifarNet  # noqa: F401
from solutions.training import *  # noqa: F403
from solutions.training import evaluate, move_batch, train_one_epoch  # noqa: F401


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
    show = bool(progress)
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
