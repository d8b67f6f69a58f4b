"""load_split_to_device always reads the training split: the ``train`` argument is never passed on."""

import torch
from torchvision import datasets

from solutions.fast_training import *  # noqa: F403


def load_split_to_device(root, train, device):
    dataset = datasets.CIFAR10(str(root), download=False)
    images = torch.from_numpy(dataset.data).to(device).permute(0, 3, 1, 2).float().div(255)
    labels = torch.as_tensor(dataset.targets, dtype=torch.int64, device=device)
    return images.contiguous(memory_format=torch.channels_last), labels
