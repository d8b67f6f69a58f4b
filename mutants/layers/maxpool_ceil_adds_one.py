"""maxpool2d_output_size treats ceil_mode as 'one more window than floor', even when the division is exact."""

from solutions import layers as _reference
from solutions.layers import *  # noqa: F403


def maxpool2d_output_size(height, width, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    h, w = _reference.maxpool2d_output_size(height, width, kernel_size, stride, padding, dilation, False)
    return (h + 1, w + 1) if ceil_mode else (h, w)
