"""LabelFolderDataset refuses a folder without images (a "helpful" check in __init__), although an empty folder is
a legal, empty dataset."""

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __init__(self, root, label, transform=None):
        super().__init__(root, label, transform)
        if not self.paths:
            raise ValueError(f"no images found for label {label!r}")
