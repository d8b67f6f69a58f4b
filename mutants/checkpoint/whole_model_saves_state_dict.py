"""save_whole_model saves the state_dict, so the file holds a dict and no model object."""

import torch

from solutions.checkpoint import *  # noqa: F403


def save_whole_model(model, path):
    torch.save(model.state_dict(), path)
