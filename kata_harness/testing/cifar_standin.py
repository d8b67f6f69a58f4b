"""A small CIFAR-10 stand-in written in the exact on-disk format, for tests and benchmarks offline.

The files are what torchvision.datasets.CIFAR10 reads: ``<root>/cifar-10-batches-py/`` holding
``data_batch_1..5``, ``test_batch`` and ``batches.meta``, each a pickled dict. ``data`` is a uint8 array
of shape (N, 3072): the red, green and blue 32x32 planes of each image, row-major; ``labels`` a list of
ints; ``batches.meta`` has the 10 ``label_names``. Row counts per file are free.

torchvision checks the md5 of every file against the real release's; ``lift_md5_check`` sets those
expected sums to None for the duration of a test (monkeypatch), so the real class loads these files
with its real parser.

Every image carries a learnable class signal: class k has its own colour and its own stripe direction,
under noise, so a small CNN can learn it in a few epochs while a constant guess stays at 10%.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np

FOLDER = "cifar-10-batches-py"
LABEL_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
TRAIN_FILES = [f"data_batch_{i}" for i in range(1, 6)]
TEST_FILE = "test_batch"
META_FILE = "batches.meta"


def make_images(labels: np.ndarray, rng: np.random.Generator, noise: float = 40.0, saturated: bool = False) -> np.ndarray:
    """uint8 images (N, 32, 32, 3) whose colour and stripe orientation depend on the label.

    ``saturated`` uses full-strength colours on a darker base: the class colours differ more, compared
    with the brightness every image shares, so plain SGD on un-normalized pixels learns them faster and
    more steadily (the end-to-end training tests use it; see kata_harness.testing.training).
    """
    if saturated:
        palette = np.array(
            [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [255, 0, 255],
             [0, 255, 255], [255, 128, 0], [128, 0, 255], [128, 128, 128], [255, 255, 255]],
            dtype=np.float32,
        )  # fmt: skip
        gain, offset = 0.7, 30.0
    else:
        palette = np.array(
            [[230, 40, 40], [40, 230, 40], [40, 40, 230], [230, 230, 40], [230, 40, 230],
             [40, 230, 230], [250, 150, 40], [140, 40, 250], [128, 128, 128], [250, 250, 250]],
            dtype=np.float32,
        )  # fmt: skip
        gain, offset = 0.6, 50.0
    rows, cols = np.mgrid[0:32, 0:32]
    patterns = np.stack([np.sin((rows * np.cos(a) + cols * np.sin(a)) / 2.0) for a in np.linspace(0, np.pi, 10, endpoint=False)])
    base = gain * palette[labels][:, None, None, :] + 50.0 * patterns[labels][..., None] + offset
    images = base + rng.normal(0.0, noise, size=base.shape)
    return np.clip(images, 0, 255).astype(np.uint8)


def write_cifar10(
    root: str | Path,
    train_per_class: int = 10,
    test_per_class: int = 4,
    seed: int = 0,
    train_labels: list[int] | None = None,
    saturated: bool = False,
) -> Path:
    """Write the stand-in under ``root`` and return ``root``.

    Labels cycle 0..9 (every class present, item i has label i % 10) unless ``train_labels`` is given.
    ``saturated``: stronger class colours (see make_images).
    """
    root = Path(root)
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)

    def dump(name: str, labels: np.ndarray) -> None:
        images = make_images(labels, rng, saturated=saturated)  # (N, 32, 32, 3)
        data = images.transpose(0, 3, 1, 2).reshape(len(labels), 3072)  # R plane, G plane, B plane
        entry = {"batch_label": name, "labels": labels.tolist(), "data": data, "filenames": [f"{i}.png" for i in range(len(labels))]}
        with open(folder / name, "wb") as handle:
            pickle.dump(entry, handle)

    train_labels = np.tile(np.arange(10), train_per_class) if train_labels is None else np.asarray(train_labels)
    for name, part in zip(TRAIN_FILES, np.array_split(train_labels, len(TRAIN_FILES))):
        dump(name, part)
    dump(TEST_FILE, np.tile(np.arange(10), test_per_class))
    with open(folder / META_FILE, "wb") as handle:
        pickle.dump({"label_names": LABEL_NAMES, "num_cases_per_batch": 10000, "num_vis": 3072}, handle)
    return root


def lift_md5_check(monkeypatch) -> None:
    """Let torchvision's CIFAR10 load the stand-in: expected md5 sums become None (existence is still checked)."""
    from torchvision.datasets import CIFAR10

    monkeypatch.setattr(CIFAR10, "train_list", [[name, None] for name, _ in CIFAR10.train_list])
    monkeypatch.setattr(CIFAR10, "test_list", [[name, None] for name, _ in CIFAR10.test_list])
    monkeypatch.setattr(CIFAR10, "meta", {**CIFAR10.meta, "md5": None})
