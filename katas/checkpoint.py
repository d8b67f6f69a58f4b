"""Kata 13: saving and loading models, both ways.

From the note's section 模型 · 保存/读取. Two ways:
1. the whole model object - pickled, so loading it runs the unpickler: it needs
   ``weights_only=False`` (the default became True in torch 2.6) and the model's class importable
   under the same module path. Only ever do this with files you trust: unpickling can run code.
2. the state_dict - a dict of tensors; loads with the safe ``weights_only=True`` into a model you
   build yourself. This is the recommended way.
The file's suffix (.pth, .pt, .pkl) changes nothing: torch.save always writes the same zip format.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


def save_whole_model(model: nn.Module, path: str | Path) -> None:
    """Save the model object itself (architecture and weights) to ``path``."""
    # TODO: torch.save the model object.
    raise NotImplementedError("kata checkpoint.save_whole_model is not solved yet")


def load_whole_model(path: str | Path) -> nn.Module:
    """Load a model saved by save_whole_model. Trusted files only: this unpickles arbitrary objects."""
    # TODO: torch.load the file, allowing full unpickling.
    raise NotImplementedError("kata checkpoint.load_whole_model is not solved yet")


def save_state_dict(model: nn.Module, path: str | Path) -> None:
    """Save only the model's parameters and buffers (its state_dict) to ``path``."""
    # TODO: torch.save the model's state_dict.
    raise NotImplementedError("kata checkpoint.save_state_dict is not solved yet")


def load_state_dict_into(model: nn.Module, path: str | Path) -> nn.Module:
    """Load a state_dict from ``path`` into ``model`` and return the model.

    Load with weights_only=True, which refuses anything but tensors and plain containers - so a
    malicious file cannot run code. load_state_dict takes the dict, not the path.
    """
    # TODO: torch.load the dict safely, then hand it to model.load_state_dict.
    raise NotImplementedError("kata checkpoint.load_state_dict_into is not solved yet")
