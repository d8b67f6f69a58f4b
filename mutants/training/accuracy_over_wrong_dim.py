"""evaluate takes the argmax over dim 0 (the batch) instead of dim 1 (the classes)."""

import torch

from solutions import training as _reference
from solutions.training import *  # noqa: F403


def evaluate(model, batches, loss_fn, device):
    model.eval()
    correct, total, loss_sum = 0, 0, 0.0
    with torch.no_grad():
        for images, labels in batches:
            images, labels = _reference.move_batch(images, labels, device)
            outputs = model(images)
            loss_sum += loss_fn(outputs, labels).item() * labels.shape[0]
            correct += (outputs.argmax(dim=0)[: labels.shape[0]] == labels).sum().item()
            total += labels.shape[0]
    return correct / total, loss_sum / total
