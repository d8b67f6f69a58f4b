"""fit makes one iterator over batches and reuses it for every epoch: after the first epoch it is exhausted."""

import torch
from torch import nn

from solutions.optim import *  # noqa: F403
from solutions.optim import train_step


def fit(model, batches, lr, epochs):
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    batch_iterator = iter(batches)
    return [train_step(model, nn.CrossEntropyLoss(), optimizer, x, y) for _ in range(epochs) for x, y in batch_iterator]
