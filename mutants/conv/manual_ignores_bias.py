"""conv2d_manual computes the cross-correlation but never adds the bias."""

from solutions import conv as _reference
from solutions.conv import *  # noqa: F403


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _reference.conv2d_manual(x, weight, None, stride, padding, dilation, groups)
