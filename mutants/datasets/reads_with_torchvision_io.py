"""LabelFolderDataset reads images with torchvision.io.read_image: a uint8 tensor (C, H, W), not a Pillow image."""

from solutions.datasets import *  # noqa: F403
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __getitem__(self, index):
        from torchvision.io import ImageReadMode, read_image

        image = read_image(str(self.paths[index]), mode=ImageReadMode.RGB)
        return (self.transform(image) if self.transform else image), self.label
