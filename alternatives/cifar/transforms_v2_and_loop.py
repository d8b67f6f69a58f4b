"""torchvision.transforms.v2 (ToImage then ToDtype(float32, scale=True)) in place of ToTensor; the class
name through the dataset's class list by unpacking; counts by a plain loop over the targets."""

import torch
from torchvision import datasets
from torchvision.transforms import v2

from solutions.cifar import *  # noqa: F403


def load_cifar10(root, train, transform=None):
    return datasets.CIFAR10(str(root), train=train, transform=transform)  # download defaults to False


def sample_with_class_name(dataset, index):
    image, label = dataset[index]
    names = dataset.classes
    return image, names[label]


def load_cifar10_tensors(root, train):
    to_tensor = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])
    return load_cifar10(root, train=train, transform=to_tensor)


def count_per_class(dataset):
    counts = {name: 0 for name in dataset.classes}
    for label in dataset.targets:
        counts[dataset.classes[label]] += 1
    return counts
