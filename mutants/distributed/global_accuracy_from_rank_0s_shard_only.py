"""global_accuracy never combines the ranks' counts: each rank returns the accuracy of its own part (rank 0's is the one printed)."""

import torch

from solutions.distributed import *  # noqa: F403


def global_accuracy(model, loader, device):
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            correct += (model(images).argmax(dim=1) == labels).sum().item()
            total += labels.numel()
    return correct / total
