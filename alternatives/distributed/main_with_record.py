"""main decorated with torchrun's documented ``@record`` (torch.distributed.elastic.multiprocessing.errors), which
writes a failing rank's traceback where torchrun reports it. The decorator wraps main with functools.wraps: the
wrapper's ``__globals__`` are torch's module, while main still looks its names up in this one."""

import argparse
import os
import sys

from torch.distributed.elastic.multiprocessing.errors import record

from solutions.distributed import *  # noqa: F403
from solutions.distributed import TORCHRUN_VARIABLES, run_distributed, setup_process_group, teardown_process_group


@record
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="distributed",
        description="Train the note's CIFAR10 network on every rank that torchrun starts; rank 0 reports the test accuracy.",
        epilog=f"Launch with torchrun: torchrun --nproc_per_node=2 -m {__package__ or '<package>'}.distributed --data DIR",
    )
    parser.add_argument("--data", required=True, help="folder holding cifar-10-batches-py/")
    parser.add_argument("--epochs", type=int, default=10, help="number of passes over the training set (default 10)")
    parser.add_argument("--batch-size", type=int, default=64, help="images per step and rank (default 64)")
    parser.add_argument("--lr", type=float, default=1e-2, help="SGD learning rate (default 0.01)")
    parser.add_argument("--log-dir", default=None, help="TensorBoard log folder, written by rank 0 (default: no log)")
    parser.add_argument("--checkpoint", default=None, help="file for the weights, written by rank 0 (default: none)")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1:
        parser.error("--epochs and --batch-size must be at least 1")
    if not args.lr > 0:  # also refuses nan
        parser.error("--lr must be above 0")
    missing = [name for name in TORCHRUN_VARIABLES if not os.environ.get(name)]
    if missing:  # started with plain python: say how to start it instead
        parser.error(
            f"{', '.join(missing)} not set: launch this program with torchrun, which starts one process per device "
            f"and sets them, e.g. torchrun --nproc_per_node=2 -m {__package__ or '<package>'}.distributed --data DIR"
        )
    rank, _, device = setup_process_group()

    def report(epoch: int, accuracy: float) -> None:
        print(f"epoch {epoch}: test accuracy {accuracy:.4f}", flush=True)

    try:
        run_distributed(args.data, args.epochs, device, args.batch_size, args.lr, args.log_dir, args.checkpoint,
                        on_epoch=report if rank == 0 else None)  # fmt: skip
    except RuntimeError:  # torchvision's "Dataset not found or corrupted. You can use download=True ..."
        if rank == 0:  # one report, and none of torchvision's download advice: this program never downloads
            print(
                f"error: no CIFAR10 dataset (cifar-10-batches-py/) in {args.data!r}: this program never downloads; "
                "fetch CIFAR10 into that folder first, then give it with --data",
                file=sys.stderr,
            )
        return 1  # on every rank: the launch failed
    finally:
        teardown_process_group()  # also after an error: close the group's connections
    return 0


if __name__ == "__main__":
    sys.exit(main())
