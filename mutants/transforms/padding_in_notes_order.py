"""random_crop believes the note: 4 padding values are (top, bottom, left, right), and reorders them for torchvision."""

from torchvision import transforms

from solutions.transforms import *  # noqa: F403


def random_crop(image, size, padding=None, pad_if_needed=False, fill=0):
    if isinstance(padding, (list, tuple)) and len(padding) == 4:
        top, bottom, left, right = padding
        padding = [left, top, right, bottom]
    return transforms.RandomCrop(size, padding=padding, pad_if_needed=pad_if_needed, fill=fill)(image)
