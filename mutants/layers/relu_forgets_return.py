"""relu_inplace changes x in place but forgets to return it (the function returns None)."""

from solutions.layers import *  # noqa: F403


def relu_inplace(x):
    x.clamp_(min=0)
