"""save_checkpoint saves the DDP wrapper's state_dict, whose keys start with 'module.': a plain model refuses to load it."""

import torch
import torch.distributed as dist

from solutions.distributed import *  # noqa: F403


def save_checkpoint(model, path):
    if dist.get_rank() == 0:
        torch.save(model.state_dict(), path)
    dist.barrier()
