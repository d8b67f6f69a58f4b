"""The images are converted to add_image's default CHW layout by hand instead of passing dataformats: the HWC array
is transposed with numpy, and the float tensor is turned into uint8 pixels (x 255, rounded) by hand."""

import torch
from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_image_tensor(log_dir, tag, image, step=0):
    pixels = (image * 255).round().clamp(0, 255).to(torch.uint8)  # uint8 images are shown as they are
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_image(tag, pixels, global_step=step)


def log_image_array(log_dir, tag, image, step=0):
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_image(tag, image.transpose(2, 0, 1), global_step=step)  # (H, W, C) -> (C, H, W)
