"""The ants/bees tutorial's style: os.path.join and a sorted os.listdir filtered with str.endswith and
os.path.isfile, images opened without a with block, and the two datasets joined by building the ConcatDataset
directly."""

import os

from PIL import Image
from torch.utils.data import ConcatDataset, Dataset

from solutions.datasets import *  # noqa: F403
from solutions.datasets import IMAGE_SUFFIXES


class LabelFolderDataset(Dataset):
    def __init__(self, root, label, transform=None):
        self.root_dir = root
        self.label_dir = label
        self.path = os.path.join(self.root_dir, self.label_dir)
        self.img_names = sorted(
            n
            for n in os.listdir(self.path)
            if n.lower().endswith(IMAGE_SUFFIXES) and os.path.isfile(os.path.join(self.path, n))
        )
        self.transform = transform

    def __getitem__(self, idx):
        img_item_path = os.path.join(self.path, self.img_names[idx])
        img = Image.open(img_item_path).convert("RGB")
        if self.transform:
            img = self.transform(img)
        return img, self.label_dir

    def __len__(self):
        return len(self.img_names)


def concat_datasets(first, second):
    return ConcatDataset([first, second])
