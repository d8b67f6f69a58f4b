"""load_split_to_device converts to float on the host and copies 4 bytes per pixel to the device instead of 1."""

import torch
from torchvision import datasets

from solutions.fast_training import *  # noqa: F403


def load_split_to_device(root, train, device):
    dataset = datasets.CIFAR10(str(root), train=train, download=False)
    images = torch.from_numpy(dataset.data).permute(0, 3, 1, 2).float().div(255)
    images = images.contiguous(memory_format=torch.channels_last).to(device)
    labels = torch.tensor(dataset.targets, device=device)
    return images, labels
