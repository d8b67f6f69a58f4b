"""LabelFolderDataset returns images in their file's mode (L, RGBA) instead of converting to RGB."""

from PIL import Image

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __getitem__(self, index):
        image = Image.open(self.paths[index])
        return (self.transform(image) if self.transform else image), self.label
