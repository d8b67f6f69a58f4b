"""main passes --device straight through, so 'cuda' on a CPU-only machine crashes with a traceback."""

import argparse

from solutions import training as _reference
from solutions.training import *  # noqa: F403


def main(argv=None):
    parser = argparse.ArgumentParser(prog="training")
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--log-dir", default=None)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--download", action="store_true")
    args = parser.parse_args(argv)
    _reference.run_training(
        args.data, args.epochs, args.device, args.log_dir, args.batch_size, args.lr, args.download,
        on_epoch=lambda epoch, accuracy: print(f"epoch {epoch}: test accuracy {accuracy:.4f}", flush=True),
    )  # fmt: skip
    return 0
