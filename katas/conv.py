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
    """Convolve one 2-D image (H, W) with one 2-D kernel (kH, kW) using F.conv2d, returning 2-D.

    F.conv2d refuses 2-D tensors: give the image a batch and a channel dimension, (1, 1, H, W),
    and the kernel an output and an input channel dimension, (1, 1, kH, kW); then drop them again.
    """
    # TODO: add the missing dimensions, call F.conv2d, remove them again.
    raise NotImplementedError("kata conv.conv2d_single is not solved yet")


def conv2d_manual(x: torch.Tensor, weight: torch.Tensor, bias=None, stride=1, padding=0, dilation=1, groups=1) -> torch.Tensor:
    """Compute what F.conv2d computes, without calling F.conv2d (or nn.Conv2d): a cross-correlation.

    Args:
        x: (N, C_in, H, W). Any other number of dimensions raises RuntimeError (F.conv2d also accepts
            3-D unbatched input; this kata only asks for 4-D).
        weight: (C_out, C_in // groups, kH, kW).
        bias: None or (C_out,).
        stride, padding, dilation: an int or an (height, width) pair; padding adds zeros on both
            sides of each spatial dimension.
        groups: split the input channels and the output channels into ``groups`` equal parts; output
            group g only sees input group g.
    Returns:
        (N, C_out, H_out, W_out) with H_out = (H + 2*padH - dilH*(kH-1) - 1) // strideH + 1 (same for W).
    """
    # TODO: check the input is 4-D, cut out the windows (F.unfold helps), multiply by the kernels, add the bias.
    raise NotImplementedError("kata conv.conv2d_manual is not solved yet")


def conv_weight_shape(in_channels: int, out_channels: int, kernel_size, groups: int = 1) -> tuple[int, int, int, int]:
    """The shape of nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups).weight.

    (out_channels, in_channels // groups, kH, kW); kernel_size is an int or an (kH, kW) pair.
    Raise ValueError when in_channels or out_channels is not divisible by groups.
    """
    # TODO: check divisibility by groups, then build (out, in // groups, kH, kW).
    raise NotImplementedError("kata conv.conv_weight_shape is not solved yet")
