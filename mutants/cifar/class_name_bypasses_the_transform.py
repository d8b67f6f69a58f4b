"""sample_with_class_name builds the image from the raw dataset.data array instead of indexing the dataset: the
dataset's transform is skipped, so a dataset of tensors hands back a PIL image."""

from PIL import Image

from solutions.cifar import *  # noqa: F403


def sample_with_class_name(dataset, index):
    return Image.fromarray(dataset.data[index]), dataset.classes[dataset.targets[index]]
