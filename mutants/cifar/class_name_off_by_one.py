"""sample_with_class_name counts the classes from 1, looking up classes[target - 1]."""

from solutions.cifar import *  # noqa: F403


def sample_with_class_name(dataset, index):
    image, target = dataset[index]
    return image, dataset.classes[target - 1]
