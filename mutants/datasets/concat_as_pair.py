"""concat_datasets follows the note's "2-D dataset" reading and returns the two datasets as a pair."""

from solutions.datasets import *  # noqa: F403


def concat_datasets(first, second):
    return [first, second]
