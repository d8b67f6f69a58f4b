"""Kata 2 (katas/datasets.py): a Dataset over a folder of images, and the + operator on datasets."""

import itertools
import operator
import os
from pathlib import Path

import pytest
import torch
from PIL import Image
from torch.utils.data import ConcatDataset, Dataset, TensorDataset

from kata_harness.testing import lesson, raises_from, says, shape_of
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


def image_at(dataset, index):
    """dataset[index][0], once the item is known to be an (image, label) tuple holding a PIL image."""
    item = dataset[index]
    assert isinstance(item, tuple) and len(item) == 2, says(
        call=f"dataset[{index}]", returned=shape_of(item), expected="(image, label)",
        lesson=lesson("datasets.item_is_a_pair"),
    )  # fmt: skip
    assert isinstance(item[0], Image.Image), says(
        call=f"dataset[{index}][0]", returned=shape_of(item[0]), expected="PIL.Image.Image",
        lesson=lesson("datasets.image_is_pil"),
    )  # fmt: skip
    return item[0]


def fingerprint(image):
    """What tells the test images apart whatever their mode: (size, first pixel in RGB)."""
    return image.size, image.convert("RGB").getpixel((0, 0))


# --- LabelFolderDataset ----------------------------------------------------------------------------

folder_kata = pytest.mark.kata("datasets.LabelFolderDataset")


@folder_kata
def test_label_folder_dataset_is_a_torch_dataset(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "ants")
    bases = ", ".join(base.__name__ for base in type(dataset).__bases__)
    assert isinstance(dataset, Dataset), says(
        call="LabelFolderDataset(root, 'ants')", returned=f"class {type(dataset).__name__}({bases})",
        expected="torch.utils.data.Dataset", lesson=lesson("datasets.subclass_dataset"),
    )  # fmt: skip


@folder_kata
@pytest.mark.parametrize("as_type", [str, Path], ids=["str", "Path"])
def test_label_folder_dataset_accepts_str_or_path_root(image_root, as_type):
    root = as_type(image_root)
    dataset = datasets.LabelFolderDataset(root, "bees")
    assert len(dataset) == 2, says(
        call=f"len(LabelFolderDataset({type(root).__name__}(root), 'bees'))  # bees/: x.png, y.png",
        returned=len(dataset), expected=2, lesson=lesson("datasets.str_or_path_root"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_len_ignores_other_files_and_sub_folders(tmp_path):
    folder = tmp_path / "root" / "misc"
    save(folder / "one.png", "RGB", (4, 4), RED)
    save(folder / "extra" / "two.png", "RGB", (4, 4), GREEN)  # inside a sub-folder: not this label's
    (folder / "notes.txt").write_text("not an image")
    (folder / "labels.csv").write_text("one.png,misc\n")
    dataset = datasets.LabelFolderDataset(tmp_path / "root", "misc")
    assert len(dataset) == 1, says(
        call="len(LabelFolderDataset(root, 'misc'))  # misc/: one.png, notes.txt, labels.csv, extra/two.png",
        returned=len(dataset), expected=1, lesson=lesson("datasets.only_images_directly_in_the_folder"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_counts_every_image_suffix_in_any_case(tmp_path):
    formats = {"p.jpg": "JPEG", "q.JPEG": "JPEG", "r.Bmp": "BMP", "s.png": "PNG", "t.PNG": "PNG"}
    names = list(formats)
    for name, image_format in formats.items():
        save(tmp_path / "root" / "mixed" / name, "RGB", (4, 4), GREEN, image_format)
    dataset = datasets.LabelFolderDataset(tmp_path / "root", "mixed")
    assert len(dataset) == 5, says(
        call=f"len(LabelFolderDataset(root, 'mixed'))  # mixed/: {', '.join(names)}", returned=len(dataset), expected=5,
        lesson=lesson("datasets.suffix_in_any_case", suffixes=datasets.IMAGE_SUFFIXES),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_returns_a_tuple_of_pil_image_and_label(image_root):
    item = datasets.LabelFolderDataset(image_root, "bees")[0]
    assert isinstance(item, tuple) and len(item) == 2, says(
        call="LabelFolderDataset(root, 'bees')[0]", returned=shape_of(item), expected="(image, label)",
        lesson=lesson("datasets.item_is_a_pair"),
    )  # fmt: skip
    assert isinstance(item[0], Image.Image), says(
        call="LabelFolderDataset(root, 'bees')[0][0]", returned=shape_of(item[0]), expected="PIL.Image.Image",
        lesson=lesson("datasets.image_is_pil"),
    )  # fmt: skip


@folder_kata
@pytest.mark.parametrize("label", ["ants", "bees"])
def test_label_folder_dataset_label_is_the_folder_name_as_str(image_root, label):
    got = datasets.LabelFolderDataset(image_root, label)[0][1]
    assert type(got) is str and got == label, says(
        call=f"LabelFolderDataset(root, {label!r})[0][1]", returned=f"{got!r} ({type(got).__name__})",
        expected=f"{label!r} (str)", lesson=lesson("datasets.label_is_the_folder_name"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_orders_files_by_name(tmp_path, listings_in_reverse):
    sizes = {"a.png": (6, 4), "b.png": (5, 5), "c.png": (3, 7), "d.png": (2, 9)}  # each file has its own size
    for name in ["c.png", "a.png", "d.png", "b.png"]:  # created out of name order
        save(tmp_path / "root" / "wasps" / name, "RGB", sizes[name])
    dataset = datasets.LabelFolderDataset(tmp_path / "root", "wasps")
    got = [image_at(dataset, i).size for i in range(4)]
    expected = list(sizes.values())
    assert got == expected, says(
        call="[dataset[i][0].size for i in range(4)]  # LabelFolderDataset(root, 'wasps'); os.listdir: d, c, b, a.png",
        returned=got, expected=expected, lesson=lesson("datasets.sorted_by_name", sizes=expected),
    )  # fmt: skip


@folder_kata
@pytest.mark.parametrize("file_mode", ["L", "RGBA", "P"], ids=["grayscale-file", "rgba-file", "palette-file"])
def test_label_folder_dataset_converts_to_rgb(tmp_path, file_mode):
    save(tmp_path / "root" / "modes" / "only.png", file_mode, (5, 3))
    image = image_at(datasets.LabelFolderDataset(tmp_path / "root", "modes"), 0)
    assert image.mode == "RGB", says(
        call=f"LabelFolderDataset(root, 'modes')[0]  # modes/only.png: {file_mode}",
        returned=f"PIL {image.mode}", expected="PIL RGB", lesson=lesson("datasets.convert_to_rgb"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_applies_transform_to_the_rgb_image(tmp_path):
    save(tmp_path / "root" / "gray" / "only.png", "L", (5, 3))
    seen = []
    result = torch.full((3, 2, 2), 7.0)

    def transform(image):
        seen.append((image.mode, image.size) if isinstance(image, Image.Image) else shape_of(image))
        return result

    item = datasets.LabelFolderDataset(tmp_path / "root", "gray", transform=transform)[0]
    call = "LabelFolderDataset(root, 'gray', transform=transform)[0]  # gray/only.png: L (5, 3)"
    assert seen == [("RGB", (5, 3))], says(
        call=call, lesson=lesson("datasets.transform_gets_the_rgb_image", seen=seen)
    )
    assert item[0] is result, says(
        call=call + "[0]", returned=shape_of(item[0]), expected=shape_of(result),
        lesson=lesson("datasets.image_is_what_transform_returned"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_raises_index_error_past_end(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    raises_from(
        IndexError, operator.getitem, dataset, 2,
        call="LabelFolderDataset(root, 'bees')[2]  # bees/: x.png, y.png",
        lesson=lesson("datasets.past_the_end"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_negative_index_counts_from_end(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    expected = [fingerprint(image_at(dataset, 1)), fingerprint(image_at(dataset, 0))]
    got = [fingerprint(image_at(dataset, -1)), fingerprint(image_at(dataset, -2))]
    assert got == expected, says(
        call="[fingerprint(dataset[i][0]) for i in (-1, -2)]  # bees/: x.png, y.png",
        returned=got, expected=expected, lesson=lesson("datasets.negative_index"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_index_before_the_start_raises_index_error(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    raises_from(
        IndexError, operator.getitem, dataset, -3,
        call="LabelFolderDataset(root, 'bees')[-3]  # bees/: x.png, y.png",
        lesson=lesson("datasets.before_the_start"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_works_in_a_for_loop(image_root):
    # Python's for loop over an object with __getitem__ stops at the first IndexError; islice bounds a runaway loop.
    count = sum(1 for _ in itertools.islice(datasets.LabelFolderDataset(image_root, "bees"), 10))
    assert count == 2, says(
        call="sum(1 for _ in islice(LabelFolderDataset(root, 'bees'), 10))  # bees/: x.png, y.png",
        returned=count, expected=2, lesson=lesson("datasets.for_loop_stops"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_opens_images_lazily(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    for name in ["x.png", "y.png"]:  # both files change after the dataset was built
        save(image_root / "bees" / name, "RGB", (8, 8), RED)
    got = [fingerprint(image_at(dataset, i)) for i in range(2)]
    assert got == [((8, 8), RED)] * 2, says(
        call="dataset = LabelFolderDataset(root, 'bees'); save(x.png, RED); save(y.png, RED); "
        "[fingerprint(dataset[i][0]) for i in range(2)]",
        returned=got, expected=[((8, 8), RED)] * 2, lesson=lesson("datasets.open_in_getitem"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_reads_the_file_on_every_access(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    before = fingerprint(image_at(dataset, 0))
    save(image_root / "bees" / "x.png", "RGB", (8, 8), RED)  # repainted after dataset[0] was read once
    after = fingerprint(image_at(dataset, 0))
    assert (before, after) == (((8, 8), GREEN), ((8, 8), RED)), says(
        call="fingerprint(dataset[0][0]); save(x.png, RED); fingerprint(dataset[0][0])",
        returned=[before, after], expected=[((8, 8), GREEN), ((8, 8), RED)],
        lesson=lesson("datasets.no_cache")
        if before == ((8, 8), GREEN)
        else lesson("datasets.first_in_sorted_order", name="x.png"),
    )  # fmt: skip


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
            says(
                call="len(LabelFolderDataset(root, 'mixed'))  # mixed/: a.png, broken.png = b'not a PNG at all'",
                lesson=lesson("datasets.building_raised", error=f"{type(error).__name__}: {error}"),
            ),
            pytrace=False,
        )
    assert count == 2, says(
        call="len(LabelFolderDataset(root, 'mixed'))  # mixed/: a.png, broken.png = b'not a PNG at all'",
        returned=count, expected=2, lesson=lesson("datasets.counts_by_name"),
    )  # fmt: skip
    try:
        got = fingerprint(image_at(dataset, 0))
    except (AssertionError, NotImplementedError):
        raise
    except Exception as error:  # noqa: BLE001 - dataset[0] opened broken.png: not the first name in sorted order
        raise AssertionError(
            says(
                call="LabelFolderDataset(root, 'mixed')[0]  # mixed/: a.png, broken.png = b'not a PNG at all'",
                lesson=lesson("datasets.index_0_raised", error=f"{type(error).__name__}: {error}"),
            )
        ) from error
    assert got == ((6, 4), RED), says(
        call="fingerprint(LabelFolderDataset(root, 'mixed')[0][0])", returned=got, expected=((6, 4), RED),
        lesson=lesson("datasets.index_0_is_a_png"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_lists_the_folder_once(image_root):
    dataset = datasets.LabelFolderDataset(image_root, "bees")
    save(image_root / "bees" / "0.png", "RGB", (3, 3), RED)  # added later; its name sorts first
    save(image_root / "bees" / "z.png", "RGB", (3, 3), RED)
    got = (len(dataset), fingerprint(image_at(dataset, 0)))
    assert got == (2, ((8, 8), GREEN)), says(
        call="dataset = LabelFolderDataset(root, 'bees'); save(0.png); save(z.png); "
        "(len(dataset), fingerprint(dataset[0][0]))",
        returned=got, expected=(2, ((8, 8), GREEN)),
        lesson=lesson("datasets.first_in_sorted_order", name="x.png")
        if got == (2, ((8, 8), BLUE))
        else lesson("datasets.listed_once"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_ignores_a_sub_folder_named_like_an_image(tmp_path):
    folder = tmp_path / "root" / "odd"
    save(folder / "one.png", "RGB", (4, 4), RED)
    save(folder / "more.png" / "inner.png", "RGB", (4, 4), GREEN)  # a folder whose name ends in .png
    dataset = datasets.LabelFolderDataset(tmp_path / "root", "odd")
    assert len(dataset) == 1, says(
        call="len(LabelFolderDataset(root, 'odd'))  # odd/: one.png, more.png/inner.png", returned=len(dataset),
        expected=1, lesson=lesson("datasets.folders_are_not_images"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_empty_folder_is_an_empty_dataset(tmp_path):
    folder = tmp_path / "root" / "wasps"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("no images yet")
    dataset = datasets.LabelFolderDataset(tmp_path / "root", "wasps")
    assert len(dataset) == 0, says(
        call="len(LabelFolderDataset(root, 'wasps'))  # wasps/: notes.txt", returned=len(dataset), expected=0,
        lesson=lesson("datasets.no_image_is_empty"),
    )  # fmt: skip
    raises_from(
        IndexError, operator.getitem, dataset, 0,
        call="LabelFolderDataset(root, 'wasps')[0]  # wasps/: notes.txt",
        lesson=lesson("datasets.empty_has_no_index_0"),
    )  # fmt: skip
    items = list(itertools.islice(dataset, 5))
    assert items == [], says(
        call="list(islice(LabelFolderDataset(root, 'wasps'), 5))  # wasps/: notes.txt", returned=shape_of(items),
        expected=[], lesson=lesson("datasets.empty_for_loop"),
    )  # fmt: skip


@folder_kata
def test_label_folder_dataset_takes_folder_and_file_names_literally(tmp_path):
    root = tmp_path / "data [copy]"
    save(root / "ants [v2]" / "蚂蚁 1.png", "RGB", (4, 4), RED)
    save(root / "ants [v2]" / "蚂蚁 2.png", "RGB", (4, 4), GREEN)
    dataset = datasets.LabelFolderDataset(root, "ants [v2]")
    assert len(dataset) == 2, says(
        call="len(LabelFolderDataset('.../data [copy]', 'ants [v2]'))  # ants [v2]/: 蚂蚁 1.png, 蚂蚁 2.png",
        returned=len(dataset), expected=2, lesson=lesson("datasets.names_taken_literally"),
    )  # fmt: skip
    got = [(fingerprint(image_at(dataset, i)), dataset[i][1]) for i in range(2)]
    expected = [(((4, 4), RED), "ants [v2]"), (((4, 4), GREEN), "ants [v2]")]
    assert got == expected, says(
        call="[(fingerprint(dataset[i][0]), dataset[i][1]) for i in range(2)]",
        returned=got, expected=expected,
        lesson=lesson("datasets.first_in_sorted_order", name="蚂蚁 1.png")
        if got == expected[::-1]
        else lesson("datasets.names_taken_literally"),
    )  # fmt: skip


# --- concat_datasets -------------------------------------------------------------------------------


@pytest.fixture
def pair():
    return TensorDataset(torch.arange(3)), TensorDataset(torch.arange(10, 15))


def values(dataset):
    return [int(dataset[i][0]) for i in range(len(dataset))]


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_is_flat_not_a_pair(pair):
    joined = datasets.concat_datasets(*pair)
    assert len(joined) == 8, says(
        call="len(concat_datasets(a, b))  # len(a) == 3, len(b) == 5", returned=len(joined), expected=8,
        lesson=lesson("datasets.concat_is_flat"),
    )  # fmt: skip
    assert isinstance(joined, ConcatDataset), says(
        call="concat_datasets(a, b)", returned=type(joined).__name__, expected="torch.utils.data.ConcatDataset",
        lesson=lesson("datasets.concat_is_a_concat_dataset"),
    )  # fmt: skip


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_second_starts_at_len_of_first(pair):
    joined = datasets.concat_datasets(*pair)
    got = values(joined)
    assert got == [0, 1, 2, 10, 11, 12, 13, 14], says(
        call="[int(joined[i][0]) for i in range(len(joined))]  # joined = concat_datasets(a, b)",
        returned=got, expected=[0, 1, 2, 10, 11, 12, 13, 14], lesson=lesson("datasets.second_after_first"),
    )  # fmt: skip
    assert joined.cumulative_sizes == [3, 8], says(
        call="concat_datasets(a, b).cumulative_sizes", returned=joined.cumulative_sizes, expected=[3, 8],
        lesson=lesson("datasets.cumulative_sizes"),
    )  # fmt: skip


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_negative_index(pair):
    joined = datasets.concat_datasets(*pair)
    got = [int(joined[-1][0]), int(joined[-8][0])]
    assert got == [14, 0], says(
        call="[int(joined[-1][0]), int(joined[-8][0])]  # joined = concat_datasets(a, b)", returned=got,
        expected=[14, 0], lesson=lesson("datasets.concat_negative_index"),
    )  # fmt: skip


@pytest.mark.kata("datasets.concat_datasets")
def test_concat_datasets_one_past_end_raises_index_error(pair):
    joined = datasets.concat_datasets(*pair)
    raises_from(
        IndexError, operator.getitem, joined, 8,
        call="concat_datasets(a, b)[8]  # len(a) == 3, len(b) == 5",
        lesson=lesson("datasets.concat_past_the_end"),
    )  # fmt: skip


@pytest.mark.kata("datasets.concat_datasets")
@pytest.mark.parametrize("empty_side", ["first", "second"])
def test_concat_datasets_with_an_empty_side(empty_side):
    empty, full = TensorDataset(torch.arange(0)), TensorDataset(torch.arange(10, 15))
    first, second = (empty, full) if empty_side == "first" else (full, empty)
    joined = datasets.concat_datasets(first, second)
    expected_sizes = [0, 5] if empty_side == "first" else [5, 5]
    got = getattr(joined, "cumulative_sizes", None)
    sizes = f"len(a) == {len(first)}, len(b) == {len(second)}"
    assert isinstance(joined, ConcatDataset) and got == expected_sizes, says(
        call=f"concat_datasets(a, b).cumulative_sizes  # {sizes}", returned=f"{type(joined).__name__}, {got}",
        expected=f"ConcatDataset, {expected_sizes}", lesson=lesson("datasets.empty_side_kept"),
    )  # fmt: skip
    items = values(joined)
    assert items == [10, 11, 12, 13, 14], says(
        call=f"[int(joined[i][0]) for i in range(len(joined))]  # {sizes}", returned=items,
        expected=[10, 11, 12, 13, 14], lesson=lesson("datasets.empty_side_kept"),
    )  # fmt: skip
