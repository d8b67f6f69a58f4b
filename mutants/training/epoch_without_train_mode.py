"""train_one_epoch never calls model.train(): after an evaluation, the model trains in eval mode."""

from solutions import training as _reference
from solutions.training import *  # noqa: F403


def train_one_epoch(model, batches, loss_fn, optimizer, device):
    losses = []
    for images, labels in batches:
        images, labels = _reference.move_batch(images, labels, device)
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
