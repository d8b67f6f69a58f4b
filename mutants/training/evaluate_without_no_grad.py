"""evaluate forgets torch.no_grad(), building an autograd graph for every test batch."""

from solutions import training as _reference
from solutions.training import *  # noqa: F403


def evaluate(model, batches, loss_fn, device):
    model.eval()
    correct, total, loss_sum = 0, 0, 0.0
    for images, labels in batches:
        images, labels = _reference.move_batch(images, labels, device)
        outputs = model(images)
        loss_sum += loss_fn(outputs, labels).item() * labels.shape[0]
        correct += (outputs.argmax(dim=1) == labels).sum().item()
        total += labels.shape[0]
    return correct / total, loss_sum / total
