"""conv2d_output_size rounds down with np.floor after a true division, so the sizes are numpy floats (3.0 == 3)."""

import numpy as np

from solutions.layers import *  # noqa: F403


def conv2d_output_size(height, width, kernel_size, stride=1, padding=0, dilation=1):
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    k, s, p, d = pair(kernel_size), pair(stride), pair(padding), pair(dilation)
    return tuple(np.floor((size + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]) + 1 for i, size in enumerate((height, width)))
