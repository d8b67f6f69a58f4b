"""reshape uses Tensor.view, which refuses tensors whose memory layout cannot be re-viewed (e.g. transposed)."""

from solutions.tensors import *  # noqa: F403


def reshape(x, shape):
    return x.view(shape)
