"""Kata 2: your own Dataset over a folder of images, and joining datasets with ``+``.

From the note's section 数据加载 · Dataset. The layout is the classic one of the ants/bees tutorial:
``root/<label>/<image files>``, where the sub-folder's name is the label of every image in it.

【中文】
练习 2：为一个图片文件夹编写自己的 Dataset，以及用 ``+`` 拼接数据集。

对应笔记的“数据加载 · Dataset”一节。目录结构沿用经典的蚂蚁/蜜蜂（ants/bees）教程：
``root/<label>/<图片文件>``，子文件夹的名字就是其中每张图片的标签。
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

    【中文】
    子文件夹 ``root/label`` 中的图片，每张都以该文件夹的名字作为标签。

    ``root`` 可以是 str，也可以是 pathlib.Path。图片是指直接位于 ``root/label`` 下、后缀（不区分大小写）
    属于 IMAGE_SUFFIXES 的文件（``.PNG`` 和 ``.Jpg`` 也算）；其余的一切，包括别的文件、子文件夹及其中的
    内容，都忽略。图片路径要按文件名排序保存，这样无论文件系统以什么顺序列出文件，索引 i 在每台机器上都指向
    同一个文件；图片只在被请求时才打开：数据集建好之后被修改过的文件，读到的是它现在的内容。

    ``len(dataset)`` 是图片的数量。``dataset[i]`` 是元组 ``(image, label)``：按文件名排序后的第 i 张
    图片，用 Pillow 打开，并且无论文件本身是什么模式（灰度 L、RGBA……）都转换为 RGB；给了 ``transform``
    时，由 ``transform(rgb_image)`` 代替图片。``label`` 是文件夹名，类型为 str。
    索引超出末尾时抛出 IndexError（Python 的 ``for`` 循环遍历 Dataset 时也正是靠它停下来）；负索引像
    列表一样从末尾倒数。
    """

    def __init__(self, root: str | Path, label: str, transform=None) -> None:
        # TODO: keep label and transform, and list the folder's images in the same order on every machine.
        # 待办：保存 label 和 transform，并按在每台机器上都相同的顺序列出文件夹里的图片。
        raise NotImplementedError("kata datasets.LabelFolderDataset is not solved yet")

    def __len__(self) -> int:
        # TODO: say how many images the dataset holds.
        # 待办：给出数据集中图片的数量。
        raise NotImplementedError("kata datasets.LabelFolderDataset is not solved yet")

    def __getitem__(self, index: int):
        # TODO: hand back the index-th image, in RGB and transformed when asked, together with its label.
        # 待办：返回第 index 张图片（转换为 RGB；给了 transform 时再做变换）及其标签。
        raise NotImplementedError("kata datasets.LabelFolderDataset is not solved yet")


def concat_datasets(first: Dataset, second: Dataset) -> Dataset:
    """Join two datasets end to end, as ``first + second`` does.

    The result is one flat dataset (a torch.utils.data.ConcatDataset), not a pair of datasets:
    its length is ``len(first) + len(second)``, index ``len(first)`` is ``second[0]``, and its
    ``cumulative_sizes`` are ``[len(first), len(first) + len(second)]``. Like a list, it accepts
    negative indices (``[-1]`` is the last item of ``second``) and raises IndexError at index
    ``len(first) + len(second)``.

    【中文】
    像 ``first + second`` 那样，把两个数据集首尾相接。

    结果是一个扁平的数据集（torch.utils.data.ConcatDataset，即拼接数据集），而不是由两个数据集组成的
    一对（也不是什么“二维”数据集）：它的长度是 ``len(first) + len(second)``，索引 ``len(first)`` 处
    是 ``second[0]``，``cumulative_sizes`` 为 ``[len(first), len(first) + len(second)]``。它像列表
    一样接受负索引（``[-1]`` 是 ``second`` 的最后一项），并在索引 ``len(first) + len(second)`` 处
    抛出 IndexError。
    """
    # TODO: return one flat dataset holding first's samples followed by second's.
    # 待办：返回一个扁平的数据集：先是 first 的样本，接着是 second 的样本。
    raise NotImplementedError("kata datasets.concat_datasets is not solved yet")
