"""avgpool2d_output_size rounds with np.floor / np.ceil after a true division (and drops a ceil_mode window that
would start in the padding, as it should): the right sizes, but numpy floats (3.0 == 3), not Python ints."""

import numpy as np

from solutions.layers import *  # noqa: F403


def avgpool2d_output_size(height, width, kernel_size, stride=None, padding=0, ceil_mode=False):
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    k = pair(kernel_size)
    s, p = (k if stride is None else pair(stride)), pair(padding)
    sizes = []
    for i, size in enumerate((height, width)):
        count = (np.ceil if ceil_mode else np.floor)((size + 2 * p[i] - k[i]) / s[i]) + 1
        if ceil_mode and (count - 1) * s[i] >= size + p[i]:
            count -= 1
        sizes.append(count)
    return tuple(sizes)
