"""fit writes its own loop and clears the gradients after each step instead of before backward: the first step
of a model that arrives with stale gradients uses them."""

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
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
    return losses
