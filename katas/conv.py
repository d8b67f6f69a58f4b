"""Kata 8: convolution with torch.nn.functional.conv2d, and by hand.

From the note's section 卷积. F.conv2d computes a cross-correlation: the kernel slides over the input
*without* being flipped. Its input is (N, C_in, H, W) (or unbatched (C_in, H, W)); its weight is
(C_out, C_in / groups, kH, kW). Every pair argument (stride, padding, dilation) is (height, width):
the first element acts vertically.

【中文】
练习 8：用 torch.nn.functional.conv2d 做卷积，再亲手实现一遍。

对应笔记的“卷积”一节。F.conv2d 计算的是互相关：卷积核在输入上滑动，*不*翻转。它的输入是
(N, C_in, H, W)（或不带批维度的 (C_in, H, W)）；权重是 (C_out, C_in / groups, kH, kW)。所有成对的参数
（步幅 stride、填充 padding、空洞 dilation；笔记把前两者叫作“步进”和“间隔”）都按 (高, 宽) 排列：
第一个元素作用于竖直方向。
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
    The result is always 2-D, (H_out, W_out), even when a side is 1: a 3x3 image and a 3x3 kernel
    give a (1, 1) result, not a 0-d tensor.
    stride and padding are an int or an (height, width) pair, passed on to F.conv2d.

    【中文】
    调用 F.conv2d，用一个二维卷积核 (kH, kW) 对一张二维图像 (H, W) 做卷积，返回二维结果。

    F.conv2d 不接受二维张量：要给图像加上通道维度，愿意的话再加上批维度（不带批维度的 (1, H, W)，
    或 (1, 1, H, W)），给卷积核加上输出通道和输入通道两个维度，变成 (1, 1, kH, kW)；算完再去掉这些
    添加的维度，使结果为 (H_out, W_out)。即使某一边为 1，结果也始终是二维的 (H_out, W_out)：3x3 的图像配
    3x3 的卷积核得到形状为 (1, 1) 的结果，而不是 0 维张量。stride 和 padding 是一个 int 或 (高, 宽) 二元组，
    原样传给 F.conv2d。
    """
    # TODO: convolve the 2-D image with the 2-D kernel and return a 2-D (H_out, W_out) result.
    # 待办：用二维卷积核对二维图像做卷积，返回二维的 (H_out, W_out) 结果。
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

    【中文】
    亲手算出 F.conv2d 所算的结果——互相关，卷积核不翻转：不得调用 F.conv2d、torch.conv2d 或 nn.Conv2d
    （F.unfold、F.pad、切片、循环和 einsum 都可以用）。

    参数：
        x：(N, C_in, H, W)；或不带批维度的 (C_in, H, W)，此时结果也不带批维度，为 (C_out, H_out, W_out)，
            与 F.conv2d 一致。其他维数（二维图像、五维张量）抛出 RuntimeError，同样与 F.conv2d 一致。
        weight：(C_out, C_in // groups, kH, kW)。
        bias：None 或 (C_out,)。
        stride、padding、dilation：一个 int 或 (高, 宽) 二元组；padding 在每个空间维度的两侧补零。
        groups：把输入通道和输出通道各分成 ``groups`` 等份；第 g 组输出只看得到第 g 组输入。
    返回：
        (N, C_out, H_out, W_out)，其中 H_out = (H + 2*padH - dilH*(kH-1) - 1) // strideH + 1（W 同理）。
    """
    # TODO: reproduce F.conv2d by hand for 3-D or 4-D input: stride, padding, dilation, groups and bias.
    # 待办：对三维或四维输入亲手复现 F.conv2d，包括 stride、padding、dilation、groups 和 bias。
    raise NotImplementedError("kata conv.conv2d_manual is not solved yet")


def conv_weight_shape(in_channels: int, out_channels: int, kernel_size, groups: int = 1) -> tuple[int, int, int, int]:
    """The shape of nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups).weight.

    Return a tuple of four Python ints, (out_channels, in_channels // groups, kH, kW); kernel_size is
    an int or an (kH, kW) pair. Raise ValueError when in_channels is not divisible by groups, and
    also when out_channels is not (each count is checked on its own, as nn.Conv2d does).

    【中文】
    求 nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups).weight 的形状。

    返回由四个 Python int 组成的元组 (out_channels, in_channels // groups, kH, kW)；kernel_size 是一个 int
    或 (kH, kW) 二元组。in_channels 不能被 groups 整除时抛出 ValueError；out_channels 不能被整除时同样抛出
    （两个通道数分别检查，与 nn.Conv2d 一致）。
    """
    # TODO: return the weight's shape as four Python ints, refusing channel counts that groups does not divide.
    # 待办：以四个 Python int 返回权重的形状；通道数不能被 groups 整除时要拒绝。
    raise NotImplementedError("kata conv.conv_weight_shape is not solved yet")
