"""conv2d_output_size leaves out the dilation: a dilated kernel seems as small as an undilated one."""

from solutions import layers as _reference
from solutions.layers import *  # noqa: F403


def conv2d_output_size(height, width, kernel_size, stride=1, padding=0, dilation=1):
    return _reference.conv2d_output_size(height, width, kernel_size, stride, padding, 1)
