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

    ``root`` is a str or a pathlib.Path and ``label`` the name of a folder inside it; ``transform`` is
    optional. The images are the regular files directly inside ``root/label`` whose suffix, in any
    letter case, is one of IMAGE_SUFFIXES (``.PNG`` and ``.Jpg`` count too). Nothing else counts: other
    files, sub-folders - even one named like an image, such as ``more.png/`` - and what they hold. A
    folder with no image gives an empty dataset (length 0), not an error. Folder and file names are
    taken literally, spaces, brackets and non-ASCII letters included (``ants [v2]`` is a valid label).

    When the work happens: the folder is listed once, when the dataset is built, so files added to it
    later change neither its length nor its indices. Building opens no image - a file counts by its
    name alone, so a damaged ``.png`` is still counted. Each ``dataset[i]`` reads its file at that
    moment, every time: a file repainted after the dataset was built, or after an earlier
    ``dataset[i]``, comes back as it is now.

    ``len(dataset)`` is the number of images. ``dataset[i]`` is the tuple ``(image, label)``: the i-th
    image in file-name order (``a.png`` before ``b.png``, whatever order the file system lists them in),
    a PIL image in mode RGB whatever the file's own mode (grayscale L, RGBA, palette P). With a
    ``transform``, it is called once per item on that RGB image and what it returns takes the image's
    place. ``label`` is the folder name, a str. Indices behave like a list's: ``-1`` is the last image,
    and an index at or past the end, or before ``-len(dataset)``, raises IndexError (that is also how
    Python's ``for`` loop stops over a Dataset).

    The lesson: a Dataset knows where its samples are and how many there are; it loads one only when
    it is asked for it.

    【中文】
    子文件夹 ``root/label`` 中的图片，每张都以该文件夹的名字作为标签。

    ``root`` 是 str 或 pathlib.Path，``label`` 是其中一个文件夹的名字；``transform`` 可选。图片指直接位于
    ``root/label`` 下的普通文件，且其后缀（不区分大小写）属于 IMAGE_SUFFIXES（``.PNG``、``.Jpg`` 也算）。
    其他东西一律不算：别的文件、子文件夹（哪怕名字像图片，例如 ``more.png/``）以及子文件夹里的内容。
    文件夹里一张图片都没有时，得到的是长度为 0 的空数据集，而不是报错。文件夹名和文件名按字面理解，
    空格、方括号和非 ASCII 字符都照常处理（``ants [v2]`` 是合法的标签）。

    各项工作发生的时机：文件夹只在构建数据集时列出一次，之后再往里添加文件，既不改变数据集的长度，
    也不改变索引。构建时不打开任何图片——一个文件算不算图片只看文件名，所以损坏的 ``.png`` 照样计入。
    每次访问 ``dataset[i]`` 都在那一刻读取对应的文件：数据集构建之后、或者上一次访问 ``dataset[i]``
    之后被重新绘制的文件，读到的是它现在的内容。

    ``len(dataset)`` 是图片的数量。``dataset[i]`` 是元组 ``(image, label)``：按文件名排序后的第 i 张图片
    （``a.png`` 在 ``b.png`` 之前，与文件系统列出文件的顺序无关），是模式为 RGB 的 PIL 图像，无论文件本身
    是什么模式（灰度 L、RGBA、调色板 P）。给了 ``transform`` 时，每取一项就对这张 RGB 图像调用它一次，
    并用它的返回值代替图片。``label`` 是文件夹名，类型为 str。索引的行为和列表一样：``-1`` 是最后一张；
    索引大于等于长度、或小于 ``-len(dataset)`` 时抛出 IndexError（Python 的 ``for`` 循环遍历 Dataset 时
    也正是靠它停下来）。

    要点：Dataset 知道样本在哪里、一共有多少个；只有被请求时，才去加载某一个样本。
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
    """Join two datasets end to end into one flat dataset.

    The result is a torch.utils.data.ConcatDataset holding first's samples, then second's: its length is
    ``len(first) + len(second)``, index ``len(first)`` is ``second[0]``, and its ``cumulative_sizes``
    are ``[len(first), len(first) + len(second)]`` - an empty dataset on either side included (it still
    has its entry, so ``[0, n]`` when first is empty). Like a list, it accepts negative indices (``[-1]``
    is the last item of ``second``) and raises IndexError at index ``len(first) + len(second)``.

    The lesson: ``a + b`` on datasets is this one flat dataset, not a pair of datasets and not the
    "2-D" dataset the note describes.

    【中文】
    把两个数据集首尾相接，得到一个扁平的数据集。

    结果是一个 torch.utils.data.ConcatDataset（拼接数据集），先是 first 的样本，接着是 second 的样本：
    长度为 ``len(first) + len(second)``，索引 ``len(first)`` 处是 ``second[0]``，``cumulative_sizes``
    为 ``[len(first), len(first) + len(second)]``——其中一边是空数据集时也一样（空数据集照样占一项，
    所以 first 为空时是 ``[0, n]``）。它像列表一样接受负索引（``[-1]`` 是 ``second`` 的最后一项），
    并在索引 ``len(first) + len(second)`` 处抛出 IndexError。

    要点：数据集上的 ``a + b`` 得到的就是这样一个扁平的数据集，既不是一对数据集，也不是笔记所说的
    “二维”数据集。
    """
    # TODO: return one flat dataset holding first's samples followed by second's.
    # 待办：返回一个扁平的数据集：先是 first 的样本，接着是 second 的样本。
    raise NotImplementedError("kata datasets.concat_datasets is not solved yet")
