"""log_image_array reshapes the (H, W, C) array to (C, H, W) instead of transposing it: the pixels are scrambled."""

from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_image_array(log_dir, tag, image, step=0):
    height, width, channels = image.shape
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_image(tag, image.reshape(channels, height, width), global_step=step)
