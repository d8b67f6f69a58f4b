"""conv2d_output_size builds its answer with a list comprehension and returns [H_out, W_out], not a tuple."""

from solutions import layers as _reference
from solutions.layers import *  # noqa: F403


def conv2d_output_size(height, width, kernel_size, stride=1, padding=0, dilation=1):
    return list(_reference.conv2d_output_size(height, width, kernel_size, stride, padding, dilation))
