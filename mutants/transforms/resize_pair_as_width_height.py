"""resize treats a pair as (width, height), PIL's order, instead of torchvision's (height, width)."""

from torchvision import transforms

from solutions.transforms import *  # noqa: F403


def resize(image, size):
    if isinstance(size, (list, tuple)):
        size = (size[1], size[0])
    return transforms.Resize(size)(image)
