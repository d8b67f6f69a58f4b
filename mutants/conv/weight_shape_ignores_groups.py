"""conv_weight_shape forgets to divide the input channels by groups."""

from solutions.conv import *  # noqa: F403


def conv_weight_shape(in_channels, out_channels, kernel_size, groups=1):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return (out_channels, in_channels, kh, kw)
