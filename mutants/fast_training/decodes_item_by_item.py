"""load_split_to_device indexes the dataset item by item with ToTensor: the slow path the kata replaces."""

import torch
from torchvision import datasets, transforms

from solutions.fast_training import *  # noqa: F403


def load_split_to_device(root, train, device):
    dataset = datasets.CIFAR10(str(root), train=train, transform=transforms.ToTensor(), download=False)
    images = torch.stack([dataset[i][0] for i in range(len(dataset))]).to(device)
    labels = torch.tensor(dataset.targets, device=device)
    return images.contiguous(memory_format=torch.channels_last), labels
