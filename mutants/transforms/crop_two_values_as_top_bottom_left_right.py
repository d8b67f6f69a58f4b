"""random_crop reads two padding values as (top/bottom, left/right), height first, and swaps them for torchvision."""

from torchvision import transforms

from solutions.transforms import *  # noqa: F403


def random_crop(image, size, padding=None, pad_if_needed=False, fill=0):
    if isinstance(padding, (list, tuple)) and len(padding) == 2:
        padding = [padding[1], padding[0]]
    return transforms.RandomCrop(size, padding=padding, pad_if_needed=pad_if_needed, fill=fill)(image)
