"""train_step returns the loss recomputed after optimizer.step(), not the one the step was taken on."""

from solutions.optim import *  # noqa: F403


def train_step(model, loss_fn, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss_fn(model(inputs), targets).backward()
    optimizer.step()
    return loss_fn(model(inputs), targets).item()
