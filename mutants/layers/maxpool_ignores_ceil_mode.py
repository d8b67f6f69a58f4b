"""maxpool2d_output_size always rounds down, ignoring ceil_mode."""

from solutions import layers as _reference
from solutions.layers import *  # noqa: F403


def maxpool2d_output_size(height, width, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    return _reference.maxpool2d_output_size(height, width, kernel_size, stride, padding, dilation, False)
