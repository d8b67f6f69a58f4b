"""log_image_array moves the channels first with image.T, which gives (C, W, H): the image comes out transposed."""

from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_image_array(log_dir, tag, image, step=0):
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_image(tag, image.T, global_step=step)
