"""log_graph traces the model with a made-up CIFAR-sized input instead of the example_input it was given."""

import torch
from torch.utils.tensorboard import SummaryWriter

from solutions.summary_writer import *  # noqa: F403


def log_graph(log_dir, model, example_input):
    with SummaryWriter(log_dir=log_dir) as writer:
        writer.add_graph(model, torch.rand(1, 3, 32, 32))
