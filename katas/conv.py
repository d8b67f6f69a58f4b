"""Kata 8: convolution with torch.nn.functional.conv2d, and by hand.

From the note's section 卷积. F.conv2d computes a cross-correlation: the kernel slides over the input
*without* being flipped. Its input is (N, C_in, H, W) (or unbatched (C_in, H, W)); its weight is
(C_out, C_in / groups, kH, kW). Every pair argument (stride, padding, dilation) is (height, width):
the first element acts vertically.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def _pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


def conv2d_single(image: torch.Tensor, kernel: torch.Tensor, stride=1, padding=0) -> torch.Tensor:
    """Convolve one 2-D image (H, W) with one 2-D kernel (kH, kW) by calling F.conv2d; return a 2-D result.

    F.conv2d refuses 2-D tensors: give the image a channel dimension, and a batch dimension if you like
    ((1, H, W) unbatched or (1, 1, H, W)), and the kernel an output and an input channel dimension,
    (1, 1, kH, kW); then drop the added dimensions again, so the result is (H_out, W_out).
    stride and padding are an int or an (height, width) pair, passed on to F.conv2d.
    """
    # TODO: convolve the 2-D image with the 2-D kernel and return a 2-D (H_out, W_out) result.
    raise NotImplementedError("kata conv.conv2d_single is not solved yet")


def conv2d_manual(x: torch.Tensor, weight: torch.Tensor, bias=None, stride=1, padding=0, dilation=1, groups=1) -> torch.Tensor:
    """Compute what F.conv2d computes - a cross-correlation, the kernel is not flipped - by hand: without
    calling F.conv2d, torch.conv2d or nn.Conv2d (F.unfold, F.pad, slicing, loops and einsum are fine).

    Args:
        x: (N, C_in, H, W), or unbatched (C_in, H, W) giving an unbatched (C_out, H_out, W_out) result,
            as F.conv2d does. Any other number of dimensions (a 2-D image, a 5-D tensor) raises
            RuntimeError, as F.conv2d does.
        weight: (C_out, C_in // groups, kH, kW).
        bias: None or (C_out,).
        stride, padding, dilation: an int or an (height, width) pair; padding adds zeros on both
            sides of each spatial dimension.
        groups: split the input channels and the output channels into ``groups`` equal parts; output
            group g only sees input group g.
    Returns:
        (N, C_out, H_out, W_out) with H_out = (H + 2*padH - dilH*(kH-1) - 1) // strideH + 1 (same for W).
    """
    # TODO: reproduce F.conv2d by hand for 3-D or 4-D input: stride, padding, dilation, groups and bias.
    raise NotImplementedError("kata conv.conv2d_manual is not solved yet")


def conv_weight_shape(in_channels: int, out_channels: int, kernel_size, groups: int = 1) -> tuple[int, int, int, int]:
    """The shape of nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups).weight.

    Return a tuple of four Python ints, (out_channels, in_channels // groups, kH, kW); kernel_size is
    an int or an (kH, kW) pair. Raise ValueError when in_channels is not divisible by groups, and
    also when out_channels is not (each count is checked on its own, as nn.Conv2d does).
    """
    # TODO: return the weight's shape as four Python ints, refusing channel counts that groups does not divide.
    raise NotImplementedError("kata conv.conv_weight_shape is not solved yet")
