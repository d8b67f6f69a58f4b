"""random_crop picks the window with Python's random module, which torch.manual_seed does not control."""

import random

from torchvision import transforms
from torchvision.transforms import functional as F

from solutions.transforms import *  # noqa: F403


def random_crop(image, size, padding=None, pad_if_needed=False, fill=0):
    if padding is not None:
        image = F.pad(image, padding, fill=fill)
    height, width = (size, size) if isinstance(size, int) else size
    if pad_if_needed:
        image = transforms.RandomCrop((height, width), pad_if_needed=True, fill=fill)(image)
    image_height, image_width = F.get_dimensions(image)[1:]
    if height > image_height or width > image_width:
        raise ValueError("crop size is larger than the image")
    top = random.randint(0, image_height - height)
    left = random.randint(0, image_width - width)
    return F.crop(image, top, left, height, width)
