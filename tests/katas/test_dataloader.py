"""Kata 3 (katas/dataloader.py): batching, shuffling, samplers, workers, drop_last and the batch structure."""

import os

import pytest
import torch
from torch.utils.data import DataLoader

from kata_harness.testing.loader_fixtures import Numbered, WhoLoadedMe  # worker processes import them from there
from kata_harness.testing import lesson, raises, raises_from, says, shape_of
from kata_impl import dataloader


def labels_of(loader, call="loader"):
    """The labels of every batch of one pass, after checking each batch has DataLoader's default structure."""
    labels = []
    for batch in loader:
        assert isinstance(batch, (list, tuple)) and len(batch) == 2 and isinstance(batch[1], torch.Tensor), says(
            call=f"for batch in {call}",
            returned=f"{shape_of(batch)}: {[shape_of(part) for part in batch][:3]}",
            expected="[images, labels]",
            lesson=lesson("dataloader.default_collate_structure"),
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
    call = f"batched_loader(Numbered({n}), {batch_size}, drop_last={drop_last})"
    loader = dataloader.batched_loader(Numbered(n), batch_size, drop_last=drop_last)
    got = sizes(loader)
    assert got == expected_sizes, says(
        call=call, lesson=lesson("dataloader.batch_sizes_and_drop_last", got=got, expected=expected_sizes)
    )
    assert len(loader) == len(expected_sizes), says(
        call=f"len({call})", returned=len(loader), expected=len(expected_sizes),
        lesson=lesson("dataloader.len_counts_batches"),
    )  # fmt: skip


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_drop_last_defaults_to_false():
    got = sizes(dataloader.batched_loader(Numbered(10), 4))
    assert got == [4, 4, 2], says(
        call="batched_loader(Numbered(10), 4)",
        lesson=lesson("dataloader.drop_last_default", got=got, expected=[4, 4, 2]),
    )


def order_mistake(passes, n, batch_size):
    """The lesson for passes of batched_loader(Numbered(n), batch_size) that are not the dataset order cut into
    batches: the most specific difference first."""
    for number, got in enumerate(passes, 1):
        visited = sum(got, [])
        if number > 1 and len(visited) < len(sum(passes[0], [])):
            return lesson("dataloader.later_pass_shorter", number=number, got=got)
        if visited == list(range(n - n % batch_size)) and n % batch_size:
            return lesson("dataloader.partial_batch_missing", got=got)
        if visited != list(range(n)):
            return lesson("dataloader.not_dataset_order", number=number, visited=visited)
    return lesson("dataloader.cut_into_batch_size", got=passes[0], batch_size=batch_size)


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_keeps_dataset_order():
    call = "batched_loader(Numbered(7), 3)"
    loader = dataloader.batched_loader(Numbered(7), 3)
    got = [labels_of(loader, call), labels_of(loader, call)]
    expected = [[0, 1, 2], [3, 4, 5], [6]]
    assert got == [expected, expected], says(
        call=call,
        lesson=lesson("dataloader.dataset_order_every_pass", expected=expected, mistake=order_mistake(got, 7, 3)),
    )


def describe_batch(batch):
    """A batch for a failure message: tensors of more than one dimension by shape, short ones by value."""
    if isinstance(batch, dict):
        return "{" + ", ".join(f"{key!r}: {describe_batch(value)}" for key, value in batch.items()) + "}"
    if torch.is_tensor(batch) and batch.dim() <= 1:
        return f"tensor({batch.tolist()})"
    return shape_of(batch)


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_stacks_images_into_one_tensor():
    call = "next(iter(batched_loader(Numbered(10), 4)))[0]"
    images, _ = next(iter(dataloader.batched_loader(Numbered(10), 4)))
    assert isinstance(images, torch.Tensor) and images.shape == (4, 1, 2, 2), says(
        call=call, returned=shape_of(images), expected="tensor (4, 1, 2, 2)",
        lesson=lesson("dataloader.images_stacked"),
    )  # fmt: skip
    got = images[:, 0, 0, 0].tolist()
    assert got == [0.0, 1.0, 2.0, 3.0], says(
        call=call + "[:, 0, 0, 0].tolist()", returned=got, expected=[0.0, 1.0, 2.0, 3.0],
        lesson=lesson("dataloader.images_in_sample_order"),
    )  # fmt: skip


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_collates_int_labels_to_int64_tensor():
    call = "next(iter(batched_loader(Numbered(10), 4)))[1]"
    _, labels = next(iter(dataloader.batched_loader(Numbered(10), 4)))
    assert isinstance(labels, torch.Tensor) and (labels.dtype, tuple(labels.shape)) == (torch.int64, (4,)), says(
        call=call, returned=shape_of(labels), expected="tensor (4,) int64", lesson=lesson("dataloader.int_labels_int64")
    )


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_batch_is_a_list_of_two_not_tuple_of_lists():
    batch = next(iter(dataloader.batched_loader(Numbered(10), 4)))
    assert isinstance(batch, list) and len(batch) == 2, says(
        call="next(iter(batched_loader(Numbered(10), 4)))", returned=shape_of(batch), expected="[images, labels]",
        lesson=lesson("dataloader.batch_is_a_list"),
    )  # fmt: skip


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_string_labels_become_a_tuple():
    samples = [(torch.zeros(2), name) for name in ["ants", "bees", "ants"]]
    _, labels = next(iter(dataloader.batched_loader(samples, 3)))
    assert labels == ("ants", "bees", "ants"), says(
        call="next(iter(batched_loader([(torch.zeros(2), 'ants'), (..., 'bees'), (..., 'ants')], 3)))[1]",
        returned=repr(labels), expected=repr(("ants", "bees", "ants")), lesson=lesson("dataloader.str_labels_tuple"),
    )  # fmt: skip


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_dict_samples_become_dict_of_tensors():
    samples = [{"x": torch.tensor([float(i)]), "y": i} for i in range(4)]
    call = "next(iter(batched_loader([{'x': torch.tensor([float(i)]), 'y': i} for i in range(4)], 2)))"
    batch = next(iter(dataloader.batched_loader(samples, 2)))
    ok = isinstance(batch, dict) and set(batch) == {"x", "y"}
    ok = ok and getattr(batch["x"], "shape", None) == (2, 1)
    ok = ok and torch.is_tensor(batch["y"]) and batch["y"].tolist() == [0, 1]
    assert ok, says(
        call=call, returned=describe_batch(batch), expected="{'x': tensor (2, 1) float32, 'y': tensor([0, 1])}",
        lesson=lesson("dataloader.dict_samples"),
    )  # fmt: skip


@pytest.mark.kata("dataloader.batched_loader")
def test_batched_loader_returns_the_loader_not_an_iterator():
    loader = dataloader.batched_loader(Numbered(4), 2)
    assert isinstance(loader, DataLoader), says(
        call="batched_loader(Numbered(4), 2)", returned=type(loader).__name__, expected="DataLoader",
        lesson=lesson("dataloader.return_the_loader"),
    )  # fmt: skip
    raises_from(
        TypeError, next, loader,
        call="next(batched_loader(Numbered(4), 2))",
        lesson=lesson("dataloader.loader_is_not_an_iterator"),
    )  # fmt: skip
    passes = [len(list(loader)), len(list(loader))]
    assert passes == [2, 2], says(
        call="[len(list(loader)), len(list(loader))]  # loader = batched_loader(Numbered(4), 2)",
        returned=passes, expected=[2, 2], lesson=lesson("dataloader.every_loop_a_new_pass"),
    )  # fmt: skip


# --- shuffled_loader -------------------------------------------------------------------------------


def epoch_orders(loader, epochs, call="loader"):
    return [sum(labels_of(loader, call), []) for _ in range(epochs)]


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_visits_every_sample_once_per_epoch():
    call = "shuffled_loader(Numbered(20), 6, seed=1)"
    for number, order in enumerate(epoch_orders(dataloader.shuffled_loader(Numbered(20), 6, seed=1), 3, call), 1):
        assert sorted(order) == list(range(20)), says(
            call=call, lesson=lesson("dataloader.every_sample_once", number=number, order=order)
        )


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_batches_have_batch_size():
    got = sizes(dataloader.shuffled_loader(Numbered(20), 6, seed=1))
    assert got == [6, 6, 6, 2], says(
        call="shuffled_loader(Numbered(20), 6, seed=1)",
        lesson=lesson("dataloader.shuffled_batch_sizes", got=got, expected=[6, 6, 6, 2]),
    )


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_first_epoch_is_shuffled():
    call = "shuffled_loader(Numbered(20), 5, seed=1)"
    first = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=1), 1, call)[0]
    assert first != list(range(20)), says(call=call, lesson=lesson("dataloader.first_pass_shuffled", order=first))


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_reshuffles_every_epoch():
    call = "shuffled_loader(Numbered(20), 5, seed=1)"
    first, second, third = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=1), 3, call)
    assert first != second and second != third, says(
        call=call, lesson=lesson("dataloader.new_order_every_pass", first=first, second=second, third=third)
    )


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_same_seed_same_orders_whatever_the_global_rng():
    one = dataloader.shuffled_loader(Numbered(20), 5, seed=7)
    two = dataloader.shuffled_loader(Numbered(20), 5, seed=7)
    orders = {"one": [], "two": []}
    for global_seed, name, loader in [(123, "one", one), (456, "two", two), (1, "one", one), (2, "two", two)]:
        torch.manual_seed(global_seed)  # other code reseeding or drawing from the global RNG in between
        orders[name] += epoch_orders(loader, 1)
    assert orders["one"] == orders["two"], says(
        call="[shuffled_loader(Numbered(20), 5, seed=7) for _ in range(2)]",
        lesson=lesson("dataloader.same_seed_same_orders", one=orders["one"], two=orders["two"]),
    )


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_different_seeds_differ():
    one = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=1), 1)
    two = epoch_orders(dataloader.shuffled_loader(Numbered(20), 5, seed=2), 1)
    assert one != two, says(
        call="shuffled_loader(Numbered(20), 5, seed=1), shuffled_loader(Numbered(20), 5, seed=2)",
        lesson=lesson("dataloader.seeds_differ", order=one[0]),
    )


@pytest.mark.kata("dataloader.shuffled_loader")
def test_shuffled_loader_building_leaves_global_rng_alone():
    before = torch.random.get_rng_state()
    dataloader.shuffled_loader(Numbered(20), 5, seed=3)
    assert torch.equal(before, torch.random.get_rng_state()), says(
        call="shuffled_loader(Numbered(20), 5, seed=3)", lesson=lesson("dataloader.global_rng_untouched")
    )


# --- subset_loader ---------------------------------------------------------------------------------


def subset_mistake(got, indices, batch_size):
    """The lesson for subset_loader batches `got` that are not `indices` cut into batch_size: the most specific
    difference first (the samples, then their order, then how they are cut into batches)."""
    visited = sum(got, [])
    if visited == [] and indices:
        return lesson("dataloader.subset_nothing_visited")
    if sorted(visited) != sorted(indices):
        if set(visited) == set(indices):
            return lesson("dataloader.subset_repeated_index", visited=visited, indices=indices)
        return lesson("dataloader.subset_other_samples", visited=visited, indices=indices)
    if visited != indices:
        return lesson("dataloader.subset_listed_order", visited=visited, indices=indices)
    return lesson("dataloader.subset_batch_size", batch_size=batch_size)


@pytest.mark.kata("dataloader.subset_loader")
def test_subset_loader_visits_only_given_indices_in_order():
    call = "subset_loader(Numbered(10), [7, 2, 5, 0, 9], 2)"
    loader = dataloader.subset_loader(Numbered(10), [7, 2, 5, 0, 9], 2)
    got = labels_of(loader, call)
    expected = [[7, 2], [5, 0], [9]]
    assert got == expected, says(
        call=call, returned=got, expected=expected, lesson=subset_mistake(got, [7, 2, 5, 0, 9], 2)
    )
    try:
        length = len(loader)
    except TypeError as error:
        raise AssertionError(
            says(call=f"len({call})", lesson=lesson("dataloader.subset_len_unsized", error=f"TypeError: {error}"))
        ) from None  # the error is quoted above; it was raised inside torch, not in the learner's code
    assert length == 3, says(call=f"len({call})", returned=length, expected=3, lesson=lesson("dataloader.subset_len"))


@pytest.mark.kata("dataloader.subset_loader")
def test_subset_loader_same_samples_on_every_pass():
    call = "subset_loader(Numbered(10), [4, 1, 8], 2)"
    loader = dataloader.subset_loader(Numbered(10), [4, 1, 8], 2)
    passes = [labels_of(loader, call) for _ in range(3)]
    expected = [[4, 1], [8]]
    for number, got in enumerate(passes, 1):
        if got == expected:
            continue
        if number > 1 and len(sum(got, [])) < 3 and passes[0] == expected:
            mistake = lesson("dataloader.subset_later_pass_shorter", number=number)
        else:
            mistake = subset_mistake(got, [4, 1, 8], 2)
        assert got == expected, says(
            call=call,
            lesson=lesson("dataloader.subset_pass_gave", number=number, got=got, expected=expected, mistake=mistake),
        )


@pytest.mark.kata("dataloader.subset_loader")
def test_subset_loader_visits_a_repeated_index_twice():
    call = "subset_loader(Numbered(10), [6, 2, 6], 2)"
    got = labels_of(dataloader.subset_loader(Numbered(10), [6, 2, 6], 2), call)
    expected = [[6, 2], [6]]
    assert got == expected, says(call=call, returned=got, expected=expected, lesson=subset_mistake(got, [6, 2, 6], 2))


@pytest.mark.kata("dataloader.subset_loader")
def test_subset_loader_order_comes_from_the_sampler_not_shuffle():
    call = "subset_loader(Numbered(10), [3, 1, 2], 3)"
    got = labels_of(dataloader.subset_loader(Numbered(10), [3, 1, 2], 3), call)
    assert got == [[3, 1, 2]], says(
        call=call, returned=got, expected=[[3, 1, 2]], lesson=subset_mistake(got, [3, 1, 2], 3)
    )
    with raises(
        ValueError,
        call="DataLoader(Numbered(10), sampler=[3, 1, 2], shuffle=True)",
        lesson=lesson("dataloader.sampler_excludes_shuffle"),
    ):
        DataLoader(Numbered(10), sampler=[3, 1, 2], shuffle=True)


# --- grouped_loader --------------------------------------------------------------------------------


@pytest.mark.kata("dataloader.grouped_loader")
def test_grouped_loader_yields_exactly_the_groups():
    groups = [[0, 1, 2], [5], [9, 8]]
    call = f"grouped_loader(Numbered(10), {groups})"
    loader = dataloader.grouped_loader(Numbered(10), groups)
    got = [labels_of(loader, call), labels_of(loader, call)]
    assert got == [groups, groups], says(
        call=call, lesson=lesson("dataloader.batches_are_the_groups", got=got, groups=groups)
    )
    assert len(loader) == 3, says(
        call=f"len({call})", returned=len(loader), expected=3, lesson=lesson("dataloader.one_batch_per_group")
    )


@pytest.mark.kata("dataloader.grouped_loader")
def test_grouped_loader_batch_sampler_excludes_batch_size():
    loader = dataloader.grouped_loader(Numbered(10), [[0, 1]])
    assert loader.batch_size is None, says(
        call="grouped_loader(Numbered(10), [[0, 1]]).batch_size", returned=repr(loader.batch_size), expected="None",
        lesson=lesson("dataloader.batch_sampler_decides_sizes"),
    )  # fmt: skip
    with raises(
        ValueError,
        call="DataLoader(Numbered(10), batch_size=2, batch_sampler=[[0, 1]])",
        lesson=lesson("dataloader.batch_sampler_excludes_batch_size"),
    ):
        DataLoader(Numbered(10), batch_size=2, batch_sampler=[[0, 1]])


# --- parallel_loader -------------------------------------------------------------------------------
# Worker processes are slow to start (under spawn each one imports torch): one loader, two workers.


@pytest.mark.kata("dataloader.parallel_loader")
def test_parallel_loader_uses_worker_processes_and_keeps_order():
    call = "parallel_loader(WhoLoadedMe(8), 2, num_workers=2)"
    loader = dataloader.parallel_loader(WhoLoadedMe(8), 2, num_workers=2)
    assert loader.num_workers == 2, says(
        call=call + ".num_workers", returned=loader.num_workers, expected=2,
        lesson=lesson("dataloader.num_workers_kept"),
    )  # fmt: skip
    batches = [(batch[0].tolist(), batch[1].tolist()) for batch in loader]
    order = [indices for indices, _ in batches]
    expected = [[0, 1], [2, 3], [4, 5], [6, 7]]
    assert order == expected, says(
        call=call, lesson=lesson("dataloader.workers_keep_order", got=order, expected=expected)
    )
    pids = {pid for _, batch_pids in batches for pid in batch_pids}
    assert os.getpid() not in pids and len(pids) == 2, says(
        call=call, lesson=lesson("dataloader.two_worker_processes", pids=sorted(pids), main=os.getpid())
    )


@pytest.mark.kata("dataloader.parallel_loader")
def test_parallel_loader_zero_workers_loads_in_main_process():
    call = "parallel_loader(WhoLoadedMe(5), 2, num_workers=0)"
    loader = dataloader.parallel_loader(WhoLoadedMe(5), 2, num_workers=0)
    batches = [(batch[0].tolist(), batch[1].tolist()) for batch in loader]
    order = [indices for indices, _ in batches]
    assert order == [[0, 1], [2, 3], [4]], says(
        call=call, lesson=lesson("dataloader.zero_workers_order", got=order, expected=[[0, 1], [2, 3], [4]])
    )
    pids = {pid for _, batch_pids in batches for pid in batch_pids}
    assert pids == {os.getpid()}, says(
        call=call, lesson=lesson("dataloader.zero_workers_main_process", pids=sorted(pids), main=os.getpid())
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
    assert labels.tolist() == [0, 1, 2] and images.shape == (3, 1, 2, 2), says(
        call="first_batch(DataLoader(Numbered(10), batch_size=3))",
        returned=f"[{shape_of(images)}, {labels.tolist()}]", expected="[tensor (3, 1, 2, 2), [0, 1, 2]]",
        lesson=lesson("dataloader.first_batch_is_batch_0"),
    )  # fmt: skip


@pytest.mark.kata("dataloader.first_batch")
def test_first_batch_starts_a_new_pass_each_time():
    loader = DataLoader(Numbered(10), batch_size=3)
    first = dataloader.first_batch(loader)[1].tolist()
    again = dataloader.first_batch(loader)[1].tolist()
    assert first == again == [0, 1, 2], says(
        call="loader = DataLoader(Numbered(10), batch_size=3); [first_batch(loader)[1].tolist() for _ in range(2)]",
        returned=[first, again], expected=[[0, 1, 2], [0, 1, 2]], lesson=lesson("dataloader.first_batch_new_pass"),
    )  # fmt: skip


@pytest.mark.kata("dataloader.first_batch")
def test_first_batch_of_a_reordering_loader_follows_each_new_pass():
    loader = DataLoader(Numbered(10), batch_size=3, sampler=RotatingSampler(10))
    got = [dataloader.first_batch(loader)[1].tolist() for _ in range(3)]
    expected = [[0, 1, 2], [1, 2, 3], [2, 3, 4]]
    assert got == expected, says(
        call="loader = DataLoader(Numbered(10), batch_size=3, sampler=RotatingSampler(10)); "
        "[first_batch(loader)[1].tolist() for _ in range(3)]",
        returned=got, expected=expected, lesson=lesson("dataloader.first_batch_follows_new_order"),
    )  # fmt: skip
