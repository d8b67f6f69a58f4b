"""Kata 6 (katas/cifar.py): torchvision's CIFAR10 read from disk (an offline stand-in in the real format)."""

import pickle

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision import datasets

from kata_harness.testing.cifar_standin import FOLDER, LABEL_NAMES, lift_md5_check, write_cifar10
from kata_harness.testing import assert_tensors_close, raises_from, shape_of
from kata_impl import cifar

TRAIN_PER_CLASS, TEST_PER_CLASS = 10, 4  # the stand-in's sizes, passed explicitly: 100 train, 40 test images


@pytest.fixture
def standin(tmp_path, monkeypatch, no_download):
    """A stand-in whose item i has label i % 10 in both splits, loadable by torchvision (md5 check lifted)."""
    lift_md5_check(monkeypatch)
    labels = [i % 10 for i in range(10 * TRAIN_PER_CLASS)]
    return write_cifar10(tmp_path / "data", train_per_class=TRAIN_PER_CLASS, test_per_class=TEST_PER_CLASS, train_labels=labels)


def first_row(root, file_name):
    with open(root / FOLDER / file_name, "rb") as handle:
        entry = pickle.load(handle, encoding="latin1")
    return entry["data"][0], entry["labels"][0]


# --- load_cifar10 ----------------------------------------------------------------------------------


@pytest.mark.kata("cifar.load_cifar10")
@pytest.mark.parametrize(("train", "size"), [(True, 10 * TRAIN_PER_CLASS), (False, 10 * TEST_PER_CLASS)], ids=["train", "test"])
def test_load_cifar10_is_torchvisions_class_with_the_right_split(standin, train, size):
    dataset = cifar.load_cifar10(standin, train=train)
    assert isinstance(dataset, datasets.CIFAR10), f"load_cifar10 returned {type(dataset).__name__}; use CIFAR10"
    assert len(dataset) == size, (
        f"Called load_cifar10(root, train={train}). It has {len(dataset)} items, but the tests expected {size}: "
        f"the {'training' if train else 'test'} split (pass train= on to CIFAR10)."
    )


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_item_is_pil_image_and_int(standin):
    image, target = cifar.load_cifar10(standin, train=True)[0]
    assert isinstance(image, Image.Image) and (image.mode, image.size) == ("RGB", (32, 32)), f"image: {image!r}"
    assert type(target) is int and target == 0, f"target is {target!r}; expected the int 0"


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_pixels_are_the_files_planes(standin):
    row, label = first_row(standin, "test_batch")
    image, target = cifar.load_cifar10(standin, train=False)[0]
    expected = row.reshape(3, 32, 32).transpose(1, 2, 0)  # R, G, B planes -> (H, W, C)
    assert target == label and np.array_equal(np.array(image), expected), "item 0 does not match test_batch's first row"


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_passes_the_transform(standin):
    dataset = cifar.load_cifar10(standin, train=True, transform=lambda image: image.size)
    assert dataset[3] == ((32, 32), 3), (
        f"Called load_cifar10(root, True, transform=lambda img: img.size). Item 3 is {dataset[3]!r}, but the tests "
        "expected ((32, 32), 3): the dataset applies the transform to every image (pass transform= on)."
    )


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_missing_data_raises_and_does_not_download(tmp_path, no_download):
    # The lesson: with download=False, a folder without the data is torchvision's RuntimeError.
    # (download=True would call the downloader, which no_download turns into an AssertionError.)
    raises_from(
        RuntimeError, cifar.load_cifar10, tmp_path / "empty", train=True,
        call="load_cifar10(an empty folder, train=True)",
        lesson="never download: missing files raise torchvision's RuntimeError (download=False) instead of a download.",
    )  # fmt: skip


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_corrupted_data_raises_and_does_not_download(tmp_path, no_download):
    # Without lifting the md5 check, torchvision refuses files that are not the real release: a
    # RuntimeError with download=False, a fresh download attempt with download=True.
    write_cifar10(tmp_path, train_per_class=1, test_per_class=1)
    raises_from(
        RuntimeError, cifar.load_cifar10, tmp_path, train=False,
        call="load_cifar10(a folder whose files fail torchvision's md5 check, train=False)",
        lesson="never download: corrupted files raise torchvision's RuntimeError (download=False) instead of a "
        "fresh download.",
    )  # fmt: skip


# --- sample_with_class_name ------------------------------------------------------------------------


@pytest.mark.kata("cifar.sample_with_class_name")
@pytest.mark.parametrize(("index", "name"), [(0, "airplane"), (3, "cat"), (19, "truck")])
def test_sample_with_class_name_names_the_target(standin, index, name):
    dataset = datasets.CIFAR10(str(standin), train=True)
    image, class_name = cifar.sample_with_class_name(dataset, index)
    assert class_name == name, (
        f"Called sample_with_class_name(dataset, {index}) on an item with target {index % 10}. It named "
        f"{class_name!r}, but the tests expected {name!r} = dataset.classes[{index % 10}]."
    )
    assert isinstance(image, Image.Image), f"the image is {shape_of(image)}; expected the item's PIL image"
    assert np.array_equal(np.array(image), np.array(dataset[index][0])), f"the image is not item {index}'s image"


@pytest.mark.kata("cifar.sample_with_class_name")
def test_sample_with_class_name_uses_the_datasets_classes(standin):
    dataset = datasets.CIFAR10(str(standin), train=False)
    dataset.classes = [name.upper() for name in dataset.classes]
    name = cifar.sample_with_class_name(dataset, 1)[1]
    assert name == "AUTOMOBILE", (
        f"With dataset.classes upper-cased, sample_with_class_name(dataset, 1) named {name!r}; expected "
        "'AUTOMOBILE': look the name up in dataset.classes, not in a list of your own."
    )


@pytest.mark.kata("cifar.sample_with_class_name")
def test_sample_with_class_name_image_is_what_the_dataset_gives(standin):
    dataset = datasets.CIFAR10(str(standin), train=True, transform=lambda image: ("transformed", image.size))
    image, name = cifar.sample_with_class_name(dataset, 2)
    assert (image, name) == (("transformed", (32, 32)), "bird"), (
        "Called sample_with_class_name(dataset, 2) on a dataset whose transform turns each image into "
        f"('transformed', image.size). It returned {(shape_of(image), name)!r}, but the tests expected "
        "(('transformed', (32, 32)), 'bird'): the image as indexing the dataset gives it, transform applied."
    )


# --- load_cifar10_tensors --------------------------------------------------------------------------


@pytest.mark.kata("cifar.load_cifar10_tensors")
def test_load_cifar10_tensors_items_are_float_chw_in_unit_range(standin):
    image, target = cifar.load_cifar10_tensors(standin, train=True)[5]
    call = "load_cifar10_tensors(root, train=True)[5]"
    assert isinstance(image, torch.Tensor), f"Called {call}. Its image is {type(image).__name__}; expected a tensor"
    assert (tuple(image.shape), image.dtype) == ((3, 32, 32), torch.float32), (
        f"Called {call}. Its image is {shape_of(image)}, but the tests expected tensor (3, 32, 32) float32: "
        "ToTensor turns the (H, W, C) uint8 image into (C, H, W) floats in [0, 1]."
    )
    assert 0.0 <= image.min() and image.max() <= 1.0 and target == 5


@pytest.mark.kata("cifar.load_cifar10_tensors")
def test_load_cifar10_tensors_values_are_pixels_over_255(standin):
    row, _ = first_row(standin, "data_batch_1")
    image, _ = cifar.load_cifar10_tensors(standin, train=True)[0]
    expected = torch.from_numpy(row.reshape(3, 32, 32).astype(np.float32) / 255)
    assert_tensors_close(
        torch.as_tensor(image), expected,
        call="load_cifar10_tensors(root, train=True)[0], its image",
        lesson="Each image must be float32 pixel value / 255 in (channel, row, column) order, what "
        "transforms.ToTensor() gives (no Normalize).",
    )  # fmt: skip


@pytest.mark.kata("cifar.load_cifar10_tensors")
def test_load_cifar10_tensors_uses_the_test_split(standin):
    dataset = cifar.load_cifar10_tensors(standin, train=False)
    assert len(dataset) == 10 * TEST_PER_CLASS, f"load_cifar10_tensors(root, train=False) has {len(dataset)} items"
    row, _ = first_row(standin, "test_batch")
    expected = torch.from_numpy(row.reshape(3, 32, 32).astype(np.float32) / 255)
    assert_tensors_close(
        torch.as_tensor(dataset[0][0]), expected,
        call="load_cifar10_tensors(root, train=False)[0], its image",
        lesson="train=False is the test split: item 0 must be test_batch's first image as pixel value / 255 in "
        "(C, H, W) order.",
    )  # fmt: skip


@pytest.mark.kata("cifar.load_cifar10_tensors")
def test_load_cifar10_tensors_missing_data_raises_and_does_not_download(tmp_path, no_download):
    raises_from(
        RuntimeError, cifar.load_cifar10_tensors, tmp_path / "empty", train=False,
        call="load_cifar10_tensors(an empty folder, train=False)",
        lesson="never download: missing data raises RuntimeError, as in load_cifar10.",
    )  # fmt: skip


# --- count_per_class -------------------------------------------------------------------------------


@pytest.mark.kata("cifar.count_per_class")
@pytest.mark.parametrize(
    "labels",
    [
        pytest.param([0] * 5 + [3] * 2 + [9] * 7 + [4], id="classes-missing-in-the-middle"),
        pytest.param([0, 0, 1, 2, 2, 2], id="last-classes-missing"),  # the highest label is 2, not 9
        pytest.param([], id="no-items-at-all"),
    ],
)  # fmt: skip
def test_count_per_class_counts_every_class(tmp_path, monkeypatch, no_download, labels):
    lift_md5_check(monkeypatch)
    write_cifar10(tmp_path, train_labels=np.array(labels, dtype=np.int64), test_per_class=1)
    dataset = datasets.CIFAR10(str(tmp_path), train=True)
    call = f"count_per_class(a CIFAR10 training split of {len(labels)} items with the labels {labels})"
    try:
        counts = cifar.count_per_class(dataset)
    except NotImplementedError:
        raise
    except Exception as error:
        raise AssertionError(
            f"Called {call}. It raised {type(error).__name__}: {error}. The tests expected a count for every class "
            "- 0 where a class has no item, even when the split has no items at all (then dataset.targets is [], "
            "which torch.as_tensor and np.asarray turn into floats unless told the dtype)."
        ) from error
    expected = {name: labels.count(i) for i, name in enumerate(LABEL_NAMES)}
    assert counts == expected, (
        f"Called {call}. It returned {counts}, but the tests expected {expected}: every class of dataset.classes, "
        "with 0 for the classes that have no item (whatever the highest label present is)."
    )


@pytest.mark.kata("cifar.count_per_class")
def test_count_per_class_counts_are_python_ints(standin):
    counts = cifar.count_per_class(datasets.CIFAR10(str(standin), train=False))
    kinds = {name: type(count).__name__ for name, count in counts.items()}
    assert all(type(count) is int for count in counts.values()), (
        f"count_per_class returned counts of types {kinds}, but the tests expected Python ints: turn a 0-d tensor "
        "or a numpy integer into one with int(...) or .tolist()."
    )


@pytest.mark.kata("cifar.count_per_class")
def test_count_per_class_reads_labels_without_loading_images(standin, monkeypatch):
    dataset = datasets.CIFAR10(str(standin), train=False)
    targets = list(dataset.targets)

    def no_images(self, index):
        raise AssertionError("count_per_class loaded an image: read dataset.targets instead")

    monkeypatch.setattr(datasets.CIFAR10, "__getitem__", no_images)
    assert cifar.count_per_class(dataset) == {name: TEST_PER_CLASS for name in LABEL_NAMES}
    assert dataset.targets == targets, "count_per_class changed dataset.targets (sorted it?); it must only read them"
