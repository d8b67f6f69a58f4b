"""conv2d_single adds the batch and channel dimensions for F.conv2d but forgets to drop them: it returns (1, 1, H, W)."""

import torch.nn.functional as F

from solutions.conv import *  # noqa: F403


def conv2d_single(image, kernel, stride=1, padding=0):
    return F.conv2d(image[None, None], kernel[None, None], stride=stride, padding=padding)
