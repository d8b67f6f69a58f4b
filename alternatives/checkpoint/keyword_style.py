"""Keyword arguments everywhere (obj=, f=, map_location=, strict=True spelled out), and a detached copy of the
state_dict as a plain dict."""

import torch

from solutions.checkpoint import *  # noqa: F403


def save_whole_model(model, path):
    torch.save(obj=model, f=path)


def load_whole_model(path):
    return torch.load(f=path, map_location="cpu", weights_only=False)


def save_state_dict(model, path):
    torch.save(obj={name: t.detach().clone() for name, t in model.state_dict().items()}, f=path)


def load_state_dict_into(model, path):
    result = model.load_state_dict(torch.load(f=path, map_location=torch.device("cpu"), weights_only=True), strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    return model
