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
    # The context manager closes (and so flushes) the writer.
    with SummaryWriter(log_dir=log_dir) as writer:
        for step, value in enumerate(values):
            writer.add_scalar(tag, value, global_step=step)


def log_image_tensor(log_dir: str, tag: str, image: torch.Tensor, step: int = 0) -> None:
    """Log one image under ``tag`` at global step ``step``: a float tensor (C, H, W) in [0, 1] (ToTensor's output).

    (C, H, W) and [0, 1] are add_image's default layout and value range: TensorBoard shows value v as pixel v * 255.
    """
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_image(tag, image, global_step=step)


def log_image_array(log_dir: str, tag: str, image: np.ndarray, step: int = 0) -> None:
    """Log one image under ``tag`` at global step ``step``: a uint8 array (H, W, C), what ``np.array(pil_image)`` gives.

    That layout is not add_image's default; say which layout the data has. The pixel values (0..255) are shown as
    they are.
    """
    with SummaryWriter(log_dir=log_dir) as writer:
        # np.array(PIL image) is height x width x channels, not add_image's default CHW.
        writer.add_image(tag, image, global_step=step, dataformats="HWC")


def log_graph(log_dir: str, model: nn.Module, example_input: torch.Tensor) -> None:
    """Log the graph of ``model``: TensorBoard traces it by running it once on ``example_input``.

    The model is left as it was: same weights, same train/eval mode.
    """
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_graph(model, example_input)
