"""Plain formulas with math.floor / math.ceil and loops over (height, width); padding by building the bigger
tensor and copying the image in; ReLU with a boolean-mask assignment; the sigmoid written out; batch norm from
(x - mean) ** 2; dropout from rand_like on a (N, C) slice; embedding as a one-hot matrix product."""

import math

import torch
import torch.nn.functional as F

from solutions.layers import *  # noqa: F403


def _pair(v):
    return (v, v) if isinstance(v, int) else (v[0], v[1])


def conv2d_output_size(height, width, kernel_size, stride=1, padding=0, dilation=1):
    k, s, p, d = _pair(kernel_size), _pair(stride), _pair(padding), _pair(dilation)
    sizes = []
    for i, size in enumerate((height, width)):
        sizes.append(math.floor((size + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]) + 1)
    return sizes[0], sizes[1]


def maxpool2d_output_size(height, width, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    k = _pair(kernel_size)
    s = k if stride is None else _pair(stride)
    p, d = _pair(padding), _pair(dilation)
    sizes = []
    for i, size in enumerate((height, width)):
        span = (size + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]
        out = (math.ceil(span) if ceil_mode else math.floor(span)) + 1
        if ceil_mode and (out - 1) * s[i] >= size + p[i]:
            out -= 1
        sizes.append(out)
    return tuple(sizes)


def avgpool2d_output_size(height, width, kernel_size, stride=None, padding=0, ceil_mode=False):
    return maxpool2d_output_size(height, width, kernel_size, stride, padding, 1, ceil_mode)


def pad2d_output_size(height, width, padding):
    if isinstance(padding, int):
        return height + 2 * padding, width + 2 * padding
    left, right, top, bottom = padding
    return height + top + bottom, width + left + right


def linear_output_shape(shape, in_features, out_features):
    if len(shape) == 0 or shape[-1] != in_features:
        raise ValueError("wrong number of input features")
    return tuple(shape[:-1]) + (out_features,)


def max_pool(x, kernel_size, stride=None, padding=0, ceil_mode=False):
    ph, pw = _pair(padding)
    padded = F.pad(x, (pw, pw, ph, ph), value=-math.inf)  # -inf never wins the max
    kh, kw = _pair(kernel_size)
    sh, sw = (kh, kw) if stride is None else _pair(stride)
    h, w = x.shape[-2:]
    out_h, out_w = maxpool2d_output_size(h, w, (kh, kw), (sh, sw), (ph, pw), 1, ceil_mode)
    out = x.new_empty(*x.shape[:-2], out_h, out_w)
    for i in range(out_h):
        for j in range(out_w):
            out[..., i, j] = padded[..., i * sh : i * sh + kh, j * sw : j * sw + kw].amax(dim=(-2, -1))
    return out


def pad_constant(x, padding, value):
    left, right, top, bottom = (padding,) * 4 if isinstance(padding, int) else padding
    h, w = x.shape[-2:]
    out = torch.full((*x.shape[:-2], h + top + bottom, w + left + right), value, dtype=x.dtype)
    out[..., top : top + h, left : left + w] = x
    return out


def pad_reflect(x, padding):
    left, right, top, bottom = (padding,) * 4 if isinstance(padding, int) else padding
    h, w = x.shape[-2:]
    rows = [abs(r) if r < h else 2 * (h - 1) - r for r in range(-top, h + bottom)]
    cols = [abs(c) if c < w else 2 * (w - 1) - c for c in range(-left, w + right)]
    return x[..., rows, :][..., cols]


def relu_inplace(x):
    x[x < 0] = 0
    return x


def sigmoid(x):
    return 1 / (1 + torch.exp(-x))


def batch_norm_by_hand(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    c = x.shape[1]
    if training:
        mean = x.mean(dim=(0, 2, 3), keepdim=True)
        squared = ((x - mean) ** 2).sum(dim=(0, 2, 3), keepdim=True)
        n = x.numel() // c
        var = squared / n
        new_mean = (1 - momentum) * running_mean + momentum * mean.reshape(c)
        new_var = (1 - momentum) * running_var + momentum * (squared / (n - 1)).reshape(c)
    else:
        mean, var = running_mean.view(1, c, 1, 1), running_var.view(1, c, 1, 1)
        new_mean, new_var = running_mean.clone(), running_var.clone()
    y = weight.view(1, c, 1, 1) * (x - mean) / (var + eps).sqrt() + bias.view(1, c, 1, 1)
    return y, new_mean, new_var


def channel_dropout(x, p, training=True):
    if training is False:
        return x
    keep = torch.rand_like(x[:, :, :1, :1]) >= p
    return torch.where(keep, x / (1 - p), torch.zeros_like(x))


def embedding_by_hand(weight, indices):
    num = weight.shape[0]
    if indices.numel() > 0 and not bool(((indices >= 0) & (indices < num)).all()):
        raise IndexError(f"indices must be in 0..{num - 1}")
    return F.one_hot(indices, num).to(weight.dtype) @ weight
