"""LabelFolderDataset filters the listing by suffix alone, so a sub-folder named more.png counts as an image (and
opening it fails)."""

from pathlib import Path

from solutions.datasets import *  # noqa: F403
from solutions.datasets import IMAGE_SUFFIXES
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __init__(self, root, label, transform=None):
        super().__init__(root, label, transform)
        self.paths = sorted(p for p in (Path(root) / label).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
