"""log_image_tensor multiplies the [0, 1] tensor by 255 first, although add_image scales float images itself."""

from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_image_tensor(log_dir, tag, image, step=0):
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_image(tag, image * 255, global_step=step)
