"""sample_with_class_name returns the item unchanged: (image, target index) instead of the class name."""

from solutions.cifar import *  # noqa: F403


def sample_with_class_name(dataset, index):
    return dataset[index]
