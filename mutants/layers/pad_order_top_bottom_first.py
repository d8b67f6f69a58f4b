"""pad2d_output_size reads four values as (top, bottom, left, right): height first, as for a shape."""

from solutions.layers import *  # noqa: F403


def pad2d_output_size(height, width, padding):
    top, bottom, left, right = (padding,) * 4 if isinstance(padding, int) else padding
    return height + top + bottom, width + left + right
