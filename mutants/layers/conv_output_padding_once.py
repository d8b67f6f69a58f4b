"""conv2d_output_size adds the padding once per dimension, forgetting that it goes on both sides."""

from solutions.layers import *  # noqa: F403


def conv2d_output_size(height, width, kernel_size, stride=1, padding=0, dilation=1):
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    k, s, p, d = pair(kernel_size), pair(stride), pair(padding), pair(dilation)
    return tuple((size + p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i, size in enumerate((height, width)))
