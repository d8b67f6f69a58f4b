"""embedding_by_hand skips the range check, so a negative index silently selects a row from the end."""

from solutions.layers import *  # noqa: F403


def embedding_by_hand(weight, indices):
    return weight[indices]
