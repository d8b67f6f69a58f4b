"""LabelFolderDataset turns a negative index into a positive one by adding len once and then indexes the list, so an
index before the start (-len - 1) wraps round to the end instead of raising IndexError."""

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __getitem__(self, index):
        if index < 0:
            index += len(self.paths)
        return super().__getitem__(index)
