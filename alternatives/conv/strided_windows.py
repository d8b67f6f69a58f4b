"""conv2d_manual with Tensor.unfold windows instead of F.unfold: pad with F.pad, cut sliding windows along the
height and then the width (a dilated window is a wider one, thinned with a step), and contract each group's
windows with its kernels in one einsum. No convolution operator runs, and an empty batch stays empty."""

import torch
import torch.nn.functional as F

from solutions.conv import *  # noqa: F403


def _two(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() == 3:
        return conv2d_manual(x[None], weight, bias, stride, padding, dilation, groups)[0]
    if x.dim() != 4:
        raise RuntimeError(f"conv2d_manual needs a 3-D or 4-D input, not {x.dim()}-D")
    (sh, sw), (ph, pw), (dh, dw) = _two(stride), _two(padding), _two(dilation)
    c_out, c_group, kh, kw = weight.shape
    padded = F.pad(x, (pw, pw, ph, ph))
    windows = padded.unfold(2, dh * (kh - 1) + 1, sh).unfold(3, dw * (kw - 1) + 1, sw)[..., ::dh, ::dw]
    n, _, h_out, w_out = windows.shape[:4]
    windows = windows.reshape(n, groups, c_group, h_out, w_out, kh, kw)
    kernels = weight.reshape(groups, c_out // groups, c_group, kh, kw)
    out = torch.einsum("ngchwij,gocij->ngohw", windows, kernels).reshape(n, c_out, h_out, w_out)
    return out if bias is None else out + bias[:, None, None]
