"""avgpool2d_output_size defaults the stride to 1, as for convolutions."""

from solutions import layers as _reference
from solutions.layers import *  # noqa: F403


def avgpool2d_output_size(height, width, kernel_size, stride=None, padding=0, ceil_mode=False):
    return _reference.maxpool2d_output_size(height, width, kernel_size, stride or 1, padding, 1, ceil_mode)
