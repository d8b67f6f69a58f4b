"""Every kata opens the writer with a positional log_dir and closes it explicitly in try/finally, no 'with' block;
the scalar series uses add_scalar's positional global_step."""

from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_scalars(log_dir, tag, values):
    writer = SummaryWriter(log_dir)
    try:
        step = 0
        for value in values:
            writer.add_scalar(tag, float(value), step)
            step += 1
    finally:
        writer.close()


def log_image_tensor(log_dir, tag, image, step=0):
    writer = SummaryWriter(log_dir)
    try:
        writer.add_image(tag, image, step, dataformats="CHW")
    finally:
        writer.close()


def log_image_array(log_dir, tag, image, step=0):
    writer = SummaryWriter(log_dir)
    writer.add_image(tag, image, step, dataformats="HWC")
    writer.flush()
    writer.close()


def log_graph(log_dir, model, example_input):
    writer = SummaryWriter(log_dir)
    try:
        writer.add_graph(model, input_to_model=example_input)
    finally:
        writer.close()
