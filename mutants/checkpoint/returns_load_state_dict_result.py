"""load_state_dict_into returns what load_state_dict returns (the missing/unexpected keys report), not the model."""

import torch

from solutions.checkpoint import *  # noqa: F403


def load_state_dict_into(model, path):
    return model.load_state_dict(torch.load(path, weights_only=True))
