"""concat_datasets leaves an empty dataset out ("nothing to join"), so it is not a ConcatDataset of both any more:
with one side empty it returns the other dataset itself."""

from solutions.datasets import *  # noqa: F403
from solutions.datasets import concat_datasets as _reference


def concat_datasets(first, second):
    if len(first) == 0:
        return second
    if len(second) == 0:
        return first
    return _reference(first, second)
