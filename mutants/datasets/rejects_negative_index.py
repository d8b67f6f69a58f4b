"""LabelFolderDataset checks 0 <= index < len itself and raises IndexError for negative indices too."""

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __getitem__(self, index):
        if not 0 <= index < len(self.paths):
            raise IndexError(f"index {index} out of range")
        return super().__getitem__(index)
