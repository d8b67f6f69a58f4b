"""global_accuracy averages the ranks' accuracies (all_reduce of the accuracy, divided by the world size): wrong when the parts differ in size."""

import torch
import torch.distributed as dist

from solutions.distributed import *  # noqa: F403


def global_accuracy(model, loader, device):
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            correct += (model(images).argmax(dim=1) == labels).sum().item()
            total += labels.numel()
    accuracy = torch.tensor([correct / total], device=device)
    dist.all_reduce(accuracy)
    return accuracy.item() / dist.get_world_size()
