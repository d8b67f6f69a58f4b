"""conv2d_manual convolves the batch one sample at a time and joins the results with torch.stack: right for every
N >= 1, but a batch of no images gives stack an empty list, which it refuses."""

import torch

from solutions.conv import *  # noqa: F403
from solutions.conv import conv2d_manual as _reference


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() == 3:
        return _reference(x, weight, bias, stride, padding, dilation, groups)
    if x.dim() != 4:
        raise RuntimeError("expected a 3-D or 4-D input")
    return torch.stack([_reference(sample, weight, bias, stride, padding, dilation, groups) for sample in x])
