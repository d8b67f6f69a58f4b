"""linear_output_shape assumes a 2-D (batch, features) input and returns (batch, out_features) for any shape."""

from solutions.layers import *  # noqa: F403


def linear_output_shape(shape, in_features, out_features):
    if shape[-1] != in_features:
        raise ValueError(f"expected {in_features} features, got shape {shape}")
    return (shape[0], out_features) if len(shape) > 1 else (out_features,)
