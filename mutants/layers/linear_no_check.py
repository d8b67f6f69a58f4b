"""linear_output_shape never checks the last dimension: any input gets (..., out_features)."""

from solutions.layers import *  # noqa: F403


def linear_output_shape(shape, in_features, out_features):
    return tuple(shape[:-1]) + (out_features,)
