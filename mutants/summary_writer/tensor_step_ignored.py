"""log_image_tensor forgets to pass global_step: the image is always at step 0."""

from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_image_tensor(log_dir, tag, image, step=0):
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_image(tag, image)
