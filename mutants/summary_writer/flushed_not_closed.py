"""log_image_tensor flushes the writer but never closes it (its background thread keeps running)."""

from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_image_tensor(log_dir, tag, image, step=0):
    writer = SummaryWriter(log_dir=log_dir)
    writer.add_image(tag, image, global_step=step)
    writer.flush()
