"""Kata 8: convolution with torch.nn.functional.conv2d, and by hand.

From the note's section 卷积. F.conv2d computes a cross-correlation: the kernel slides over the input
*without* being flipped. Every pair argument (stride, padding, dilation) is (height, width): the
first element acts vertically.

【中文】
练习 8：用 torch.nn.functional.conv2d 做卷积，再亲手实现一遍。

对应笔记的“卷积”一节。F.conv2d 计算的是互相关：卷积核在输入上滑动，*不*翻转。所有成对的参数
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

    F.conv2d must do the work (a test records the call), seeing the image as one single-channel input
    and the kernel as one filter over that channel. The result holds what F.conv2d computes for them
    with the same stride and padding - a cross-correlation, the kernel is not flipped, and padding adds
    zeros around the image - at the output size F.conv2d gives. It is always 2-D, (H_out, W_out), even
    when a side is 1: a 3x3 image and a 3x3 kernel give a (1, 1) result, not a 0-d tensor. Image and
    kernel may be square or not.

    Args:
        image: a 2-D float tensor (H, W).
        kernel: a 2-D float tensor (kH, kW).
        stride, padding: an int (both directions) or a (height, width) pair.
    Returns:
        a 2-D tensor (H_out, W_out).

    【中文】
    调用 F.conv2d，用一个二维卷积核 (kH, kW) 对一张二维图像 (H, W) 做卷积，返回二维结果。

    计算必须交给 F.conv2d 完成（测试会记录这次调用），而且在 F.conv2d 看来，图像是一个单通道的输入，
    卷积核是作用于这个通道的一个滤波器。结果就是 F.conv2d 在相同的 stride 和 padding 下对它们算出的值——
    互相关，卷积核不翻转，padding 在图像四周补零——尺寸也与 F.conv2d 的输出一致。结果始终是二维的
    (H_out, W_out)，即使某一边为 1 也是如此：3x3 的图像配 3x3 的卷积核得到形状为 (1, 1) 的结果，而不是
    0 维张量。图像和卷积核可以是正方形，也可以不是。

    参数：
        image：二维浮点张量 (H, W)。
        kernel：二维浮点张量 (kH, kW)。
        stride、padding：一个 int（两个方向相同）或 (高, 宽) 二元组。
    返回：
        二维张量 (H_out, W_out)。
    """
    # conv2d wants (N, C, H, W) input and (C_out, C_in, kH, kW) weight.
    # conv2d 要求输入为 (N, C, H, W)，权重为 (C_out, C_in, kH, kW)。
    result = F.conv2d(image.reshape(1, 1, *image.shape), kernel.reshape(1, 1, *kernel.shape), stride=stride, padding=padding)
    return result[0, 0]


def conv2d_manual(x: torch.Tensor, weight: torch.Tensor, bias=None, stride=1, padding=0, dilation=1, groups=1) -> torch.Tensor:
    """Compute by hand what F.conv2d computes for the same arguments - without any convolution of PyTorch.

    Neither F.conv2d, torch.conv2d nor nn.Conv2d may run, nor any other PyTorch convolution (such as
    torch.convolution or a 1-D or 3-D one): a test records the operators that run. Any other tensor
    operation, indexing and Python loops are fine.

    Args:
        x: (N, C_in, H, W) - N may be 0 - or unbatched (C_in, H, W), which gives an unbatched
            (C_out, H_out, W_out) result, as F.conv2d does. Any other number of dimensions (a 2-D
            image, a 5-D tensor) raises RuntimeError, as F.conv2d does.
        weight: (C_out, C_in // groups, kH, kW); the kernel is not flipped (a cross-correlation).
        bias: None, or (C_out,): bias[c] is added once to every value of output channel c.
        stride, padding, dilation: an int (both directions) or a (height, width) pair; padding adds
            zeros on both sides of each spatial dimension.
        groups: split the input channels and the output channels into ``groups`` equal parts; output
            group g only sees input group g.
    Returns:
        the tensor F.conv2d returns for the same arguments: the same shape, x's dtype, and the same
        values up to floating-point rounding.

    【中文】
    亲手算出 F.conv2d 对同样的参数会算出的结果——不得借助 PyTorch 的任何卷积。

    F.conv2d、torch.conv2d、nn.Conv2d 都不能运行，PyTorch 的其他卷积（例如 torch.convolution，或一维、
    三维卷积）也不行：测试会记录实际运行了哪些算子。其他张量运算、索引和 Python 循环都可以用。

    参数：
        x：(N, C_in, H, W)（N 可以为 0）；或不带批维度的 (C_in, H, W)，此时结果也不带批维度，为
            (C_out, H_out, W_out)，与 F.conv2d 一致。其他维数（二维图像、五维张量）抛出 RuntimeError，
            同样与 F.conv2d 一致。
        weight：(C_out, C_in // groups, kH, kW)；卷积核不翻转（互相关）。
        bias：None，或 (C_out,)：bias[c] 在输出通道 c 的每个值上各加一次。
        stride、padding、dilation：一个 int（两个方向相同）或 (高, 宽) 二元组；padding 在每个空间维度的
            两侧补零。
        groups：把输入通道和输出通道各分成 ``groups`` 等份；第 g 组输出只看得到第 g 组输入。
    返回：
        F.conv2d 对同样的参数返回的张量：形状相同，数据类型与 x 相同，数值在浮点舍入误差范围内相同。
    """
    if x.dim() == 3:  # unbatched (C, H, W): add a batch of one, and take it away again
        return conv2d_manual(x.unsqueeze(0), weight, bias, stride, padding, dilation, groups)[0]
    if x.dim() != 4:
        raise RuntimeError(f"conv2d_manual expects a 3-D (C, H, W) or 4-D (N, C, H, W) input, got {x.dim()}-D")
    stride, padding, dilation = _pair(stride), _pair(padding), _pair(dilation)
    n, c_in, h, w = x.shape
    c_out, c_per_group, kh, kw = weight.shape
    h_out = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    w_out = (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    # unfold cuts out every window: (N, C_in * kH * kW, L) with L = H_out * W_out window positions.
    # unfold 切出所有窗口：(N, C_in * kH * kW, L)，其中 L = H_out * W_out 是窗口位置的个数。
    windows = F.unfold(x, (kh, kw), dilation=dilation, padding=padding, stride=stride)
    windows = windows.reshape(n, groups, c_per_group * kh * kw, h_out * w_out)
    kernels = weight.reshape(groups, c_out // groups, c_per_group * kh * kw)
    # Each output channel is a dot product of its (unflipped) kernel with every window of its group.
    # 每个输出通道都是它（未翻转的）卷积核与本组每个窗口的点积。
    out = torch.einsum("gok,ngkl->ngol", kernels, windows).reshape(n, c_out, h_out, w_out)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out


def conv_weight_shape(in_channels: int, out_channels: int, kernel_size, groups: int = 1) -> tuple[int, int, int, int]:
    """The shape of nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups).weight.

    Return the shape such a layer's weight has, as a tuple of four Python ints (not floats, not
    tensors); kernel_size is an int (a square kernel) or a (kH, kW) pair. Raise ValueError when groups
    does not divide in_channels, and also when it does not divide out_channels (each count is checked
    on its own, as nn.Conv2d does).

    【中文】
    求 nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups).weight 的形状。

    以四个 Python int（不是浮点数，也不是张量）组成的元组，返回这样一层的权重所具有的形状；kernel_size
    是一个 int（正方形卷积核）或 (kH, kW) 二元组。groups 不能整除 in_channels 时抛出 ValueError；不能整除
    out_channels 时同样抛出（两个通道数分别检查，与 nn.Conv2d 一致）。
    """
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"in_channels ({in_channels}) and out_channels ({out_channels}) must be divisible by groups ({groups})")
    kh, kw = _pair(kernel_size)
    return (out_channels, in_channels // groups, kh, kw)
