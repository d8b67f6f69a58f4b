"""sample_with_class_name names the right class but returns the first image of the dataset, not item index's."""

from solutions.cifar import *  # noqa: F403


def sample_with_class_name(dataset, index):
    return dataset[0][0], dataset.classes[dataset.targets[index]]
