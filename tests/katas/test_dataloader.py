"""Kata 3 (katas/dataloader.py): batching, shuffling, samplers, workers, drop_last and the batch structure."""

import os

import pytest
import torch
from torch.utils.data import DataLoader

from kata_harness.testing.loader_fixtures import Numbered, WhoLoadedMe  # worker processes import them from there
from kata_harness.testing import raises, raises_from, shape_of
from kata_impl import dataloader


def labels_of(loader):
    labels = []
    for batch in loader:
        assert isinstance(batch, (list, tuple)) and len(batch) == 2 and isinstance(batch[1], torch.Tensor), (
            f"Iterating over the loader gave a batch that is {shape_of(batch)} holding "
            f"{[shape_of(part) for part in batch][:3]}, but the "
            "tests expected [images, labels] with labels one int64 tensor: let DataLoader's default collate "
            "stack the samples (no collate_fn that keeps lists)."
        )
        labels.append(batch[1].tolist())
    return labels


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
        f"but the tests expected {expected_sizes}: batch_size samples per batch, and drop_last decides whether the "
        "partial last batch is kept."
    )
    assert len(loader) == len(expected_sizes), (
        f"len(loader) is {len(loader)}; expected {len(expected_sizes)} (ceil(N/B), or floor(N/B) with drop_last)"
    )


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_drop_last_defaults_to_false():
    got = sizes(dataloader.batched_loader(Numbered(10), 4))
    assert got == [4, 4, 2], (
        f"Called batched_loader(dataset of 10, 4) without drop_last. Its batches have sizes {got}, but the tests "
        "expected [4, 4, 2]: drop_last defaults to False, so the partial last batch is kept."
    )


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_keeps_dataset_order():
    loader = dataloader.batched_loader(Numbered(7), 3)
    got = [labels_of(loader), labels_of(loader)]
    expected = [[0, 1, 2], [3, 4, 5], [6]]
    assert got == [expected, expected], (
        f"Called batched_loader(dataset of 7, 3). Two passes gave labels {got}, but the tests expected {expected} "
        "both times: walk the dataset in order (no shuffling)."
    )


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_stacks_images_into_one_tensor():
    images, _ = next(iter(dataloader.batched_loader(Numbered(10), 4)))
    assert isinstance(images, torch.Tensor) and images.shape == (4, 1, 2, 2), (
        f"The images of a batch are {shape_of(images)}; the default collate stacks (1, 2, 2) samples into one "
        "tensor of shape (4, 1, 2, 2) - not a list."
    )
    assert images[:, 0, 0, 0].tolist() == [0.0, 1.0, 2.0, 3.0], "the stacked images are not samples 0, 1, 2, 3"


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_collates_int_labels_to_int64_tensor():
    _, labels = next(iter(dataloader.batched_loader(Numbered(10), 4)))
    assert isinstance(labels, torch.Tensor), f"labels of a batch are {shape_of(labels)}; int labels become a tensor"
    assert (labels.dtype, tuple(labels.shape)) == (torch.int64, (4,)), (
        f"labels of a batch are {shape_of(labels)}; int labels become an int64 tensor of shape (batch_size,)"
    )


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_batch_is_a_list_of_two_not_tuple_of_lists():
    batch = next(iter(dataloader.batched_loader(Numbered(10), 4)))
    assert isinstance(batch, list) and len(batch) == 2, (
        f"a batch of (image, label) samples is {shape_of(batch)}; the default collate gives a list [images, labels]"
    )


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_string_labels_become_a_tuple():
    samples = [(torch.zeros(2), name) for name in ["ants", "bees", "ants"]]
    _, labels = next(iter(dataloader.batched_loader(samples, 3)))
    assert labels == ("ants", "bees", "ants"), f"str labels were collated into {labels!r}; expected a tuple of str"


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_dict_samples_become_dict_of_tensors():
    samples = [{"x": torch.tensor([float(i)]), "y": i} for i in range(4)]
    batch = next(iter(dataloader.batched_loader(samples, 2)))
    assert isinstance(batch, dict) and set(batch) == {"x", "y"}, f"a batch of dicts is {batch!r}; expected a dict"
    assert batch["x"].shape == (2, 1) and batch["y"].tolist() == [0, 1], (
        f"a batch of dicts is {batch!r}; expected x stacked to shape (2, 1) and y the tensor [0, 1]"
    )


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_returns_the_loader_not_an_iterator():
    loader = dataloader.batched_loader(Numbered(4), 2)
    assert isinstance(loader, DataLoader), f"batched_loader returned {type(loader).__name__}; expected the DataLoader"
    raises_from(
        TypeError, next, loader,
        call="next(loader) on what batched_loader(dataset of 4, 2) returned",
        lesson="return the DataLoader itself: it is iterable (every for loop starts a new pass), but it is not an "
        "iterator, so next(loader) is a TypeError.",
    )  # fmt: skip
    passes = [len(list(loader)), len(list(loader))]
    assert passes == [2, 2], f"two for loops over the loader gave {passes} batches; each must start a new pass"


# --- shuffled_loader -------------------------------------------------------------------------------


def epoch_orders(loader, epochs):
    return [sum(labels_of(loader), []) for _ in range(epochs)]


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_visits_every_sample_once_per_epoch():
    for order in epoch_orders(dataloader.shuffled_loader(Numbered(20), 6, seed=1), 3):
        assert sorted(order) == list(range(20)), f"an epoch visited {order}; expected each of 0..19 exactly once"


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_batches_have_batch_size():
    got = sizes(dataloader.shuffled_loader(Numbered(20), 6, seed=1))
    assert got == [6, 6, 6, 2], (
        f"Called shuffled_loader(dataset of 20, 6, seed=1). Its batches have sizes {got}, but the tests expected "
        "[6, 6, 6, 2]: pass batch_size to the DataLoader."
    )


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_first_epoch_is_shuffled():
    first = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=1), 1)[0]
    assert first != list(range(20)), "the first epoch came out in dataset order: shuffle applies from epoch 1"


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_reshuffles_every_epoch():
    first, second, third = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=1), 3)
    assert first != second and second != third, (
        f"three passes gave the orders {first}, {second} and {third}: each new pass must draw a new order"
    )


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_same_seed_same_orders_whatever_the_global_rng():
    one = dataloader.shuffled_loader(Numbered(20), 5, seed=7)
    two = dataloader.shuffled_loader(Numbered(20), 5, seed=7)
    orders = {"one": [], "two": []}
    for global_seed, name, loader in [(123, "one", one), (456, "two", two), (1, "one", one), (2, "two", two)]:
        torch.manual_seed(global_seed)  # other code reseeding or drawing from the global RNG in between
        orders[name] += epoch_orders(loader, 1)
    assert orders["one"] == orders["two"], (
        "Built two loaders with shuffled_loader(..., seed=7) and ran their epochs in turn, reseeding torch's global "
        f"RNG in between. They gave the orders {orders['one']} and {orders['two']}, but the tests expected the same "
        "sequence: each loader needs a torch.Generator of its own, created and seeded on every call."
    )


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_different_seeds_differ():
    one = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=1), 1)
    two = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=2), 1)
    assert one != two, f"seeds 1 and 2 both gave the order {one}: is the seed used?"


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_building_leaves_global_rng_alone():
    before = torch.random.get_rng_state()
    dataloader.shuffled_loader(Numbered(20), 5, seed=3)
    assert torch.equal(before, torch.random.get_rng_state()), (
        "Building shuffled_loader(...) changed torch's global random state: seed a torch.Generator of its own "
        "instead of calling torch.manual_seed, which would change the randomness of all other code."
    )


# --- subset_loader ---------------------------------------------------------------------------------


@pytest.mark.kata("dataloader.subset_loader")
def test_subset_loader_visits_only_given_indices_in_order():
    loader = dataloader.subset_loader(Numbered(10), [7, 2, 5, 0, 9], 2)
    got = labels_of(loader)
    assert got == [[7, 2], [5, 0], [9]], (
        f"Called subset_loader(dataset of 10, [7, 2, 5, 0, 9], 2). It yielded the samples {got}, but the tests "
        "expected [[7, 2], [5, 0], [9]]: only those samples, in exactly that order, 2 at a time."
    )
    assert len(loader) == 3, f"len(loader) is {len(loader)}; 5 indices in batches of 2 make 3 batches"


@pytest.mark.kata("dataloader.subset_loader")
def test_subset_loader_same_samples_on_every_pass():
    loader = dataloader.subset_loader(Numbered(10), [4, 1, 8], 2)
    passes = [labels_of(loader) for _ in range(3)]
    assert passes == [[[4, 1], [8]]] * 3, (
        f"Three passes over subset_loader(dataset of 10, [4, 1, 8], 2) gave {passes}; every pass must visit the "
        "same samples (a sampler is iterated again on each pass, so it cannot be a one-shot iterator)."
    )


@pytest.mark.kata("dataloader.subset_loader")
def test_subset_loader_visits_a_repeated_index_twice():
    loader = dataloader.subset_loader(Numbered(10), [6, 2, 6], 2)
    got = labels_of(loader)
    assert got == [[6, 2], [6]], (
        f"Called subset_loader(dataset of 10, [6, 2, 6], 2). It yielded the samples {got}, but the tests expected "
        "[[6, 2], [6]]: the indices are visited as listed, so an index listed twice is visited twice."
    )


@pytest.mark.kata("dataloader.subset_loader")
def test_subset_loader_order_comes_from_the_sampler_not_shuffle():
    got = sum(labels_of(dataloader.subset_loader(Numbered(10), [3, 1, 2], 3)), [])
    assert got == [3, 1, 2], f"subset_loader(dataset of 10, [3, 1, 2], 3) visited {got}; leave shuffle off"
    with raises(
        ValueError,
        call="DataLoader(dataset of 10, sampler=[3, 1, 2], shuffle=True)",
        lesson="torch's own rule: the sampler decides the order, so torch refuses a sampler together with "
        "shuffle=True.",
    ):
        DataLoader(Numbered(10), sampler=[3, 1, 2], shuffle=True)


# --- grouped_loader --------------------------------------------------------------------------------


@pytest.mark.kata("dataloader.grouped_loader")
def test_grouped_loader_yields_exactly_the_groups():
    groups = [[0, 1, 2], [5], [9, 8]]
    loader = dataloader.grouped_loader(Numbered(10), groups)
    got = [labels_of(loader), labels_of(loader)]
    assert got == [groups, groups], (
        f"Called grouped_loader(dataset of 10, {groups}). Two passes gave the batches {got}, but the tests expected "
        f"{groups} both times: batch k holds the samples of groups[k], in that order."
    )
    assert len(loader) == 3, f"len(loader) is {len(loader)}; expected 3, one batch per group"


@pytest.mark.kata("dataloader.grouped_loader")
def test_grouped_loader_batch_sampler_excludes_batch_size():
    loader = dataloader.grouped_loader(Numbered(10), [[0, 1]])
    assert loader.batch_size is None, f"loader.batch_size is {loader.batch_size}; a batch_sampler decides the sizes"
    with raises(
        ValueError,
        call="DataLoader(dataset of 10, batch_size=2, batch_sampler=[[0, 1]])",
        lesson="torch's own rule: a batch_sampler decides batch_size by itself, so torch refuses a batch_size "
        "beside it.",
    ):
        DataLoader(Numbered(10), batch_size=2, batch_sampler=[[0, 1]])


# --- parallel_loader -------------------------------------------------------------------------------
# Worker processes are slow to start (under spawn each one imports torch): one loader, two workers.


@pytest.mark.kata("dataloader.parallel_loader")
def test_parallel_loader_uses_worker_processes_and_keeps_order():
    loader = dataloader.parallel_loader(WhoLoadedMe(8), 2, num_workers=2)
    assert loader.num_workers == 2, f"loader.num_workers is {loader.num_workers}; expected 2"
    batches = [(batch[0].tolist(), batch[1].tolist()) for batch in loader]
    order = [indices for indices, _ in batches]
    assert order == [[0, 1], [2, 3], [4, 5], [6, 7]], (
        f"Called parallel_loader(dataset of 8, 2, num_workers=2). Its batches hold the samples {order}, but the tests "
        "expected [[0, 1], [2, 3], [4, 5], [6, 7]]: workers load in parallel, the loader still yields in order."
    )
    pids = {pid for _, batch_pids in batches for pid in batch_pids}
    assert os.getpid() not in pids and len(pids) == 2, (
        f"samples were loaded by processes {sorted(pids)} (this process is {os.getpid()}); expected 2 worker processes"
    )


@pytest.mark.kata("dataloader.parallel_loader")
def test_parallel_loader_zero_workers_loads_in_main_process():
    loader = dataloader.parallel_loader(WhoLoadedMe(5), 2, num_workers=0)
    batches = [(batch[0].tolist(), batch[1].tolist()) for batch in loader]
    assert [indices for indices, _ in batches] == [[0, 1], [2, 3], [4]], f"batches came as {batches}"
    pids = {pid for _, batch_pids in batches for pid in batch_pids}
    assert pids == {os.getpid()}, (
        f"Called parallel_loader(dataset, 2, num_workers=0). Samples were loaded by processes {sorted(pids)}, but the "
        f"tests expected only this process ({os.getpid()}): num_workers=0 loads in the main process."
    )


# --- first_batch -----------------------------------------------------------------------------------


class RotatingSampler:
    """Pass k visits 0..n-1 starting at k: a predictable stand-in for a shuffled loader's new order per pass."""

    def __init__(self, n):
        self.n = n
        self.passes = 0

    def __iter__(self):
        start, self.passes = self.passes, self.passes + 1
        return iter([(start + i) % self.n for i in range(self.n)])

    def __len__(self):
        return self.n


@pytest.mark.kata("dataloader.first_batch")
def test_first_batch_returns_the_first_batch():
    loader = DataLoader(Numbered(10), batch_size=3)
    images, labels = dataloader.first_batch(loader)
    assert labels.tolist() == [0, 1, 2] and images.shape == (3, 1, 2, 2), (
        f"first_batch(DataLoader(dataset of 10, batch_size=3)) gave labels {labels.tolist()} and images "
        f"{shape_of(images)}; expected labels [0, 1, 2] and images (3, 1, 2, 2)"
    )


@pytest.mark.kata("dataloader.first_batch")
def test_first_batch_starts_a_new_pass_each_time():
    loader = DataLoader(Numbered(10), batch_size=3)
    first = dataloader.first_batch(loader)[1].tolist()
    again = dataloader.first_batch(loader)[1].tolist()
    assert first == again == [0, 1, 2], f"two calls gave {first} then {again}; each call starts a new pass"


@pytest.mark.kata("dataloader.first_batch")
def test_first_batch_of_a_reordering_loader_follows_each_new_pass():
    loader = DataLoader(Numbered(10), batch_size=3, sampler=RotatingSampler(10))
    got = [dataloader.first_batch(loader)[1].tolist() for _ in range(3)]
    assert got == [[0, 1, 2], [1, 2, 3], [2, 3, 4]], (
        f"On a loader whose order changes with every pass (pass k starts at sample k), three calls gave {got}, but "
        "the tests expected [[0, 1, 2], [1, 2, 3], [2, 3, 4]]: each call starts a new pass, with its new order."
    )

