"""conv_weight_shape puts a (kH, kW) kernel_size pair in the weight as (kW, kH)."""

from solutions.conv import *  # noqa: F403


def conv_weight_shape(in_channels, out_channels, kernel_size, groups=1):
    if in_channels % groups or out_channels % groups:
        raise ValueError("channels must be divisible by groups")
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return (out_channels, in_channels // groups, kw, kh)
