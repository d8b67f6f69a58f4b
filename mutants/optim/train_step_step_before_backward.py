"""train_step calls optimizer.step() before loss.backward(): the step sees no gradient (or the previous one), and
the fresh gradient is left in .grad, unused."""

from solutions.optim import *  # noqa: F403


def train_step(model, loss_fn, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    optimizer.step()
    loss.backward()
    return loss.item()
