"""count_per_class zips the names with torch.bincount's result, so every count is a 0-d tensor."""

import torch

from solutions.cifar import *  # noqa: F403


def count_per_class(dataset):
    return dict(zip(dataset.classes, torch.bincount(torch.tensor(dataset.targets), minlength=len(dataset.classes))))
