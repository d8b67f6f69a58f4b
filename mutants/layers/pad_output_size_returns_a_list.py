"""pad2d_output_size returns [height, width] as a list: the right numbers, but not the promised tuple."""

from solutions.layers import *  # noqa: F403


def pad2d_output_size(height, width, padding):
    left, right, top, bottom = (padding,) * 4 if isinstance(padding, int) else padding
    return [height + top + bottom, width + left + right]
