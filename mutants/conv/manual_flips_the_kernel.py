"""conv2d_manual flips the kernel (a textbook convolution), but F.conv2d is a cross-correlation."""

from solutions import conv as _reference
from solutions.conv import *  # noqa: F403


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _reference.conv2d_manual(x, weight.flip(-2, -1), bias, stride, padding, dilation, groups)
