"""log_graph "restores" the model with model.train() after add_graph: a model handed over in eval mode comes back in
train mode (Dropout and BatchNorm start behaving as in training)."""

from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_graph(log_dir, model, example_input):
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_graph(model, example_input)
    model.train()
