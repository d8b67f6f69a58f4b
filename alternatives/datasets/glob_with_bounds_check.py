"""glob.glob over every file (the folder part escaped with glob.escape, so brackets in a name are no pattern), sorted
by base name, with __getitem__ doing its own bounds check (negative indices turned into positive ones) and
ConcatDataset built from a tuple."""

import glob
import os

from PIL import Image
from torch.utils.data import ConcatDataset, Dataset

from solutions.datasets import *  # noqa: F403
from solutions.datasets import IMAGE_SUFFIXES


class LabelFolderDataset(Dataset):
    def __init__(self, root, label, transform=None):
        candidates = glob.glob(os.path.join(glob.escape(os.path.join(os.fspath(root), label)), "*"))
        images = [p for p in candidates if os.path.isfile(p) and os.path.splitext(p)[1].lower() in IMAGE_SUFFIXES]
        self.files = sorted(images, key=os.path.basename)
        self.label = str(label)
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, index):
        if index < 0:
            index += len(self.files)
        if not 0 <= index < len(self.files):
            raise IndexError(f"index {index} is out of range for {len(self.files)} images")
        image = Image.open(self.files[index])
        image = image.convert("RGB")
        return (image if self.transform is None else self.transform(image)), self.label


def concat_datasets(first, second):
    return ConcatDataset((first, second))
