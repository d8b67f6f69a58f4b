"""The module with Python-side counting: the correct and total counts kept as Python ints and summed over the ranks with
torch.distributed.all_gather_object, the shard order made by a DistributedSampler given every keyword, the model moved
with .cpu()/.cuda(), the optimizer over the unwrapped module's parameters, the barrier in a finally block, a range object
as the test split's sampler, the device joined through init_process_group's device_id on CUDA, and the epoch lines
written with sys.stdout.write and an explicit flush, through a reporter every rank gets but only rank 0 uses."""

from __future__ import annotations

import argparse
import os
import sys

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler

from solutions.distributed import *  # noqa: F403
from solutions.modules import CifarNet

VARIABLES = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")


def setup_process_group():
    absent = [name for name in VARIABLES if not os.environ.get(name, "").strip()]
    if absent:
        raise RuntimeError(f"this must run under torchrun: {', '.join(absent)} missing from the environment")
    rank, world_size, local_rank = (int(os.environ[name]) for name in VARIABLES[:3])
    if torch.cuda.is_available():
        device = torch.device(f"cuda:{local_rank}")
        torch.cuda.set_device(device)
        dist.init_process_group(backend="nccl", device_id=device)
    else:
        device = torch.device("cpu")
        dist.init_process_group(backend="gloo")
    return rank, world_size, device


def teardown_process_group():
    if not dist.is_initialized():
        return
    dist.destroy_process_group()


def shard_loader(dataset, batch_size, rank, world_size, seed=0):
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed, drop_last=False)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, shuffle=False)


def wrap_model(model, device, lr):
    device = torch.device(device)
    model = model.cpu() if device.type == "cpu" else model.cuda(device)
    wrapped = DistributedDataParallel(model, device_ids=[device] if device.type == "cuda" else None)
    return wrapped, torch.optim.SGD(wrapped.module.parameters(), lr=lr)


def train_epoch(model, loader, loss_fn, optimizer, device, epoch):
    loader.sampler.set_epoch(epoch)
    model.train()
    losses = []
    for step, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        loss = loss_fn(model(x.to(device, non_blocking=True)), y.to(device, non_blocking=True))
        loss.backward()
        optimizer.step()
        losses.append(loss.detach().item())
    return losses


def global_accuracy(model, loader, device):
    model.train(False)
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            predictions = model(x.to(device)).max(dim=1).indices
            correct += int((predictions == y.to(device)).sum())
            total += len(y)
    everyone = [None] * dist.get_world_size()
    dist.all_gather_object(everyone, (correct, total))
    return sum(c for c, _ in everyone) / sum(t for _, t in everyone)


def save_checkpoint(model, path):
    try:
        if dist.get_rank() == 0:
            torch.save(model.module.state_dict(), path)
    finally:
        dist.barrier()


def run_distributed(data_root, epochs, device="cpu", batch_size=64, lr=1e-2, log_dir=None, checkpoint=None, on_epoch=None):
    from torchvision import datasets, transforms

    rank, world_size = dist.get_rank(), dist.get_world_size()
    load = lambda train: datasets.CIFAR10(data_root, train=train, transform=transforms.ToTensor(), download=False)  # noqa: E731
    train_set, test_set = load(True), load(False)
    train_loader = shard_loader(train_set, batch_size, rank, world_size)
    test_loader = DataLoader(test_set, batch_size=batch_size, sampler=range(rank, len(test_set), world_size))
    model, optimizer = wrap_model(CifarNet(), device, lr)
    criterion = nn.CrossEntropyLoss()
    writer = None
    if rank == 0 and log_dir:
        from torch.utils.tensorboard import SummaryWriter

        writer = SummaryWriter(log_dir)
    results = []
    try:
        for epoch in range(epochs):
            train_epoch(model, train_loader, criterion, optimizer, device, epoch)
            results.append(global_accuracy(model.module, test_loader, device))
            if writer:
                writer.add_scalar("test/accuracy", results[-1], global_step=len(results))
            if checkpoint:
                save_checkpoint(model, checkpoint)
            if on_epoch:
                on_epoch(len(results), results[-1])
    finally:
        if writer:
            writer.close()
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="distributed")
    parser.add_argument("--data", required=True, help="CIFAR10 folder")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--log-dir", default=None)
    parser.add_argument("--checkpoint", default=None)
    args = parser.parse_args(argv)
    for ok, message in [(args.epochs >= 1, "--epochs must be at least 1"), (args.batch_size >= 1, "--batch-size must be at least 1"),
                        (args.lr > 0, "--lr must be positive")]:  # fmt: skip
        if not ok:
            parser.error(message)
    absent = [name for name in VARIABLES if not os.environ.get(name, "").strip()]
    if absent:
        parser.error(f"missing {', '.join(absent)}: launch with torchrun, e.g. torchrun --nproc_per_node=2 -m <package>.distributed --data DIR")
    rank, _, device = setup_process_group()

    def report(epoch, accuracy):  # every rank is handed it; only rank 0 writes
        if rank == 0:
            sys.stdout.write(f"epoch {epoch}: test accuracy {accuracy}\n")
            sys.stdout.flush()

    try:
        run_distributed(args.data, args.epochs, device, args.batch_size, args.lr, args.log_dir, args.checkpoint, report)
    except RuntimeError:
        if rank == 0:
            print(f"cannot train: {args.data} holds no CIFAR10 (cifar-10-batches-py/); download it there once, then run again with --data {args.data}", file=sys.stderr)
        return 1
    finally:
        teardown_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
