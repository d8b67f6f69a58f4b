"""flatten_per_sample hard-codes CifarNet's row length, view(-1, 64 * 4 * 4), and lets torch infer N."""

from solutions.tensors import *  # noqa: F403


def flatten_per_sample(batch):
    return batch.reshape(-1, 64 * 4 * 4)
