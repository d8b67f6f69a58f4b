"""conv2d_single reads the kernel size from its first dimension only (k = kernel.shape[0]) and views it as k x k:
right for every square kernel, an error for a 2x3 or 3x2 one."""

import torch.nn.functional as F

from solutions.conv import *  # noqa: F403


def conv2d_single(image, kernel, stride=1, padding=0):
    k = kernel.shape[0]
    result = F.conv2d(image.reshape(1, 1, *image.shape), kernel.reshape(1, 1, k, k), stride=stride, padding=padding)
    return result[0, 0]
