"""random_crop forgets to pass pad_if_needed on to RandomCrop."""

from torchvision import transforms

from solutions.transforms import *  # noqa: F403


def random_crop(image, size, padding=None, pad_if_needed=False, fill=0):
    return transforms.RandomCrop(size, padding=padding, fill=fill)(image)
