"""Training throughput: the tutorial-style loop versus the fast path, side by side (``make bench``).

The tutorial loop is what the note teaches: a DataLoader over torchvision's CIFAR10 with ToTensor
(PIL images decoded and converted one by one), batch 64, SGD, ``loss.item()`` every step
(training.train_one_epoch). The fast path keeps the whole dataset on the device, uses channels_last,
bfloat16 autocast on CUDA, batch 256 and reads nothing back per batch (fast_training.train_fast).

Both train modules.CifarNet on the same data for the same number of epochs after a short warm-up;
the figure is training images per second. The data is a CIFAR-10 stand-in written to a temporary
folder in the real format, or real CIFAR10 with --data. Nothing is downloaded.

Usage: python bench/benchmark.py [--device cpu|cuda|all] [--images N] [--epochs E] [--data DIR] [--impl NAME]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse(argv):
    parser = argparse.ArgumentParser(prog="benchmark", description="Images per second: tutorial loop vs fast path.")
    parser.add_argument("--device", default="all", help="cpu, cuda, or all (cpu, plus cuda when available); default all")
    parser.add_argument("--images", type=int, default=None, help="training images of the stand-in (default 2000 on cpu, 20000 on cuda)")
    parser.add_argument("--epochs", type=int, default=1, help="timed epochs per path (default 1)")
    parser.add_argument("--data", default=None, help="a folder holding real cifar-10-batches-py/ (default: a stand-in)")
    parser.add_argument("--impl", default="solutions", help="implementation to time: katas, solutions or a path (default solutions)")
    parser.add_argument("--fast-batch", type=int, default=256, help="batch size of the fast path (default 256)")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    if args.images is not None and args.images < 640:
        parser.error("--images must be at least 640 (ten tutorial batches)")
    if args.data is not None and not (Path(args.data) / "cifar-10-batches-py").is_dir():
        parser.error(f"--data {args.data}: no cifar-10-batches-py folder there")
    return parser, args


def devices(parser, choice):
    import torch

    if choice == "all":
        return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    if choice not in ("cpu", "cuda"):
        parser.error(f"--device {choice!r}: use cpu, cuda or all")
    if choice == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda, but CUDA is not available here (torch.cuda.is_available() is False)")
    return [choice]


def synchronize(device):
    import torch

    if device == "cuda":
        torch.cuda.synchronize()


def time_tutorial(training, modules, root, device, epochs):
    import torch
    from torch import nn
    from torch.utils.data import DataLoader
    from torchvision import datasets, transforms

    dataset = datasets.CIFAR10(str(root), train=True, transform=transforms.ToTensor(), download=False)
    loader = DataLoader(dataset, batch_size=64, shuffle=True)
    model = modules.CifarNet().to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
    warmup = [batch for _, batch in zip(range(5), loader)]
    training.train_one_epoch(model, warmup, nn.CrossEntropyLoss(), optimizer, device)
    synchronize(device)
    start = time.perf_counter()
    for _ in range(epochs):
        training.train_one_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, device)
    synchronize(device)
    return len(dataset) * epochs / (time.perf_counter() - start)


def time_fast(fast_training, modules, root, device, epochs, batch_size):
    import torch

    start = time.perf_counter()
    images, labels = fast_training.load_split_to_device(root, True, device)
    synchronize(device)
    load_seconds = time.perf_counter() - start
    model = modules.CifarNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    warm = min(len(images), 5 * batch_size)
    fast_training.train_fast(model, images[:warm], labels[:warm], 1, batch_size, optimizer=optimizer)
    synchronize(device)
    start = time.perf_counter()
    fast_training.train_fast(model, images, labels, epochs, batch_size, optimizer=optimizer)
    synchronize(device)
    return len(images) * epochs / (time.perf_counter() - start), load_seconds


def main(argv=None) -> int:
    parser, args = parse(argv)
    chosen = devices(parser, args.device)
    import torch

    from kata_harness import impl
    from kata_harness.testing.cifar_standin import lift_md5_check, write_cifar10

    try:
        impl.activate(impl.resolve(args.impl))
    except impl.ImplError as exc:
        parser.error(str(exc))
    from kata_impl import fast_training, modules, training

    print(f"torch {torch.__version__}; implementation: {impl.active_base()}")
    if torch.cuda.is_available():
        print(f"GPU: {torch.cuda.get_device_name()}")
    print(f"threads: {torch.get_num_threads()}; epochs timed: {args.epochs}")
    header = f"{'device':<7} {'images':>7} {'tutorial img/s':>15} {'fast img/s':>12} {'ratio':>7} {'fast: data to device':>21}"
    print(header)
    with tempfile.TemporaryDirectory() as scratch:
        import pytest

        with pytest.MonkeyPatch.context() as patch:
            for device in chosen:
                if args.data:
                    root = Path(args.data)
                else:
                    count = args.images or (20000 if device == "cuda" else 2000)
                    root = Path(scratch) / device
                    lift_md5_check(patch)
                    write_cifar10(root, train_per_class=count // 10, test_per_class=1)
                torch.manual_seed(0)
                tutorial = time_tutorial(training, modules, root, device, args.epochs)
                fast, load_seconds = time_fast(fast_training, modules, root, device, args.epochs, args.fast_batch)
                size = len(fast_training.load_split_to_device(root, True, "cpu")[1])
                print(f"{device:<7} {size:>7} {tutorial:>15.0f} {fast:>12.0f} {fast / tutorial:>6.1f}x {load_seconds:>20.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
