"""conv2d_manual never checks the number of dimensions: a 2-D image fails while unpacking x.shape (ValueError)."""

import torch
import torch.nn.functional as F

from solutions.conv import *  # noqa: F403


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    stride, padding, dilation = pair(stride), pair(padding), pair(dilation)
    squeeze = x.dim() == 3
    if squeeze:
        x = x.unsqueeze(0)
    n, c_in, h, w = x.shape
    c_out, c_per_group, kh, kw = weight.shape
    h_out = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    w_out = (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    windows = F.unfold(x, (kh, kw), dilation=dilation, padding=padding, stride=stride)
    windows = windows.reshape(n, groups, c_per_group * kh * kw, h_out * w_out)
    kernels = weight.reshape(groups, c_out // groups, c_per_group * kh * kw)
    out = torch.einsum("gok,ngkl->ngol", kernels, windows).reshape(n, c_out, h_out, w_out)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out[0] if squeeze else out
