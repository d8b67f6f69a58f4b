"""The whole module in the style of PyTorch's DDP tutorial: `ddp_model = DDP(model.to(device), ...)` in one line,
`optim.SGD(ddp_model.parameters(), ...)`, the environment read with os.environ.get and a list comprehension, init_method
spelled out as "env://", the counts in two separate tensors each all-reduced, the test split sharded with a plain list of
indices as the sampler, the writer closed at the end, and argparse `type=` functions for the number checks."""

from __future__ import annotations

import argparse
import os
import sys

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.optim as optim
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from solutions.distributed import *  # noqa: F403
from solutions.modules import CifarNet

ENV_NAMES = ["RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"]


def setup_process_group():
    missing = [name for name in ENV_NAMES if os.environ.get(name) in (None, "")]
    if len(missing) > 0:
        raise RuntimeError("missing " + " ".join(missing) + "; start this script with torchrun (torchrun --nproc_per_node=2 ...)")
    rank = int(os.environ["RANK"])
    world_size = int(os.environ["WORLD_SIZE"])
    local_rank = int(os.environ["LOCAL_RANK"])
    if torch.cuda.is_available():
        torch.cuda.set_device(local_rank)
        dist.init_process_group("nccl", init_method="env://", rank=rank, world_size=world_size)
        return rank, world_size, torch.device(f"cuda:{local_rank}")
    dist.init_process_group("gloo", init_method="env://", rank=rank, world_size=world_size)
    return rank, world_size, torch.device("cpu")


def teardown_process_group():
    if dist.is_initialized():
        dist.destroy_process_group()


def shard_loader(dataset, batch_size, rank, world_size, seed=0):
    return DataLoader(dataset, batch_size, sampler=DistributedSampler(dataset, world_size, rank, True, seed))


def wrap_model(model, device, lr):
    device = torch.device(device)
    ddp_model = DDP(model.to(device), device_ids=[device.index] if device.type == "cuda" else None)
    optimizer = optim.SGD(ddp_model.parameters(), lr=lr)
    return ddp_model, optimizer


def train_epoch(model, loader, loss_fn, optimizer, device, epoch):
    loader.sampler.set_epoch(epoch)
    model.train()
    step_losses = []
    for data in loader:
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


def global_accuracy(model, loader, device):
    model.eval()
    total_accuracy = torch.zeros((), dtype=torch.long, device=device)
    total_size = torch.zeros((), dtype=torch.long, device=device)
    with torch.no_grad():
        for imgs, targets in loader:
            imgs, targets = imgs.to(device), targets.to(device)
            outputs = model(imgs)
            total_accuracy += (outputs.argmax(1) == targets).sum()
            total_size += len(targets)
    dist.all_reduce(total_accuracy)
    dist.all_reduce(total_size)
    return total_accuracy.item() / total_size.item()


def save_checkpoint(model, path):
    if dist.get_rank() == 0:
        torch.save(model.module.state_dict(), str(path))
    dist.barrier()


def run_distributed(data_root, epochs, device="cpu", batch_size=64, lr=1e-2, log_dir=None, checkpoint=None, on_epoch=None):
    import torchvision

    rank = dist.get_rank()
    world_size = dist.get_world_size()
    train_data = torchvision.datasets.CIFAR10(root=str(data_root), train=True, transform=torchvision.transforms.ToTensor(), download=False)
    test_data = torchvision.datasets.CIFAR10(root=str(data_root), train=False, transform=torchvision.transforms.ToTensor(), download=False)
    train_dataloader = shard_loader(train_data, batch_size, rank, world_size)
    my_test_indices = list(range(len(test_data)))[rank::world_size]
    test_dataloader = DataLoader(test_data, batch_size=64, sampler=my_test_indices)

    ddp_model, optimizer = wrap_model(CifarNet(), device, lr)
    loss_fn = nn.CrossEntropyLoss()
    writer = None
    if rank == 0 and log_dir is not None:
        from torch.utils.tensorboard import SummaryWriter

        writer = SummaryWriter(str(log_dir))
    accuracies = []
    total_test_step = 0
    for i in range(epochs):
        train_epoch(ddp_model, train_dataloader, loss_fn, optimizer, device, i)
        test_accuracy = global_accuracy(ddp_model.module, test_dataloader, device)
        total_test_step = total_test_step + 1
        if writer is not None:
            writer.add_scalar("test/accuracy", test_accuracy, total_test_step)
        if checkpoint is not None:
            save_checkpoint(ddp_model, checkpoint)
        accuracies.append(test_accuracy)
        if on_epoch is not None:
            on_epoch(i + 1, test_accuracy)
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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="distributed")
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=_at_least_1, default=10)
    parser.add_argument("--batch-size", type=_at_least_1, default=64)
    parser.add_argument("--lr", type=_positive_float, default=0.01)
    parser.add_argument("--log-dir", default=None)
    parser.add_argument("--checkpoint", default=None)
    args = parser.parse_args(argv)
    missing = [name for name in ENV_NAMES if os.environ.get(name) in (None, "")]
    if missing:
        parser.error("not launched by torchrun (missing " + ", ".join(missing) + "): use torchrun --nproc_per_node=2 -m ...")
    rank, world_size, device = setup_process_group()
    show = None
    if rank == 0:
        show = lambda epoch, accuracy: print(f"epoch {epoch}: test accuracy {accuracy:.5f}", flush=True)  # noqa: E731
    try:
        run_distributed(args.data, args.epochs, device, args.batch_size, args.lr, args.log_dir, args.checkpoint, on_epoch=show)
    except RuntimeError:
        if rank == 0:
            print("error: no CIFAR10 dataset in " + args.data + ": this program never downloads; fetch CIFAR10 there first, then pass it with --data", file=sys.stderr)
        return 1
    finally:
        teardown_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
