"""sample_with_class_name looks the target up in a hand-written list instead of the dataset's classes."""

from solutions.cifar import *  # noqa: F403

NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def sample_with_class_name(dataset, index):
    image, target = dataset[index]
    return image, NAMES[target]
