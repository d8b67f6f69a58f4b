"""conv2d_manual as a sum over the kernel's offsets: for each (i, j) of the kernel, one strided slice of the
padded input times that kernel entry (einsum per group); conv2d_single with a 4-D batch via [None, None] and
torch.conv2d; conv_weight_shape with two separate checks."""

import torch
import torch.nn.functional as F

from solutions.conv import *  # noqa: F403


def conv2d_single(image, kernel, stride=1, padding=0):
    return torch.conv2d(image[None, None], kernel[None, None], stride=stride, padding=padding)[0, 0]


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    elif x.ndim != 4:
        raise RuntimeError(f"expected 3-D or 4-D input, got shape {tuple(x.shape)}")
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c_in, h, w = x.shape
    c_out, c_group, kh, kw = weight.shape
    xp = F.pad(x, (pw, pw, ph, ph)).reshape(n, groups, c_group, h + 2 * ph, w + 2 * pw)
    wg = weight.reshape(groups, c_out // groups, c_group, kh, kw)
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = x.new_zeros(n, groups, c_out // groups, h_out, w_out)
    for i in range(kh):
        for j in range(kw):
            part = xp[..., i * dh : i * dh + sh * (h_out - 1) + 1 : sh, j * dw : j * dw + sw * (w_out - 1) + 1 : sw]
            out = out + torch.einsum("ngchw,goc->ngohw", part, wg[..., i, j])
    out = out.reshape(n, c_out, h_out, w_out)
    if bias is not None:
        out = out + bias[:, None, None]
    return out[0] if unbatched else out


def conv_weight_shape(in_channels, out_channels, kernel_size, groups=1):
    if in_channels % groups != 0:
        raise ValueError("in_channels must be divisible by groups")
    if out_channels % groups != 0:
        raise ValueError("out_channels must be divisible by groups")
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return out_channels, in_channels // groups, int(kh), int(kw)
