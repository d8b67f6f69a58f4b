"""evaluate averages the per-batch mean losses, over-weighting a small last batch."""

import torch

from solutions import training as _reference
from solutions.training import *  # noqa: F403


def evaluate(model, batches, loss_fn, device):
    model.eval()
    correct, total, batch_losses = 0, 0, []
    with torch.no_grad():
        for images, labels in batches:
            images, labels = _reference.move_batch(images, labels, device)
            outputs = model(images)
            batch_losses.append(loss_fn(outputs, labels).item())
            correct += (outputs.argmax(dim=1) == labels).sum().item()
            total += labels.shape[0]
    return correct / total, sum(batch_losses) / len(batch_losses)
