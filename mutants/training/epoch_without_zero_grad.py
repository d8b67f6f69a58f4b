"""train_one_epoch never clears the gradients, so each step also applies every earlier batch's gradient."""

from solutions import training as _reference
from solutions.training import *  # noqa: F403


def train_one_epoch(model, batches, loss_fn, optimizer, device):
    model.train()
    losses = []
    for images, labels in batches:
        images, labels = _reference.move_batch(images, labels, device)
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
