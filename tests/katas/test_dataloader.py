"""Kata 3 (katas/dataloader.py): batching, shuffling, samplers, workers, drop_last and the batch structure."""

import os

import pytest
import torch
from torch.utils.data import DataLoader, Dataset

from kata_harness.testing import raises, shape_of
from kata_impl import dataloader


class Numbered(Dataset):
    """Sample i is (a (1, 2, 2) image filled with i, the int label i)."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return torch.full((1, 2, 2), float(i)), i


class WhoLoadedMe(Numbered):
    """Sample i is (i, the process id of the process that loaded it)."""

    def __getitem__(self, i):
        return i, os.getpid()


def labels_of(loader):
    return [batch[1].tolist() for batch in loader]


def sizes(loader):
    return [len(batch[1]) for batch in loader]


# --- batched_loader --------------------------------------------------------------------------------


@pytest.mark.kata("dataloader.batched_loader")
@pytest.mark.parametrize(
    ("n", "batch_size", "drop_last", "expected_sizes"),
    [
        (10, 4, False, [4, 4, 2]),
        (10, 4, True, [4, 4]),
        (8, 4, False, [4, 4]),
        (8, 4, True, [4, 4]),
        (3, 4, False, [3]),
        (3, 4, True, []),
        (5, 1, True, [1, 1, 1, 1, 1]),
    ],
    ids=["remainder-kept", "remainder-dropped", "exact-keep", "exact-drop", "one-short-batch", "all-dropped", "size-1"],
)
def test_batched_loader_len_and_batch_sizes(n, batch_size, drop_last, expected_sizes):
    loader = dataloader.batched_loader(Numbered(n), batch_size, drop_last=drop_last)
    got = sizes(loader)
    assert got == expected_sizes, (
        f"Called batched_loader(dataset of {n}, {batch_size}, drop_last={drop_last}). Its batches have sizes {got}, "
        f"but the tests expected {expected_sizes}."
    )
    assert len(loader) == len(expected_sizes), (
        f"len(loader) is {len(loader)}; expected {len(expected_sizes)} (ceil(N/B), or floor(N/B) with drop_last)"
    )


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_drop_last_defaults_to_false():
    loader = dataloader.batched_loader(Numbered(10), 4)
    assert sizes(loader) == [4, 4, 2], "without drop_last the partial last batch must be kept"


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_keeps_dataset_order():
    loader = dataloader.batched_loader(Numbered(7), 3)
    assert labels_of(loader) == [[0, 1, 2], [3, 4, 5], [6]], f"batches hold labels {labels_of(loader)}"


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_stacks_images_into_one_tensor():
    images, _ = next(iter(dataloader.batched_loader(Numbered(10), 4)))
    assert isinstance(images, torch.Tensor) and images.shape == (4, 1, 2, 2), (
        f"The images of a batch are {shape_of(images)}; the default collate stacks (1, 2, 2) samples into one "
        "tensor of shape (4, 1, 2, 2) - not a list."
    )
    assert images[:, 0, 0, 0].tolist() == [0.0, 1.0, 2.0, 3.0]


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_collates_int_labels_to_int64_tensor():
    _, labels = next(iter(dataloader.batched_loader(Numbered(10), 4)))
    assert isinstance(labels, torch.Tensor), f"labels of a batch are {shape_of(labels)}; int labels become a tensor"
    assert (labels.dtype, tuple(labels.shape)) == (torch.int64, (4,)), f"labels are {shape_of(labels)}"


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_batch_is_a_list_of_two_not_tuple_of_lists():
    batch = next(iter(dataloader.batched_loader(Numbered(10), 4)))
    assert isinstance(batch, list) and len(batch) == 2, f"a batch of (image, label) samples is {shape_of(batch)}"


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_string_labels_become_a_tuple():
    samples = [(torch.zeros(2), name) for name in ["ants", "bees", "ants"]]
    _, labels = next(iter(dataloader.batched_loader(samples, 3)))
    assert labels == ("ants", "bees", "ants"), f"str labels were collated into {labels!r}; expected a tuple of str"


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_dict_samples_become_dict_of_tensors():
    samples = [{"x": torch.tensor([float(i)]), "y": i} for i in range(4)]
    batch = next(iter(dataloader.batched_loader(samples, 2)))
    assert isinstance(batch, dict) and set(batch) == {"x", "y"}, f"a batch of dicts is {batch!r}"
    assert batch["x"].shape == (2, 1) and batch["y"].tolist() == [0, 1]


@pytest.mark.kata("dataloader.batched_loader")
def test_dataloader_is_iterable_not_iterator():
    loader = dataloader.batched_loader(Numbered(4), 2)
    with raises(TypeError, match="not an iterator"):
        next(loader)
    assert len(list(loader)) == 2 and len(list(loader)) == 2, "each for loop over a DataLoader starts a new pass"


# --- shuffled_loader -------------------------------------------------------------------------------


def epoch_orders(loader, epochs):
    return [sum(labels_of(loader), []) for _ in range(epochs)]


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_visits_every_sample_once_per_epoch():
    for order in epoch_orders(dataloader.shuffled_loader(Numbered(20), 6, seed=1), 3):
        assert sorted(order) == list(range(20)), f"an epoch visited {order}; expected each of 0..19 exactly once"


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_first_epoch_is_shuffled():
    first = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=1), 1)[0]
    assert first != list(range(20)), "the first epoch came out in dataset order: shuffle applies from epoch 1"


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_reshuffles_every_epoch():
    first, second, third = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=1), 3)
    assert first != second and second != third, "each new pass over a shuffled loader must draw a new order"


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_same_seed_same_orders_whatever_the_global_rng():
    torch.manual_seed(123)
    one = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=7), 2)
    torch.manual_seed(456)
    two = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=7), 2)
    assert one == two, "two loaders with the same seed gave different orders: give the loader its own torch.Generator"


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_different_seeds_differ():
    one = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=1), 1)
    two = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=2), 1)
    assert one != two, "seeds 1 and 2 gave the same order: is the seed used?"


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_leaves_global_rng_alone():
    before = torch.random.get_rng_state()
    epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=3), 2)
    assert torch.equal(before, torch.random.get_rng_state()), (
        "building and iterating the loader changed torch's global random state: seed a private torch.Generator "
        "instead of calling torch.manual_seed"
    )


# --- subset_loader ---------------------------------------------------------------------------------


@pytest.mark.kata("dataloader.subset_loader")
def test_subset_loader_visits_only_given_indices_in_order():
    loader = dataloader.subset_loader(Numbered(10), [7, 2, 5, 0, 9], 2)
    assert labels_of(loader) == [[7, 2], [5, 0], [9]], f"the loader yielded {labels_of(loader)}"
    assert len(loader) == 3, f"len(loader) is {len(loader)}; 5 indices in batches of 2 make 3 batches"


@pytest.mark.kata("dataloader.subset_loader")
def test_subset_loader_sampler_refuses_shuffle():
    loader = dataloader.subset_loader(Numbered(10), [1, 2], 2)
    assert list(loader.sampler) == [1, 2], "the loader's sampler must yield the given indices"
    with raises(ValueError, match="mutually exclusive"):
        DataLoader(Numbered(10), sampler=loader.sampler, shuffle=True)


# --- grouped_loader --------------------------------------------------------------------------------


@pytest.mark.kata("dataloader.grouped_loader")
def test_grouped_loader_yields_exactly_the_groups():
    groups = [[0, 1, 2], [5], [9, 8]]
    loader = dataloader.grouped_loader(Numbered(10), groups)
    assert labels_of(loader) == groups, f"the loader yielded {labels_of(loader)}; expected the groups {groups}"
    assert len(loader) == 3


@pytest.mark.kata("dataloader.grouped_loader")
def test_grouped_loader_batch_sampler_excludes_batch_size():
    loader = dataloader.grouped_loader(Numbered(10), [[0, 1]])
    assert loader.batch_size is None, f"loader.batch_size is {loader.batch_size}; a batch_sampler decides the sizes"
    with raises(ValueError, match="mutually exclusive"):
        DataLoader(Numbered(10), batch_size=2, batch_sampler=[[0, 1]])


# --- parallel_loader -------------------------------------------------------------------------------


@pytest.mark.kata("dataloader.parallel_loader")
def test_parallel_loader_uses_worker_processes():
    loader = dataloader.parallel_loader(WhoLoadedMe(8), 2, num_workers=2)
    pids = {pid for batch in loader for pid in batch[1].tolist()}
    assert loader.num_workers == 2, f"loader.num_workers is {loader.num_workers}; expected 2"
    assert os.getpid() not in pids and len(pids) == 2, (
        f"samples were loaded by processes {sorted(pids)} (this process is {os.getpid()}); expected 2 worker processes"
    )


@pytest.mark.kata("dataloader.parallel_loader")
def test_parallel_loader_keeps_order():
    loader = dataloader.parallel_loader(Numbered(9), 2, num_workers=2)
    assert labels_of(loader) == [[0, 1], [2, 3], [4, 5], [6, 7], [8]], f"batches came as {labels_of(loader)}"


# --- first_batch -----------------------------------------------------------------------------------


@pytest.mark.kata("dataloader.first_batch")
def test_first_batch_returns_the_first_batch():
    loader = DataLoader(Numbered(10), batch_size=3)
    images, labels = dataloader.first_batch(loader)
    assert labels.tolist() == [0, 1, 2] and images.shape == (3, 1, 2, 2), f"first_batch gave labels {labels}"


@pytest.mark.kata("dataloader.first_batch")
def test_first_batch_starts_a_new_pass_each_time():
    loader = DataLoader(Numbered(10), batch_size=3)
    first = dataloader.first_batch(loader)[1].tolist()
    again = dataloader.first_batch(loader)[1].tolist()
    assert first == again == [0, 1, 2], f"two calls gave {first} then {again}; each iter(loader) starts over"
