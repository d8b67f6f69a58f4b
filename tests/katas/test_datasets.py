"""Kata 2 (katas/datasets.py): a Dataset over a folder of images, and the + operator on datasets."""

import pytest
import torch
from PIL import Image
from torch.utils.data import ConcatDataset, Dataset, TensorDataset

from kata_harness.testing import raises, shape_of
from kata_impl import datasets

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


@pytest.fixture
def image_root(tmp_path):
    """root/ants: a.png (red), b.png (green, grayscale file), c.PNG (blue, RGBA) and notes.txt; root/bees: 2 images."""
    root = tmp_path / "hymenoptera"
    ants, bees = root / "ants", root / "bees"
    ants.mkdir(parents=True)
    bees.mkdir()
    Image.new("RGB", (6, 4), RED).save(ants / "a.png")
    Image.new("L", (5, 5), 200).save(ants / "b.png")  # one channel on disk
    Image.new("RGBA", (3, 7), (*BLUE, 128)).save(ants / "c.PNG")  # upper-case suffix, alpha channel
    (ants / "notes.txt").write_text("not an image")
    Image.new("RGB", (8, 8), GREEN).save(bees / "x.png")
    Image.new("RGB", (8, 8), BLUE).save(bees / "y.png")
    return root


def pixel(image):
    return image.getpixel((0, 0))


# --- LabelFolderDataset ----------------------------------------------------------------------------

folder_kata = pytest.mark.kata("datasets.LabelFolderDataset")


@folder_kata
def test_label_folder_dataset_is_a_torch_dataset(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "ants")
    assert isinstance(dataset, Dataset), "LabelFolderDataset must subclass torch.utils.data.Dataset"


@folder_kata
def test_label_folder_dataset_len_counts_images_only(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "ants")
    assert len(dataset) == 3, (
        f"Called len(LabelFolderDataset(root, 'ants')) on a folder with a.png, b.png, c.PNG and notes.txt. "
        f"It returned {len(dataset)}, but the tests expected 3: only image files count (suffix in any case)."
    )


@folder_kata
def test_label_folder_dataset_getitem_returns_image_and_label(image_root):
    item = datasets.LabelFolderDataset(image_root, "bees")[0]
    assert isinstance(item, tuple) and len(item) == 2, f"dataset[0] returned {shape_of(item)}; expected (image, label)"
    image, label = item
    assert isinstance(image, Image.Image), f"dataset[0][0] is {type(image).__name__}; expected a PIL image"
    assert label == "bees", f"dataset[0][1] is {label!r}; expected the folder name 'bees'"


@folder_kata
def test_label_folder_dataset_orders_files_by_name(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "ants")
    colours = [pixel(dataset[i][0]) for i in range(3)]
    assert colours[0] == RED and colours[2] == BLUE, (
        f"Items 0 and 2 of 'ants' have colours {colours[0]} and {colours[2]}; expected a.png (red) first and "
        "c.PNG (blue) last: sort the file paths so an index means the same file everywhere."
    )


@folder_kata
@pytest.mark.parametrize(("index", "size"), [(1, (5, 5)), (2, (3, 7))], ids=["grayscale-file", "rgba-file"])
def test_label_folder_dataset_converts_to_rgb(image_root, index, size):
    image, _ = datasets.LabelFolderDataset(image_root, "ants")[index]
    assert (image.mode, image.size) == ("RGB", size), (
        f"dataset[{index}] is a {image.mode} image of size {image.size}; expected RGB of size {size}."
    )


@folder_kata
def test_label_folder_dataset_applies_transform(image_root):
    seen = []

    def transform(image):
        seen.append(image.size)
        return torch.full((3, 2, 2), 7.0)

    image, label = datasets.LabelFolderDataset(image_root, "bees", transform=transform)[1]
    assert seen == [(8, 8)], f"the transform was called with {seen}; expected once, with the 8x8 PIL image"
    assert isinstance(image, torch.Tensor) and label == "bees", "dataset[i] must return (transform(image), label)"


@folder_kata
def test_label_folder_dataset_raises_index_error_past_end(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    with raises(IndexError):
        dataset[2]


@folder_kata
def test_label_folder_dataset_negative_index_counts_from_end(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "ants")
    assert pixel(dataset[-1][0]) == BLUE, "dataset[-1] must be the last image (c.PNG, blue), like a list's"


@folder_kata
def test_label_folder_dataset_works_in_a_for_loop(image_root):
    # Python's for loop over an object with __getitem__ stops at the first IndexError.
    labels = [label for _, label in datasets.LabelFolderDataset(image_root, "bees")]
    assert labels == ["bees", "bees"], f"iterating over the dataset gave {labels}"


@folder_kata
def test_label_folder_dataset_opens_images_lazily(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    Image.new("RGB", (8, 8), RED).save(image_root / "bees" / "x.png")  # changed after the dataset was built
    assert pixel(dataset[0][0]) == RED, (
        "dataset[0] returned the image as it was when the dataset was built: keep paths, open files in __getitem__ "
        "(a real dataset does not fit in memory)."
    )


# --- concat_datasets -------------------------------------------------------------------------------


@pytest.fixture
def pair():
    return TensorDataset(torch.arange(3)), TensorDataset(torch.arange(10, 15))


def values(dataset):
    return [int(dataset[i][0]) for i in range(len(dataset))]


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_is_flat_not_a_pair(pair):
    joined = datasets.concat_datasets(*pair)
    assert isinstance(joined, ConcatDataset), f"concat_datasets returned {type(joined).__name__}; expected ConcatDataset"
    assert len(joined) == 8, (
        f"len(a + b) for datasets of 3 and 5 items is {len(joined)}; expected 8. The result is one flat dataset, "
        "not a 2-element collection of datasets."
    )


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_second_starts_at_len_of_first(pair):
    joined = datasets.concat_datasets(*pair)
    assert values(joined) == [0, 1, 2, 10, 11, 12, 13, 14], f"(a + b)[i] for all i gave {values(joined)}"
    assert joined.cumulative_sizes == [3, 8], f"cumulative_sizes is {joined.cumulative_sizes}; expected [3, 8]"


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_negative_index(pair):
    joined = datasets.concat_datasets(*pair)
    assert int(joined[-1][0]) == 14 and int(joined[-8][0]) == 0, "negative indices count from the end of a + b"


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_one_past_end_raises_index_error(pair):
    joined = datasets.concat_datasets(*pair)
    with raises(IndexError):
        joined[8]
