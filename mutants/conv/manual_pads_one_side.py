"""conv2d_manual puts all 2*padding zeros at the bottom and on the right (F.pad(x, (0, 2*pw, 0, 2*ph))), not half on each side."""

import torch.nn.functional as F

from solutions import conv as _reference
from solutions.conv import *  # noqa: F403


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    return _reference.conv2d_manual(F.pad(x, (0, 2 * pw, 0, 2 * ph)), weight, bias, stride, 0, dilation, groups)
