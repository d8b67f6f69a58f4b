"""Kata 6 (katas/cifar.py): torchvision's CIFAR10 read from disk (an offline stand-in in the real format)."""

import pickle

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision import datasets

from kata_harness.testing.cifar_standin import FOLDER, LABEL_NAMES, lift_md5_check, write_cifar10
from kata_harness.testing import assert_tensors_close, assert_tensors_equal, lesson, raises_from, says, shape_of
from kata_impl import cifar

TRAIN_PER_CLASS, TEST_PER_CLASS = 10, 4  # the stand-in's sizes, passed explicitly: 100 train, 40 test images


@pytest.fixture
def no_download(monkeypatch):
    """Fail, in the learner's language, if torchvision tries to download anything (the tests are offline)."""
    import torchvision.datasets.cifar

    def refuse(url, *args, **kwargs):
        raise AssertionError(says(call=f"download_and_extract_archive({url!r}, ...)", lesson=lesson("cifar.never_download")))

    monkeypatch.setattr(torchvision.datasets.cifar, "download_and_extract_archive", refuse)


def is_a_stub(error: NotImplementedError) -> bool:
    """An unsolved kata's own NotImplementedError ("kata cifar.<name> is not solved yet"), not one raised by torch
    ('"bincount_cpu" not implemented for 'Float'') on the learner's line."""
    return str(error).startswith("kata ")


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


def train_image(root, index):
    """The training split's image ``index`` as ToTensor makes it (float CHW in [0, 1]): a failure's picture."""
    from torchvision.transforms import ToTensor

    return ToTensor()(datasets.CIFAR10(str(root), train=True)[index][0])


# --- load_cifar10 ----------------------------------------------------------------------------------


@pytest.mark.kata("cifar.load_cifar10")
@pytest.mark.parametrize(("train", "size"), [(True, 10 * TRAIN_PER_CLASS), (False, 10 * TEST_PER_CLASS)], ids=["train", "test"])
def test_load_cifar10_is_torchvisions_class_with_the_right_split(standin, train, size):
    call = f"load_cifar10(root, train={train})"
    dataset = cifar.load_cifar10(standin, train=train)
    assert isinstance(dataset, datasets.CIFAR10), says(
        call=call, returned=type(dataset).__name__, expected="torchvision.datasets.CIFAR10",
        lesson=lesson("cifar.load_is_torchvisions_class"),
    )  # fmt: skip
    assert len(dataset) == size, says(
        call=f"len({call})", returned=str(len(dataset)), expected=str(size),
        lesson=lesson("cifar.load_train_split") if train else lesson("cifar.load_test_split"),
    )  # fmt: skip


def pil_image(image) -> str:
    """A PIL image as the failure messages show it: its mode and size; anything else by shape_of."""
    if isinstance(image, Image.Image):
        return f"PIL.Image mode={image.mode!r} size={image.size}"
    return shape_of(image)


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_item_is_pil_image_and_int(standin):
    image, target = cifar.load_cifar10(standin, train=True)[0]
    call = "image, target = load_cifar10(root, train=True)[0]"
    assert isinstance(image, Image.Image) and (image.mode, image.size) == ("RGB", (32, 32)), says(
        call=f"{call}; image", returned=pil_image(image), expected="PIL.Image mode='RGB' size=(32, 32)",
        lesson=lesson("cifar.load_item_image"),
    )  # fmt: skip
    assert type(target) is int and target == 0, says(
        call=f"{call}; (target, type(target))", returned=f"({target!r}, {type(target).__name__})",
        expected="(0, int)", lesson=lesson("cifar.load_item_label"),
    )  # fmt: skip


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_pixels_are_the_files_planes(standin):
    row, label = first_row(standin, "test_batch")
    expected = row.reshape(3, 32, 32).transpose(1, 2, 0)  # R, G, B planes -> (H, W, C)
    image, target = cifar.load_cifar10(standin, train=False)[0]
    call = "image, target = load_cifar10(root, train=False)[0]"
    assert target == label, says(
        call=f"{call}; target", returned=repr(target), expected=repr(label), lesson=lesson("cifar.load_label_is_the_files")
    )
    assert_tensors_equal(
        torch.as_tensor(np.array(image)), torch.from_numpy(np.ascontiguousarray(expected)),
        call=f"{call}; torch.as_tensor(np.array(image))", lesson=lesson("cifar.load_pixels_are_the_files"),
        picture=True,
    )  # fmt: skip


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_passes_the_transform(standin):
    item = cifar.load_cifar10(standin, train=True, transform=lambda image: image.size)[3]
    assert item == ((32, 32), 3), says(
        call="load_cifar10(root, train=True, transform=lambda image: image.size)[3]", returned=repr(item),
        expected="((32, 32), 3)", lesson=lesson("cifar.load_applies_the_transform"),
    )  # fmt: skip


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_missing_data_raises_and_does_not_download(tmp_path, no_download):
    # The lesson: with download=False, a folder without the data is torchvision's RuntimeError.
    # (download=True would call the downloader, which no_download turns into an AssertionError.)
    raises_from(
        RuntimeError, cifar.load_cifar10, tmp_path / "empty", train=True,
        call="load_cifar10(tmp_path / 'empty', train=True)",
        lesson=lesson("cifar.load_missing_never_downloads"),
    )  # fmt: skip


@pytest.mark.kata("cifar.load_cifar10")
def test_load_cifar10_corrupted_data_raises_and_does_not_download(tmp_path, no_download):
    # Without lifting the md5 check, torchvision refuses files that are not the real release: a
    # RuntimeError with download=False, a fresh download attempt with download=True.
    write_cifar10(tmp_path, train_per_class=1, test_per_class=1)
    raises_from(
        RuntimeError, cifar.load_cifar10, tmp_path, train=False,
        call="write_cifar10(tmp_path); load_cifar10(tmp_path, train=False)",
        lesson=lesson("cifar.load_corrupted_never_downloads"),
    )  # fmt: skip


# --- sample_with_class_name ------------------------------------------------------------------------


@pytest.mark.kata("cifar.sample_with_class_name")
@pytest.mark.parametrize(("index", "name"), [(0, "airplane"), (3, "cat"), (19, "truck")])
def test_sample_with_class_name_names_the_target(standin, index, name):
    dataset = datasets.CIFAR10(str(standin), train=True)
    expected_image = torch.as_tensor(np.array(dataset[index][0]))
    call = f"dataset = CIFAR10(root, train=True); image, name = sample_with_class_name(dataset, {index})"
    image, class_name = cifar.sample_with_class_name(dataset, index)
    assert class_name == name, says(
        call=f"{call}; name", returned=repr(class_name), expected=repr(name),
        lesson=lesson("cifar.sample_names_the_target", index=index, target=index % 10),
    )  # fmt: skip
    assert isinstance(image, Image.Image), says(
        call=f"{call}; image", returned=pil_image(image), expected="PIL.Image mode='RGB' size=(32, 32)",
        lesson=lesson("cifar.sample_image_is_a_pil_image"),
    )  # fmt: skip
    assert_tensors_equal(
        torch.as_tensor(np.array(image)), expected_image,
        call=f"{call}; torch.as_tensor(np.array(image))", lesson=lesson("cifar.sample_image_of_the_item", index=index),
        picture=True,
    )  # fmt: skip


@pytest.mark.kata("cifar.sample_with_class_name")
def test_sample_with_class_name_uses_the_datasets_classes(standin):
    dataset = datasets.CIFAR10(str(standin), train=False)
    dataset.classes = [name.upper() for name in dataset.classes]
    name = cifar.sample_with_class_name(dataset, 1)[1]
    assert name == "AUTOMOBILE", says(
        call="dataset.classes = [name.upper() for name in dataset.classes]; sample_with_class_name(dataset, 1)[1]",
        returned=repr(name), expected="'AUTOMOBILE'", lesson=lesson("cifar.sample_uses_the_datasets_classes"),
    )  # fmt: skip


@pytest.mark.kata("cifar.sample_with_class_name")
def test_sample_with_class_name_image_is_what_the_dataset_gives(standin):
    dataset = datasets.CIFAR10(str(standin), train=True, transform=lambda image: ("transformed", image.size))
    image, name = cifar.sample_with_class_name(dataset, 2)
    assert (image, name) == (("transformed", (32, 32)), "bird"), says(
        call="dataset = CIFAR10(root, train=True, transform=lambda image: ('transformed', image.size)); "
        "sample_with_class_name(dataset, 2)",
        returned=f"({shape_of(image)}, {name!r})", expected="(('transformed', (32, 32)), 'bird')",
        lesson=lesson("cifar.sample_image_as_the_dataset_gives_it"),
    )  # fmt: skip


# --- load_cifar10_tensors --------------------------------------------------------------------------


@pytest.mark.kata("cifar.load_cifar10_tensors")
def test_load_cifar10_tensors_items_are_float_chw_in_unit_range(standin):
    image, target = cifar.load_cifar10_tensors(standin, train=True)[5]
    call = "image, target = load_cifar10_tensors(root, train=True)[5]"
    assert isinstance(image, torch.Tensor), says(
        call=f"{call}; type(image)", returned=type(image).__name__, expected="Tensor",
        lesson=lesson("cifar.tensors_image_is_a_tensor"),
    )  # fmt: skip
    assert (tuple(image.shape), image.dtype) == ((3, 32, 32), torch.float32), says(
        call=f"{call}; image", returned=shape_of(image), expected="tensor (3, 32, 32) float32",
        lesson=lesson("cifar.tensors_image_float_chw"), picture=(image, train_image(standin, 5)),
    )  # fmt: skip
    low, high = float(image.min()), float(image.max())
    assert 0.0 <= low and high <= 1.0, says(
        call=f"{call}; (image.min(), image.max())", returned=f"({low:.4g}, {high:.4g})", expected="[0, 1]",
        lesson=lesson("cifar.tensors_values_in_unit_range"), picture=(image, train_image(standin, 5)),
    )  # fmt: skip
    assert target == 5, says(
        call=f"{call}; target", returned=repr(target), expected="5", lesson=lesson("cifar.tensors_keeps_the_label")
    )


@pytest.mark.kata("cifar.load_cifar10_tensors")
def test_load_cifar10_tensors_values_are_pixels_over_255(standin):
    row, _ = first_row(standin, "data_batch_1")
    image, _ = cifar.load_cifar10_tensors(standin, train=True)[0]
    expected = torch.from_numpy(row.reshape(3, 32, 32).astype(np.float32) / 255)
    assert_tensors_close(
        torch.as_tensor(image), expected,
        call="image, target = load_cifar10_tensors(root, train=True)[0]; image",
        lesson=lesson("cifar.tensors_values_are_pixels_over_255"), picture=True,
    )  # fmt: skip


@pytest.mark.kata("cifar.load_cifar10_tensors")
def test_load_cifar10_tensors_uses_the_test_split(standin):
    dataset = cifar.load_cifar10_tensors(standin, train=False)
    assert len(dataset) == 10 * TEST_PER_CLASS, says(
        call="len(load_cifar10_tensors(root, train=False))", returned=str(len(dataset)), expected=str(10 * TEST_PER_CLASS),
        lesson=lesson("cifar.tensors_test_split_size", size=10 * TEST_PER_CLASS),
    )  # fmt: skip
    row, _ = first_row(standin, "test_batch")
    expected = torch.from_numpy(row.reshape(3, 32, 32).astype(np.float32) / 255)
    assert_tensors_close(
        torch.as_tensor(dataset[0][0]), expected,
        call="image, target = load_cifar10_tensors(root, train=False)[0]; image",
        lesson=lesson("cifar.tensors_test_split_first_image"), picture=True,
    )  # fmt: skip


@pytest.mark.kata("cifar.load_cifar10_tensors")
def test_load_cifar10_tensors_missing_data_raises_and_does_not_download(tmp_path, no_download):
    raises_from(
        RuntimeError, cifar.load_cifar10_tensors, tmp_path / "empty", train=False,
        call="load_cifar10_tensors(tmp_path / 'empty', train=False)",
        lesson=lesson("cifar.tensors_missing_never_downloads"),
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
    expected = {name: labels.count(i) for i, name in enumerate(LABEL_NAMES)}
    call = f"dataset.targets = {labels}; count_per_class(dataset)"
    try:
        counts = cifar.count_per_class(dataset)
    except NotImplementedError as error:
        if is_a_stub(error):
            raise
        error_text = f"{type(error).__name__}: {error}"
        raise AssertionError(says(call=call, lesson=lesson("cifar.count_raised", error=error_text))) from error
    except Exception as error:
        error_text = f"{type(error).__name__}: {error}"
        raise AssertionError(says(call=call, lesson=lesson("cifar.count_raised", error=error_text))) from error
    assert counts == expected, says(
        call=call, returned=repr(counts), expected=repr(expected), lesson=lesson("cifar.count_every_class")
    )


@pytest.mark.kata("cifar.count_per_class")
def test_count_per_class_counts_are_python_ints(standin):
    counts = cifar.count_per_class(datasets.CIFAR10(str(standin), train=False))
    kinds = sorted({type(count).__name__ for count in counts.values()})
    assert all(type(count) is int for count in counts.values()), says(
        call="counts = count_per_class(CIFAR10(root, train=False)); sorted({type(c).__name__ for c in counts.values()})",
        returned=repr(kinds), expected="['int']", lesson=lesson("cifar.count_python_ints"),
    )  # fmt: skip


@pytest.mark.kata("cifar.count_per_class")
def test_count_per_class_reads_labels_without_loading_images(standin, monkeypatch):
    dataset = datasets.CIFAR10(str(standin), train=False)
    targets = list(dataset.targets)
    expected = {name: TEST_PER_CLASS for name in LABEL_NAMES}
    call = "CIFAR10.__getitem__ = no_images; count_per_class(CIFAR10(root, train=False))"

    def no_images(self, index):
        raise AssertionError(says(call=call, lesson=lesson("cifar.count_loaded_an_image", index=index)))

    monkeypatch.setattr(datasets.CIFAR10, "__getitem__", no_images)
    counts = cifar.count_per_class(dataset)
    assert counts == expected, says(
        call=call, returned=repr(counts), expected=repr(expected),
        lesson=lesson("cifar.count_without_images", count=TEST_PER_CLASS),
    )  # fmt: skip
    assert dataset.targets == targets, says(
        call=f"{call}; dataset.targets[:12]", returned=repr(list(dataset.targets)[:12]), expected=repr(targets[:12]),
        lesson=lesson("cifar.count_leaves_the_targets_alone"),
    )  # fmt: skip
