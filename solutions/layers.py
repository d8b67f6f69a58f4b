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
    # 开启 ceil_mode 时，起点会落在右侧填充区内的最后一个窗口被舍弃。
    if (count - 1) * stride >= size + padding:
        count -= 1
    return count


def conv2d_output_size(height: int, width: int, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    """(H_out, W_out) of nn.Conv2d on an input of (height, width), as a tuple of two Python ints.

    Each of kernel_size, stride, padding and dilation is an int or a (height, width) pair - the first
    element acts on the height. The result is the spatial size nn.Conv2d(in, out, kernel_size, stride,
    padding, dilation) gives for the same arguments, for every combination: for example a 5x5 kernel with
    padding 2 keeps 32x32 at 32x32, stride (2, 1) turns 6x6 into (3, 6), padding (1, 0) turns 6x6 into
    (8, 6), and a 3x3 kernel with dilation 2 turns 7x7 into (3, 3). Not floats, not tensors, not a list.

    【中文】
    计算 nn.Conv2d 作用于 (height, width) 的输入后得到的 (H_out, W_out)，以两个 Python int 组成的元组返回。

    卷积核大小 kernel_size、步幅 stride（笔记中称“步进”）、填充 padding（笔记中称“间隔”）和空洞 dilation
    各自可以是一个 int，也可以是 (height, width) 二元组——第一个元素作用于高度。对任意参数组合，结果都与
    nn.Conv2d(in, out, kernel_size, stride, padding, dilation) 在相同参数下给出的空间尺寸一致：例如 5x5
    卷积核配 padding 2 时，32x32 仍是 32x32；stride (2, 1) 把 6x6 变成 (3, 6)；padding (1, 0) 把 6x6 变成
    (8, 6)；dilation 为 2 的 3x3 卷积核把 7x7 变成 (3, 3)。返回值不能是 float、张量或列表。
    """
    k, s, p, d = _pair(kernel_size), _pair(stride), _pair(padding), _pair(dilation)
    return tuple(_window_count(size, k[i], s[i], p[i], d[i], False) for i, size in enumerate((height, width)))


def maxpool2d_output_size(height: int, width: int, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False) -> tuple[int, int]:
    """(H_out, W_out) of nn.MaxPool2d on an input of (height, width), as a tuple of two Python ints.

    Each setting is an int or a (height, width) pair. The result is the spatial size
    nn.MaxPool2d(kernel_size, stride, padding, dilation, ceil_mode=ceil_mode) gives for the same arguments,
    for every combination. stride=None means the layer's own default, which is not 1: (32, 32) with kernel
    2 gives (16, 16). ceil_mode=True keeps a last, partial window: (5, 5) with kernel 3 gives (2, 2)
    instead of (1, 1) - but never a window the layer itself would not produce ((5, 5), kernel 2, stride 2,
    padding 1, ceil_mode=True gives (3, 3)).

    【中文】
    计算 nn.MaxPool2d 作用于 (height, width) 的输入后得到的 (H_out, W_out)，以两个 Python int 组成的元组返回。

    每个设置都可以是一个 int 或 (height, width) 二元组。对任意参数组合，结果都与
    nn.MaxPool2d(kernel_size, stride, padding, dilation, ceil_mode=ceil_mode) 在相同参数下给出的空间尺寸
    一致。stride=None 表示该层自己的默认值，而它不是 1：(32, 32) 配池化窗口 2 得到 (16, 16)。
    ceil_mode=True 会保留最后一个不完整的窗口：(5, 5) 配池化窗口 3 得到 (2, 2) 而不是 (1, 1)——但绝不会多出
    该层自己不会产生的窗口（(5, 5)、池化窗口 2、stride 2、padding 1、ceil_mode=True 得到 (3, 3)）。
    """
    k = _pair(kernel_size)
    s = k if stride is None else _pair(stride)
    p, d = _pair(padding), _pair(dilation)
    return tuple(_window_count(size, k[i], s[i], p[i], d[i], ceil_mode) for i, size in enumerate((height, width)))


def avgpool2d_output_size(height: int, width: int, kernel_size, stride=None, padding=0, ceil_mode=False) -> tuple[int, int]:
    """(H_out, W_out) of nn.AvgPool2d on an input of (height, width), as a tuple of two Python ints.

    The spatial size nn.AvgPool2d(kernel_size, stride, padding, ceil_mode=ceil_mode) gives for the same
    arguments, for every combination (the layer has no dilation). As for max pooling, stride=None is the
    layer's own default: (9, 6) with kernel 3 gives (3, 2).

    【中文】
    计算 nn.AvgPool2d 作用于 (height, width) 的输入后得到的 (H_out, W_out)，以两个 Python int 组成的元组返回。

    对任意参数组合，结果都与 nn.AvgPool2d(kernel_size, stride, padding, ceil_mode=ceil_mode) 在相同参数下
    给出的空间尺寸一致（这个层没有 dilation）。与最大池化一样，stride=None 表示该层自己的默认值：
    (9, 6) 配池化窗口 3 得到 (3, 2)。
    """
    return maxpool2d_output_size(height, width, kernel_size, stride, padding, 1, ceil_mode)


def pad2d_output_size(height: int, width: int, padding) -> tuple[int, int]:
    """(H_out, W_out), two Python ints, after nn.ZeroPad2d / ConstantPad2d / ReflectionPad2d / ReplicationPad2d(padding).

    The result is the spatial size those four layers give for the same padding. An int pads all four
    sides. Four values are (left, right, top, bottom) - the order of torch.nn's padding layers and
    torch.nn.functional.pad, which differs from torchvision's (left, top, right, bottom): (1, 2, 3, 4) on
    (5, 6) gives (12, 9).

    【中文】
    计算经 nn.ZeroPad2d / ConstantPad2d / ReflectionPad2d / ReplicationPad2d(padding) 填充后的
    (H_out, W_out)，返回两个 Python int。

    结果与这四个层在相同 padding 下给出的空间尺寸一致。padding 为一个 int 时，四条边都填充这么多。
    给出四个值时，顺序是 (left, right, top, bottom)，即 torch.nn 填充层和 torch.nn.functional.pad 的顺序；
    它与 torchvision 的 (left, top, right, bottom) 不同：(1, 2, 3, 4) 作用于 (5, 6) 得到 (12, 9)。
    """
    left, right, top, bottom = (padding,) * 4 if isinstance(padding, int) else padding
    return height + top + bottom, width + left + right


def linear_output_shape(shape: tuple[int, ...], in_features: int, out_features: int) -> tuple[int, ...]:
    """The output shape of nn.Linear(in_features, out_features) on an input of ``shape``.

    Linear acts on the last dimension only: (..., in_features) -> (..., out_features), every dimension
    before it unchanged, returned as a tuple of Python ints. Raise ValueError when the last dimension is
    not in_features - even when another dimension happens to be (where nn.Linear itself would raise a
    RuntimeError about mat1 and mat2).

    【中文】
    nn.Linear(in_features, out_features) 作用于形状为 ``shape`` 的输入时，输出的形状。

    线性层只作用于最后一个维度：(..., in_features) -> (..., out_features)，它前面的每个维度都保持不变，
    结果以 Python int 元组返回。最后一个维度不等于 in_features 时抛出 ValueError——即使别的某个维度恰好
    等于它也一样（这种情况下 nn.Linear 本身会抛出 RuntimeError，提示 mat1 与 mat2 的形状无法相乘）。
    """
    if not shape or shape[-1] != in_features:
        raise ValueError(f"Linear({in_features}, {out_features}) needs a last dimension of {in_features}, got shape {shape}")
    return (*shape[:-1], out_features)


def max_pool(x: torch.Tensor, kernel_size, stride=None, padding=0, ceil_mode=False) -> torch.Tensor:
    """Max-pool ``x`` (N, C, H, W): the result nn.MaxPool2d gives with these kernel_size, stride, padding and ceil_mode.

    The result is (N, C, H_out, W_out): every channel is pooled on its own. As for the layer, stride=None
    means the layer's default (on a 4x4 input, kernel 2 gives four separate windows), and ceil_mode=True
    keeps a last partial window. Padding never wins the max: an all -5.0 input stays all -5.0 whatever the
    padding (zero padding would put 0 at the border).

    【中文】
    对 ``x`` (N, C, H, W) 做最大池化：结果与 nn.MaxPool2d 在相同的 kernel_size、stride、padding 和 ceil_mode 下一致。

    结果形状为 (N, C, H_out, W_out)：每个通道分别池化。与该层一致：stride=None 表示该层的默认值（4x4 的
    输入配池化窗口 2，得到四个互不重叠的窗口），ceil_mode=True 会保留最后一个不完整的窗口。填充值永远不会
    成为最大值：全为 -5.0 的输入，无论怎样填充，结果仍全为 -5.0（若用 0 填充，边界处就会出现 0）。
    """
    return nn.MaxPool2d(kernel_size, stride=stride, padding=padding, ceil_mode=ceil_mode)(x)


def pad_constant(x: torch.Tensor, padding, value: float) -> torch.Tensor:
    """Pad the last two dimensions of ``x`` with ``value``: the result nn.ConstantPad2d gives with this padding and value.

    padding: an int (all four sides) or (left, right, top, bottom). The border holds ``value`` (any
    number, not only 0) and the inside is ``x`` unchanged.

    【中文】
    用 ``value`` 填充 ``x`` 的最后两个维度：结果与 nn.ConstantPad2d 在相同 padding 和填充值下一致。

    padding：一个 int（四条边相同），或 (left, right, top, bottom)。边框里是 ``value``（可以是任意数，
    不只是 0），内部是原样的 ``x``。
    """
    return nn.ConstantPad2d(padding, value)(x)


def pad_reflect(x: torch.Tensor, padding) -> torch.Tensor:
    """Pad the last two dimensions by mirroring the border: the result nn.ReflectionPad2d gives with this padding.

    padding: an int (all four sides) or (left, right, top, bottom). The edge itself is not repeated:
    a row [1, 2, 3] padded by 2 on both sides becomes [3, 2, 1, 2, 3, 2, 1].

    【中文】
    以边界为镜面镜像填充最后两个维度：结果与 nn.ReflectionPad2d 在相同 padding 下一致。

    padding：一个 int（四条边相同），或 (left, right, top, bottom)。边缘像素本身不重复：一行 [1, 2, 3]
    两侧各填充 2 个元素后变为 [3, 2, 1, 2, 3, 2, 1]。
    """
    return nn.ReflectionPad2d(padding)(x)


def relu_inplace(x: torch.Tensor) -> torch.Tensor:
    """Apply ReLU in place, as nn.ReLU(inplace=True) does: negatives in ``x`` itself become 0, and ``x`` is returned.

    The returned tensor is ``x`` itself, not a copy, and afterwards ``x`` holds max(0, x). Because it
    overwrites ``x``, it raises RuntimeError for a leaf tensor that requires grad, as every in-place
    operation does (autograd would lose the value it needs).

    【中文】
    像 nn.ReLU(inplace=True) 那样原地应用 ReLU：``x`` 自身中的负数变为 0，并返回 ``x`` 本身。

    返回的就是 ``x`` 本身而不是副本，之后 ``x`` 中存放的是 max(0, x)。由于它会覆盖 ``x``，对需要梯度
    （requires grad）的叶子张量会抛出 RuntimeError，所有原地操作都是如此（否则自动求导会丢掉它所需要的值）。
    """
    return nn.ReLU(inplace=True)(x)


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """The sigmoid of ``x``, element by element, as nn.Sigmoid computes it, leaving ``x`` unchanged.

    sigmoid(0) is 0.5. Large inputs saturate to exactly 0.0 and 1.0 (sigmoid(-1000) == 0,
    sigmoid(1000) == 1), never nan.

    【中文】
    像 nn.Sigmoid 那样逐元素计算 ``x`` 的 sigmoid，并且不改动 ``x``。

    sigmoid(0) 等于 0.5。绝对值很大的输入会饱和到恰好 0.0 和 1.0（sigmoid(-1000) == 0，
    sigmoid(1000) == 1），绝不会得到 nan。
    """
    # nn.Sigmoid is a module: build it, then call it (nn.Sigmoid(x) would be a misuse).
    # nn.Sigmoid 是模块：先构造，再调用（写成 nn.Sigmoid(x) 是误用）。
    return nn.Sigmoid()(x)


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training: bool, momentum: float = 0.1, eps: float = 1e-5):
    """What nn.BatchNorm2d does, by hand - without torch's batch-norm functions (F.batch_norm, torch.batch_norm,
    torch.native_batch_norm, F.instance_norm) or nn.BatchNorm2d. Returns (y, new_running_mean, new_running_var).

    x is (N, C, H, W); running_mean, running_var, weight and bias are (C,) - one value per channel.
    The three results equal what an nn.BatchNorm2d with these weight, bias, running statistics, momentum
    and eps gives: y is its output on x, and the new running statistics are its running_mean and
    running_var after that forward pass.
    - training: each channel is normalized with the statistics of this batch, so with weight 1 and bias 0
      every channel of y has mean 0 and variance 1 (over N, H and W, up to eps); the running statistics
      move towards the batch's by ``momentum``.
    - not training: y uses the running statistics, which come back unchanged.
    The arguments themselves are never modified.

    【中文】
    手工实现 nn.BatchNorm2d 的计算，不得调用 torch 的批归一化函数（F.batch_norm、torch.batch_norm、
    torch.native_batch_norm、F.instance_norm）或 nn.BatchNorm2d。返回 (y, new_running_mean, new_running_var)。

    x 的形状为 (N, C, H, W)；running_mean、running_var、weight 和 bias 的形状均为 (C,)，每个通道一个值。
    三个结果都与一个使用相同 weight、bias、滑动统计量、momentum 和 eps 的 nn.BatchNorm2d 给出的一致：
    y 是它对 x 的输出，新的滑动统计量是这次前向传播之后它的 running_mean 和 running_var。
    - 训练时：每个通道用这一批数据自身的统计量做归一化，因此当 weight 为 1、bias 为 0 时，y 的每个通道
      （在 N、H、W 上统计）均值为 0、方差为 1（eps 带来的微小偏差除外）；滑动统计量按 ``momentum``
      向这一批的统计量靠拢。
    - 非训练时：y 使用滑动统计量，这些统计量原样返回。
    传入的参数本身始终不被修改。
    """
    if training:
        mean = x.mean(dim=(0, 2, 3))
        var = x.var(dim=(0, 2, 3), unbiased=False)
        count = x.numel() // x.shape[1]
        # The running variance is updated with the unbiased estimate, the normalization uses the biased one.
        # 滑动方差用无偏估计来更新，归一化用的却是有偏方差。
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * count / (count - 1)
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = running_mean.clone(), running_var.clone()
    shape = (1, -1, 1, 1)
    y = (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + eps) * weight.reshape(shape) + bias.reshape(shape)
    return y, new_mean, new_var


def channel_dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    """What nn.Dropout2d does, by hand - without torch's channel dropout (nn.Dropout1d/2d/3d, F.dropout1d/2d/3d):
    drop whole channels, not single elements.

    x is (N, C, H, W). In training, each (n, c) plane is either all 0 (with probability p) or all
    x / (1 - p), so the expected value is unchanged; about a fraction p of the planes is dropped. Every
    sample and every channel gets its own decision (sample 0 and sample 1 do not share a mask). The
    decisions come from torch's global random generator: the same torch.manual_seed gives the same result,
    another seed another. x itself is never modified. When not training, the result equals x.

    p may be 0 or 1, as for nn.Dropout2d: p = 0 keeps every plane (the result equals x) and p = 1
    zeroes everything (a result of zeros, never NaN). The result has x's shape, dtype and device: a
    float16, bfloat16 or float64 x gives a result of that dtype, and an x on a GPU (or any device) a
    result on that device.

    【中文】
    手工实现 nn.Dropout2d，不得调用 torch 的通道丢弃（nn.Dropout1d/2d/3d、F.dropout1d/2d/3d）：
    丢弃整个通道，而不是单个元素。

    x 的形状为 (N, C, H, W)。训练时，每个 (n, c) 平面要么全为 0（概率为 p），要么全为 x / (1 - p)，
    因此期望值保持不变；被丢弃的平面约占 p。每个样本、每个通道都各自独立决定（样本 0 和样本 1
    不共用同一个掩码）。这些决定来自 torch 的全局随机数生成器：相同的 torch.manual_seed 得到相同的
    结果，换一个种子结果就不同。x 本身始终不被修改。非训练时，结果等于 x。

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
    # 每个（样本，通道）抽一次随机数，放在 x 所在的设备上，并广播到整个 H x W 平面；
    # 掩码采用 x 的数据类型，float16 或 bfloat16 的 x 就不会被提升为 float32。
    keep = (torch.rand(x.shape[0], x.shape[1], 1, 1, device=x.device) >= p).to(x.dtype)
    return x * keep / (1 - p)


def embedding_by_hand(weight: torch.Tensor, indices: torch.Tensor) -> torch.Tensor:
    """What nn.Embedding's forward does, by hand - without calling F.embedding or nn.Embedding: row
    ``indices[...]`` of ``weight`` for every index.

    weight is (num_embeddings, embedding_dim); indices is an int64 tensor of any shape - 0-d and empty
    included; the result has shape indices.shape + (embedding_dim,) and equals F.embedding's (an empty
    indices tensor gives an empty result, not an error). An index out of range - negative, or
    num_embeddings and above - raises IndexError.

    【中文】
    手工实现 nn.Embedding 的前向传播，不得调用 F.embedding 或 nn.Embedding：对每个索引，
    取出 ``weight`` 的第 ``indices[...]`` 行。

    weight 的形状为 (num_embeddings, embedding_dim)；indices 是任意形状的 int64 张量——包括 0 维和空张量；
    结果的形状为 indices.shape + (embedding_dim,)，并与 F.embedding 的结果一致（空的 indices 得到空的结果，
    而不是报错）。索引越界（为负数，或大于等于 num_embeddings）时抛出 IndexError。
    """
    if indices.numel() and (indices.min() < 0 or indices.max() >= weight.shape[0]):
        raise IndexError(f"index out of range for an embedding of {weight.shape[0]} rows")
    return weight[indices]  # advanced indexing: one row per index, in the shape of indices
