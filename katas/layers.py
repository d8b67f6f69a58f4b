"""Kata 9: what every layer does to a shape, and how the non-parametric layers behave.

From the note's section 结构/层: convolution, pooling, padding, non-linear activations, normalization,
linear, dropout and embedding layers. The shape functions take plain ints and return a tuple of
plain Python ints (not floats, not tensors); the tests check them against the real layers over many
combinations.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def conv2d_output_size(height: int, width: int, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    """(H_out, W_out) of nn.Conv2d on an input of (height, width), as a tuple of two Python ints.

    Each of kernel_size, stride, padding and dilation is an int or an (height, width) pair.
    Per dimension: out = floor((size + 2*padding - dilation*(kernel - 1) - 1) / stride) + 1.
    """
    # TODO: return how many kernel positions fit along the height and along the width, as two Python ints.
    raise NotImplementedError("kata layers.conv2d_output_size is not solved yet")


def maxpool2d_output_size(height: int, width: int, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False) -> tuple[int, int]:
    """(H_out, W_out) of nn.MaxPool2d on an input of (height, width), as a tuple of two Python ints.

    Each setting is an int or an (height, width) pair. ``stride`` defaults to ``kernel_size`` (not 1).
    The formula is the convolution's (padding and dilation included), except that
    ceil_mode=True rounds up - keeping a last, partial window - unless that window would start in the
    right padding, in which case it is dropped.
    """
    # TODO: return MaxPool2d's output height and width, with its own stride default and ceil_mode's rule for the last window.
    raise NotImplementedError("kata layers.maxpool2d_output_size is not solved yet")


def avgpool2d_output_size(height: int, width: int, kernel_size, stride=None, padding=0, ceil_mode=False) -> tuple[int, int]:
    """(H_out, W_out) of nn.AvgPool2d, two Python ints: the max-pool rule without dilation (stride defaults to kernel_size)."""
    # TODO: return AvgPool2d's output height and width, which follow the max-pool rule without dilation.
    raise NotImplementedError("kata layers.avgpool2d_output_size is not solved yet")


def pad2d_output_size(height: int, width: int, padding) -> tuple[int, int]:
    """(H_out, W_out), two Python ints, after nn.ZeroPad2d / ConstantPad2d / ReflectionPad2d / ReplicationPad2d(padding).

    An int pads all four sides. Four values are (left, right, top, bottom) - the order of
    torch.nn.functional.pad, which differs from torchvision's (left, top, right, bottom).
    """
    # TODO: return the padded height and width, reading four values in (left, right, top, bottom) order.
    raise NotImplementedError("kata layers.pad2d_output_size is not solved yet")


def linear_output_shape(shape: tuple[int, ...], in_features: int, out_features: int) -> tuple[int, ...]:
    """The output shape of nn.Linear(in_features, out_features) on an input of ``shape``.

    Linear acts on the last dimension only: (..., in_features) -> (..., out_features), returned as a
    tuple of Python ints. Raise ValueError when the last dimension is not in_features (where
    nn.Linear itself would raise a RuntimeError about mat1 and mat2).
    """
    # TODO: return the shape Linear produces, refusing an input whose last dimension is not in_features.
    raise NotImplementedError("kata layers.linear_output_shape is not solved yet")


def max_pool(x: torch.Tensor, kernel_size, stride=None, padding=0, ceil_mode=False) -> torch.Tensor:
    """Max-pool ``x`` (N, C, H, W) as nn.MaxPool2d(kernel_size, stride, padding, ceil_mode=ceil_mode) does.

    The module or F.max_pool2d both do it. As for the layer, stride defaults to kernel_size and
    ceil_mode keeps a last partial window. Max pooling pads with -inf, not zero: padding never wins the max.
    The channels are pooled one by one: the result is (N, C, H_out, W_out).
    """
    # TODO: return x max-pooled channel by channel with these settings, so that padding never wins the max.
    raise NotImplementedError("kata layers.max_pool is not solved yet")


def pad_constant(x: torch.Tensor, padding, value: float) -> torch.Tensor:
    """Pad the last two dimensions of ``x`` with ``value``, as nn.ConstantPad2d(padding, value) does.

    padding: an int (all four sides) or (left, right, top, bottom).
    """
    # TODO: return x with its last two dimensions padded with the given value.
    raise NotImplementedError("kata layers.pad_constant is not solved yet")


def pad_reflect(x: torch.Tensor, padding) -> torch.Tensor:
    """Pad the last two dimensions by mirroring the border (the edge itself is not repeated), as nn.ReflectionPad2d does.

    padding: an int (all four sides) or (left, right, top, bottom).
    For a row [1, 2, 3] and padding 2 on the left: [3, 2, 1, 2, 3].
    """
    # TODO: return x padded by mirroring its border, without repeating the edge pixel itself.
    raise NotImplementedError("kata layers.pad_reflect is not solved yet")


def relu_inplace(x: torch.Tensor) -> torch.Tensor:
    """Apply ReLU in place, as nn.ReLU(inplace=True) does: negatives in ``x`` itself become 0, and ``x`` is returned.

    Because it overwrites ``x``, it raises RuntimeError for a leaf tensor that requires grad, as every
    in-place operation does (autograd would lose the value it needs).
    """
    # TODO: zero the negatives of x in x itself and return x, not a copy.
    raise NotImplementedError("kata layers.relu_inplace is not solved yet")


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Apply the sigmoid, 1 / (1 + exp(-x)), as nn.Sigmoid does, leaving ``x`` unchanged.

    Large inputs saturate to exactly 0.0 and 1.0 (sigmoid(-1000) == 0, sigmoid(1000) == 1), never nan.
    """
    # TODO: return the sigmoid of x, saturating to exactly 0 and 1 for huge inputs, and leave x as it was.
    raise NotImplementedError("kata layers.sigmoid is not solved yet")


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
    """
    # TODO: normalize per channel with batch or running statistics; return the new running ones, arguments untouched.
    raise NotImplementedError("kata layers.batch_norm_by_hand is not solved yet")


def channel_dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    """What nn.Dropout2d does, by hand: drop whole channels, not single elements.

    x is (N, C, H, W). In training, each (n, c) plane is zeroed with probability p - all of it - and
    the surviving planes are scaled by 1 / (1 - p) so that the expected value is unchanged. The
    decision is drawn independently for every sample and every channel (sample 0 and sample 1 do not
    share a mask). Draw the random numbers from torch's global RNG, so torch.manual_seed makes the
    result repeatable. x itself is never modified. When not training, return x unchanged.
    """
    # TODO: zero whole (n, c) planes with probability p and rescale the survivors in training; x itself never changes.
    raise NotImplementedError("kata layers.channel_dropout is not solved yet")


def embedding_by_hand(weight: torch.Tensor, indices: torch.Tensor) -> torch.Tensor:
    """What nn.Embedding's forward does, by hand - without calling F.embedding or nn.Embedding: row
    ``indices[...]`` of ``weight`` for every index.

    weight is (num_embeddings, embedding_dim); indices is an int64 tensor of any shape (0-d included);
    the result has shape indices.shape + (embedding_dim,). An index out of range - negative, or
    num_embeddings and above - raises IndexError.
    """
    # TODO: return the row of weight for every index, in the indices' shape, rejecting indices out of range.
    raise NotImplementedError("kata layers.embedding_by_hand is not solved yet")
