"""Shapes read off the real layers run on a zeros tensor (no formula), and the functional API everywhere else:
F.max_pool2d, F.pad (constant and reflect), torch.relu_, torch.sigmoid; batch norm with torch.var(correction=...);
dropout with torch.bernoulli of x.new_full; embedding with index_select and a reshape."""

import torch
import torch.nn.functional as F
from torch import nn

from solutions.layers import *  # noqa: F403


def _hw(layer, height, width):
    return tuple(layer(torch.zeros(1, 1, height, width)).shape[-2:])


def conv2d_output_size(height, width, kernel_size, stride=1, padding=0, dilation=1):
    return _hw(nn.Conv2d(1, 1, kernel_size, stride, padding, dilation), height, width)


def maxpool2d_output_size(height, width, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    return _hw(nn.MaxPool2d(kernel_size, stride, padding, dilation, ceil_mode=ceil_mode), height, width)


def avgpool2d_output_size(height, width, kernel_size, stride=None, padding=0, ceil_mode=False):
    return _hw(nn.AvgPool2d(kernel_size, stride, padding, ceil_mode=ceil_mode), height, width)


def pad2d_output_size(height, width, padding):
    return _hw(nn.ZeroPad2d(padding), height, width)


def linear_output_shape(shape, in_features, out_features):
    try:
        return tuple(nn.Linear(in_features, out_features)(torch.zeros(shape)).shape)
    except RuntimeError as error:
        raise ValueError(f"the last dimension of {shape} is not {in_features}") from error


def max_pool(x, kernel_size, stride=None, padding=0, ceil_mode=False):
    return F.max_pool2d(x, kernel_size, stride, padding, ceil_mode=ceil_mode)


def _four(padding):
    return (padding,) * 4 if isinstance(padding, int) else tuple(padding)


def pad_constant(x, padding, value):
    return F.pad(x, _four(padding), mode="constant", value=value)


def pad_reflect(x, padding):
    return F.pad(x, _four(padding), mode="reflect")


def relu_inplace(x):
    return torch.relu_(x)


def sigmoid(x):
    return torch.sigmoid(x)


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if training:
        mean = x.mean(dim=(0, 2, 3))
        var = torch.var(x, dim=(0, 2, 3), correction=0)
        new_mean = running_mean * (1 - momentum) + mean * momentum
        new_var = running_var * (1 - momentum) + torch.var(x, dim=(0, 2, 3), correction=1) * momentum
    else:
        mean, var, new_mean, new_var = running_mean, running_var, running_mean, running_var
    y = (x - mean[:, None, None]) * torch.rsqrt(var[:, None, None] + eps) * weight[:, None, None] + bias[:, None, None]
    return y, new_mean, new_var


def channel_dropout(x, p, training=True):
    if not training:
        return x
    keep = torch.bernoulli(x.new_full((x.shape[0], x.shape[1], 1, 1), 1 - p))  # x's dtype and device
    return x * keep * (1 / (1 - p)) if p < 1 else torch.zeros_like(x)


def embedding_by_hand(weight, indices):
    if ((indices < 0) | (indices >= weight.shape[0])).any():
        raise IndexError("embedding index out of range")
    return torch.index_select(weight, 0, indices.reshape(-1)).reshape(*indices.shape, weight.shape[1])
