"""conv2d_manual ignores groups and lets every output channel see every input channel (tiling the kernels)."""

import torch

from solutions import conv as _reference
from solutions.conv import *  # noqa: F403


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    full = torch.cat([weight] * groups, dim=1) / groups
    return _reference.conv2d_manual(x, full, bias, stride, padding, dilation, 1)
