"""conv2d_manual fills an output made with torch.zeros(...) and no dtype, so a float64 input comes back as float32:
the values are rounded and the dtype is not the one F.conv2d returns."""

import torch

from solutions.conv import *  # noqa: F403
from solutions.conv import conv2d_manual as _reference


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    result = _reference(x, weight, bias, stride, padding, dilation, groups)
    out = torch.zeros(result.shape)  # the default dtype, float32, whatever x's dtype is
    out[...] = result
    return out
