"""log_scalars writes the string "tag" instead of the tag it was given."""

from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_scalars(log_dir, tag, values):
    with SummaryWriter(log_dir=log_dir) as writer:
        for step, value in enumerate(values):
            writer.add_scalar("tag", value, global_step=step)
