"""log_graph switches the model to eval() before add_graph and never back: the caller's model stays in eval mode."""

from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_graph(log_dir, model, example_input):
    model.eval()
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_graph(model, example_input)
