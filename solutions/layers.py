"""Kata 9: what every layer does to a shape, and how the non-parametric layers behave.

From the note's section 结构/层: convolution, pooling, padding, non-linear activations, normalization,
linear, dropout and embedding layers. The shape functions take plain ints and return a tuple of
plain Python ints (not floats, not tensors); the tests check them against the real layers over many
combinations.

【中文】
第 9 组练习：每种层如何改变张量的形状，以及不含参数的层有哪些行为。

对应笔记的“结构/层”一节：卷积层、池化层、填充层、非线性激活函数、归一化层、线性层、丢弃层（dropout）
和嵌入层（embedding）。计算形状的函数接收普通整数，返回由 Python int 组成的元组（不是 float，
也不是张量）；测试会在大量参数组合下把结果与真实的层逐一比对。
"""

from __future__ import annotations

import math

import torch
from torch import nn


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def _window_count(size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool) -> int:
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    if not ceil_mode:
        return span // stride + 1
    count = math.ceil(span / stride) + 1
    # With ceil_mode, a last window that would start inside the right padding is dropped.
    if (count - 1) * stride >= size + padding:
        count -= 1
    return count


def conv2d_output_size(height: int, width: int, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    """(H_out, W_out) of nn.Conv2d on an input of (height, width), as a tuple of two Python ints.

    Each of kernel_size, stride, padding and dilation is an int or an (height, width) pair.
    Per dimension: out = floor((size + 2*padding - dilation*(kernel - 1) - 1) / stride) + 1.

    【中文】
    计算 nn.Conv2d 作用于 (height, width) 的输入后得到的 (H_out, W_out)，以两个 Python int 组成的元组返回。

    卷积核大小 kernel_size、步幅 stride（笔记中称“步进”）、填充 padding（笔记中称“间隔”）和空洞 dilation
    各自可以是一个 int，也可以是 (height, width) 二元组。
    每个维度分别计算：out = floor((size + 2*padding - dilation*(kernel - 1) - 1) / stride) + 1。
    """
    k, s, p, d = _pair(kernel_size), _pair(stride), _pair(padding), _pair(dilation)
    return tuple(_window_count(size, k[i], s[i], p[i], d[i], False) for i, size in enumerate((height, width)))


def maxpool2d_output_size(height: int, width: int, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False) -> tuple[int, int]:
    """(H_out, W_out) of nn.MaxPool2d on an input of (height, width), as a tuple of two Python ints.

    Each setting is an int or an (height, width) pair. ``stride`` defaults to ``kernel_size`` (not 1).
    The formula is the convolution's (padding and dilation included), except that
    ceil_mode=True rounds up - keeping a last, partial window - unless that window would start in the
    right padding, in which case it is dropped.

    【中文】
    计算 nn.MaxPool2d 作用于 (height, width) 的输入后得到的 (H_out, W_out)，以两个 Python int 组成的元组返回。

    每个设置都可以是一个 int 或 (height, width) 二元组。``stride`` 默认等于 ``kernel_size``，而不是 1。
    公式与卷积相同（同样计入 padding 和 dilation），区别在于 ceil_mode=True 时向上取整，
    从而保留最后一个不完整的窗口；但如果这个窗口的起点落在右侧的填充区内，就把它舍弃。
    """
    k = _pair(kernel_size)
    s = k if stride is None else _pair(stride)
    p, d = _pair(padding), _pair(dilation)
    return tuple(_window_count(size, k[i], s[i], p[i], d[i], ceil_mode) for i, size in enumerate((height, width)))


def avgpool2d_output_size(height: int, width: int, kernel_size, stride=None, padding=0, ceil_mode=False) -> tuple[int, int]:
    """(H_out, W_out) of nn.AvgPool2d, two Python ints: the max-pool rule without dilation (stride defaults to kernel_size).

    【中文】
    计算 nn.AvgPool2d 的 (H_out, W_out)，返回两个 Python int：规则与最大池化相同，只是没有 dilation
    （stride 同样默认等于 kernel_size）。
    """
    return maxpool2d_output_size(height, width, kernel_size, stride, padding, 1, ceil_mode)


def pad2d_output_size(height: int, width: int, padding) -> tuple[int, int]:
    """(H_out, W_out), two Python ints, after nn.ZeroPad2d / ConstantPad2d / ReflectionPad2d / ReplicationPad2d(padding).

    An int pads all four sides. Four values are (left, right, top, bottom) - the order of
    torch.nn.functional.pad, which differs from torchvision's (left, top, right, bottom).

    【中文】
    计算经 nn.ZeroPad2d / ConstantPad2d / ReflectionPad2d / ReplicationPad2d(padding) 填充后的
    (H_out, W_out)，返回两个 Python int。

    padding 为一个 int 时，四条边都填充这么多。给出四个值时，顺序是 (left, right, top, bottom)，
    即 torch.nn.functional.pad 的顺序；它与 torchvision 的 (left, top, right, bottom) 不同。
    """
    left, right, top, bottom = (padding,) * 4 if isinstance(padding, int) else padding
    return height + top + bottom, width + left + right


def linear_output_shape(shape: tuple[int, ...], in_features: int, out_features: int) -> tuple[int, ...]:
    """The output shape of nn.Linear(in_features, out_features) on an input of ``shape``.

    Linear acts on the last dimension only: (..., in_features) -> (..., out_features), returned as a
    tuple of Python ints. Raise ValueError when the last dimension is not in_features (where
    nn.Linear itself would raise a RuntimeError about mat1 and mat2).

    【中文】
    nn.Linear(in_features, out_features) 作用于形状为 ``shape`` 的输入时，输出的形状。

    线性层只作用于最后一个维度：(..., in_features) -> (..., out_features)，结果以 Python int 元组返回。
    最后一个维度不等于 in_features 时抛出 ValueError（这种情况下 nn.Linear 本身会抛出 RuntimeError，
    提示 mat1 与 mat2 的形状无法相乘）。
    """
    if not shape or shape[-1] != in_features:
        raise ValueError(f"Linear({in_features}, {out_features}) needs a last dimension of {in_features}, got shape {shape}")
    return (*shape[:-1], out_features)


def max_pool(x: torch.Tensor, kernel_size, stride=None, padding=0, ceil_mode=False) -> torch.Tensor:
    """Max-pool ``x`` (N, C, H, W) as nn.MaxPool2d(kernel_size, stride, padding, ceil_mode=ceil_mode) does.

    The module or F.max_pool2d both do it. As for the layer, stride defaults to kernel_size and
    ceil_mode keeps a last partial window. Max pooling pads with -inf, not zero: padding never wins the max.
    The channels are pooled one by one: the result is (N, C, H_out, W_out).

    【中文】
    像 nn.MaxPool2d(kernel_size, stride, padding, ceil_mode=ceil_mode) 那样对 ``x`` (N, C, H, W) 做最大池化。

    用这个模块或 F.max_pool2d 都可以。与该层一致：stride 默认等于 kernel_size，ceil_mode 会保留
    最后一个不完整的窗口。最大池化用 -inf 而不是 0 来填充：填充值永远不会成为最大值。
    各个通道分别池化，结果形状为 (N, C, H_out, W_out)。
    """
    return nn.MaxPool2d(kernel_size, stride=stride, padding=padding, ceil_mode=ceil_mode)(x)


def pad_constant(x: torch.Tensor, padding, value: float) -> torch.Tensor:
    """Pad the last two dimensions of ``x`` with ``value``, as nn.ConstantPad2d(padding, value) does.

    padding: an int (all four sides) or (left, right, top, bottom).

    【中文】
    像 nn.ConstantPad2d(padding, value) 那样，用 ``value`` 填充 ``x`` 的最后两个维度。

    padding：一个 int（四条边相同），或 (left, right, top, bottom)。
    """
    return nn.ConstantPad2d(padding, value)(x)


def pad_reflect(x: torch.Tensor, padding) -> torch.Tensor:
    """Pad the last two dimensions by mirroring the border (the edge itself is not repeated), as nn.ReflectionPad2d does.

    padding: an int (all four sides) or (left, right, top, bottom).
    For a row [1, 2, 3] and padding 2 on the left: [3, 2, 1, 2, 3].

    【中文】
    像 nn.ReflectionPad2d 那样，以边界为镜面做镜像，填充最后两个维度（边缘像素本身不重复）。

    padding：一个 int（四条边相同），或 (left, right, top, bottom)。
    例如一行 [1, 2, 3] 在左侧填充 2 个元素，得到 [3, 2, 1, 2, 3]。
    """
    return nn.ReflectionPad2d(padding)(x)


def relu_inplace(x: torch.Tensor) -> torch.Tensor:
    """Apply ReLU in place, as nn.ReLU(inplace=True) does: negatives in ``x`` itself become 0, and ``x`` is returned.

    Because it overwrites ``x``, it raises RuntimeError for a leaf tensor that requires grad, as every
    in-place operation does (autograd would lose the value it needs).

    【中文】
    像 nn.ReLU(inplace=True) 那样原地应用 ReLU：``x`` 自身中的负数变为 0，并返回 ``x`` 本身。

    由于它会覆盖 ``x``，对需要梯度（requires grad）的叶子张量会抛出 RuntimeError，所有原地操作都是如此
    （否则自动求导会丢掉它所需要的值）。
    """
    return nn.ReLU(inplace=True)(x)


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Apply the sigmoid, 1 / (1 + exp(-x)), as nn.Sigmoid does, leaving ``x`` unchanged.

    Large inputs saturate to exactly 0.0 and 1.0 (sigmoid(-1000) == 0, sigmoid(1000) == 1), never nan.

    【中文】
    像 nn.Sigmoid 那样计算 sigmoid，即 1 / (1 + exp(-x))，并且不改动 ``x``。

    绝对值很大的输入会饱和到恰好 0.0 和 1.0（sigmoid(-1000) == 0，sigmoid(1000) == 1），绝不会得到 nan。
    """
    # nn.Sigmoid is a module: build it, then call it (nn.Sigmoid(x) would be a misuse).
    return nn.Sigmoid()(x)


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training: bool, momentum: float = 0.1, eps: float = 1e-5):
    """What nn.BatchNorm2d does, by hand - without calling F.batch_norm, torch.batch_norm or nn.BatchNorm2d.
    Returns (y, new_running_mean, new_running_var).

    x is (N, C, H, W); running_mean, running_var, weight and bias are (C,).
    - training: normalize with the batch's per-channel mean and *biased* variance (over N, H, W), and
      update the running statistics: new = (1 - momentum) * old + momentum * batch_statistic, where
      the running variance takes the *unbiased* batch variance.
    - not training: normalize with the running statistics and return them unchanged.
    y = (x - mean) / sqrt(var + eps) * weight + bias, with the per-channel vectors broadcast over N, H, W.
    Do not modify the arguments.

    【中文】
    手工实现 nn.BatchNorm2d 的计算，不得调用 F.batch_norm、torch.batch_norm 或 nn.BatchNorm2d。
    返回 (y, new_running_mean, new_running_var)。

    x 的形状为 (N, C, H, W)；running_mean、running_var、weight 和 bias 的形状均为 (C,)。
    - 训练时：用这一批数据每个通道的均值和*有偏*方差（在 N、H、W 上统计）做归一化，并更新滑动统计量：
      new = (1 - momentum) * old + momentum * batch_statistic，其中滑动方差取这一批的*无偏*方差。
    - 非训练时：用滑动统计量做归一化，并原样返回这些统计量。
    y = (x - mean) / sqrt(var + eps) * weight + bias，其中按通道的向量在 N、H、W 上广播。
    不要修改传入的参数。
    """
    if training:
        mean = x.mean(dim=(0, 2, 3))
        var = x.var(dim=(0, 2, 3), unbiased=False)
        count = x.numel() // x.shape[1]
        # The running variance is updated with the unbiased estimate, the normalization uses the biased one.
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * count / (count - 1)
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = running_mean.clone(), running_var.clone()
    shape = (1, -1, 1, 1)
    y = (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + eps) * weight.reshape(shape) + bias.reshape(shape)
    return y, new_mean, new_var


def channel_dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    """What nn.Dropout2d does, by hand: drop whole channels, not single elements.

    x is (N, C, H, W). In training, each (n, c) plane is zeroed with probability p - all of it - and
    the surviving planes are scaled by 1 / (1 - p) so that the expected value is unchanged. The
    decision is drawn independently for every sample and every channel (sample 0 and sample 1 do not
    share a mask). Draw the random numbers from torch's global RNG, so torch.manual_seed makes the
    result repeatable. x itself is never modified. When not training, return x unchanged.

    p may be 0 or 1, as for nn.Dropout2d: p = 0 keeps every plane (the result equals x) and p = 1
    zeroes everything (a result of zeros, never NaN). The result has x's shape, dtype and device: a
    float16, bfloat16 or float64 x gives a result of that dtype, and an x on a GPU (or any device) a
    result on that device.

    【中文】
    手工实现 nn.Dropout2d：丢弃整个通道，而不是单个元素。

    x 的形状为 (N, C, H, W)。训练时，每个 (n, c) 平面以概率 p 整体置零，保留下来的平面乘以
    1 / (1 - p)，使期望值保持不变。每个样本、每个通道都独立地决定是否丢弃（样本 0 和样本 1
    不共用同一个掩码）。随机数要从 torch 的全局随机数生成器中抽取，这样 torch.manual_seed 就能
    让结果可复现。x 本身始终不被修改。非训练时原样返回 x。

    与 nn.Dropout2d 一样，p 可以为 0 或 1：p = 0 时保留所有平面（结果等于 x），p = 1 时全部置零
    （结果全为零，绝不是 NaN）。结果的形状、数据类型（dtype）和设备都与 x 相同：x 为 float16、
    bfloat16 或 float64 时结果也是该类型，x 在 GPU（或任何设备）上时结果也在该设备上。
    """
    if not training or p == 0:
        return x
    if p == 1:  # every plane is dropped, and 1 / (1 - p) would turn them into 0 / 0 = NaN
        return torch.zeros_like(x)
    # One random draw per (sample, channel), on x's device, broadcast over the whole H x W plane; the mask in
    # x's dtype keeps a float16 or bfloat16 x from being promoted to float32.
    keep = (torch.rand(x.shape[0], x.shape[1], 1, 1, device=x.device) >= p).to(x.dtype)
    return x * keep / (1 - p)


def embedding_by_hand(weight: torch.Tensor, indices: torch.Tensor) -> torch.Tensor:
    """What nn.Embedding's forward does, by hand - without calling F.embedding or nn.Embedding: row
    ``indices[...]`` of ``weight`` for every index.

    weight is (num_embeddings, embedding_dim); indices is an int64 tensor of any shape (0-d included);
    the result has shape indices.shape + (embedding_dim,). An index out of range - negative, or
    num_embeddings and above - raises IndexError.

    【中文】
    手工实现 nn.Embedding 的前向传播，不得调用 F.embedding 或 nn.Embedding：对每个索引，
    取出 ``weight`` 的第 ``indices[...]`` 行。

    weight 的形状为 (num_embeddings, embedding_dim)；indices 是任意形状（包括 0 维）的 int64 张量；
    结果的形状为 indices.shape + (embedding_dim,)。索引越界（为负数，或大于等于 num_embeddings）时
    抛出 IndexError。
    """
    if indices.numel() and (indices.min() < 0 or indices.max() >= weight.shape[0]):
        raise IndexError(f"index out of range for an embedding of {weight.shape[0]} rows")
    return weight[indices]  # advanced indexing: one row per index, in the shape of indices
