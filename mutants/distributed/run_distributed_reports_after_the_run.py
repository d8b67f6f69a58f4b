"""run_distributed calls on_epoch for every epoch only after the last one: right values, right order, but a caller
that reports through it (main) still shows nothing until the whole run is over."""

from collections.abc import Callable
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
from torch.utils.data import DataLoader, Subset

from solutions.distributed import *  # noqa: F403
from solutions.distributed import global_accuracy, save_checkpoint, shard_loader, train_epoch, wrap_model
from solutions.modules import CifarNet


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
    from torchvision import datasets, transforms

    device = torch.device(device)
    rank, world_size = dist.get_rank(), dist.get_world_size()
    to_tensor = transforms.ToTensor()
    train_set = datasets.CIFAR10(str(data_root), train=True, transform=to_tensor, download=False)
    test_set = datasets.CIFAR10(str(data_root), train=False, transform=to_tensor, download=False)
    train_loader = shard_loader(train_set, batch_size, rank, world_size)
    # Every test image on exactly one rank: DistributedSampler would pad with repeats.
    test_loader = DataLoader(Subset(test_set, range(rank, len(test_set), world_size)), batch_size=batch_size)

    model, optimizer = wrap_model(CifarNet(), device, lr)
    loss_fn = nn.CrossEntropyLoss()
    writer = None
    if log_dir is not None and rank == 0:  # one log, not one per rank
        from torch.utils.tensorboard import SummaryWriter

        writer = SummaryWriter(log_dir=str(log_dir))
    accuracies = []
    try:
        for epoch in range(epochs):
            train_epoch(model, train_loader, loss_fn, optimizer, device, epoch)
            # The plain module: the ranks' test parts may differ in length, and evaluation needs no DDP.
            accuracy = global_accuracy(model.module, test_loader, device)
            accuracies.append(accuracy)
            if writer is not None:
                writer.add_scalar("test/accuracy", accuracy, global_step=epoch + 1)
            if checkpoint is not None:
                save_checkpoint(model, checkpoint)  # every rank calls it: it holds the barrier
    finally:
        if writer is not None:
            writer.close()
    if on_epoch is not None:  # too late: the caller hears of every epoch only once the run is over
        for epoch, accuracy in enumerate(accuracies, start=1):
            on_epoch(epoch, accuracy)
    return accuracies
