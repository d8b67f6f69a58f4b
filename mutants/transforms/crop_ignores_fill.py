"""random_crop forgets to pass fill on to RandomCrop: the padding is always black."""

from torchvision import transforms

from solutions.transforms import *  # noqa: F403


def random_crop(image, size, padding=None, pad_if_needed=False, fill=0):
    return transforms.RandomCrop(size, padding=padding, pad_if_needed=pad_if_needed)(image)
