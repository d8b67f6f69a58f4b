"""Open the file yourself and hand torch.save / torch.load the file object instead of the path."""

import torch

from solutions.checkpoint import *  # noqa: F403


def save_whole_model(model, path):
    with open(path, "wb") as file:
        torch.save(model, file)


def load_whole_model(path):
    with open(path, "rb") as file:
        return torch.load(file, weights_only=False)


def save_state_dict(model, path):
    with open(path, "wb") as file:
        torch.save(model.state_dict(), file)


def load_state_dict_into(model, path):
    with open(path, "rb") as file:
        state = torch.load(file, weights_only=True)
    model.load_state_dict(state)
    return model
