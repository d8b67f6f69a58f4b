"""count_per_class iterates over the dataset, decoding every image just to read its label."""

from collections import Counter

from solutions.cifar import *  # noqa: F403


def count_per_class(dataset):
    counts = Counter(target for _, target in dataset)
    return {name: counts.get(i, 0) for i, name in enumerate(dataset.classes)}
