"""pad2d_output_size reads four values as (left, top, right, bottom), torchvision's order, not F.pad's."""

from solutions.layers import *  # noqa: F403


def pad2d_output_size(height, width, padding):
    left, top, right, bottom = (padding,) * 4 if isinstance(padding, int) else padding
    return height + top + bottom, width + left + right
