"""count_per_class sorts dataset.targets in place to group equal labels, reordering the dataset's labels."""

from itertools import groupby

from solutions.cifar import *  # noqa: F403


def count_per_class(dataset):
    dataset.targets.sort()
    counts = {name: 0 for name in dataset.classes}
    for label, group in groupby(dataset.targets):
        counts[dataset.classes[label]] = len(list(group))
    return counts
