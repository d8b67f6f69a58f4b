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
    """Save the model object itself (architecture and weights) to ``path`` with torch.save.

    ``path`` is a str or a pathlib.Path. Reading the file back needs
    ``torch.load(path, weights_only=False)``: since torch 2.6 the default, weights_only=True,
    refuses a pickled module.
    """
    # TODO: write the model object itself, architecture and weights, to path.
    raise NotImplementedError("kata checkpoint.save_whole_model is not solved yet")


def load_whole_model(path: str | Path) -> nn.Module:
    """Load a model saved by save_whole_model (``path``: a str or a pathlib.Path) and return it.

    Pass ``weights_only=False`` to torch.load explicitly: the default changed to True in torch 2.6,
    and True refuses a pickled module. Trusted files only: this unpickles arbitrary objects. The
    model's class must be importable under the module path it was saved from; if it is not (a
    class defined in a script that the loading program cannot import), loading raises
    (ImportError or AttributeError) - let that error through.
    """
    # TODO: read the whole model back, allowing the full unpickling it needs (trusted files only).
    raise NotImplementedError("kata checkpoint.load_whole_model is not solved yet")


def save_state_dict(model: nn.Module, path: str | Path) -> None:
    """Save only the model's parameters and buffers (its state_dict) to ``path`` with torch.save.

    ``path`` is a str or a pathlib.Path; its suffix changes nothing. The file holds a dict from
    names to tensors - buffers such as BatchNorm's running statistics included - so it loads with
    ``torch.load(path, weights_only=True)``.
    """
    # TODO: write only the model's parameters and buffers to path, not the object.
    raise NotImplementedError("kata checkpoint.save_state_dict is not solved yet")


def load_state_dict_into(model: nn.Module, path: str | Path) -> nn.Module:
    """Load a state_dict from ``path`` (a str or a pathlib.Path) into ``model`` and return the model.

    Pass ``weights_only=True`` to torch.load explicitly (the default before torch 2.6 was False): it
    refuses anything but tensors and plain containers, so a malicious file cannot run code - the
    load raises instead. load_state_dict takes the dict, not the path (a path is a TypeError).
    Keep load_state_dict strict (its default): a file that does not fit the model - a layer
    missing from it, a layer the model does not have, or a layer of another size - raises
    RuntimeError instead of loading only part of the weights.
    """
    # TODO: fill model with the weights stored in path, loading tensors only, and fail loudly on any mismatch.
    raise NotImplementedError("kata checkpoint.load_state_dict_into is not solved yet")
