"""fit never calls model.train(), so a model left in eval mode trains with eval-mode Dropout/BatchNorm."""

import torch
from torch import nn

from solutions.optim import *  # noqa: F403
from solutions.optim import train_step


def fit(model, batches, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    return [train_step(model, nn.CrossEntropyLoss(), optimizer, x, y) for _ in range(epochs) for x, y in batches]
