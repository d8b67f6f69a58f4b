"""count_per_class counts with np.bincount and keeps its numpy integers as the counts."""

import numpy as np

from solutions.cifar import *  # noqa: F403


def count_per_class(dataset):
    counts = np.bincount(dataset.targets, minlength=len(dataset.classes))
    return {name: counts[i] for i, name in enumerate(dataset.classes)}
