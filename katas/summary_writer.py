"""Kata 4: TensorBoard's SummaryWriter - scalars, images in CHW and HWC layout, and a model's graph.

From the note's section TensorBoard. The import is ``from torch.utils.tensorboard import SummaryWriter``.
Every function here writes into the given ``log_dir`` (never the default runs/ folder) and closes the
writer, so that the event file is complete on disk when it returns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from torch.utils.tensorboard import SummaryWriter


def log_scalars(log_dir: str, tag: str, values: Sequence[float]) -> None:
    """Log ``values`` as one scalar series under ``tag``, value i at global step i (0, 1, 2, ...)."""
    # TODO: open a SummaryWriter on log_dir, add each value at its step, close the writer.
    raise NotImplementedError("kata summary_writer.log_scalars is not solved yet")


def log_image_tensor(log_dir: str, tag: str, image: torch.Tensor, step: int = 0) -> None:
    """Log one image given as a float tensor of shape (C, H, W) with values in [0, 1] (ToTensor's output).

    (C, H, W) is add_image's default layout.
    """
    # TODO: open a SummaryWriter on log_dir, add the CHW image, close the writer.
    raise NotImplementedError("kata summary_writer.log_image_tensor is not solved yet")


def log_image_array(log_dir: str, tag: str, image: np.ndarray, step: int = 0) -> None:
    """Log one image given as a uint8 array of shape (H, W, C): what ``np.array(pil_image)`` returns.

    That layout is not add_image's default; say which layout the data has.
    """
    # TODO: add the HWC array with add_image, telling it the layout.
    raise NotImplementedError("kata summary_writer.log_image_array is not solved yet")


def log_graph(log_dir: str, model: nn.Module, example_input: torch.Tensor) -> None:
    """Log the graph of ``model``: TensorBoard traces it by running it once on ``example_input``."""
    # TODO: open a SummaryWriter on log_dir, add the model's graph with the example input, close it.
    raise NotImplementedError("kata summary_writer.log_graph is not solved yet")
