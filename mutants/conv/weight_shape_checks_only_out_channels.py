"""conv_weight_shape checks that out_channels divides by groups, but forgets in_channels."""

from solutions.conv import *  # noqa: F403


def conv_weight_shape(in_channels, out_channels, kernel_size, groups=1):
    if out_channels % groups:
        raise ValueError("out_channels must be divisible by groups")
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return (out_channels, in_channels // groups, kh, kw)
