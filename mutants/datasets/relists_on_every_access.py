"""LabelFolderDataset lists the folder again in every __len__ and __getitem__ call, so files added after the dataset
was built change its length and shift its indices (and every item costs a directory listing)."""

from pathlib import Path

from solutions.datasets import *  # noqa: F403
from solutions.datasets import IMAGE_SUFFIXES
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __init__(self, root, label, transform=None):
        self.folder = Path(root) / label
        super().__init__(root, label, transform)

    @property
    def paths(self):
        return sorted(p for p in self.folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)

    @paths.setter
    def paths(self, value):
        pass  # the listing made in __init__ is thrown away
