"""LabelFolderDataset wraps the index around (index % len), so it never raises IndexError and a for loop never ends."""

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __getitem__(self, index):
        return super().__getitem__(index % len(self.paths))
