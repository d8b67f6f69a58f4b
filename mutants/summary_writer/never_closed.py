"""log_scalars never closes (or flushes) the writer, so the values may not be on disk when it returns."""

from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_scalars(log_dir, tag, values):
    writer = SummaryWriter(log_dir=log_dir)
    for step, value in enumerate(values):
        writer.add_scalar(tag, value, global_step=step)
