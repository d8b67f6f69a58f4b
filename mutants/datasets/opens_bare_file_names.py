"""LabelFolderDataset keeps the bare file names from os.listdir and opens them without the folder, so Pillow looks
for them in the current working directory."""

import os

from PIL import Image

from solutions.datasets import *  # noqa: F403
from solutions.datasets import IMAGE_SUFFIXES
from solutions.datasets import LabelFolderDataset as _Reference


class LabelFolderDataset(_Reference):
    def __init__(self, root, label, transform=None):
        super().__init__(root, label, transform)
        folder = os.path.join(root, label)
        self.names = sorted(n for n in os.listdir(folder) if os.path.splitext(n)[1].lower() in IMAGE_SUFFIXES)

    def __len__(self):
        return len(self.names)

    def __getitem__(self, index):
        image = Image.open(self.names[index]).convert("RGB")
        return (self.transform(image) if self.transform else image), self.label
