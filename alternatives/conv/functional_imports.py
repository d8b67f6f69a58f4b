"""Imports the functional API by name (from torch.nn.functional import conv2d, unfold): conv2d_single with
unsqueeze/squeeze, conv2d_manual with unfold and one matrix product per group (torch.cat over groups), and a
conv_weight_shape that returns a torch.Size (a tuple of ints)."""

import torch
from torch.nn.functional import conv2d, unfold

from solutions.conv import *  # noqa: F403


def conv2d_single(image, kernel, stride=1, padding=0):
    out = conv2d(image.unsqueeze(0).unsqueeze(0), kernel.unsqueeze(0).unsqueeze(0), stride=stride, padding=padding)
    return out.squeeze(0).squeeze(0)


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() not in (3, 4):
        raise RuntimeError("input must be 3-D or 4-D")
    if x.dim() == 3:
        return conv2d_manual(x.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    to_pair = lambda v: (v, v) if isinstance(v, int) else (v[0], v[1])  # noqa: E731
    stride, padding, dilation = to_pair(stride), to_pair(padding), to_pair(dilation)
    n, c_in, h, w = x.shape
    c_out, c_group, kh, kw = weight.shape
    h_out = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    w_out = (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    outs = []
    per_group = c_out // groups
    for g in range(groups):
        cols = unfold(x[:, g * c_group : (g + 1) * c_group], (kh, kw), dilation=dilation, padding=padding, stride=stride)
        kernels = weight[g * per_group : (g + 1) * per_group].reshape(per_group, -1)
        outs.append(kernels @ cols)  # (per_group, K) @ (N, K, L) -> (N, per_group, L)
    out = torch.cat(outs, dim=1).reshape(n, c_out, h_out, w_out)
    return out if bias is None else out + bias.view(1, c_out, 1, 1)


def conv_weight_shape(in_channels, out_channels, kernel_size, groups=1):
    if in_channels % groups or out_channels % groups:
        raise ValueError("groups must divide in_channels and out_channels")
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return torch.Size([out_channels, in_channels // groups, kh, kw])
