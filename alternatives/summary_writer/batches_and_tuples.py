"""Tensor-minded variants: a scalar series logged with 0-d tensors, the images logged as a batch of one with
add_images (NCHW), the HWC array turned into a tensor with torch.from_numpy(...).permute, and the graph traced with
the example input wrapped in a tuple."""

import torch
from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_scalars(log_dir, tag, values):
    with SummaryWriter(log_dir=log_dir) as writer:
        for step, value in enumerate(torch.tensor(values)):
            writer.add_scalar(tag, value, global_step=step)


def log_image_tensor(log_dir, tag, image, step=0):
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_images(tag, image.unsqueeze(0), global_step=step)


def log_image_array(log_dir, tag, image, step=0):
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_image(tag, torch.from_numpy(image).permute(2, 0, 1), global_step=step)


def log_graph(log_dir, model, example_input):
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_graph(model, (example_input,))
