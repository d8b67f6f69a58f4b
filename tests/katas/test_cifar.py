"""Kata 6 (katas/cifar.py): torchvision's CIFAR10 read from disk (an offline stand-in in the real format)."""

import pickle

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision import datasets

from kata_harness.cifar_standin import FOLDER, LABEL_NAMES, lift_md5_check, write_cifar10
from kata_harness.testing import raises, shape_of
from kata_impl import cifar


def first_row(root, file_name):
    with open(root / FOLDER / file_name, "rb") as handle:
        entry = pickle.load(handle, encoding="latin1")
    return entry["data"][0], entry["labels"][0]


# --- load_cifar10 ----------------------------------------------------------------------------------


@pytest.mark.kata("cifar.load_cifar10")
@pytest.mark.parametrize(("train", "size"), [(True, 100), (False, 40)], ids=["train", "test"])
def test_load_cifar10_is_torchvisions_class_with_the_right_split(cifar_root, train, size):
    dataset = cifar.load_cifar10(cifar_root, train=train)
    assert isinstance(dataset, datasets.CIFAR10), f"load_cifar10 returned {type(dataset).__name__}; use CIFAR10"
    assert len(dataset) == size, f"the {'train' if train else 'test'} split has {len(dataset)} items; expected {size}"


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_item_is_pil_image_and_int(cifar_root):
    image, target = cifar.load_cifar10(cifar_root, train=True)[0]
    assert isinstance(image, Image.Image) and (image.mode, image.size) == ("RGB", (32, 32)), f"image: {image!r}"
    assert type(target) is int and target == 0, f"target is {target!r}; expected the int 0"


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_pixels_are_the_files_planes(cifar_root):
    row, label = first_row(cifar_root, "test_batch")
    image, target = cifar.load_cifar10(cifar_root, train=False)[0]
    expected = row.reshape(3, 32, 32).transpose(1, 2, 0)  # R, G, B planes -> (H, W, C)
    assert target == label and np.array_equal(np.array(image), expected), "item 0 does not match test_batch's first row"


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_passes_the_transform(cifar_root):
    dataset = cifar.load_cifar10(cifar_root, train=True, transform=lambda image: image.size)
    assert dataset[3] == ((32, 32), 3), f"with transform=lambda img: img.size, item 3 is {dataset[3]!r}"


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_missing_data_raises_and_does_not_download(tmp_path, no_download):
    with raises(RuntimeError, match="Dataset not found or corrupted"):
        cifar.load_cifar10(tmp_path / "empty", train=True)


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_checks_integrity_of_real_data(tmp_path, no_download):
    # Without lifting the md5 check, torchvision refuses files that are not the real release.
    write_cifar10(tmp_path)
    with raises(RuntimeError, match="Dataset not found or corrupted"):
        cifar.load_cifar10(tmp_path, train=False)


# --- sample_with_class_name ------------------------------------------------------------------------


@pytest.mark.kata("cifar.sample_with_class_name")
@pytest.mark.parametrize(("index", "name"), [(0, "airplane"), (3, "cat"), (19, "truck")])
def test_sample_with_class_name_names_the_target(cifar_root, index, name):
    dataset = datasets.CIFAR10(str(cifar_root), train=True)
    image, class_name = cifar.sample_with_class_name(dataset, index)
    assert class_name == name, f"sample_with_class_name(dataset, {index}) named {class_name!r}; expected {name!r}"
    assert isinstance(image, Image.Image)


@pytest.mark.kata("cifar.sample_with_class_name")
def test_sample_with_class_name_uses_the_datasets_classes(cifar_root):
    dataset = datasets.CIFAR10(str(cifar_root), train=False)
    dataset.classes = [name.upper() for name in dataset.classes]
    assert cifar.sample_with_class_name(dataset, 1)[1] == "AUTOMOBILE", "look the name up in dataset.classes"


# --- load_cifar10_tensors --------------------------------------------------------------------------


@pytest.mark.kata("cifar.load_cifar10_tensors")
def test_load_cifar10_tensors_items_are_float_chw_in_unit_range(cifar_root):
    image, target = cifar.load_cifar10_tensors(cifar_root, train=True)[5]
    assert isinstance(image, torch.Tensor), f"item 5's image is {type(image).__name__}; expected a tensor"
    assert (tuple(image.shape), image.dtype) == ((3, 32, 32), torch.float32), f"image is {shape_of(image)}"
    assert 0.0 <= image.min() and image.max() <= 1.0 and target == 5


@pytest.mark.kata("cifar.load_cifar10_tensors")
def test_load_cifar10_tensors_values_are_pixels_over_255(cifar_root):
    row, _ = first_row(cifar_root, "data_batch_1")
    image, _ = cifar.load_cifar10_tensors(cifar_root, train=True)[0]
    expected = torch.from_numpy(row.reshape(3, 32, 32).astype(np.float32) / 255)
    torch.testing.assert_close(image, expected, msg=lambda m: f"ToTensor of item 0:\n{m}")


@pytest.mark.kata("cifar.load_cifar10_tensors")
def test_load_cifar10_tensors_uses_the_test_split(cifar_root):
    assert len(cifar.load_cifar10_tensors(cifar_root, train=False)) == 40


# --- count_per_class -------------------------------------------------------------------------------


@pytest.mark.kata("cifar.count_per_class")
def test_count_per_class_counts_every_class(tmp_path, monkeypatch, no_download):
    lift_md5_check(monkeypatch)
    labels = [0] * 5 + [3] * 2 + [9] * 7 + [4]
    write_cifar10(tmp_path, train_labels=labels)
    counts = cifar.count_per_class(datasets.CIFAR10(str(tmp_path), train=True))
    expected = {name: labels.count(i) for i, name in enumerate(LABEL_NAMES)}
    assert counts == expected, f"count_per_class gave {counts}; expected {expected} (classes with 0 included)"


@pytest.mark.kata("cifar.count_per_class")
def test_count_per_class_reads_labels_without_loading_images(cifar_root, monkeypatch):
    dataset = datasets.CIFAR10(str(cifar_root), train=False)

    def no_images(self, index):
        raise AssertionError("count_per_class loaded an image: read dataset.targets instead")

    monkeypatch.setattr(datasets.CIFAR10, "__getitem__", no_images)
    assert cifar.count_per_class(dataset) == {name: 4 for name in LABEL_NAMES}
