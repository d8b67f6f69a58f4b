"""linear_output_shape returns a list (list(shape[:-1]) + [out_features]) instead of a tuple."""

from solutions.layers import *  # noqa: F403


def linear_output_shape(shape, in_features, out_features):
    if shape[-1] != in_features:
        raise ValueError(f"expected {in_features} features, got shape {shape}")
    return list(shape[:-1]) + [out_features]
