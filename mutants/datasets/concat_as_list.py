"""concat_datasets joins the samples into a plain list (like adding two lists), not a ConcatDataset."""

from solutions.datasets import *  # noqa: F403


def concat_datasets(first, second):
    return [first[i] for i in range(len(first))] + [second[i] for i in range(len(second))]
