"""reshape makes x contiguous before viewing it: right values, but a non-contiguous x that torch.reshape could view
(a slice of columns) is copied, so writes into the result no longer reach x."""

from solutions.tensors import *  # noqa: F403


def reshape(x, shape):
    return x.contiguous().view(shape)
