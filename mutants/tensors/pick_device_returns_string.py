"""pick_device returns the name 'cuda'/'cpu' instead of a torch.device."""

import torch

from solutions.tensors import *  # noqa: F403


def pick_device():
    return "cuda" if torch.cuda.is_available() else "cpu"
