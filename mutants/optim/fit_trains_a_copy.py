"""fit trains a deep copy of the model "to be safe" (after putting the original in training mode): the losses are
right, but the caller's model - the one whose weights training is for - never changes."""

import copy

import torch
from torch import nn

from solutions.optim import *  # noqa: F403
from solutions.optim import train_step


def fit(model, batches, lr, epochs):
    model.train()
    work = copy.deepcopy(model)
    optimizer = torch.optim.SGD(work.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    return [train_step(work, loss_fn, optimizer, x, y) for _ in range(epochs) for x, y in batches]
