"""conv2d_manual turns an int stride into (stride, 1): the int strides the height only, not the width."""

from solutions import conv as _reference
from solutions.conv import *  # noqa: F403


def conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if isinstance(stride, int):
        stride = (stride, 1)
    return _reference.conv2d_manual(x, weight, bias, stride, padding, dilation, groups)
