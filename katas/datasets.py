"""Kata 2: your own Dataset over a folder of images, and joining datasets with ``+``.

From the note's section 数据加载 · Dataset. The layout is the classic one of the ants/bees tutorial:
``root/<label>/<image files>``, where the sub-folder's name is the label of every image in it.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from torch.utils.data import ConcatDataset, Dataset

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp")


class LabelFolderDataset(Dataset):
    """The images of one sub-folder ``root/label``, each paired with the folder's name as its label.

    ``root`` may be a str or a pathlib.Path. The images are the files directly inside ``root/label``
    whose suffix, in any letter case, is one of IMAGE_SUFFIXES (``.PNG`` and ``.Jpg`` count too);
    everything else there - other files, sub-folders and what they contain - is ignored. Keep their
    paths sorted by file name, so that index i means the same file on every machine whatever order
    the file system lists them in, and open an image only when it is asked for: a file changed after
    the dataset was built is read as it is now.

    ``len(dataset)`` is the number of images. ``dataset[i]`` is the tuple ``(image, label)``: the i-th
    image in sorted file-name order, opened with Pillow and converted to RGB whatever the file's own
    mode (grayscale L, RGBA, ...); when a ``transform`` was given, ``transform(rgb_image)`` takes the
    image's place. ``label`` is the folder name, a str.
    Indexing past the end raises IndexError (that is also how Python's ``for`` loop stops over a
    Dataset); negative indices count from the end like a list's.
    """

    def __init__(self, root: str | Path, label: str, transform=None) -> None:
        # TODO: keep label and transform, and list the folder's images in the same order on every machine.
        raise NotImplementedError("kata datasets.LabelFolderDataset is not solved yet")

    def __len__(self) -> int:
        # TODO: say how many images the dataset holds.
        raise NotImplementedError("kata datasets.LabelFolderDataset is not solved yet")

    def __getitem__(self, index: int):
        # TODO: hand back the index-th image, in RGB and transformed when asked, together with its label.
        raise NotImplementedError("kata datasets.LabelFolderDataset is not solved yet")


def concat_datasets(first: Dataset, second: Dataset) -> Dataset:
    """Join two datasets end to end, as ``first + second`` does.

    The result is one flat dataset (a torch.utils.data.ConcatDataset), not a pair of datasets:
    its length is ``len(first) + len(second)``, index ``len(first)`` is ``second[0]``, and its
    ``cumulative_sizes`` are ``[len(first), len(first) + len(second)]``. Like a list, it accepts
    negative indices (``[-1]`` is the last item of ``second``) and raises IndexError at index
    ``len(first) + len(second)``.
    """
    # TODO: return one flat dataset holding first's samples followed by second's.
    raise NotImplementedError("kata datasets.concat_datasets is not solved yet")
