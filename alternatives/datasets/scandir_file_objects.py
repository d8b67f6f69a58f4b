"""os.scandir with DirEntry.is_file(), a case-insensitive sort of the names, and each image read from an open
binary file object."""

import os

from PIL import Image
from torch.utils.data import Dataset

from solutions.datasets import *  # noqa: F403
from solutions.datasets import IMAGE_SUFFIXES


class LabelFolderDataset(Dataset):
    def __init__(self, root, label, transform=None):
        folder = os.path.join(root, label)
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.is_file() and os.path.splitext(e.name)[1].lower() in IMAGE_SUFFIXES]
        self.paths = [os.path.join(folder, name) for name in sorted(names, key=str.lower)]
        self.label = label
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        with open(self.paths[index], "rb") as file:
            image = Image.open(file).convert("RGB")
        if self.transform:
            image = self.transform(image)
        return (image, self.label)
