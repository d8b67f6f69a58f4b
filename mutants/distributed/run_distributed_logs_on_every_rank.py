"""run_distributed creates a SummaryWriter on every rank: one log per rank in the same folder, each plotting the same curve."""

import sys

import torch
import torch.distributed as dist
from torch import nn
from torch.utils.data import DataLoader, Subset

from solutions.distributed import *  # noqa: F403
from solutions.distributed import global_accuracy, save_checkpoint, shard_loader, train_epoch, wrap_model
from solutions.modules import CifarNet


def run_distributed(data_root, epochs, device="cpu", batch_size=64, lr=1e-2, log_dir=None, checkpoint=None):
    from torchvision import datasets, transforms

    device = torch.device(device)
    rank, world_size = dist.get_rank(), dist.get_world_size()
    to_tensor = transforms.ToTensor()
    train_set = datasets.CIFAR10(str(data_root), train=True, transform=to_tensor, download=False)
    test_set = datasets.CIFAR10(str(data_root), train=False, transform=to_tensor, download=False)
    train_loader = shard_loader(train_set, batch_size, rank, world_size)
    test_loader = DataLoader(Subset(test_set, range(rank, len(test_set), world_size)), batch_size=batch_size)
    model, optimizer = wrap_model(CifarNet(), device, lr)
    loss_fn = nn.CrossEntropyLoss()
    writer = None
    if log_dir is not None:  # on every rank
        from torch.utils.tensorboard import SummaryWriter

        writer = SummaryWriter(log_dir=str(log_dir))
    accuracies = []
    try:
        for epoch in range(epochs):
            train_epoch(model, train_loader, loss_fn, optimizer, device, epoch)
            accuracy = global_accuracy(model.module, test_loader, device)
            accuracies.append(accuracy)
            if writer is not None:
                writer.add_scalar("test/accuracy", accuracy, global_step=epoch + 1)
            if checkpoint is not None:
                save_checkpoint(model, checkpoint)
    finally:
        if writer is not None:
            writer.close()
    return accuracies


if __name__ == "__main__":
    sys.exit(main())  # noqa: F405
