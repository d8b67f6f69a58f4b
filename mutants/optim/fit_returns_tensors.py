"""fit writes its own loop and collects loss.detach() for each step: 0-d tensors, not the promised floats."""

import torch
from torch import nn

from solutions.optim import *  # noqa: F403


def fit(model, batches, lr, epochs):
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
    return losses
