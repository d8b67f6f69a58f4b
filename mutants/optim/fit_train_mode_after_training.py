"""fit calls model.train() only after the loop, so a model handed over in eval mode trains in eval mode."""

import torch
from torch import nn

from solutions.optim import *  # noqa: F403
from solutions.optim import train_step


def fit(model, batches, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = [train_step(model, nn.CrossEntropyLoss(), optimizer, x, y) for _ in range(epochs) for x, y in batches]
    model.train()
    return losses
