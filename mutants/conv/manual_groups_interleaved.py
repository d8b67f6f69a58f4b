"""conv2d_manual deals the input channels out to the groups in turn (channel c to group c % groups) instead of in blocks."""

import torch

from solutions import conv as _reference
from solutions.conv import *  # noqa: F403


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    c_in = x.shape[-3]
    order = torch.arange(c_in).reshape(c_in // groups, groups).t().reshape(-1)
    return _reference.conv2d_manual(x.index_select(-3, order), weight, bias, stride, padding, dilation, groups)
