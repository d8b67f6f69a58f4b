"""LabelFolderDataset keeps the files in the order the file system lists them, without sorting."""

import os
from pathlib import Path

from solutions.datasets import *  # noqa: F403
from solutions.datasets import IMAGE_SUFFIXES
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __init__(self, root, label, transform=None):
        super().__init__(root, label, transform)
        folder = Path(root) / label
        self.paths = [folder / name for name in os.listdir(folder) if Path(name).suffix.lower() in IMAGE_SUFFIXES]
