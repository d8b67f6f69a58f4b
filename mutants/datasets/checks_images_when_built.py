"""LabelFolderDataset opens every file in __init__ to keep only those Pillow can read, so building reads every
image up front and a damaged .png is silently dropped from the count."""

from PIL import Image

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


def _readable(path):
    try:
        with Image.open(path) as handle:
            handle.verify()
    except Exception:  # noqa: BLE001
        return False
    return True


class LabelFolderDataset(_Reference):
    def __init__(self, root, label, transform=None):
        super().__init__(root, label, transform)
        self.paths = [p for p in self.paths if _readable(p)]
