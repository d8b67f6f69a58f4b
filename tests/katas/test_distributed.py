"""Kata 16 (katas/distributed.py): data-parallel training with torch.distributed, DDP and torchrun - on CPUs.

No GPU is needed: gloo, torch.distributed's CPU backend, runs the same collectives as nccl between
processes on one machine. The tests meet torch.distributed in three ways (kata_harness.testing.distributed):
- in the test process, a process group of one rank: every test reaches its kata here first, so an
  unsolved kata fails in the test process, on its own NotImplementedError, before any rank is started;
- two ranks, two real processes joined over gloo on 127.0.0.1: one scenario per kata (a fresh group and a
  fresh pair of processes each), shared by that kata's tests; small data, small models;
- torchrun itself, once: ``torchrun --nproc_per_node=2 -m kata_impl.distributed`` on a CIFAR-10 stand-in
  (20 training and 15 test images, 2 epochs), read by torchvision's CIFAR10 class: one test, so that pytest-xdist
  never launches it twice. (Skipped when an overlay of another module stands in - check-alternatives for
  modules.CifarNet: the two-rank pipeline test covers it.)
What a rank sees is recorded by the harness (spies on torch.save, barriers, SummaryWriter, forwards), so the
verdicts never depend on timing: a rank that returns from save_checkpoint before rank 0 has written the file
is caught every time, not when it happens to be fast. A rank stuck in a collective the other rank never
calls is stopped after kata_harness.testing.distributed.SCENARIO_TIMEOUT_S and fails its test.

Uneven sizes, as DistributedSampler handles them: the shards are padded with repeated samples to the same
length (11 samples on 2 ranks: 6 each, one sample twice), so every rank takes the same number of steps.
"""

from __future__ import annotations

import copy
import math
import os
import re
import sys
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler

from kata_harness import impl
from kata_harness.testing import distributed as support
from kata_harness.testing import assert_tensors_close, assert_tensors_equal, lang, lesson, raises, says, shape_of
from kata_harness.testing import training as training_support
from kata_harness.testing.distributed_ranks import RecordingPoints, tiny_model
from kata_harness.testing.loader_fixtures import Numbered
from kata_harness.testing.training import ForwardWatcher, unmoved
from kata_impl import distributed


def points(n: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` points with 4 features and labels 0..2 (a rule on the first two features), from their own generator."""
    generator = torch.Generator().manual_seed(seed)
    features = torch.randn(n, 4, generator=generator)
    labels = (features[:, 0] > 0).long() + (features[:, 1] > 0.5).long()
    return features, labels


def seeded_state(seed: int) -> dict:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return tiny_model().state_dict()


def sampler_order(dataset, rank: int, world_size: int, seed: int, epoch: int) -> list[int]:
    """The indices a shuffled DistributedSampler gives ``rank`` in ``epoch``: the test's own oracle."""
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    sampler.set_epoch(epoch)
    return list(sampler)


def labels_seen(loader) -> list[list[int]]:
    """Numbered's label is the sample's index: the indices of each batch, in order."""
    return [labels.tolist() for _, labels in loader]


def chunks(values: list, size: int) -> list[list]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _sep() -> str:
    """What stands between two sentences of a lesson: a space in English, nothing in Chinese."""
    return "" if lang() == "zh" else " "


def rank_failure(run, rank: int, outcome: dict) -> str:
    """What a rank that did not report its result did instead (kata_harness.testing.distributed.RankRun)."""
    where = dict(rank=rank, world_size=run.world_size)
    if outcome.get("timed_out_after") is not None:
        what = lesson("distributed.rank_stuck", seconds=f"{outcome['timed_out_after']:.0f}", **where)
    elif outcome.get("exit_code") is not None:
        what = lesson("distributed.rank_died", code=outcome["exit_code"], seconds=f"{outcome['seconds']:.1f}", **where)
    else:
        what = lesson("distributed.rank_raised", error=outcome["error"], **where)
    lines = [says(call=run.what, lesson=what)]
    traceback_lines = (outcome.get("traceback") or "").strip().splitlines()
    if traceback_lines:
        lines += [lesson("distributed.rank_traceback_header"), *traceback_lines[-12:]]
    log = (outcome.get("log") or "").strip()
    if log:
        lines += [lesson("distributed.rank_output_header"), log[-1200:]]
    return "\n".join(lines)



# --- setup_process_group ---------------------------------------------------------------------------


def fake_process_group(monkeypatch, *, cuda: bool) -> dict:
    """Record init_process_group and torch.cuda.set_device instead of running them; fake CUDA's availability."""
    import torch.distributed as dist

    calls: dict[str, list] = {"init": [], "set_device": []}

    def init_process_group(*args, **kwargs):
        calls["init"].append((args, kwargs))

    support.patch_everywhere(monkeypatch, distributed.setup_process_group, "init_process_group", init_process_group,
                             [dist, dist.distributed_c10d])  # fmt: skip
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.cuda, "set_device", lambda device: calls["set_device"].append(device))
    return calls


def backend_of(call) -> str:
    args, kwargs = call
    backend = kwargs.get("backend", args[0] if args else None)
    return str(backend).lower()


@pytest.mark.kata("distributed.setup_process_group")
def test_setup_process_group_joins_a_gloo_group_from_torchruns_variables(monkeypatch):
    import torch.distributed as dist

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with support.torchrun_environment(monkeypatch):
        returned = distributed.setup_process_group()
        group = (dist.get_rank(), dist.get_world_size(), dist.get_backend()) if dist.is_initialized() else None
    call = "setup_process_group()"
    where = lesson("distributed.with_torchruns_variables", rank=0, world_size=1, local_rank=0, cuda=False)
    assert group is not None, says(call=call, lesson=f"{where}{_sep()}{lesson('distributed.join_a_group')}")
    assert group == (0, 1, "gloo"), says(
        call=call, lesson=f"{where}{_sep()}{lesson('distributed.group_joined', group=group, expected=(0, 1, 'gloo'))}"
    )
    types = [type(v).__name__ for v in returned] if isinstance(returned, tuple) else type(returned).__name__
    assert isinstance(returned, tuple) and types == ["int", "int", "device"] and returned == (0, 1, torch.device("cpu")), says(
        call=call, returned=f"{returned!r} ({types})", expected="(0, 1, torch.device('cpu'))",
        lesson=f"{where}{_sep()}{lesson('distributed.returns_rank_world_size_device')}",
    )  # fmt: skip


@pytest.mark.kata("distributed.setup_process_group")
@pytest.mark.parametrize("cuda", [False, True], ids=["cpu-gloo", "cuda-nccl"])
def test_setup_process_group_takes_rank_from_the_environment_and_the_gpu_from_local_rank(monkeypatch, cuda):
    # Rank 3 of 4 is the second process on the second machine: its GPU is cuda:1 (LOCAL_RANK), not cuda:3.
    for name, value in {"RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29500"}.items():
        monkeypatch.setenv(name, value)
    calls = fake_process_group(monkeypatch, cuda=cuda)
    returned = distributed.setup_process_group()
    call = "setup_process_group()"
    where = lesson("distributed.with_torchruns_variables", rank=3, world_size=4, local_rank=1, cuda=cuda)
    expected_device = torch.device("cuda", 1) if cuda else torch.device("cpu")
    assert returned == (3, 4, expected_device), says(
        call=call, returned=repr(returned), expected=repr((3, 4, expected_device)),
        lesson=f"{where}{_sep()}{lesson('distributed.rank_from_the_environment_gpu_from_local_rank')}",
    )  # fmt: skip
    backends = [backend_of(c) for c in calls["init"]]
    expected_backend = "nccl" if cuda else "gloo"
    assert backends == [expected_backend], says(
        call=call,
        lesson=f"{where}{_sep()}{lesson('distributed.one_init_with_the_backend', backends=backends, expected=repr(expected_backend))}",
    )  # fmt: skip
    if cuda:
        chosen = [torch.device("cuda", d) if isinstance(d, int) else torch.device(d) for d in calls["set_device"]]
        assert chosen == [torch.device("cuda", 1)], says(
            call=call, lesson=f"{where}{_sep()}{lesson('distributed.set_device_local_rank', calls=calls['set_device'])}"
        )


@pytest.mark.kata("distributed.setup_process_group")
@pytest.mark.parametrize("missing", [*support.TORCHRUN_VARIABLES, "all", "empty-RANK"])
def test_setup_process_group_without_torchrun_raises_naming_what_is_missing(monkeypatch, missing):
    support.without_torchrun_environment(monkeypatch)
    names = support.TORCHRUN_VARIABLES if missing == "all" else ("RANK",) if missing == "empty-RANK" else (missing,)
    for name, value in {"RANK": "0", "WORLD_SIZE": "1", "LOCAL_RANK": "0", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29500"}.items():
        if name not in names:
            monkeypatch.setenv(name, value)
    if missing == "empty-RANK":
        monkeypatch.setenv("RANK", "")  # set, but empty: as good as missing
    calls = fake_process_group(monkeypatch, cuda=False)
    call = "setup_process_group()"
    where = lesson("distributed.without_variables", names=", ".join(names))
    with raises(RuntimeError, call=call, lesson=f"{where}{_sep()}{lesson('distributed.missing_variables_raise')}") as error:
        distributed.setup_process_group()
    message = str(error.value)
    assert all(name in message for name in names) and "torchrun" in message, says(
        call=call, lesson=f"{where}{_sep()}{lesson('distributed.error_names_the_variables', message=repr(message), names=', '.join(names))}"
    )
    assert not calls["init"], says(call=call, lesson=f"{where}{_sep()}{lesson('distributed.no_init_without_variables')}")


@pytest.fixture(scope="module")
def joined_ranks(request, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:  # reached in the test process first: without torchrun, it raises
        support.without_torchrun_environment(patch)
        support.reach_in_process(distributed.setup_process_group)
    return support.run_ranks(
        "join", tmp_path_factory.mktemp("join"), what=lesson("distributed.scenario_join"),
        stubbed=support.later_katas(request.config, "distributed.setup_process_group"), explain=rank_failure,
    )  # fmt: skip


@pytest.mark.kata("distributed.setup_process_group")
def test_setup_process_group_two_ranks_join_one_group(joined_ranks):
    for rank in range(2):
        got = joined_ranks.result(rank)
        call = "setup_process_group()"
        where = lesson("distributed.with_torchruns_variables", rank=rank, world_size=2, local_rank=rank, cuda=False)
        assert got["returned"] == [rank, 2, "cpu"], says(
            call=call, returned=f"{got['returned']} ({got['types']})", expected=f"({rank}, 2, torch.device('cpu'))",
            lesson=f"{where}{_sep()}{lesson('distributed.returns_rank_world_size_device')}",
        )  # fmt: skip
        assert got["group"] == (rank, 2, "gloo"), says(
            call=call, lesson=f"{where}{_sep()}{lesson('distributed.group_joined', group=got['group'], expected=(rank, 2, 'gloo'))}"
        )
        assert got["sum"] == 3.0, says(call=call, lesson=f"{where}{_sep()}{lesson('distributed.one_group', sum=got['sum'])}")


# --- teardown_process_group ------------------------------------------------------------------------


@pytest.mark.kata("distributed.teardown_process_group")
def test_teardown_process_group_destroys_the_group_so_that_a_new_one_can_start():
    import torch.distributed as dist

    with support.world_of_one():
        distributed.teardown_process_group()
        still = dist.is_initialized()
    assert not still, says(call="teardown_process_group()", lesson=lesson("distributed.teardown_destroys"))
    with support.world_of_one():  # and a new one joins without trouble
        size = dist.get_world_size()
    assert size == 1, says(call="teardown_process_group()", lesson=lesson("distributed.teardown_lets_a_new_group_start", size=size))


@pytest.mark.kata("distributed.teardown_process_group")
def test_teardown_process_group_without_a_group_does_nothing():
    import torch.distributed as dist

    assert not dist.is_initialized(), says(lesson=lesson("distributed.no_group_before"))  # every earlier test leaves none
    try:
        distributed.teardown_process_group()
        distributed.teardown_process_group()
    except (RuntimeError, ValueError) as exc:
        if isinstance(exc, NotImplementedError):
            raise
        pytest.fail(
            says(call="teardown_process_group() × 2",
                 lesson=lesson("distributed.teardown_without_a_group", raised=type(exc).__name__, message=str(exc))),
            pytrace=False,
        )  # fmt: skip


# --- shard_loader ----------------------------------------------------------------------------------


@pytest.mark.kata("distributed.shard_loader")
@pytest.mark.parametrize("world_size", [2, 3], ids=["2-ranks", "3-ranks"])
def test_shard_loader_shards_are_disjoint_and_cover_the_dataset(world_size):
    dataset = Numbered(12)
    shards = [sorted(i for batch in labels_seen(distributed.shard_loader(dataset, 4, rank, world_size)) for i in batch)
              for rank in range(world_size)]  # fmt: skip
    every = sorted(i for shard in shards for i in shard)
    assert every == list(range(12)), says(
        call=f"shard_loader(Numbered(12), 4, rank, {world_size}), rank = {', '.join(map(str, range(world_size)))}",
        returned=f"shards = {shards}", lesson=lesson("distributed.shards_cover_the_dataset"),
    )  # fmt: skip


@pytest.mark.kata("distributed.shard_loader")
def test_shard_loader_pads_uneven_shards_to_the_same_length():
    dataset = Numbered(10)
    shards = [[i for batch in labels_seen(distributed.shard_loader(dataset, 2, rank, 4)) for i in batch] for rank in range(4)]
    sizes = [len(shard) for shard in shards]
    call = "shard_loader(Numbered(10), 2, rank, 4), rank = 0, 1, 2, 3"
    assert sizes == [3, 3, 3, 3], says(
        call=call, returned=f"shards = {shards}", expected="[len(shard) for shard in shards] == [3, 3, 3, 3]",
        lesson=lesson("distributed.shards_padded"),
    )  # fmt: skip
    missing = sorted(set(range(10)) - {i for shard in shards for i in shard})
    assert not missing, says(
        call=call, returned=f"shards = {shards}", lesson=lesson("distributed.samples_in_no_shard", missing=missing)
    )


@pytest.mark.kata("distributed.shard_loader")
@pytest.mark.parametrize("seed", [0, 5], ids=["default-seed", "seed-5"])
def test_shard_loader_follows_a_shuffled_distributed_sampler(seed):
    dataset = Numbered(10)
    for rank in range(2):
        loader = distributed.shard_loader(dataset, 4, rank, 2) if seed == 0 else distributed.shard_loader(dataset, 4, rank, 2, seed=seed)
        got = labels_seen(loader)
        expected = chunks(sampler_order(dataset, rank, 2, seed, epoch=0), 4)
        assert got == expected, says(
            call=f"shard_loader(Numbered(10), 4, {rank}, 2{'' if seed == 0 else f', seed={seed}'})",
            returned=f"batches = {got}", expected=f"batches = {expected}",
            lesson=lesson("distributed.order_of_a_shuffled_sampler", rank=rank, seed=seed),
        )  # fmt: skip


@pytest.mark.kata("distributed.shard_loader")
def test_shard_loader_reshuffles_after_set_epoch():
    dataset = Numbered(10)
    expected = chunks(sampler_order(dataset, 0, 2, 0, epoch=1), 5)
    loader = distributed.shard_loader(dataset, 5, 0, 2)
    first = labels_seen(loader)
    call = "shard_loader(Numbered(10), 5, 0, 2)"
    set_epoch = getattr(loader.sampler, "set_epoch", None)
    assert set_epoch is not None, says(
        call=call, returned=f"loader.sampler = {type(loader.sampler).__name__}(...)", expected="DistributedSampler(...)",
        lesson=lesson("distributed.sampler_has_set_epoch"),
    )  # fmt: skip
    set_epoch(1)
    second = labels_seen(loader)
    assert second == expected and second != first, says(
        call=f"{call}; loader.sampler.set_epoch(1)", returned=f"batches = {first} → {second}", expected=f"batches = {first} → {expected}",
        lesson=lesson("distributed.new_order_after_set_epoch"),
    )  # fmt: skip


# --- wrap_model ------------------------------------------------------------------------------------


@pytest.fixture
def one_rank():
    """A process group of one rank (gloo) in the test process, joined by the harness."""
    with support.world_of_one():
        yield


@pytest.mark.kata("distributed.wrap_model")
def test_wrap_model_returns_ddp_and_an_sgd_optimizer_over_its_parameters(one_rank):
    model = support.MoveRecorder([])
    returned = distributed.wrap_model(model, "cpu", 0.25)
    call = "wrap_model(model, 'cpu', 0.25)"
    where = lesson("distributed.in_a_group_of_one")
    assert isinstance(returned, tuple) and len(returned) == 2, says(
        call=call, returned=shape_of(returned), expected="(DistributedDataParallel, torch.optim.SGD)",
        lesson=f"{where}{_sep()}{lesson('distributed.wrap_returns_a_pair')}",
    )  # fmt: skip
    wrapped, optimizer = returned
    assert isinstance(wrapped, DistributedDataParallel), says(
        call=call, returned=f"({type(wrapped).__name__}, ...)", expected="(DistributedDataParallel, ...)",
        lesson=f"{where}{_sep()}{lesson('distributed.wrap_in_ddp')}",
    )  # fmt: skip
    assert wrapped.module is model, says(
        call=call, lesson=f"{where}{_sep()}{lesson('distributed.ddp_wraps_the_model', got=type(wrapped.module).__name__)}"
    )
    assert wrapped.device_ids is None, says(
        call=call, lesson=f"{where}{_sep()}{lesson('distributed.no_device_ids_on_cpu', device_ids=wrapped.device_ids)}"
    )
    assert isinstance(optimizer, torch.optim.SGD), says(
        call=call, returned=f"(..., {type(optimizer).__name__})", expected="(..., torch.optim.SGD)",
        lesson=f"{where}{_sep()}{lesson('distributed.an_sgd_optimizer')}",
    )  # fmt: skip
    lrs = [group["lr"] for group in optimizer.param_groups]
    assert lrs == [0.25], says(call=call, lesson=f"{where}{_sep()}{lesson('distributed.sgd_learning_rate', lrs=lrs, expected=[0.25])}")
    held = sorted(id(p) for group in optimizer.param_groups for p in group["params"])
    assert held == sorted(id(p) for p in wrapped.parameters()), says(
        call=call,
        lesson=f"{where}{_sep()}{lesson('distributed.sgd_over_the_wrapped_parameters', held=len(held), parameters=len(list(wrapped.parameters())))}",
    )  # fmt: skip


@pytest.mark.kata("distributed.wrap_model")
def test_wrap_model_moves_then_wraps_then_builds_the_optimizer(one_rank, monkeypatch):
    events: list[str] = []
    support.watch_wrap_order(monkeypatch, events)
    distributed.wrap_model(support.MoveRecorder(events), torch.device("cpu"), 0.1)
    assert events == ["move", "wrap", "optimizer"], says(
        call="wrap_model(model, torch.device('cpu'), 0.1)", returned=f"events = {events}",
        expected="events = ['move', 'wrap', 'optimizer']", lesson=lesson("distributed.move_wrap_optimizer"),
    )  # fmt: skip


# --- train_epoch -----------------------------------------------------------------------------------


def shard_of_points(n: int, rank: int, world_size: int, seed: int, batch_size: int) -> tuple[RecordingPoints, DataLoader]:
    data = RecordingPoints(*points(n))
    sampler = DistributedSampler(data, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    return data, DataLoader(data, batch_size=batch_size, sampler=sampler)


@pytest.mark.kata("distributed.train_epoch")
def test_train_epoch_sets_the_epoch_for_a_new_order_every_epoch():
    data, loader = shard_of_points(12, rank=0, world_size=2, seed=0, batch_size=3)
    expected = [sampler_order(data, 0, 2, 0, epoch) for epoch in range(3)]
    model = tiny_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    orders = []
    for epoch in range(3):
        data.seen.clear()
        distributed.train_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, "cpu", epoch)
        orders.append(list(data.seen))
    assert orders == expected, says(
        call="train_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, 'cpu', epoch), epoch = 0, 1, 2",
        returned=f"samples = {orders}", expected=f"samples = {expected}",
        lesson=f"{lesson('distributed.loader_of_rank_0')}{_sep()}{lesson('distributed.set_epoch_each_epoch')}",
    )  # fmt: skip


@pytest.mark.kata("distributed.train_epoch")
def test_train_epoch_matches_a_reference_epoch_on_one_rank():
    data, loader = shard_of_points(12, rank=1, world_size=2, seed=0, batch_size=4)
    model = tiny_model()
    twin = copy.deepcopy(model)
    model.eval()
    for p in model.parameters():
        p.grad = torch.full_like(p, 5.0)  # stale gradients: the first step must not apply them
    # Everything the test expects, computed before the call: a kata may change what it is given.
    order = sampler_order(data, 1, 2, 0, epoch=2)
    batches = [(data.features[i], data.labels[i]) for i in chunks(order, 4)]
    expected = training_support.reference_sgd(twin, batches, lr=0.3)
    watcher = ForwardWatcher(model)
    data.seen.clear()
    losses = distributed.train_epoch(model, loader, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.3), "cpu", 2)
    call = "train_epoch(model, loader, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.3), 'cpu', 2)"
    where = lesson("distributed.loader_of_rank_1")
    assert isinstance(losses, list) and all(type(v) is float for v in losses), says(
        call=call, returned=shape_of(losses) if not isinstance(losses, list) else repr([type(v).__name__ for v in losses]),
        expected="[float, ...]", lesson=f"{where}{_sep()}{lesson('distributed.step_losses_as_floats')}",
    )  # fmt: skip
    assert all(c["training"] for c in watcher.calls), says(
        call=call, lesson=f"{where}{_sep()}{lesson('distributed.train_in_training_mode')}"
    )
    assert list(data.seen) == order, says(
        call=call, returned=f"samples = {list(data.seen)}", expected=f"samples = {order}",
        lesson=f"{where}{_sep()}{lesson('distributed.epoch_order_from_set_epoch', epoch=2)}",
    )  # fmt: skip
    differs_at = first_difference(losses, expected)
    if differs_at is not None:
        if len(losses) != len(expected):
            why = lesson("distributed.one_loss_per_batch_count", got=len(losses), expected=len(expected))
        elif differs_at == 0:
            why = lesson("distributed.first_loss_differs")
        else:
            why = lesson("distributed.steps_differ_from_step", step=differs_at)
        pytest.fail(
            says(call=call, returned=f"losses = {losses}", expected=f"losses = {expected}", lesson=f"{where}{_sep()}{why}"),
            pytrace=False,
        )  # fmt: skip
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensors_close(
            p, q, call=call, lesson=f"{where}{_sep()}{lesson('distributed.parameters_after_the_epoch', name=name)}"
        )


def first_difference(got: list, want: list) -> int | None:
    """The first step whose loss differs (or is missing on one side), or None when all agree."""
    for step in range(max(len(got), len(want))):
        if step >= len(got) or step >= len(want) or got[step] != pytest.approx(want[step], rel=1e-5):
            return step
    return None


class _ShardOfUnmovedBatches:
    """A loader whose batches insist on going through .to(device) first, with a DistributedSampler as its sampler."""

    def __init__(self, data: RecordingPoints, batch_size: int) -> None:
        self.data, self.batch_size = data, batch_size
        self.sampler = DistributedSampler(data, num_replicas=2, rank=0, shuffle=True, seed=0)

    def __iter__(self):
        for batch in chunks(list(self.sampler), self.batch_size):
            yield unmoved(self.data.features[batch]), unmoved(self.data.labels[batch])


@pytest.mark.kata("distributed.train_epoch")
def test_train_epoch_moves_every_batch_to_the_device():
    loader = _ShardOfUnmovedBatches(RecordingPoints(*points(12)), batch_size=3)
    model = tiny_model()
    losses = distributed.train_epoch(model, loader, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), "cpu", 0)
    assert isinstance(losses, list) and len(losses) == 2, says(
        call="train_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, 'cpu', 0)", returned=shape_of(losses),
        expected="len(losses) == 2", lesson=lesson("distributed.one_loss_per_batch"),
    )  # fmt: skip


def averaged_reference(initial: dict, features, labels, orders: list[list[int]], batch_size: int, lr: float):
    """One process, at every step: each rank's batch's gradient, averaged, then one SGD step. Returns (state, losses)."""
    model = tiny_model()
    model.load_state_dict(initial)
    params = list(model.parameters())
    losses: list[list[float]] = [[] for _ in orders]
    for step in range(math.ceil(len(orders[0]) / batch_size)):
        grads = []
        for rank, order in enumerate(orders):
            batch = order[step * batch_size : (step + 1) * batch_size]
            loss = nn.functional.cross_entropy(model(features[batch]), labels[batch])
            grads.append(torch.autograd.grad(loss, params))
            losses[rank].append(loss.item())
        with torch.no_grad():
            for p, *per_rank in zip(params, *grads):
                p.add_(torch.stack(per_rank).mean(dim=0), alpha=-lr)
    return model.state_dict(), losses


@pytest.fixture(scope="module")
def trained_ranks(request, tmp_path_factory):
    features, labels = points(11, seed=1)  # 11 samples on 2 ranks: DistributedSampler pads to 6 + 6
    support.reach_in_process(distributed.train_epoch, tiny_model(), [], nn.CrossEntropyLoss(), None, "cpu", 0)
    args = {"features": features, "labels": labels, "seed": 3, "batch_size": 2, "lr": 0.5, "epoch": 1,
            "initial": [seeded_state(1), seeded_state(2)]}  # fmt: skip
    run = support.run_ranks(
        "train", tmp_path_factory.mktemp("train"), args, what=lesson("distributed.scenario_train"),
        stubbed=support.later_katas(request.config, "distributed.train_epoch"), explain=rank_failure,
    )  # fmt: skip
    return args, run


@pytest.mark.kata("distributed.train_epoch")
def test_train_epoch_two_ranks_end_with_identical_weights(trained_ranks):
    args, run = trained_ranks
    first, second = run.results()
    differ = [key for key in first["state"] if not torch.equal(first["state"][key], second["state"][key])]
    assert not differ, says(call=run.what, lesson=lesson("distributed.identical_weights", differ=differ))


@pytest.mark.kata("distributed.train_epoch")
def test_train_epoch_two_ranks_equal_one_process_with_averaged_gradients(trained_ranks):
    args, run = trained_ranks
    results = run.results()
    orders = [sampler_order(RecordingPoints(args["features"], args["labels"]), rank, 2, args["seed"], args["epoch"]) for rank in range(2)]
    for rank in range(2):
        assert results[rank]["seen"] == orders[rank], says(
            call=run.what, lesson=lesson("distributed.rank_trained_on", rank=rank, seen=results[rank]["seen"], expected=orders[rank])
        )
    state, losses = averaged_reference(args["initial"][0], args["features"], args["labels"], orders, args["batch_size"], args["lr"])
    for key, value in state.items():
        assert_tensors_close(
            results[0]["state"][key], value, call=run.what, lesson=lesson("distributed.averaged_gradients", key=key)
        )
    for rank in range(2):
        assert results[rank]["losses"] == pytest.approx(losses[rank], rel=1e-5), says(
            call=run.what, lesson=lesson("distributed.rank_step_losses", rank=rank, losses=results[rank]["losses"], expected=losses[rank])
        )


# --- global_accuracy -------------------------------------------------------------------------------


@pytest.mark.kata("distributed.global_accuracy")
def test_global_accuracy_on_one_rank_is_the_accuracy_over_the_class_dimension(one_rank):
    # 5 samples, 3 classes: argmax over dim 0 would give 3 numbers, not 5.
    logits = torch.tensor([[5.0, 1.0, 0.0], [4.0, 0.0, 9.0], [3.0, 8.0, 0.0], [0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])
    labels = torch.tensor([0, 2, 1, 0, 1])
    batches = [(logits[:3], labels[:3]), (logits[3:], labels[3:])]  # sizes 3 and 2
    accuracy = distributed.global_accuracy(nn.Identity(), batches, "cpu")
    assert type(accuracy) is float and accuracy == pytest.approx(3 / 5), says(
        call="global_accuracy(nn.Identity(), [(logits (3, 3), labels (3,)), (logits (2, 3), labels (2,))], 'cpu')",
        returned=f"{accuracy!r} ({type(accuracy).__name__})", expected="0.6 (float)",
        lesson=f"{lesson('distributed.in_a_group_of_one')}{_sep()}{lesson('distributed.accuracy_over_samples')}",
    )  # fmt: skip


@pytest.mark.kata("distributed.global_accuracy")
def test_global_accuracy_evaluates_in_eval_mode_without_gradients(one_rank):
    features, labels = points(8)
    model = nn.Sequential(nn.Linear(4, 3), nn.Dropout(0.5))
    watcher = ForwardWatcher(model)
    batches = [(features[:4], labels[:4]), (features[4:], labels[4:])]
    first = distributed.global_accuracy(model, batches, "cpu")
    second = distributed.global_accuracy(model, batches, "cpu")
    call = "global_accuracy(nn.Sequential(nn.Linear(4, 3), nn.Dropout(0.5)), batches, 'cpu') × 2"
    in_training = sum(c["training"] for c in watcher.calls)
    assert watcher.calls and not in_training, says(
        call=call, lesson=lesson("distributed.evaluate_in_eval_mode", count=in_training, total=len(watcher.calls))
    )
    with_graph = sum(c["grad_enabled"] for c in watcher.calls)
    assert not with_graph, says(call=call, lesson=lesson("distributed.evaluate_without_graph", count=with_graph))
    assert first == second, says(call=call, returned=f"{first!r}, {second!r}", lesson=lesson("distributed.evaluation_repeatable"))


@pytest.fixture(scope="module")
def accuracy_ranks(request, tmp_path_factory):
    with support.world_of_one():
        support.reach_in_process(distributed.global_accuracy, nn.Identity(), [(torch.eye(2), torch.tensor([0, 1]))], "cpu")
    # Rank 0 holds 7 samples (3 right), rank 1 holds 5 (4 right): 7 of 12 overall.
    right = {0: [True, False, False, True, False, True, False], 1: [True, True, False, True, True]}
    args = {"logits": {}, "labels": {}}
    for rank, marks in right.items():
        labels = torch.tensor([i % 3 for i in range(len(marks))])
        predicted = torch.tensor([label if ok else (label + 1) % 3 for label, ok in zip(labels.tolist(), marks)])
        args["logits"][rank] = nn.functional.one_hot(predicted, 3).float()
        args["labels"][rank] = labels
    return support.run_ranks(
        "accuracy", tmp_path_factory.mktemp("accuracy"), args, what=lesson("distributed.scenario_accuracy"),
        stubbed=support.later_katas(request.config, "distributed.global_accuracy"), explain=rank_failure,
    )  # fmt: skip


@pytest.mark.kata("distributed.global_accuracy")
def test_global_accuracy_two_ranks_count_the_whole_test_set(accuracy_ranks):
    got = [accuracy_ranks.result(rank) for rank in range(2)]
    values = [g["accuracy"] for g in got]
    assert values == [pytest.approx(7 / 12)] * 2 and all(g["type"] == "float" for g in got), says(
        call=accuracy_ranks.what, returned=f"{values} ({[g['type'] for g in got]})",
        expected=f"[{7 / 12:.4f}, {7 / 12:.4f}] (float)",
        lesson=lesson("distributed.count_over_all_ranks", rank_0_alone=f"{3 / 7:.4f}", mean=f"{(3 / 7 + 4 / 5) / 2:.4f}"),
    )  # fmt: skip


# --- save_checkpoint -------------------------------------------------------------------------------


@pytest.mark.kata("distributed.save_checkpoint")
def test_save_checkpoint_file_loads_into_a_plain_model(one_rank, tmp_path):
    model = tiny_model()
    wrapped = DistributedDataParallel(model)
    path = tmp_path / "weights.pt"
    expected_state = {key: value.clone() for key, value in model.state_dict().items()}
    distributed.save_checkpoint(wrapped, path)
    call = "save_checkpoint(DistributedDataParallel(model), path)"
    where = lesson("distributed.in_a_group_of_one")
    assert path.is_file(), says(call=call, lesson=f"{where}{_sep()}{lesson('distributed.file_written')}")
    state = torch.load(path, weights_only=True)
    keys = sorted(state) if isinstance(state, dict) else type(state).__name__
    assert keys == sorted(expected_state), says(
        call=call, returned=f"sorted(torch.load(path)) = {keys}", expected=f"{sorted(expected_state)}",
        lesson=f"{where}{_sep()}{lesson('distributed.save_the_plain_state_dict')}",
    )  # fmt: skip
    plain = tiny_model()
    plain.load_state_dict(state)
    for key, value in expected_state.items():
        assert_tensors_equal(plain.state_dict()[key], value, call=f"{call}; torch.load(path)[{key!r}]",
                             lesson=f"{where}{_sep()}{lesson('distributed.file_holds_the_weights')}")  # fmt: skip


@pytest.fixture(scope="module")
def checkpoint_ranks(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("checkpoint")
    with support.world_of_one():
        support.reach_in_process(distributed.save_checkpoint, DistributedDataParallel(tiny_model()), folder / "probe.pt")
    return support.run_ranks(
        "checkpoint", folder / "ranks", {"initial": seeded_state(4)}, what=lesson("distributed.scenario_checkpoint"),
        stubbed=support.later_katas(request.config, "distributed.save_checkpoint"), explain=rank_failure,
    )  # fmt: skip


@pytest.mark.kata("distributed.save_checkpoint")
def test_save_checkpoint_only_rank_0_writes(checkpoint_ranks):
    saves = [len(checkpoint_ranks.result(rank)["saves"]) for rank in range(2)]
    assert saves == [1, 0], says(
        call=checkpoint_ranks.what, lesson=lesson("distributed.only_rank_0_saves", rank_0=saves[0], rank_1=saves[1])
    )


@pytest.mark.kata("distributed.save_checkpoint")
def test_save_checkpoint_file_is_complete_when_any_rank_returns(checkpoint_ranks):
    complete = [checkpoint_ranks.result(rank)["complete_on_return"] for rank in range(2)]
    assert complete == [True, True], says(
        call=checkpoint_ranks.what, lesson=lesson("distributed.barrier_after_saving", rank_0=complete[0], rank_1=complete[1])
    )


@pytest.mark.kata("distributed.save_checkpoint")
def test_save_checkpoint_every_rank_reads_back_its_weights(checkpoint_ranks):
    for rank in range(2):
        got = checkpoint_ranks.result(rank)
        assert got["load_problem"] is None, says(
            call=checkpoint_ranks.what, lesson=lesson("distributed.rank_cannot_load", rank=rank, problem=got["load_problem"])
        )
        for key, value in got["state"].items():
            assert_tensors_equal(got["loaded"][key], value, call=checkpoint_ranks.what,
                                 lesson=lesson("distributed.rank_reads_back_its_weights", rank=rank, key=key))  # fmt: skip


# --- run_distributed -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pipeline_ranks(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pipeline")
    root = support.write_pipeline_standin(folder / "data")
    with pytest.MonkeyPatch.context() as patch, support.world_of_one():
        training_support.refuse_downloads(patch)
        missing = support.reach_in_process(distributed.run_distributed, folder / "nothing", 1)
    args = {"data_root": str(root), "epochs": 2, "batch_size": 5, "lr": 0.05, "log_dir": str(folder / "logs"),
            "checkpoint": str(folder / "weights.pt")}  # fmt: skip
    run = support.run_ranks(
        "pipeline", folder / "ranks", args, what=lesson("distributed.scenario_pipeline"),
        stubbed=support.later_katas(request.config, "distributed.run_distributed"), explain=rank_failure,
    )  # fmt: skip
    return {"missing": missing, "run": run, "root": root, **args}


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_missing_data_raises_without_downloading(pipeline_ranks):
    missing = pipeline_ranks["missing"]
    assert isinstance(missing, RuntimeError), says(
        call="run_distributed(empty_folder, 1)",
        returned=f"{type(missing).__name__}: {missing}" if isinstance(missing, BaseException) else shape_of(missing),
        expected="RuntimeError('Dataset not found or corrupted. ...')",
        lesson=f"{lesson('distributed.in_a_group_of_one')}{_sep()}{lesson('distributed.missing_data_raises')}",
    )  # fmt: skip


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_returns_the_same_float_accuracies_on_every_rank(pipeline_ranks):
    run = pipeline_ranks["run"]
    got = [run.result(rank)["accuracies"] for rank in range(2)]
    assert all(isinstance(a, list) and len(a) == 2 and all(type(v) is float for v in a) for a in got), says(
        call=run.what, returned=f"{got}", expected="[float, float]",
        lesson=lesson("distributed.one_float_per_epoch"),
    )  # fmt: skip
    assert got[0] == got[1], says(call=run.what, returned=f"{got}", lesson=lesson("distributed.same_accuracy_everywhere"))


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_accuracy_is_the_whole_test_sets(pipeline_ranks):
    from kata_impl.modules import CifarNet

    run = pipeline_ranks["run"]
    accuracy = run.result(0)["accuracies"][-1]
    model = CifarNet()
    model.load_state_dict(torch.load(pipeline_ranks["checkpoint"], weights_only=True))
    low, high = support.accuracy_bounds(model, *support.standin_test_split(pipeline_ranks["root"]))
    assert low - 1e-9 <= accuracy <= high + 1e-9, says(
        call=run.what, returned=f"accuracies[-1] == {accuracy:.4f}",
        expected=f"{low:.4f}" + (f" … {high:.4f}" if high > low else ""),
        lesson=lesson("distributed.every_test_image_counted_once"),
    )  # fmt: skip


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_trains_on_shards_and_evaluates_every_test_image_once(pipeline_ranks):
    run = pipeline_ranks["run"]
    forwards = [run.result(rank)["forwards"] for rank in range(2)]
    trained = [sum(n for training, n in f if training) for f in forwards]
    evaluated = [sum(n for training, n in f if not training) for f in forwards]
    assert trained == [20, 20], says(call=run.what, lesson=lesson("distributed.trains_on_its_half", trained=trained))
    assert sum(evaluated) == 30, says(
        call=run.what, lesson=lesson("distributed.evaluates_each_test_image_once", evaluated=evaluated, total=sum(evaluated))
    )


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_trains_with_sgd_in_batches_and_numbers_the_epochs_from_0(pipeline_ranks):
    run = pipeline_ranks["run"]
    for rank in range(2):
        got = run.result(rank)
        assert got["optimizers"] == [("SGD", [0.05])], says(
            call=run.what, lesson=lesson("distributed.one_sgd_per_rank", rank=rank, optimizers=got["optimizers"])
        )
        batches = [n for training, n in got["forwards"] if training]
        assert batches == [5, 5, 5, 5], says(
            call=run.what, lesson=lesson("distributed.training_batches", rank=rank, batches=batches)
        )
        assert got["epochs"] == [0, 1], says(call=run.what, lesson=lesson("distributed.epochs_from_0", rank=rank, epochs=got["epochs"]))


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_saves_the_checkpoint_after_each_epoch_on_rank_0(pipeline_ranks):
    run = pipeline_ranks["run"]
    saves = [run.result(rank)["saves"] for rank in range(2)]
    expected = [[pipeline_ranks["checkpoint"]] * 2, []]
    assert saves == expected, says(call=run.what, lesson=lesson("distributed.checkpoint_each_epoch_on_rank_0", saves=saves))


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_logs_from_rank_0_only(pipeline_ranks):
    run = pipeline_ranks["run"]
    writers = [run.result(rank)["writers"] for rank in range(2)]
    assert len(writers[0]) == 1 and not writers[1], says(
        call=run.what, lesson=lesson("distributed.one_writer_on_rank_0", rank_0=len(writers[0]), rank_1=len(writers[1]))
    )
    writer = writers[0][0]
    assert writer["log_dir"] == pipeline_ranks["log_dir"], says(
        call=run.what, lesson=lesson("distributed.writer_in_log_dir", got=writer["log_dir"])
    )
    assert writer["closed"], says(call=run.what, lesson=lesson("distributed.writer_closed"))
    logged = training_support.read_scalars(pipeline_ranks["log_dir"]).get("test/accuracy", [])
    returned = run.result(0)["accuracies"]
    assert [s for s, _ in logged] == [1, 2] and [v for _, v in logged] == pytest.approx(returned, abs=1e-6), says(
        call=run.what, lesson=lesson("distributed.accuracy_logged_per_epoch", logged=logged, returned=returned)
    )


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_calls_on_epoch_after_each_epoch_before_the_next(tmp_path, monkeypatch):
    from kata_harness.testing.cifar_standin import lift_md5_check

    root = support.write_pipeline_standin(tmp_path / "data")
    lift_md5_check(monkeypatch)
    training_support.refuse_downloads(monkeypatch)
    events = []
    with support.world_of_one(), training_support.on_phase(events.append):
        accuracies = distributed.run_distributed(
            root, 2, "cpu", 5, 0.05, on_epoch=lambda epoch, accuracy: events.append((epoch, accuracy))
        )  # fmt: skip
    call = "run_distributed(root, 2, 'cpu', 5, 0.05, on_epoch=recorder)"
    assert isinstance(accuracies, list) and len(accuracies) == 2, says(
        call=call, returned=shape_of(accuracies), expected="[float, float]",
        lesson=f"{lesson('distributed.in_a_group_of_one')}{_sep()}{lesson('distributed.one_float_per_epoch')}",
    )  # fmt: skip
    expected = ["train", "eval", (1, accuracies[0]), "train", "eval", (2, accuracies[1])]
    assert events == expected, says(
        call=call, returned=f"{accuracies!r}; events = {events}", expected=f"events = {expected}",
        lesson=f"{lesson('distributed.in_a_group_of_one')}{_sep()}{lesson('distributed.on_epoch_after_each_evaluation')}",
    )  # fmt: skip


# --- main ------------------------------------------------------------------------------------------

TORCHRUN_VALUES = {"RANK": "0", "WORLD_SIZE": "2", "LOCAL_RANK": "0", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29500"}


def fake_launch(monkeypatch, *, rank: int = 0, local_rank: int | None = None, world_size: int = 2,
                accuracies=(0.25, 0.5), error: Exception | None = None, at_epoch_start=None) -> list:  # fmt: skip
    """torchrun's variables for ``rank`` (LOCAL_RANK ``local_rank``, by default ``rank``), and setup/run/teardown
    replaced by recorders (the names main looks up). The fake run_distributed goes through ``accuracies`` as
    epochs: it calls ``at_epoch_start(epoch)`` as each epoch would start training, then, when main passed an
    on_epoch, ``on_epoch(epoch, accuracy)`` as the real one does after each epoch's evaluation."""
    import inspect

    local_rank = rank if local_rank is None else local_rank
    values = {**TORCHRUN_VALUES, "RANK": str(rank), "LOCAL_RANK": str(local_rank), "WORLD_SIZE": str(world_size)}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    signature = inspect.signature(distributed.run_distributed)
    calls: list = []

    def setup_process_group():
        calls.append(("setup",))
        return rank, world_size, torch.device("cpu")

    def run_distributed(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        calls.append(("run", dict(bound.arguments)))
        if error is not None:
            raise error
        on_epoch = bound.arguments.get("on_epoch")
        for epoch, accuracy in enumerate(accuracies, start=1):
            if at_epoch_start is not None:
                at_epoch_start(epoch)
            if on_epoch is not None:
                on_epoch(epoch, accuracy)
        return list(accuracies)

    def teardown_process_group():
        calls.append(("teardown",))

    def init_process_group(*args, **kwargs):  # reached only past the fakes: fail now rather than wait for rank 1
        raise AssertionError(says(call="torch.distributed.init_process_group(...)", lesson=lesson("distributed.main_joins_through_setup")))

    import torch.distributed as dist

    for owner in (dist, dist.distributed_c10d):
        monkeypatch.setattr(owner, "init_process_group", init_process_group)
    # The names main looks up, in its module (through any decorator: torchrun's @record wraps main in its own module).
    scope = training_support.globals_of(distributed.main)
    for name, fake in [("setup_process_group", setup_process_group), ("run_distributed", run_distributed),
                       ("teardown_process_group", teardown_process_group)]:  # fmt: skip
        monkeypatch.setitem(scope, name, fake)
    return calls



def steps_of(calls: list) -> list[str]:
    return [call[0] for call in calls]


@pytest.mark.kata("distributed.main")
def test_main_help_lists_the_options(capsys):
    # argparse exits with SystemExit(0); torchrun's @record turns that into a return of None. Either way
    # `sys.exit(main())` ends with status 0, which is what the command line shows.
    try:
        returned = distributed.main(["--help"])
        status = 0 if returned is None else returned
    except SystemExit as exc:
        status = 0 if exc.code is None else exc.code
    out = capsys.readouterr().out
    call = "main(['--help'])"
    assert status == 0, says(call=call, returned=f"SystemExit({status!r})", expected="SystemExit(0)", lesson=lesson("distributed.help_exits_0"))
    missing = [option for option in ("--data", "--epochs", "--batch-size", "--lr", "--log-dir", "--checkpoint") if option not in out]
    assert not missing, says(call=call, lesson=lesson("distributed.help_lists_every_option", missing=missing, out=out))


@pytest.mark.kata("distributed.main")
@pytest.mark.parametrize("missing", [*support.TORCHRUN_VARIABLES, "all"])
def test_main_without_torchrun_is_a_usage_error_naming_the_variables(monkeypatch, capsys, missing):
    calls = fake_launch(monkeypatch)
    names = support.TORCHRUN_VARIABLES if missing == "all" else (missing,)
    for name in names:
        monkeypatch.delenv(name)
    call = "main(['--data', 'd'])"
    where = lesson("distributed.without_variables", names=", ".join(names))
    with raises(SystemExit, call=call, lesson=f"{where}{_sep()}{lesson('distributed.usage_error_without_torchrun')}") as exit_info:
        distributed.main(["--data", "d"])
    err = capsys.readouterr().err
    named = all(name in err for name in names) and "torchrun" in err
    assert not calls, says(call=call, lesson=f"{where}{_sep()}{lesson('distributed.nothing_started_on_a_usage_error', steps=steps_of(calls))}")
    assert exit_info.value.code == 2 and "Traceback" not in err, says(
        call=call, returned=f"SystemExit({exit_info.value.code!r}); stderr = {err[-400:]!r}", expected="SystemExit(2)",
        lesson=f"{where}{_sep()}{lesson('distributed.usage_error_without_torchrun')}",
    )  # fmt: skip
    assert named, says(
        call=call, returned=f"stderr = {err[-400:]!r}",
        lesson=f"{where}{_sep()}{lesson('distributed.usage_error_names_the_variables', names=', '.join(names))}",
    )  # fmt: skip


@pytest.mark.kata("distributed.main")
@pytest.mark.parametrize(
    "argv",
    [[], ["--data", "d", "--epochs", "0"], ["--data", "d", "--batch-size", "0"], ["--data", "d", "--lr", "0"], ["--data", "d", "--lr", "-1"]],
    ids=["no-data", "zero-epochs", "zero-batch-size", "zero-lr", "negative-lr"],
)
def test_main_bad_arguments_are_usage_errors(monkeypatch, capsys, argv):
    calls = fake_launch(monkeypatch)
    call = f"main({argv})"
    where = lesson("distributed.under_torchrun")
    with raises(SystemExit, call=call, lesson=f"{where}{_sep()}{lesson('distributed.bad_arguments_are_usage_errors')}") as exit_info:
        distributed.main(argv)
    err = capsys.readouterr().err
    assert not calls, says(call=call, lesson=f"{where}{_sep()}{lesson('distributed.nothing_started_on_a_usage_error', steps=steps_of(calls))}")
    assert exit_info.value.code == 2 and err and "Traceback" not in err, says(
        call=call, returned=f"SystemExit({exit_info.value.code!r}); stderr = {err[-300:]!r}", expected="SystemExit(2)",
        lesson=f"{where}{_sep()}{lesson('distributed.bad_arguments_are_usage_errors')}",
    )  # fmt: skip


@pytest.mark.kata("distributed.main")
def test_main_sets_up_runs_with_the_options_and_tears_down(monkeypatch, capsys):
    calls = fake_launch(monkeypatch)
    argv = ["--data", "dir", "--epochs", "3", "--batch-size", "7", "--lr", "0.5", "--log-dir", "tb", "--checkpoint", "w.pt"]
    where = lesson("distributed.under_torchrun")
    codes = [distributed.main(argv), distributed.main(["--data", "dir"])]
    assert codes == [0, 0], says(
        call=f"main({argv}); main(['--data', 'dir'])", returned=repr(codes), expected="[0, 0]",
        lesson=f"{where}{_sep()}{lesson('distributed.main_returns_0')}",
    )  # fmt: skip
    runs = [
        {key: (str(value) if value is not None and key in ("data_root", "log_dir", "checkpoint") else value) for key, value in call[1].items()
         if key != "on_epoch"}  # how main reports each epoch: test_main_writes_and_flushes_each_epochs_line_before_the_next_epoch
        for call in calls if call[0] == "run"
    ]  # fmt: skip
    expected = [
        {"data_root": "dir", "epochs": 3, "device": torch.device("cpu"), "batch_size": 7, "lr": 0.5, "log_dir": "tb", "checkpoint": "w.pt"},
        {"data_root": "dir", "epochs": 10, "device": torch.device("cpu"), "batch_size": 64, "lr": 0.01, "log_dir": None, "checkpoint": None},
    ]
    steps = steps_of(calls)
    assert steps == ["setup", "run", "teardown"] * 2, says(
        call=f"main({argv}); main(['--data', 'dir'])", returned=f"steps = {steps}",
        expected=f"steps = {['setup', 'run', 'teardown'] * 2}", lesson=f"{where}{_sep()}{lesson('distributed.setup_run_teardown')}",
    )  # fmt: skip
    for args, got, want in zip([argv, ["--data", "dir"]], runs, expected):
        got = {**got, "device": torch.device(got["device"])}
        assert got == want, says(
            call=f"main({args})", lesson=f"{where}{_sep()}{lesson('distributed.run_gets_the_options', got=got, expected=want)}"
        )


# (RANK, LOCAL_RANK, WORLD_SIZE): two processes on one machine, and the first process of a second machine, whose
# LOCAL_RANK is 0 again - it must stay quiet, or a run on N machines prints everything N times.
LAUNCHED_AS = [(0, 0, 2), (1, 1, 2), (2, 0, 4)]
LAUNCHED_IDS = ["rank-0", "rank-1", "rank-2-first-on-the-second-machine"]


@pytest.mark.kata("distributed.main")
@pytest.mark.parametrize("rank, local_rank, world_size", LAUNCHED_AS, ids=LAUNCHED_IDS)
def test_main_prints_from_rank_0_only(monkeypatch, capsys, rank, local_rank, world_size):
    fake_launch(monkeypatch, rank=rank, local_rank=local_rank, world_size=world_size, accuracies=(0.25, 0.5, 0.875))
    code = distributed.main(["--data", "d", "--epochs", "3"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    parsed = [re.match(r"epoch (\d+): test accuracy ([0-9.]+)", line) for line in lines]
    got = [(int(m[1]), float(m[2])) if m else line for m, line in zip(parsed, lines)]
    expected = [(1, 0.25), (2, 0.5), (3, pytest.approx(0.875, abs=5e-3))] if rank == 0 else []
    where = lesson("distributed.launched_as", rank=rank, world_size=world_size, local_rank=local_rank)
    if rank == 0:
        teach = lesson("distributed.rank_0_prints_each_epoch")
        shown = ["epoch 1: test accuracy 0.25", "epoch 2: test accuracy 0.5", "epoch 3: test accuracy 0.875"]
    else:
        teach = lesson("distributed.other_ranks_stay_quiet")
        shown = []
    assert code == 0 and got == expected, says(
        call="main(['--data', 'd', '--epochs', '3'])", returned=f"{code!r}; stdout = {lines}", expected=f"0; stdout = {shown}",
        lesson=f"{where}{_sep()}{teach}",
    )  # fmt: skip


@pytest.mark.kata("distributed.main")
def test_main_writes_and_flushes_each_epochs_line_before_the_next_epoch(monkeypatch):
    stdout = training_support.PipedStdout()  # under torchrun stdout is a pipe: not a terminal, block-buffered
    monkeypatch.setattr(sys, "stdout", stdout)
    received = []  # the epoch lines stdout had received (written and flushed) when each epoch began to train

    def count_lines(text):
        return len(re.findall(r"^epoch \d+: test accuracy", text, re.MULTILINE))

    fake_launch(monkeypatch, rank=0, accuracies=(0.25, 0.5, 0.875),
                at_epoch_start=lambda epoch: received.append(count_lines(stdout.delivered)))  # fmt: skip
    code = distributed.main(["--data", "d", "--epochs", "3"])
    received.append(count_lines(stdout.delivered))
    unflushed = count_lines(stdout.pending)
    assert code == 0 and received == [0, 1, 2, 3], says(
        call="main(['--data', 'd', '--epochs', '3'])", returned=repr(code),
        lesson=lesson("distributed.flush_each_epochs_line", received=received, unflushed=unflushed),
    )  # fmt: skip


@pytest.mark.kata("distributed.main")
@pytest.mark.parametrize("rank, local_rank, world_size", LAUNCHED_AS, ids=LAUNCHED_IDS)
def test_main_missing_data_exits_1_reported_once_by_rank_0_and_still_tears_down(monkeypatch, capsys, rank, local_rank, world_size):
    torchvision_says = "Dataset not found or corrupted. You can use download=True to download it"
    calls = fake_launch(monkeypatch, rank=rank, local_rank=local_rank, world_size=world_size, error=RuntimeError(torchvision_says))
    folder = "no-cifar-here"
    code = distributed.main(["--data", folder])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    call = f"main(['--data', '{folder}'])"
    where = lesson("distributed.launched_as", rank=rank, world_size=world_size, local_rank=local_rank)
    raising = lesson("distributed.run_raising", error=repr(torchvision_says))
    steps = steps_of(calls)
    assert steps == ["setup", "run", "teardown"], says(
        call=call, returned=f"steps = {steps}", expected="steps = ['setup', 'run', 'teardown']",
        lesson=f"{where}{_sep()}{raising}{_sep()}{lesson('distributed.teardown_after_an_error')}",
    )  # fmt: skip
    if rank == 0:
        one_line = len(lines) == 1 and folder in lines[0] and "--data" in lines[0] and "download=True" not in lines[0]
        assert code == 1 and one_line, says(
            call=call, returned=f"{code!r}; stderr = {lines}",
            lesson=f"{where}{_sep()}{raising}{_sep()}{lesson('distributed.missing_data_one_line', folder=folder)}",
        )  # fmt: skip
    else:
        assert code == 1 and not lines, says(
            call=call, returned=f"{code!r}; stderr = {lines}", expected="1; stderr = []",
            lesson=f"{where}{_sep()}{raising}{_sep()}{lesson('distributed.missing_data_only_rank_0_reports')}",
        )  # fmt: skip


def launched(launch) -> str:
    """The command line as run, for says(call=...)."""
    return launch.shown()


def ended(launch) -> str:
    if launch.timed_out:
        return lesson("distributed.torchrun_stopped", seconds=support.TORCHRUN_TIMEOUT_S)
    return lesson("distributed.torchrun_exited", code=launch.returncode)


def printed_accuracies(launch) -> list:
    lines = [line for line in launch.stdout.splitlines() if line.startswith("epoch ")]
    parsed = [re.match(r"epoch (\d+): test accuracy ([0-9.]+)", line) for line in lines]
    return [(int(m[1]), float(m[2])) if m else line for m, line in zip(parsed, lines)]


@pytest.mark.kata("distributed.main")
def test_main_under_torchrun_end_to_end(monkeypatch, tmp_path):
    # One test, one launch (about 11 s of CPU: torchrun and two fresh interpreters importing torch), wherever
    # pytest-xdist sends it.
    overlay = os.environ.get(impl.ENV_OVERLAY)
    if overlay and Path(overlay).parent.name != "distributed":
        # check-alternatives runs this file for every alternative of modules (run_distributed trains its CifarNet):
        # the two-rank pipeline test already trains that CifarNet under DDP; torchrun adds only this module's own
        # command line.
        pytest.skip(
            f"torchrun tests this module's command line; {Path(overlay).parent.name}'s overlay is covered by the "
            "two-rank pipeline test"
        )
    root = support.write_pipeline_standin(tmp_path / "data")
    logs, checkpoint = tmp_path / "logs", tmp_path / "weights.pt"
    argv = ["--data", str(root), "--epochs", "2", "--batch-size", "5", "--lr", "0.05", "--log-dir", str(logs), "--checkpoint", str(checkpoint)]
    support.without_torchrun_environment(monkeypatch)
    with raises(SystemExit, call=f"main({argv})", lesson=lesson("distributed.usage_error_without_torchrun")):
        distributed.main(argv)  # reached in the test process first: without torchrun, main must refuse
    launch = support.launch_torchrun(2, argv, tmp_path / "launch")
    call = launched(launch)
    standin = lesson("distributed.on_the_pipeline_standin")

    assert launch.returncode == 0, says(
        call=call, lesson=f"{standin}{_sep()}{ended(launch)}{_sep()}{lesson('distributed.torchrun_exit_0')}\n{launch.stderr[-2500:]}"
    )
    got = printed_accuracies(launch)
    assert [g[0] if isinstance(g, tuple) else g for g in got] == [1, 2], says(
        call=call, returned=f"epoch_lines = {got}", expected="'epoch 1: ...', 'epoch 2: ...'",
        lesson=f"{standin}{_sep()}{lesson('distributed.each_epoch_printed_once')}\n{launch.stdout[-1500:]}",
    )  # fmt: skip
    from kata_impl.modules import CifarNet

    model = CifarNet()
    model.load_state_dict(torch.load(checkpoint, weights_only=True))
    low, high = support.accuracy_bounds(model, *support.standin_test_split(root))
    printed = got[-1][1]
    assert low - 5e-5 <= printed <= high + 5e-5, says(
        call=call, returned=f"printed = {printed}", expected=f"{low:.4f}" + (f" … {high:.4f}" if high > low else ""),
        lesson=f"{standin}{_sep()}{lesson('distributed.printed_accuracy_is_the_checkpoints')}",
    )  # fmt: skip
    logged = training_support.read_scalars(logs).get("test/accuracy", [])
    assert [(s, round(v, 4)) for s, v in logged] == [(e, pytest.approx(a, abs=5e-5)) for e, a in got], says(
        call=call, lesson=f"{standin}{_sep()}{lesson('distributed.logged_what_it_printed', logged=logged, printed=got)}"
    )
    events = sorted(p.name for p in logs.glob("events.out.tfevents.*"))
    cwd = tmp_path / "launch" / "cwd"
    stray = sorted(str(p.relative_to(cwd)) for p in cwd.rglob("*"))
    assert len(events) == 1 and not stray, says(
        call=call, lesson=f"{standin}{_sep()}{lesson('distributed.one_event_file_nothing_else', events=events, stray=stray)}"
    )


# --- CUDA (GPU runners) ----------------------------------------------------------------------------


@pytest.mark.cuda
@pytest.mark.kata("distributed.save_checkpoint")
def test_one_rank_on_cuda_trains_evaluates_and_saves_over_nccl(monkeypatch, tmp_path):
    import torch.distributed as dist

    data, _ = shard_of_points(12, rank=0, world_size=1, seed=0, batch_size=4)
    with support.torchrun_environment(monkeypatch):
        rank, world_size, device = distributed.setup_process_group()
        joined = (rank, world_size, device, dist.get_backend())
        assert joined == (0, 1, torch.device("cuda", 0), "nccl"), says(
            call="setup_process_group()", returned=repr(joined), expected="(0, 1, device(type='cuda', index=0), 'nccl')",
            lesson=lesson("distributed.cuda_nccl_group"),
        )  # fmt: skip
        wrapped, optimizer = distributed.wrap_model(tiny_model(), device, 0.1)
        placed = (wrapped.device_ids, next(wrapped.parameters()).device)
        assert placed == ([0], device), says(
            call=f"wrap_model(model, {device!r}, 0.1)", returned=f"wrapped.device_ids = {placed[0]}, next(wrapped.parameters()).device = {placed[1]}",
            expected=f"wrapped.device_ids = [0], next(wrapped.parameters()).device = {device}", lesson=lesson("distributed.cuda_ddp_on_its_gpu"),
        )  # fmt: skip
        loader = DataLoader(data, batch_size=4, sampler=DistributedSampler(data, num_replicas=1, rank=0, seed=0))
        losses = distributed.train_epoch(wrapped, loader, nn.CrossEntropyLoss(), optimizer, device, 0)
        assert isinstance(losses, list) and len(losses) == 3 and all(type(v) is float for v in losses), says(
            call=f"train_epoch(ddp_model, loader, nn.CrossEntropyLoss(), optimizer, {device!r}, 0)", returned=shape_of(losses),
            expected="[float, float, float]", lesson=lesson("distributed.step_losses_as_floats"),
        )  # fmt: skip
        logits, labels = torch.eye(3, device=device), torch.tensor([0, 1, 0], device=device)
        accuracy = distributed.global_accuracy(nn.Identity(), [(logits, labels)], device)
        assert accuracy == pytest.approx(2 / 3), says(
            call=f"global_accuracy(nn.Identity(), [(torch.eye(3), tensor([0, 1, 0]))], {device!r})", returned=repr(accuracy),
            expected=f"{2 / 3:.4f}", lesson=lesson("distributed.accuracy_over_samples"),
        )  # fmt: skip
        distributed.save_checkpoint(wrapped, tmp_path / "weights.pt")
        plain = tiny_model()
        plain.load_state_dict(torch.load(tmp_path / "weights.pt", map_location="cpu", weights_only=True))
        distributed.teardown_process_group()
        assert not dist.is_initialized(), says(call="teardown_process_group()", lesson=lesson("distributed.teardown_destroys"))


@pytest.mark.cuda
@pytest.mark.kata("distributed.main")
def test_main_under_torchrun_on_cuda(tmp_path):
    nproc = min(2, torch.cuda.device_count())
    root = support.write_pipeline_standin(tmp_path / "data")
    argv = ["--data", str(root), "--epochs", "2", "--batch-size", "5", "--checkpoint", str(tmp_path / "weights.pt")]
    launch = support.launch_torchrun(nproc, argv, tmp_path / "launch", cuda=True)
    lines = [line for line in launch.stdout.splitlines() if line.startswith("epoch ")]
    assert launch.returncode == 0 and len(lines) == 2, says(
        call=launched(launch), returned=f"epoch_lines = {lines}",
        lesson=f"{lesson('distributed.on_gpus', nproc=nproc)}{_sep()}{ended(launch)}{_sep()}"
        f"{lesson('distributed.cuda_run_prints_both_epochs')}\n{launch.stderr[-2000:]}",
    )  # fmt: skip
    from kata_impl.modules import CifarNet

    CifarNet().load_state_dict(torch.load(tmp_path / "weights.pt", map_location="cpu", weights_only=True))
