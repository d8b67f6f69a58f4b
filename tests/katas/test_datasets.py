"""Kata 2 (katas/datasets.py): a Dataset over a folder of images, and the + operator on datasets."""

import itertools
import operator
import os
from pathlib import Path

import pytest
import torch
from PIL import Image
from torch.utils.data import ConcatDataset, Dataset, TensorDataset

from kata_harness.testing import raises_from, shape_of
from kata_impl import datasets

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


@pytest.fixture
def image_root(tmp_path):
    """root/ants: a.png (RGB), b.png (grayscale L file), c.PNG (RGBA) and notes.txt; root/bees: x.png, y.png."""
    root = tmp_path / "hymenoptera"
    save(root / "ants" / "a.png", "RGB", (6, 4), RED)
    save(root / "ants" / "b.png", "L", (5, 5), 200)  # one channel on disk
    save(root / "ants" / "c.PNG", "RGBA", (3, 7), (*BLUE, 128))  # upper-case suffix, alpha channel
    (root / "ants" / "notes.txt").write_text("not an image")
    save(root / "bees" / "x.png", "RGB", (8, 8), GREEN)
    save(root / "bees" / "y.png", "RGB", (8, 8), BLUE)
    return root


@pytest.fixture
def listings_in_reverse(monkeypatch):
    """Make os.listdir and os.scandir (behind Path.iterdir, Path.glob, glob.glob, os.walk) list every folder in
    reverse name order: the worst case for a dataset that trusts the listing order instead of sorting."""
    real_listdir, real_scandir = os.listdir, os.scandir

    class ReverseScandir:
        def __init__(self, path="."):
            with real_scandir(path) as entries:
                self._entries = iter(sorted(entries, key=lambda entry: entry.name, reverse=True))

        def __iter__(self):
            return self

        def __next__(self):
            return next(self._entries)

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            return False

        def close(self):
            pass

    monkeypatch.setattr(os, "listdir", lambda path=".": sorted(real_listdir(path), reverse=True))
    monkeypatch.setattr(os, "scandir", ReverseScandir)


def save(path, mode, size, colour=None, image_format=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, colour).save(path, format=image_format)


def fingerprint(image):
    """What tells the test images apart whatever their mode: (size, first pixel in RGB)."""
    return image.size, image.convert("RGB").getpixel((0, 0))


# --- LabelFolderDataset ----------------------------------------------------------------------------

folder_kata = pytest.mark.kata("datasets.LabelFolderDataset")


@folder_kata
def test_label_folder_dataset_is_a_torch_dataset(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "ants")
    assert isinstance(dataset, Dataset), "LabelFolderDataset must subclass torch.utils.data.Dataset"


@folder_kata
@pytest.mark.parametrize("as_type", [str, Path], ids=["str", "Path"])
def test_label_folder_dataset_accepts_str_or_path_root(image_root, as_type):
    root = as_type(image_root)
    dataset = datasets.LabelFolderDataset(root, "bees")
    assert len(dataset) == 2, (
        f"Called len(LabelFolderDataset({type(root).__name__} root, 'bees')) on a folder with 2 images. It returned "
        f"{len(dataset)}, but the tests expected 2: root may be a str or a pathlib.Path."
    )


@folder_kata
def test_label_folder_dataset_len_ignores_other_files_and_sub_folders(tmp_path):
    folder = tmp_path / "root" / "misc"
    save(folder / "one.png", "RGB", (4, 4), RED)
    save(folder / "extra" / "two.png", "RGB", (4, 4), GREEN)  # inside a sub-folder: not this label's
    (folder / "notes.txt").write_text("not an image")
    (folder / "labels.csv").write_text("one.png,misc\n")
    dataset = datasets.LabelFolderDataset(tmp_path / "root", "misc")
    assert len(dataset) == 1, (
        "Called len(LabelFolderDataset(root, 'misc')) on a folder holding one.png, notes.txt, labels.csv and a "
        f"sub-folder extra/ with two.png. It returned {len(dataset)}, but the tests expected 1: only the image files "
        "directly in root/label count; other files and sub-folders are ignored."
    )


@folder_kata
def test_label_folder_dataset_counts_every_image_suffix_in_any_case(tmp_path):
    formats = {"p.jpg": "JPEG", "q.JPEG": "JPEG", "r.Bmp": "BMP", "s.png": "PNG", "t.PNG": "PNG"}
    names = list(formats)
    for name, image_format in formats.items():
        save(tmp_path / "root" / "mixed" / name, "RGB", (4, 4), GREEN, image_format)
    dataset = datasets.LabelFolderDataset(tmp_path / "root", "mixed")
    assert len(dataset) == 5, (
        f"Called len(LabelFolderDataset(root, 'mixed')) on a folder holding {', '.join(names)}. It returned "
        f"{len(dataset)}, but the tests expected 5: a file is an image when its suffix, in any letter case, is one "
        f"of IMAGE_SUFFIXES {datasets.IMAGE_SUFFIXES}."
    )


@folder_kata
def test_label_folder_dataset_returns_a_tuple_of_pil_image_and_label(image_root):
    item = datasets.LabelFolderDataset(image_root, "bees")[0]
    assert isinstance(item, tuple) and len(item) == 2, f"dataset[0] returned {shape_of(item)}; expected (image, label)"
    assert isinstance(item[0], Image.Image), f"dataset[0][0] is {type(item[0]).__name__}; expected a PIL image"


@folder_kata
@pytest.mark.parametrize("label", ["ants", "bees"])
def test_label_folder_dataset_label_is_the_folder_name_as_str(image_root, label):
    got = datasets.LabelFolderDataset(image_root, label)[0][1]
    assert type(got) is str and got == label, (
        f"dataset[0][1] of LabelFolderDataset(root, {label!r}) is {got!r} ({type(got).__name__}), but the tests "
        f"expected the folder name {label!r} as a str."
    )


@folder_kata
def test_label_folder_dataset_orders_files_by_name(tmp_path, listings_in_reverse):
    sizes = {"a.png": (6, 4), "b.png": (5, 5), "c.png": (3, 7), "d.png": (2, 9)}  # each file has its own size
    for name in ["c.png", "a.png", "d.png", "b.png"]:  # created out of name order
        save(tmp_path / "root" / "wasps" / name, "RGB", sizes[name])
    dataset = datasets.LabelFolderDataset(tmp_path / "root", "wasps")
    got = [dataset[i][0].size for i in range(4)]
    expected = list(sizes.values())
    assert got == expected, (
        f"Called LabelFolderDataset(root, 'wasps')[i] for i in 0..3, the folder listing d.png, c.png, b.png, a.png "
        f"(sizes {expected[::-1]}). The items have the sizes {got}, but the tests expected {expected}, the order of "
        "the sorted file names: sort the paths, so that an index means the same file whatever order the file "
        "system lists them in."
    )


@folder_kata
@pytest.mark.parametrize("file_mode", ["L", "RGBA", "P"], ids=["grayscale-file", "rgba-file", "palette-file"])
def test_label_folder_dataset_converts_to_rgb(tmp_path, file_mode):
    save(tmp_path / "root" / "modes" / "only.png", file_mode, (5, 3))
    image, _ = datasets.LabelFolderDataset(tmp_path / "root", "modes")[0]
    assert image.mode == "RGB", (
        f"Called LabelFolderDataset(root, 'modes')[0] on a {file_mode}-mode PNG file. It returned a {image.mode} "
        "image, but the tests expected RGB: convert every image with .convert('RGB'), so that all samples have 3 "
        "channels whatever the file holds."
    )


@folder_kata
def test_label_folder_dataset_applies_transform_to_the_rgb_image(tmp_path):
    save(tmp_path / "root" / "gray" / "only.png", "L", (5, 3))
    seen = []
    result = torch.full((3, 2, 2), 7.0)

    def transform(image):
        seen.append((image.mode, image.size))
        return result

    item = datasets.LabelFolderDataset(tmp_path / "root", "gray", transform=transform)[0]
    assert seen == [("RGB", (5, 3))], (
        f"dataset[0] called the transform with (mode, size) {seen}, but the tests expected one call with the RGB "
        "5x3 image: open the file, convert it to RGB, then transform it."
    )
    assert item[0] is result, (
        f"dataset[0] returned {shape_of(item[0])} as its image; expected exactly what the transform returned"
    )


@folder_kata
def test_label_folder_dataset_raises_index_error_past_end(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    raises_from(
        IndexError, operator.getitem, dataset, 2,
        call="dataset[2] on LabelFolderDataset(root, 'bees') with 2 images",
        lesson="indexing past the end raises IndexError, like a list (that is also how Python's for loop stops "
        "over a Dataset).",
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_negative_index_counts_from_end(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    got = [fingerprint(dataset[-1][0]), fingerprint(dataset[-2][0])]
    expected = [fingerprint(dataset[1][0]), fingerprint(dataset[0][0])]
    assert got == expected, (
        f"dataset[-1] and dataset[-2] of a 2-image dataset are the images {got} (size, first pixel), but the tests "
        f"expected dataset[1] and dataset[0], {expected}: negative indices count from the end, like a list's."
    )


@folder_kata
def test_label_folder_dataset_index_before_the_start_raises_index_error(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    raises_from(
        IndexError, operator.getitem, dataset, -3,
        call="dataset[-3] on LabelFolderDataset(root, 'bees') with 2 images",
        lesson="negative indices count from the end like a list's, so -1 and -2 are the two images and -3 is before "
        "the start: IndexError, not a second trip round the end.",
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_works_in_a_for_loop(image_root):
    # Python's for loop over an object with __getitem__ stops at the first IndexError; islice bounds a runaway loop.
    count = sum(1 for _ in itertools.islice(datasets.LabelFolderDataset(image_root, "bees"), 10))
    assert count == 2, (
        f"a for loop over a 2-image dataset went through {count} items; it must stop after 2, when dataset[2] "
        "raises IndexError"
    )


@folder_kata
def test_label_folder_dataset_opens_images_lazily(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    for name in ["x.png", "y.png"]:  # both files change after the dataset was built
        save(image_root / "bees" / name, "RGB", (8, 8), RED)
    got = [fingerprint(dataset[i][0]) for i in range(2)]
    assert got == [((8, 8), RED)] * 2, (
        f"After both images of 'bees' were repainted red, dataset[0] and dataset[1] are {got} (size, first pixel): "
        "the images as they were when the dataset was built. Keep paths and open the files in __getitem__ "
        "(a real dataset does not fit in memory)."
    )


@folder_kata
def test_label_folder_dataset_reads_the_file_on_every_access(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    before = fingerprint(dataset[0][0])
    save(image_root / "bees" / "x.png", "RGB", (8, 8), RED)  # repainted after dataset[0] was read once
    after = fingerprint(dataset[0][0])
    assert (before, after) == (((8, 8), GREEN), ((8, 8), RED)), (
        f"Read dataset[0] of LabelFolderDataset(root, 'bees') (green x.png), repainted x.png red, and read dataset[0] "
        f"again. The two reads gave {before} then {after} (size, first pixel), but the tests expected green then red: "
        "each dataset[i] reads its file at that moment, every time - no cache of images already read."
    )


@folder_kata
def test_label_folder_dataset_building_opens_no_image(tmp_path):
    save(tmp_path / "root" / "mixed" / "a.png", "RGB", (6, 4), RED)
    (tmp_path / "root" / "mixed" / "broken.png").write_bytes(b"not a PNG at all")  # only its name says image
    try:
        dataset = datasets.LabelFolderDataset(tmp_path / "root", "mixed")
        count = len(dataset)
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - any error here means an image was opened while building
        pytest.fail(
            "Called LabelFolderDataset(root, 'mixed') on a folder holding a.png and broken.png (a file whose bytes are "
            f"not an image). Building it raised {type(error).__name__}: {error}, but the tests expected no error: "
            "building opens no image, a file counts by its name alone."
        )
    assert count == 2, (
        "Called len(LabelFolderDataset(root, 'mixed')) on a folder holding a.png and broken.png (bytes that are not an "
        f"image). It returned {count}, but the tests expected 2: a file counts by its name alone, and building the "
        "dataset opens no image (only dataset[i] reads a file)."
    )
    assert fingerprint(dataset[0][0]) == ((6, 4), RED), "dataset[0] is not the image of a.png"


@folder_kata
def test_label_folder_dataset_lists_the_folder_once(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    save(image_root / "bees" / "0.png", "RGB", (3, 3), RED)  # added later; its name sorts first
    save(image_root / "bees" / "z.png", "RGB", (3, 3), RED)
    got = (len(dataset), fingerprint(dataset[0][0]))
    assert got == (2, ((8, 8), GREEN)), (
        "Built LabelFolderDataset(root, 'bees') over x.png (green) and y.png, then added 0.png and z.png to the "
        f"folder. The dataset now has length {got[0]} and dataset[0] is {got[1]} (size, first pixel), but the tests "
        "expected length 2 and the green x.png: the folder is listed once, when the dataset is built, so files added "
        "later change neither its length nor its indices."
    )


@folder_kata
def test_label_folder_dataset_ignores_a_sub_folder_named_like_an_image(tmp_path):
    folder = tmp_path / "root" / "odd"
    save(folder / "one.png", "RGB", (4, 4), RED)
    save(folder / "more.png" / "inner.png", "RGB", (4, 4), GREEN)  # a folder whose name ends in .png
    dataset = datasets.LabelFolderDataset(tmp_path / "root", "odd")
    assert len(dataset) == 1, (
        "Called len(LabelFolderDataset(root, 'odd')) on a folder holding one.png and a sub-folder named more.png/. It "
        f"returned {len(dataset)}, but the tests expected 1: only regular files count as images - a sub-folder is "
        "ignored even when its name ends in an image suffix."
    )


@folder_kata
def test_label_folder_dataset_empty_folder_is_an_empty_dataset(tmp_path):
    folder = tmp_path / "root" / "wasps"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("no images yet")
    dataset = datasets.LabelFolderDataset(tmp_path / "root", "wasps")
    assert len(dataset) == 0, (
        f"Called len(LabelFolderDataset(root, 'wasps')) on a folder with no image. It returned {len(dataset)}, but the "
        "tests expected 0: a folder without images is an empty dataset."
    )
    raises_from(
        IndexError, operator.getitem, dataset, 0,
        call="dataset[0] on LabelFolderDataset(root, 'wasps') built over a folder with no image",
        lesson="an empty dataset has no index 0: like an empty list, it raises IndexError.",
    )  # fmt: skip
    items = list(itertools.islice(dataset, 5))
    assert items == [], f"a for loop over an empty dataset went through {len(items)} items; expected none"


@folder_kata
def test_label_folder_dataset_takes_folder_and_file_names_literally(tmp_path):
    root = tmp_path / "data [copy]"
    save(root / "ants [v2]" / "蚂蚁 1.png", "RGB", (4, 4), RED)
    save(root / "ants [v2]" / "蚂蚁 2.png", "RGB", (4, 4), GREEN)
    dataset = datasets.LabelFolderDataset(root, "ants [v2]")
    assert len(dataset) == 2, (
        "Called len(LabelFolderDataset('.../data [copy]', 'ants [v2]')) on a folder holding '蚂蚁 1.png' and "
        f"'蚂蚁 2.png'. It returned {len(dataset)}, but the tests expected 2: folder and file names are taken "
        "literally - brackets are not a pattern, and spaces and non-ASCII letters are ordinary characters."
    )
    got = [(fingerprint(image), label) for image, label in (dataset[0], dataset[1])]
    expected = [(((4, 4), RED), "ants [v2]"), (((4, 4), GREEN), "ants [v2]")]
    assert got == expected, f"the items are {got} ((size, first pixel), label); expected {expected}"


# --- concat_datasets -------------------------------------------------------------------------------


@pytest.fixture
def pair():
    return TensorDataset(torch.arange(3)), TensorDataset(torch.arange(10, 15))


def values(dataset):
    return [int(dataset[i][0]) for i in range(len(dataset))]


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_is_flat_not_a_pair(pair):
    joined = datasets.concat_datasets(*pair)
    assert len(joined) == 8, (
        f"Called concat_datasets(a, b) with datasets of 3 and 5 items. len() of the result is {len(joined)}, but the "
        "tests expected 8: a + b is one flat dataset, not a 2-element collection of datasets."
    )
    assert isinstance(joined, ConcatDataset), (
        f"concat_datasets returned a {type(joined).__name__}; expected the torch.utils.data.ConcatDataset a + b builds"
    )


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_second_starts_at_len_of_first(pair):
    joined = datasets.concat_datasets(*pair)
    assert values(joined) == [0, 1, 2, 10, 11, 12, 13, 14], (
        f"(a + b)[i] for all i gave {values(joined)}; expected a's items 0, 1, 2 then b's items 10..14"
    )
    assert joined.cumulative_sizes == [3, 8], f"cumulative_sizes is {joined.cumulative_sizes}; expected [3, 8]"


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_negative_index(pair):
    joined = datasets.concat_datasets(*pair)
    got = [int(joined[-1][0]), int(joined[-8][0])]
    assert got == [14, 0], (
        f"(a + b)[-1] and (a + b)[-8] gave {got}; expected [14, 0]: negative indices count from the end"
    )


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_one_past_end_raises_index_error(pair):
    joined = datasets.concat_datasets(*pair)
    raises_from(
        IndexError, operator.getitem, joined, 8,
        call="(a + b)[8] on concat_datasets(a, b) of 3 + 5 items",
        lesson="like a list, a + b raises IndexError at index len(first) + len(second).",
    )  # fmt: skip


@pytest.mark.kata("datasets.concat_datasets")
@pytest.mark.parametrize("empty_side", ["first", "second"])
def test_concat_datasets_with_an_empty_side(empty_side):
    empty, full = TensorDataset(torch.arange(0)), TensorDataset(torch.arange(10, 15))
    first, second = (empty, full) if empty_side == "first" else (full, empty)
    joined = datasets.concat_datasets(first, second)
    expected_sizes = [0, 5] if empty_side == "first" else [5, 5]
    got = getattr(joined, "cumulative_sizes", None)
    assert isinstance(joined, ConcatDataset) and got == expected_sizes, (
        f"Called concat_datasets(a, b) with the {empty_side} dataset empty (0 items) and the other of 5 items. It "
        f"returned a {type(joined).__name__} with cumulative_sizes {got}, but the tests expected a ConcatDataset with "
        f"{expected_sizes}: an empty dataset is joined like any other and keeps its entry."
    )
    assert values(joined) == [10, 11, 12, 13, 14], f"(a + b)[i] for all i gave {values(joined)}; expected 10..14"
