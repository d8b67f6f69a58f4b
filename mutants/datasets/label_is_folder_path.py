"""LabelFolderDataset returns the folder's path (a Path) as the label instead of its name as a str."""

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __getitem__(self, index):
        image, _ = super().__getitem__(index)
        return image, self.paths[index].parent
