"""conv2d_manual folds the bias into every group's partial sum and then adds it once more at the end."""

from solutions import conv as _reference
from solutions.conv import *  # noqa: F403


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    out = _reference.conv2d_manual(x, weight, bias, stride, padding, dilation, groups)
    return out if bias is None else out + bias.reshape(-1, 1, 1)
