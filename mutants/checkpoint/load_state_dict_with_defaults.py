"""load_state_dict_into calls torch.load(path) with the defaults: unsafe wherever the default is weights_only=False."""

import torch

from solutions.checkpoint import *  # noqa: F403


def load_state_dict_into(model, path):
    model.load_state_dict(torch.load(path))
    return model
