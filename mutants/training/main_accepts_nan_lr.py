"""main refuses --lr with 'args.lr <= 0', which lets --lr nan through (every comparison with nan is False): the
run trains with a learning rate of nan instead of stopping with a usage error."""

from __future__ import annotations

import argparse  # noqa: F401
import sys  # noqa: F401
from pathlib import Path  # noqa: F401

import torch  # noqa: F401
from torch import nn  # noqa: F401

from solutions.modules import CifarNet  # noqa: F401
from solutions.training import *  # noqa: F403
from solutions.training import evaluate, move_batch, train_one_epoch  # noqa: F401


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="training", description="Train the note's CIFAR10 network and report test accuracy.")
    parser.add_argument("--data", required=True, help="folder holding cifar-10-batches-py/")
    parser.add_argument("--epochs", type=int, default=10, help="number of passes over the training set (default 10)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu", help="cpu, cuda, cuda:1, ...")
    parser.add_argument("--log-dir", default=None, help="TensorBoard log folder (default: no logging)")
    parser.add_argument("--batch-size", type=int, default=64, help="images per training step (default 64)")
    parser.add_argument("--lr", type=float, default=1e-2, help="SGD learning rate (default 0.01)")
    parser.add_argument("--download", action="store_true", help="download CIFAR10 into --data if it is missing")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1:
        parser.error("--epochs and --batch-size must be at least 1")
    if args.lr <= 0:
        parser.error("--lr must be above 0")
    try:
        device = torch.device(args.device)
    except RuntimeError:
        parser.error(f"--device {args.device!r} is not a device name such as cpu, cuda or cuda:0")
    if device.type == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda, but CUDA is not available here (torch.cuda.is_available() is False)")

    def report(epoch: int, accuracy: float) -> None:
        # flush: through a pipe or into a log file, stdout is block-buffered and would hold the line back
        # flush：经由管道或写入日志文件时，stdout 是块缓冲的，不刷新就会把这一行扣在缓冲区里
        print(f"epoch {epoch}: test accuracy {accuracy:.4f}", flush=True)

    try:
        run_training(args.data, args.epochs, device, args.log_dir, args.batch_size, args.lr, args.download, on_epoch=report)
    except RuntimeError as exc:  # torchvision's "Dataset not found or corrupted"
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
