"""pick_device asks torch.cuda.is_available() once, when the module is imported, and keeps that answer."""

import torch

from solutions.tensors import *  # noqa: F403

_DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def pick_device():
    return _DEVICE
