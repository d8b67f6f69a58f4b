"""LabelFolderDataset lists the folder with glob.glob(os.path.join(root, label, "*")), so brackets in a folder name
are read as a pattern and a folder such as "ants [v2]" seems empty."""

import glob
import os
from pathlib import Path

from solutions.datasets import *  # noqa: F403
from solutions.datasets import IMAGE_SUFFIXES
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __init__(self, root, label, transform=None):
        super().__init__(root, label, transform)
        found = glob.glob(os.path.join(os.fspath(root), label, "*"))
        self.paths = sorted(Path(p) for p in found if os.path.isfile(p) and Path(p).suffix.lower() in IMAGE_SUFFIXES)
