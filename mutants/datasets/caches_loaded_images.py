"""LabelFolderDataset keeps every image it has read in a dict "to save time", so a file changed after its first
read keeps coming back as it was."""

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __init__(self, root, label, transform=None):
        super().__init__(root, label, transform)
        self.cache = {}

    def __getitem__(self, index):
        if index not in self.cache:
            self.cache[index] = super().__getitem__(index)
        return self.cache[index]
