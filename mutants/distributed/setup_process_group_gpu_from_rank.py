"""setup_process_group picks the GPU cuda:RANK, which on the second machine names a GPU that does not exist (LOCAL_RANK numbers them per machine)."""

import os

import torch
import torch.distributed as dist

from solutions.distributed import *  # noqa: F403
from solutions.distributed import TORCHRUN_VARIABLES


def setup_process_group():
    missing = [name for name in TORCHRUN_VARIABLES if not os.environ.get(name)]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not set: launch with torchrun")
    rank, world_size = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    if torch.cuda.is_available():
        device = torch.device("cuda", rank)
        torch.cuda.set_device(device)
        backend = "nccl"
    else:
        device, backend = torch.device("cpu"), "gloo"
    dist.init_process_group(backend=backend, rank=rank, world_size=world_size)
    return rank, world_size, device
