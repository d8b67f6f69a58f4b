"""load_split_to_device forgets the device: the images and labels stay in host memory."""

import torch
from torchvision import datasets

from solutions.fast_training import *  # noqa: F403


def load_split_to_device(root, train, device):
    dataset = datasets.CIFAR10(str(root), train=train, download=False)
    images = torch.from_numpy(dataset.data).permute(0, 3, 1, 2).float().div(255)
    return images.contiguous(memory_format=torch.channels_last), torch.tensor(dataset.targets)
