"""Kata 4: TensorBoard's SummaryWriter - scalars, images in CHW and HWC layout, and a model's graph.

From the note's section TensorBoard. The import is ``from torch.utils.tensorboard import SummaryWriter``.
Every function here opens its SummaryWriter on the given ``log_dir`` (never the default runs/ folder) and
closes it (``writer.close()`` or a ``with`` block) before returning, so that the event file is complete on disk.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from torch.utils.tensorboard import SummaryWriter


def log_scalars(log_dir: str, tag: str, values: Sequence[float]) -> None:
    """Log ``values`` as one scalar series under ``tag``, value i at global step i (0, 1, 2, ...)."""
    # TODO: store the values as one series under tag, value i at step i, in a complete event file in log_dir.
    raise NotImplementedError("kata summary_writer.log_scalars is not solved yet")


def log_image_tensor(log_dir: str, tag: str, image: torch.Tensor, step: int = 0) -> None:
    """Log one image under ``tag`` at global step ``step``: a float tensor (C, H, W) in [0, 1] (ToTensor's output).

    (C, H, W) and [0, 1] are add_image's default layout and value range: TensorBoard shows value v as pixel v * 255.
    """
    # TODO: store the (C, H, W) image under tag at the given step, leaving a complete event file in log_dir.
    raise NotImplementedError("kata summary_writer.log_image_tensor is not solved yet")


def log_image_array(log_dir: str, tag: str, image: np.ndarray, step: int = 0) -> None:
    """Log one image under ``tag`` at global step ``step``: a uint8 array (H, W, C), what ``np.array(pil_image)`` gives.

    That layout is not add_image's default; say which layout the data has. The pixel values (0..255) are shown as
    they are.
    """
    # TODO: store the (H, W, C) uint8 array under tag at the given step so that TensorBoard reads its channels right.
    raise NotImplementedError("kata summary_writer.log_image_array is not solved yet")


def log_graph(log_dir: str, model: nn.Module, example_input: torch.Tensor) -> None:
    """Log the graph of ``model``: TensorBoard traces it by running it once on ``example_input``.

    The model is left as it was: same weights, same train/eval mode.
    """
    # TODO: record the model's graph in log_dir, leaving its weights and its train/eval mode as they were.
    raise NotImplementedError("kata summary_writer.log_graph is not solved yet")
