"""LabelFolderDataset opens every image in __init__ and keeps them in memory (stale, and cannot scale)."""

from PIL import Image

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __init__(self, root, label, transform=None):
        super().__init__(root, label, transform)
        self.images = [Image.open(p).convert("RGB") for p in self.paths]

    def __getitem__(self, index):
        image = self.images[index]
        return (self.transform(image) if self.transform else image), self.label
