"""avgpool2d_output_size always rounds down, forgetting to pass ceil_mode on."""

from solutions import layers as _reference
from solutions.layers import *  # noqa: F403


def avgpool2d_output_size(height, width, kernel_size, stride=None, padding=0, ceil_mode=False):
    return _reference.maxpool2d_output_size(height, width, kernel_size, stride, padding, 1, False)
