"""log_image_array turns the uint8 array into a float CHW tensor without dividing by 255: add_image then scales
0..255 by 255 again and nearly every pixel saturates."""

import torch
from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_image_array(log_dir, tag, image, step=0):
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_image(tag, torch.from_numpy(image).permute(2, 0, 1).float(), global_step=step)
