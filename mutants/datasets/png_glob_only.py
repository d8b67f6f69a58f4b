"""LabelFolderDataset globs '*.png' only: upper-case suffixes (c.PNG) and other formats are missed."""

from pathlib import Path

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __init__(self, root, label, transform=None):
        super().__init__(root, label, transform)
        self.paths = sorted((Path(root) / label).glob("*.png"))
