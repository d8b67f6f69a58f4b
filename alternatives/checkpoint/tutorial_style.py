"""The tutorial's style: str(path) handed to torch, the state_dict loaded into a variable first, and
load_state_dict's report checked by hand (strict loading already raises)."""

import torch

from solutions.checkpoint import *  # noqa: F403


def save_whole_model(model, path):
    torch.save(model, str(path))


def load_whole_model(path):
    model = torch.load(str(path), weights_only=False)
    return model


def save_state_dict(model, path):
    state_dict = model.state_dict()
    torch.save(state_dict, str(path))


def load_state_dict_into(model, path):
    state_dict = torch.load(str(path), weights_only=True)
    model.load_state_dict(state_dict)
    return model
