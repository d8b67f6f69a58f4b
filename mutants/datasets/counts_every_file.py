"""LabelFolderDataset lists every file in the folder, so a stray notes.txt counts as an image."""

from pathlib import Path

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __init__(self, root, label, transform=None):
        super().__init__(root, label, transform)
        self.paths = sorted((Path(root) / label).iterdir())
