"""save_state_dict forgets the call: torch.save(model.state_dict, path) pickles a bound method, i.e. the whole model."""

import torch

from solutions.checkpoint import *  # noqa: F403


def save_state_dict(model, path):
    torch.save(model.state_dict, path)
