"""conv2d_single adds the batch and channel dimensions with [None, None] and takes them away by indexing [0, 0],
which keeps an output side of 1."""

import torch.nn.functional as F

from solutions.conv import *  # noqa: F403


def conv2d_single(image, kernel, stride=1, padding=0):
    out = F.conv2d(image[None, None], kernel[None, None], stride=stride, padding=padding)
    return out[0, 0]
