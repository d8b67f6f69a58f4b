"""setup_process_group does not check torchrun's variables: without torchrun it fails wherever the first one is read, with no word of torchrun."""

import os

import torch
import torch.distributed as dist

from solutions.distributed import *  # noqa: F403


def setup_process_group():
    rank = int(os.environ.get("RANK", 0))
    world_size = int(os.environ.get("WORLD_SIZE", 1))
    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    if torch.cuda.is_available():
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
        backend = "nccl"
    else:
        device, backend = torch.device("cpu"), "gloo"
    dist.init_process_group(backend=backend, rank=rank, world_size=world_size)
    return rank, world_size, device
