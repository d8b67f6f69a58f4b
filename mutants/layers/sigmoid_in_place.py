"""sigmoid uses the in-place x.sigmoid_(), overwriting its input."""

from solutions.layers import *  # noqa: F403


def sigmoid(x):
    return x.sigmoid_()
