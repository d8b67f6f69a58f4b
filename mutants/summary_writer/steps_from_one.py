"""log_scalars numbers the steps from 1 instead of 0."""

from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_scalars(log_dir, tag, values):
    with SummaryWriter(log_dir=log_dir) as writer:
        for step, value in enumerate(values, start=1):
            writer.add_scalar(tag, value, global_step=step)
