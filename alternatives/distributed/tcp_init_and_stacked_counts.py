"""The module with other choices at every step: os.getenv and an explicit tcp:// init_method built from MASTER_ADDR and
MASTER_PORT, keyword-only DataLoader and DistributedSampler arguments, the optimizer over model.parameters() after the
move (the same tensors DDP manages), evaluation under torch.inference_mode with the correct and total counts stacked into
one float64 tensor and all-reduced once, the checkpoint written through an open file object, a Subset of the test split,
and the SummaryWriter used as a context manager (contextlib.nullcontext on the other ranks)."""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys

import torch
import torch.distributed as dist
from torch import nn
from torch.utils.data import DataLoader, Subset
from torch.utils.data.distributed import DistributedSampler

from solutions.distributed import *  # noqa: F403
from solutions.modules import CifarNet

NEEDED = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")


def _missing() -> list[str]:
    return [name for name in NEEDED if not os.getenv(name, "")]


def setup_process_group():
    missing = _missing()
    if missing:
        raise RuntimeError(f"no torchrun environment ({', '.join(missing)} unset); run: torchrun --nproc_per_node=N ...")
    rank, world_size, local_rank = int(os.getenv("RANK")), int(os.getenv("WORLD_SIZE")), int(os.getenv("LOCAL_RANK"))
    use_cuda = torch.cuda.is_available()
    device = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(local_rank)
    address = f"tcp://{os.getenv('MASTER_ADDR')}:{os.getenv('MASTER_PORT')}"
    dist.init_process_group(backend="nccl" if use_cuda else "gloo", init_method=address, rank=rank, world_size=world_size)
    return rank, world_size, device


def teardown_process_group():
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def shard_loader(dataset, batch_size, rank, world_size, seed=0):
    sampler = DistributedSampler(dataset=dataset, num_replicas=world_size, rank=rank, seed=seed)
    return DataLoader(dataset=dataset, sampler=sampler, batch_size=batch_size, drop_last=False)


def wrap_model(model, device, lr):
    device = torch.device(device)
    model.to(device=device)
    wrapped = nn.parallel.DistributedDataParallel(model, device_ids=None if device.type == "cpu" else [device.index])
    return wrapped, torch.optim.SGD(model.parameters(), lr)


def train_epoch(model, loader, loss_fn, optimizer, device, epoch):
    sampler = loader.sampler
    sampler.set_epoch(epoch)
    model.train()
    losses = []
    for x, y in loader:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x.to(device)), y.to(device))
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    return losses


def global_accuracy(model, loader, device):
    model.eval()
    with torch.inference_mode():  # the all_reduce too: an inference tensor may not be changed outside this mode
        correct = torch.zeros((), device=device)
        total = torch.zeros((), device=device)
        for x, y in loader:
            y = y.to(device)
            correct += (model(x.to(device)).argmax(1) == y).sum()
            total += y.numel()
        counts = torch.stack([correct, total]).to(torch.float64)
        dist.all_reduce(counts, op=dist.ReduceOp.SUM)
        return (counts[0] / counts[1]).item()


def save_checkpoint(model, path):
    if dist.get_rank() == 0:
        with open(path, "wb") as handle:
            torch.save(model.module.state_dict(), handle)
    dist.barrier()


def run_distributed(data_root, epochs, device="cpu", batch_size=64, lr=1e-2, log_dir=None, checkpoint=None, on_epoch=None):
    from torchvision.datasets import CIFAR10
    from torchvision.transforms import ToTensor

    rank, world_size = dist.get_rank(), dist.get_world_size()
    train_set = CIFAR10(root=data_root, train=True, transform=ToTensor())
    test_set = CIFAR10(root=data_root, train=False, transform=ToTensor())
    train_loader = shard_loader(train_set, batch_size, rank, world_size)
    test_loader = DataLoader(Subset(test_set, list(range(rank, len(test_set), world_size))), batch_size=100)
    wrapped, optimizer = wrap_model(CifarNet(), device, lr)
    if log_dir is not None and rank == 0:
        from torch.utils.tensorboard import SummaryWriter

        writing = SummaryWriter(log_dir=str(log_dir))
    else:
        writing = contextlib.nullcontext()
    accuracies = []
    with writing as writer:
        for epoch in range(epochs):
            train_epoch(wrapped, train_loader, nn.CrossEntropyLoss(), optimizer, device, epoch)
            accuracies.append(global_accuracy(wrapped.module, test_loader, device))
            if writer is not None:
                writer.add_scalar("test/accuracy", accuracies[-1], epoch + 1)
            if checkpoint:
                save_checkpoint(wrapped, checkpoint)
            if callable(on_epoch):
                on_epoch(epoch + 1, accuracies[-1])
    return accuracies


def _print_epoch(n, a, file):
    print(f"epoch {n}: test accuracy {a:.6f}", file=file, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="distributed", description="DDP training of the note's network, for torchrun")
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--log-dir")
    parser.add_argument("--checkpoint")
    args = parser.parse_args(argv)
    if min(args.epochs, args.batch_size) < 1 or not args.lr > 0:
        parser.error("--epochs and --batch-size must be >= 1 and --lr > 0")
    if _missing():
        parser.error(f"{' '.join(_missing())} missing: this program must be started by torchrun")
    rank, _, device = setup_process_group()
    try:
        run_distributed(args.data, args.epochs, device=device, batch_size=args.batch_size, lr=args.lr,
                        log_dir=args.log_dir, checkpoint=args.checkpoint,
                        on_epoch=functools.partial(_print_epoch, file=sys.stdout) if rank == 0 else None)  # fmt: skip
    except RuntimeError:
        if rank == 0:
            sys.stderr.write(f"CIFAR10 is missing from --data {args.data}: put cifar-10-batches-py/ there first (no download here)\n")
        return 1
    finally:
        teardown_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
