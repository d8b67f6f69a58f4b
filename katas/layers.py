"""Kata 9: what every layer does to a shape, and how the non-parametric layers behave.

From the note's section 结构/层: convolution, pooling, padding, non-linear activations, normalization,
linear, dropout and embedding layers. The shape functions take and return plain ints; the tests
check them against the real layers over many combinations.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def conv2d_output_size(height: int, width: int, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    """(H_out, W_out) of nn.Conv2d on an input of (height, width).

    Each of kernel_size, stride, padding and dilation is an int or an (height, width) pair.
    Per dimension: out = floor((size + 2*padding - dilation*(kernel - 1) - 1) / stride) + 1.
    """
    # TODO: apply the output-size formula to height and to width, each with its own pair element.
    raise NotImplementedError("kata layers.conv2d_output_size is not solved yet")


def maxpool2d_output_size(height: int, width: int, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False) -> tuple[int, int]:
    """(H_out, W_out) of nn.MaxPool2d on an input of (height, width).

    ``stride`` defaults to ``kernel_size`` (not 1). The formula is the convolution's, except that
    ceil_mode=True rounds up - keeping a last, partial window - unless that window would start in the
    right padding, in which case it is dropped.
    """
    # TODO: default the stride to the kernel size, apply the formula, and handle ceil_mode's last window.
    raise NotImplementedError("kata layers.maxpool2d_output_size is not solved yet")


def avgpool2d_output_size(height: int, width: int, kernel_size, stride=None, padding=0, ceil_mode=False) -> tuple[int, int]:
    """(H_out, W_out) of nn.AvgPool2d: the max-pool rule without dilation (stride defaults to kernel_size)."""
    # TODO: the same rule as max pooling, with dilation 1.
    raise NotImplementedError("kata layers.avgpool2d_output_size is not solved yet")


def pad2d_output_size(height: int, width: int, padding) -> tuple[int, int]:
    """(H_out, W_out) after nn.ZeroPad2d / ConstantPad2d / ReflectionPad2d / ReplicationPad2d(padding).

    An int pads all four sides. Four values are (left, right, top, bottom) - the order of
    torch.nn.functional.pad, which differs from torchvision's (left, top, right, bottom).
    """
    # TODO: unpack the padding as (left, right, top, bottom) and add it up.
    raise NotImplementedError("kata layers.pad2d_output_size is not solved yet")


def linear_output_shape(shape: tuple[int, ...], in_features: int, out_features: int) -> tuple[int, ...]:
    """The output shape of nn.Linear(in_features, out_features) on an input of ``shape``.

    Linear acts on the last dimension only: (..., in_features) -> (..., out_features). Raise
    ValueError when the last dimension is not in_features.
    """
    # TODO: check the last dimension, then replace it with out_features.
    raise NotImplementedError("kata layers.linear_output_shape is not solved yet")


def max_pool(x: torch.Tensor, kernel_size, stride=None, padding=0, ceil_mode=False) -> torch.Tensor:
    """Apply nn.MaxPool2d with these settings to ``x`` (N, C, H, W).

    Max pooling pads with -inf, not zero: padding never wins the max.
    """
    # TODO: build nn.MaxPool2d with these settings and call it on x.
    raise NotImplementedError("kata layers.max_pool is not solved yet")


def pad_constant(x: torch.Tensor, padding, value: float) -> torch.Tensor:
    """Pad the last two dimensions of ``x`` with ``value`` using nn.ConstantPad2d.

    padding: an int or (left, right, top, bottom).
    """
    # TODO: build nn.ConstantPad2d and call it on x.
    raise NotImplementedError("kata layers.pad_constant is not solved yet")


def pad_reflect(x: torch.Tensor, padding) -> torch.Tensor:
    """Pad the last two dimensions by mirroring the border (the edge itself is not repeated): nn.ReflectionPad2d.

    For a row [1, 2, 3] and padding 2 on the left: [3, 2, 1, 2, 3].
    """
    # TODO: build nn.ReflectionPad2d and call it on x.
    raise NotImplementedError("kata layers.pad_reflect is not solved yet")


def relu_inplace(x: torch.Tensor) -> torch.Tensor:
    """Apply ReLU in place with nn.ReLU(inplace=True): negatives in ``x`` itself become 0, and ``x`` is returned."""
    # TODO: build nn.ReLU(inplace=True) and call it on x.
    raise NotImplementedError("kata layers.relu_inplace is not solved yet")


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Apply nn.Sigmoid, 1 / (1 + exp(-x)), leaving ``x`` unchanged."""
    # TODO: build nn.Sigmoid() and call it on x.
    raise NotImplementedError("kata layers.sigmoid is not solved yet")


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training: bool, momentum: float = 0.1, eps: float = 1e-5):
    """What nn.BatchNorm2d does, by hand. Returns (y, new_running_mean, new_running_var).

    x is (N, C, H, W); running_mean, running_var, weight and bias are (C,).
    - training: normalize with the batch's per-channel mean and *biased* variance (over N, H, W), and
      update the running statistics: new = (1 - momentum) * old + momentum * batch_statistic, where
      the running variance takes the *unbiased* batch variance.
    - not training: normalize with the running statistics and return them unchanged.
    y = (x - mean) / sqrt(var + eps) * weight + bias, with the per-channel vectors broadcast over N, H, W.
    Do not modify the arguments.
    """
    # TODO: pick batch or running statistics, normalize, scale and shift; update running stats only in training.
    raise NotImplementedError("kata layers.batch_norm_by_hand is not solved yet")


def channel_dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    """What nn.Dropout2d does, by hand: drop whole channels, not single elements.

    x is (N, C, H, W). In training, each (n, c) plane is zeroed with probability p - all of it - and
    the surviving planes are scaled by 1 / (1 - p) so that the expected value is unchanged. Draw the
    random numbers from torch's global RNG. When not training, return x unchanged.
    """
    # TODO: draw one keep/drop decision per (n, c) plane, zero the dropped planes, scale the rest by 1/(1-p).
    raise NotImplementedError("kata layers.channel_dropout is not solved yet")


def embedding_by_hand(weight: torch.Tensor, indices: torch.Tensor) -> torch.Tensor:
    """What nn.Embedding's forward does: row ``indices[...]`` of ``weight`` for every index.

    weight is (num_embeddings, embedding_dim); indices is an int64 tensor of any shape; the result
    has shape indices.shape + (embedding_dim,). An index out of range raises IndexError.
    """
    # TODO: check the indices are in range, then index the rows of weight.
    raise NotImplementedError("kata layers.embedding_by_hand is not solved yet")
