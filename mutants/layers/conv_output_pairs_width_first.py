"""conv2d_output_size reads every pair as (width, height)."""

from solutions import layers as _reference
from solutions.layers import *  # noqa: F403


def conv2d_output_size(height, width, kernel_size, stride=1, padding=0, dilation=1):
    swap = lambda v: v if isinstance(v, int) else (v[1], v[0])  # noqa: E731
    return _reference.conv2d_output_size(height, width, swap(kernel_size), swap(stride), swap(padding), swap(dilation))
