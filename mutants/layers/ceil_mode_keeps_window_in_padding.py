"""maxpool2d_output_size rounds up with ceil_mode but keeps a last window that starts inside the right padding."""

import math

from solutions.layers import *  # noqa: F403


def maxpool2d_output_size(height, width, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    k = pair(kernel_size)
    s = k if stride is None else pair(stride)
    p, d = pair(padding), pair(dilation)
    rounding = math.ceil if ceil_mode else math.floor
    return tuple(rounding((size + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]) + 1 for i, size in enumerate((height, width)))
