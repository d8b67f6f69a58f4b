"""random_crop crops first and pads the crop afterwards: the result is larger than size."""

from torchvision import transforms

from solutions.transforms import *  # noqa: F403


def random_crop(image, size, padding=None, pad_if_needed=False, fill=0):
    image = transforms.RandomCrop(size, pad_if_needed=pad_if_needed, fill=fill)(image)
    return transforms.Pad(padding, fill=fill)(image) if padding is not None else image
