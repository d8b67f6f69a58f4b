"""log_image_array uses add_images (a batch, NCHW) for a single image without a batch dimension."""

import torch
from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_image_array(log_dir, tag, image, step=0):
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_images(tag, torch.from_numpy(image).permute(2, 0, 1), global_step=step)
