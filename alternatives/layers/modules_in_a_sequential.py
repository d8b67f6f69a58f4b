"""The tutorial's module style, one level up: the shape katas reuse each other (conv -> pool, via floor/ceil of
a Fraction), the layers live in an nn.Sequential, and the by-hand katas use x.new_empty(...).bernoulli_,
var(unbiased=True) rescaled to the biased one, and a list comprehension of rows stacked and reshaped."""

from fractions import Fraction
import math

import torch
from torch import nn

from solutions.layers import *  # noqa: F403


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _count(size, k, s, p, d, ceil_mode):
    span = Fraction(size + 2 * p - d * (k - 1) - 1, s)
    out = (math.ceil(span) if ceil_mode else math.floor(span)) + 1
    return out - 1 if ceil_mode and (out - 1) * s >= size + p else out


def conv2d_output_size(height, width, kernel_size, stride=1, padding=0, dilation=1):
    k, s, p, d = map(_pair, (kernel_size, stride, padding, dilation))
    return (_count(height, k[0], s[0], p[0], d[0], False), _count(width, k[1], s[1], p[1], d[1], False))


def maxpool2d_output_size(height, width, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    k = _pair(kernel_size)
    s, p, d = _pair(stride if stride is not None else kernel_size), _pair(padding), _pair(dilation)
    return (_count(height, k[0], s[0], p[0], d[0], ceil_mode), _count(width, k[1], s[1], p[1], d[1], ceil_mode))


def avgpool2d_output_size(height, width, kernel_size, stride=None, padding=0, ceil_mode=False):
    return maxpool2d_output_size(height, width, kernel_size, stride=stride, padding=padding, ceil_mode=ceil_mode)


def max_pool(x, kernel_size, stride=None, padding=0, ceil_mode=False):
    model = nn.Sequential(nn.MaxPool2d(kernel_size=kernel_size, stride=stride, padding=padding, ceil_mode=ceil_mode))
    return model(x)


def pad_constant(x, padding, value):
    return nn.Sequential(nn.ConstantPad2d(padding=padding, value=value))(x)


def relu_inplace(x):
    activation = nn.Sequential(nn.ReLU(inplace=True))
    out = activation(x)
    return out


def sigmoid(x):
    return nn.Sequential(nn.Sigmoid())(x)


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    if not training:
        mean, var = running_mean, running_var
        new_mean, new_var = running_mean, running_var
    else:
        n = x.shape[0] * x.shape[2] * x.shape[3]
        mean = x.mean([0, 2, 3])
        unbiased = x.var([0, 2, 3], unbiased=True)
        var = unbiased * (n - 1) / n
        new_mean = momentum * mean + (1 - momentum) * running_mean
        new_var = momentum * unbiased + (1 - momentum) * running_var
    x_hat = (x - mean.view(1, -1, 1, 1)) / torch.sqrt(var.view(1, -1, 1, 1) + eps)
    return x_hat * weight.view(1, -1, 1, 1) + bias.view(1, -1, 1, 1), new_mean, new_var


def channel_dropout(x, p, training=True):
    if not training:
        return x
    mask = x.new_empty(x.shape[0], x.shape[1], 1, 1).bernoulli_(1 - p)  # x's dtype and device
    return x * mask if p == 1 else x * mask / (1 - p)


def embedding_by_hand(weight, indices):
    flat = indices.reshape(-1).tolist()
    for i in flat:
        if i < 0 or i >= weight.shape[0]:
            raise IndexError(f"index {i} is out of range for {weight.shape[0]} embeddings")
    rows = [weight[i] for i in flat]
    stacked = torch.stack(rows) if rows else weight.new_empty(0, weight.shape[1])
    return stacked.reshape(*indices.shape, weight.shape[1])
