"""The tutorial's style: conv2d_single through an nn.Conv2d module whose weight is set by hand, with an
unbatched (1, H, W) input; conv2d_manual with explicit loops over the output positions after F.pad;
conv_weight_shape read off a real nn.Conv2d (which raises the ValueError itself)."""

import torch
import torch.nn.functional as F
from torch import nn

from solutions.conv import *  # noqa: F403


def conv2d_single(image, kernel, stride=1, padding=0):
    layer = nn.Conv2d(1, 1, tuple(kernel.shape), stride=stride, padding=padding, bias=False)
    with torch.no_grad():
        layer.weight.copy_(kernel.reshape(1, 1, *kernel.shape))
        return layer(image.unsqueeze(0)).squeeze(0)  # (1, H, W) is an unbatched one-channel image


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() == 3:
        return conv2d_manual(x.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    if x.dim() != 4:
        raise RuntimeError("conv2d_manual needs (C, H, W) or (N, C, H, W)")
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    dh, dw = (dilation, dilation) if isinstance(dilation, int) else dilation
    n, c_in, h, w = x.shape
    c_out, c_group, kh, kw = weight.shape
    padded = F.pad(x, (pw, pw, ph, ph))
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = torch.zeros(n, c_out, h_out, w_out, dtype=x.dtype)
    per_group = c_out // groups
    for o in range(c_out):
        g = o // per_group
        group_input = padded[:, g * c_group : (g + 1) * c_group]
        for i in range(h_out):
            for j in range(w_out):
                top, left = i * sh, j * sw
                window = group_input[:, :, top : top + dh * (kh - 1) + 1 : dh, left : left + dw * (kw - 1) + 1 : dw]
                out[:, o, i, j] = (window * weight[o]).sum(dim=(1, 2, 3))
        if bias is not None:
            out[:, o] += bias[o]
    return out


def conv_weight_shape(in_channels, out_channels, kernel_size, groups=1):
    return tuple(nn.Conv2d(in_channels, out_channels, kernel_size, groups=groups).weight.shape)
