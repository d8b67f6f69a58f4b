"""pad2d_output_size adds an int padding once per dimension instead of on both sides."""

from solutions import layers as _reference
from solutions.layers import *  # noqa: F403


def pad2d_output_size(height, width, padding):
    if isinstance(padding, int):
        return height + padding, width + padding
    return _reference.pad2d_output_size(height, width, padding)
