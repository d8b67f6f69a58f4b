"""conv2d_single reads a stride or padding pair as (width, height), as for an image size in PIL."""

import torch.nn.functional as F

from solutions.conv import *  # noqa: F403


def conv2d_single(image, kernel, stride=1, padding=0):
    swap = lambda v: v if isinstance(v, int) else (v[1], v[0])  # noqa: E731
    return F.conv2d(image[None, None], kernel[None, None], stride=swap(stride), padding=swap(padding))[0, 0]
