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
from kata_harness.testing import assert_tensors_close, raises, shape_of
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
    call = "Called setup_process_group() with torchrun's variables RANK=0, WORLD_SIZE=1, LOCAL_RANK=0 and no CUDA"
    assert group is not None, f"{call}. No process group was initialized: join one with torch.distributed.init_process_group."
    assert group == (0, 1, "gloo"), (
        f"{call}. The group it joined has (rank, world size, backend) {group}, but the tests expected (0, 1, 'gloo')."
    )
    types = [type(v).__name__ for v in returned] if isinstance(returned, tuple) else type(returned).__name__
    assert isinstance(returned, tuple) and types == ["int", "int", "device"] and returned == (0, 1, torch.device("cpu")), (
        f"{call}. It returned {returned!r} (types {types}), but the tests expected (0, 1, torch.device('cpu')): "
        "rank and world size as ints, the device as a torch.device"
    )


@pytest.mark.kata("distributed.setup_process_group")
@pytest.mark.parametrize("cuda", [False, True], ids=["cpu-gloo", "cuda-nccl"])
def test_setup_process_group_takes_rank_from_the_environment_and_the_gpu_from_local_rank(monkeypatch, cuda):
    # Rank 3 of 4 is the second process on the second machine: its GPU is cuda:1 (LOCAL_RANK), not cuda:3.
    for name, value in {"RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29500"}.items():
        monkeypatch.setenv(name, value)
    calls = fake_process_group(monkeypatch, cuda=cuda)
    returned = distributed.setup_process_group()
    call = f"Called setup_process_group() with RANK=3, WORLD_SIZE=4, LOCAL_RANK=1 and torch.cuda.is_available() {cuda}"
    expected_device = torch.device("cuda", 1) if cuda else torch.device("cpu")
    assert returned == (3, 4, expected_device), (
        f"{call}. It returned {returned!r}, but the tests expected (3, 4, {expected_device!r}): rank and world size come "
        "from the environment, and each process drives the GPU numbered LOCAL_RANK on its own machine."
    )
    backends = [backend_of(c) for c in calls["init"]]
    expected_backend = "nccl" if cuda else "gloo"
    assert backends == [expected_backend], (
        f"{call}. init_process_group was called {len(backends)} time(s) with the backend(s) {backends}, but the tests "
        f"expected one call with {expected_backend!r} (nccl for GPUs, gloo for CPUs)."
    )
    if cuda:
        chosen = [torch.device("cuda", d) if isinstance(d, int) else torch.device(d) for d in calls["set_device"]]
        assert chosen == [torch.device("cuda", 1)], (
            f"{call}. torch.cuda.set_device was called with {calls['set_device']}, but the tests expected one call "
            "with cuda:1: make this process's GPU the current one before joining (nccl uses it)."
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
    with raises(
        RuntimeError,
        call=f"setup_process_group() without {', '.join(names)} in the environment",
        lesson="without torchrun's variables the process cannot join a group: raise RuntimeError naming them",
    ) as error:
        distributed.setup_process_group()
    message = str(error.value)
    assert all(name in message for name in names) and "torchrun" in message, (
        f"Called setup_process_group() without {', '.join(names)}. It raised RuntimeError({message!r}), but the tests "
        f"expected a message naming {', '.join(names)} and saying to launch with torchrun."
    )
    assert not calls["init"], f"Called setup_process_group() without {', '.join(names)}. It called init_process_group anyway."


@pytest.fixture(scope="module")
def joined_ranks(request, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:  # reached in the test process first: without torchrun, it raises
        support.without_torchrun_environment(patch)
        support.reach_in_process(distributed.setup_process_group)
    return support.run_ranks(
        "join", tmp_path_factory.mktemp("join"), what="setup_process_group() on 2 ranks (torchrun's variables set, gloo)",
        stubbed=support.later_katas(request.config, "distributed.setup_process_group"),
    )  # fmt: skip


@pytest.mark.kata("distributed.setup_process_group")
def test_setup_process_group_two_ranks_join_one_group(joined_ranks):
    for rank in range(2):
        got = joined_ranks.result(rank)
        call = f"Called setup_process_group() on rank {rank} of 2 (RANK={rank}, WORLD_SIZE=2, no CUDA)"
        assert got["returned"] == [rank, 2, "cpu"], (
            f"{call}. It returned {got['returned']} (types {got['types']}), but the tests expected ({rank}, 2, device('cpu'))."
        )
        assert got["group"] == (rank, 2, "gloo"), (
            f"{call}. The group it joined has (rank, world size, backend) {got['group']}, but the tests expected ({rank}, 2, 'gloo')."
        )
        assert got["sum"] == 3.0, (
            f"{call}. An all_reduce of rank + 1 over the group gave {got['sum']}, not 1 + 2 = 3: the ranks are not in one group."
        )


# --- teardown_process_group ------------------------------------------------------------------------


@pytest.mark.kata("distributed.teardown_process_group")
def test_teardown_process_group_destroys_the_group_so_that_a_new_one_can_start():
    import torch.distributed as dist

    with support.world_of_one():
        distributed.teardown_process_group()
        still = dist.is_initialized()
    assert not still, "Called teardown_process_group() in a process group of one rank. The group is still initialized: destroy it."
    with support.world_of_one():  # and a new one joins without trouble
        assert dist.get_world_size() == 1


@pytest.mark.kata("distributed.teardown_process_group")
def test_teardown_process_group_without_a_group_does_nothing():
    import torch.distributed as dist

    assert not dist.is_initialized()
    try:
        distributed.teardown_process_group()
        distributed.teardown_process_group()
    except (RuntimeError, ValueError) as exc:
        if isinstance(exc, NotImplementedError):
            raise
        pytest.fail(
            f"Called teardown_process_group() twice with no process group. It raised {type(exc).__name__}: {exc}. "
            "It must do nothing when there is nothing to destroy (after a failed setup, or a second call): check "
            "torch.distributed.is_initialized() first."
        )


# --- shard_loader ----------------------------------------------------------------------------------


@pytest.mark.kata("distributed.shard_loader")
@pytest.mark.parametrize("world_size", [2, 3], ids=["2-ranks", "3-ranks"])
def test_shard_loader_shards_are_disjoint_and_cover_the_dataset(world_size):
    dataset = Numbered(12)
    shards = [sorted(i for batch in labels_seen(distributed.shard_loader(dataset, 4, rank, world_size)) for i in batch)
              for rank in range(world_size)]  # fmt: skip
    every = sorted(i for shard in shards for i in shard)
    assert every == list(range(12)), (
        f"Called shard_loader(<12 samples>, 4, rank, {world_size}) for each rank. The shards hold the samples {shards}, "
        f"but the tests expected disjoint shards that together hold each of the 12 samples exactly once: give the "
        "loader a DistributedSampler for this rank and world size, with the same seed on every rank."
    )


@pytest.mark.kata("distributed.shard_loader")
def test_shard_loader_pads_uneven_shards_to_the_same_length():
    dataset = Numbered(10)
    shards = [[i for batch in labels_seen(distributed.shard_loader(dataset, 2, rank, 4)) for i in batch] for rank in range(4)]
    sizes = [len(shard) for shard in shards]
    call = "Called shard_loader(<10 samples>, 2, rank, 4) for each of 4 ranks"
    assert sizes == [3, 3, 3, 3], (
        f"{call}. The shards have {sizes} samples, but the tests expected 3 each: DistributedSampler pads uneven shards "
        "(drop_last=False) so that every rank takes the same number of steps - DDP needs that."
    )
    assert set(i for shard in shards for i in shard) == set(range(10)), f"{call}. Some samples are in no shard: {shards}."


@pytest.mark.kata("distributed.shard_loader")
@pytest.mark.parametrize("seed", [0, 5], ids=["default-seed", "seed-5"])
def test_shard_loader_follows_a_shuffled_distributed_sampler(seed):
    dataset = Numbered(10)
    for rank in range(2):
        loader = distributed.shard_loader(dataset, 4, rank, 2) if seed == 0 else distributed.shard_loader(dataset, 4, rank, 2, seed=seed)
        got = labels_seen(loader)
        expected = chunks(sampler_order(dataset, rank, 2, seed, epoch=0), 4)
        assert got == expected, (
            f"Called shard_loader(<10 samples>, 4, {rank}, 2{'' if seed == 0 else f', seed={seed}'}). Its batches hold "
            f"the samples {got}, but the tests expected {expected}: the order of DistributedSampler(dataset, "
            f"num_replicas=2, rank={rank}, shuffle=True, seed={seed}) in batches of 4, keeping the last smaller batch."
        )


@pytest.mark.kata("distributed.shard_loader")
def test_shard_loader_reshuffles_after_set_epoch():
    dataset = Numbered(10)
    loader = distributed.shard_loader(dataset, 5, 0, 2)
    first = labels_seen(loader)
    set_epoch = getattr(loader.sampler, "set_epoch", None)
    assert set_epoch is not None, (
        f"Called shard_loader(<10 samples>, 5, 0, 2). Its sampler is a {type(loader.sampler).__name__}, which has no "
        "set_epoch: the loader's sampler must be the DistributedSampler (pass it as sampler=)."
    )
    set_epoch(1)
    second = labels_seen(loader)
    expected = chunks(sampler_order(dataset, 0, 2, 0, epoch=1), 5)
    assert second == expected and second != first, (
        f"Called shard_loader(<10 samples>, 5, 0, 2), then loader.sampler.set_epoch(1). The loader gave {first} before "
        f"and {second} after, but the tests expected {expected} after: a new order in the new epoch."
    )


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
    call = "Called wrap_model(model, 'cpu', 0.25) in a process group of one rank"
    assert isinstance(returned, tuple) and len(returned) == 2, (
        f"{call}. It returned {shape_of(returned)}, but the tests expected a pair (wrapped model, optimizer)."
    )
    wrapped, optimizer = returned
    assert isinstance(wrapped, DistributedDataParallel), (
        f"{call}. The model it returned is a {type(wrapped).__name__}, not a DistributedDataParallel."
    )
    assert wrapped.module is model, f"{call}. The DDP model wraps {type(wrapped.module).__name__}, not the model it was given."
    assert wrapped.device_ids is None, (
        f"{call}. DDP got device_ids={wrapped.device_ids}: on the cpu, pass none (device_ids is for one GPU)."
    )
    assert isinstance(optimizer, torch.optim.SGD), (
        f"{call}. The optimizer is a {type(optimizer).__name__}, but the tests expected torch.optim.SGD."
    )
    lrs = [group["lr"] for group in optimizer.param_groups]
    assert lrs == [0.25], f"{call}. The SGD optimizer has the learning rate(s) {lrs}, but the tests expected [0.25]."
    held = sorted(id(p) for group in optimizer.param_groups for p in group["params"])
    assert held == sorted(id(p) for p in wrapped.parameters()), (
        f"{call}. The optimizer holds {len(held)} tensors, but not exactly the wrapped model's "
        f"{len(list(wrapped.parameters()))} parameters: create it over the parameters of the wrapped model."
    )


@pytest.mark.kata("distributed.wrap_model")
def test_wrap_model_moves_then_wraps_then_builds_the_optimizer(one_rank, monkeypatch):
    events: list[str] = []
    support.watch_wrap_order(monkeypatch, events)
    distributed.wrap_model(support.MoveRecorder(events), torch.device("cpu"), 0.1)
    assert events == ["move", "wrap", "optimizer"], (
        f"Called wrap_model(model, device('cpu'), 0.1). The model was moved, wrapped and given an optimizer in this "
        f"order: {events}, but the tests expected ['move', 'wrap', 'optimizer']: DDP must see the parameters on their "
        "device (moving the wrapper afterwards is too late on a GPU), and torch.optim's docs say to move a model "
        "before constructing its optimizer. On a CPU nothing breaks yet; on GPUs it does."
    )


# --- train_epoch -----------------------------------------------------------------------------------


def shard_of_points(n: int, rank: int, world_size: int, seed: int, batch_size: int) -> tuple[RecordingPoints, DataLoader]:
    data = RecordingPoints(*points(n))
    sampler = DistributedSampler(data, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    return data, DataLoader(data, batch_size=batch_size, sampler=sampler)


@pytest.mark.kata("distributed.train_epoch")
def test_train_epoch_sets_the_epoch_for_a_new_order_every_epoch():
    data, loader = shard_of_points(12, rank=0, world_size=2, seed=0, batch_size=3)
    model = tiny_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    orders = []
    for epoch in range(3):
        data.seen.clear()
        distributed.train_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, "cpu", epoch)
        orders.append(list(data.seen))
    expected = [sampler_order(data, 0, 2, 0, epoch) for epoch in range(3)]
    assert orders == expected, (
        f"Called train_epoch(model, <rank 0's DistributedSampler loader>, ..., epoch) for epochs 0, 1, 2. It trained on "
        f"the samples {orders}, but the tests expected {expected}: call loader.sampler.set_epoch(epoch) first, or every "
        "epoch repeats the first one's order."
    )


@pytest.mark.kata("distributed.train_epoch")
def test_train_epoch_matches_a_reference_epoch_on_one_rank():
    data, loader = shard_of_points(12, rank=1, world_size=2, seed=0, batch_size=4)
    model = tiny_model()
    twin = copy.deepcopy(model)
    model.eval()
    for p in model.parameters():
        p.grad = torch.full_like(p, 5.0)  # stale gradients: the first step must not apply them
    watcher = ForwardWatcher(model)
    losses = distributed.train_epoch(model, loader, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.3), "cpu", 2)
    order = sampler_order(data, 1, 2, 0, epoch=2)
    batches = [(data.features[i], data.labels[i]) for i in chunks(order, 4)]
    expected = training_support.reference_sgd(twin, batches, lr=0.3)
    call = "Called train_epoch(model, <rank 1's shard: 6 points, batches of 4>, CrossEntropyLoss(), SGD(lr=0.3), 'cpu', 2)"
    assert isinstance(losses, list) and all(type(v) is float for v in losses), (
        f"{call}. It returned {shape_of(losses)}, but the tests expected a list of Python floats (loss.item() per step)."
    )
    assert all(call_["training"] for call_ in watcher.calls), (
        f"{call} on a model in eval mode. Forward ran in eval mode: call model.train() first."
    )
    assert losses == pytest.approx(expected, rel=1e-5), (
        f"{call} on a model holding stale gradients. It returned the step losses {losses}; the textbook loop gives "
        f"{expected}. Clear the gradients before each backward, and step once per batch."
    )
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensors_close(
            p, q, call=call,
            lesson=f"After the epoch, {name} differs from the textbook loop's (zero_grad, forward, loss, backward, step "
            "for each batch of the shard, in the sampler's order for this epoch).",
        )  # fmt: skip


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
    assert len(losses) == 2, f"Called train_epoch on a shard of 6 points in batches of 3. It returned {len(losses)} losses, not 2."


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
        "train", tmp_path_factory.mktemp("train"), args,
        what="train_epoch(<DDP model>, <rank's DistributedSampler shard of 11 points, batches of 2>, CrossEntropyLoss(), SGD(lr=0.5), 'cpu', 1) on 2 ranks",
        stubbed=support.later_katas(request.config, "distributed.train_epoch"),
    )  # fmt: skip
    return args, run


@pytest.mark.kata("distributed.train_epoch")
def test_train_epoch_two_ranks_end_with_identical_weights(trained_ranks):
    args, run = trained_ranks
    first, second = run.results()
    differ = [key for key in first["state"] if not torch.equal(first["state"][key], second["state"][key])]
    assert not differ, (
        f"{run.what}. After the epoch the ranks' copies differ in {differ}, but the tests expected identical weights: "
        "every step must go through the DDP model (forward and backward), whose backward averages the gradients of "
        "all ranks, so that every copy takes the same step."
    )


@pytest.mark.kata("distributed.train_epoch")
def test_train_epoch_two_ranks_equal_one_process_with_averaged_gradients(trained_ranks):
    args, run = trained_ranks
    results = run.results()
    orders = [sampler_order(RecordingPoints(args["features"], args["labels"]), rank, 2, args["seed"], args["epoch"]) for rank in range(2)]
    for rank in range(2):
        assert results[rank]["seen"] == orders[rank], (
            f"{run.what}. Rank {rank} trained on the samples {results[rank]['seen']}, but its shard in epoch 1 is "
            f"{orders[rank]} (did train_epoch call loader.sampler.set_epoch(epoch)?)."
        )
    state, losses = averaged_reference(args["initial"][0], args["features"], args["labels"], orders, args["batch_size"], args["lr"])
    for key, value in state.items():
        assert_tensors_close(
            results[0]["state"][key], value, call=run.what,
            lesson=f"After the epoch, {key} differs from one process that took, at each step, the mean of the two "
            "ranks' gradients (DDP's all-reduce), starting from rank 0's weights.",
        )  # fmt: skip
    for rank in range(2):
        assert results[rank]["losses"] == pytest.approx(losses[rank], rel=1e-5), (
            f"{run.what}. Rank {rank} returned the step losses {results[rank]['losses']}, but the tests expected {losses[rank]}: "
            "the loss of each of this rank's batches, as Python floats."
        )


# --- global_accuracy -------------------------------------------------------------------------------


@pytest.mark.kata("distributed.global_accuracy")
def test_global_accuracy_on_one_rank_is_the_accuracy_over_the_class_dimension(one_rank):
    # 5 samples, 3 classes: argmax over dim 0 would give 3 numbers, not 5.
    logits = torch.tensor([[5.0, 1.0, 0.0], [4.0, 0.0, 9.0], [3.0, 8.0, 0.0], [0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])
    labels = torch.tensor([0, 2, 1, 0, 1])
    batches = [(logits[:3], labels[:3]), (logits[3:], labels[3:])]  # sizes 3 and 2
    accuracy = distributed.global_accuracy(nn.Identity(), batches, "cpu")
    assert type(accuracy) is float and accuracy == pytest.approx(3 / 5), (
        f"Called global_accuracy(<identity model>, <batches of 3 and 2 samples, 3 right>, 'cpu') in a group of one rank. "
        f"It returned {accuracy!r} ({type(accuracy).__name__}), but the tests expected 0.6 as a Python float: "
        "predictions are logits.argmax(dim=1), counted over samples."
    )


@pytest.mark.kata("distributed.global_accuracy")
def test_global_accuracy_evaluates_in_eval_mode_without_gradients(one_rank):
    features, labels = points(8)
    model = nn.Sequential(nn.Linear(4, 3), nn.Dropout(0.5))
    watcher = ForwardWatcher(model)
    batches = [(features[:4], labels[:4]), (features[4:], labels[4:])]
    first = distributed.global_accuracy(model, batches, "cpu")
    second = distributed.global_accuracy(model, batches, "cpu")
    call = "Called global_accuracy(<model with Dropout, in training mode>, <8 points>, 'cpu') twice"
    assert watcher.calls and not any(c["training"] for c in watcher.calls), f"{call}. Forward ran in training mode: call model.eval()."
    assert not any(c["grad_enabled"] for c in watcher.calls), f"{call}. Forward built a graph: evaluate under torch.no_grad()."
    assert first == second, f"{call}. The two results differ ({first} vs {second}): Dropout was active."


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
        "accuracy", tmp_path_factory.mktemp("accuracy"), args,
        what="global_accuracy(<identity model>, <rank 0: 7 samples, 3 right; rank 1: 5 samples, 4 right>, 'cpu') on 2 ranks",
        stubbed=support.later_katas(request.config, "distributed.global_accuracy"),
    )  # fmt: skip


@pytest.mark.kata("distributed.global_accuracy")
def test_global_accuracy_two_ranks_count_the_whole_test_set(accuracy_ranks):
    got = [accuracy_ranks.result(rank) for rank in range(2)]
    values = [g["accuracy"] for g in got]
    assert values == [pytest.approx(7 / 12)] * 2 and all(g["type"] == "float" for g in got), (
        f"{accuracy_ranks.what}. The ranks returned {values} ({[g['type'] for g in got]}), but the tests expected 7/12 = "
        f"{7 / 12:.4f} as a Python float on both: sum the correct and total counts over the ranks with all_reduce. "
        f"(Rank 0's part alone gives 3/7 = {3 / 7:.4f}; the mean of the ranks' accuracies {(3 / 7 + 4 / 5) / 2:.4f}.)"
    )


# --- save_checkpoint -------------------------------------------------------------------------------


@pytest.mark.kata("distributed.save_checkpoint")
def test_save_checkpoint_file_loads_into_a_plain_model(one_rank, tmp_path):
    model = tiny_model()
    wrapped = DistributedDataParallel(model)
    path = tmp_path / "weights.pt"
    distributed.save_checkpoint(wrapped, path)
    call = "Called save_checkpoint(<DDP model>, path) in a group of one rank"
    assert path.is_file(), f"{call}. No file was written at path."
    state = torch.load(path, weights_only=True)
    keys = sorted(state) if isinstance(state, dict) else type(state).__name__
    assert keys == sorted(model.state_dict()), (
        f"{call}. The file holds the keys {keys}, but a plain model has {sorted(model.state_dict())}: save "
        "model.module.state_dict() - the wrapper's own state_dict adds 'module.' to every key."
    )
    plain = tiny_model()
    plain.load_state_dict(state)
    for key, value in model.state_dict().items():
        assert torch.equal(plain.state_dict()[key], value), f"{call}. {key} in the file differs from the model's."


@pytest.fixture(scope="module")
def checkpoint_ranks(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("checkpoint")
    with support.world_of_one():
        support.reach_in_process(distributed.save_checkpoint, DistributedDataParallel(tiny_model()), folder / "probe.pt")
    return support.run_ranks(
        "checkpoint", folder / "ranks", {"initial": seeded_state(4)},
        what="save_checkpoint(<DDP model>, <one path for both ranks>) on 2 ranks, each rank reading the file back once it returns",
        stubbed=support.later_katas(request.config, "distributed.save_checkpoint"),
    )  # fmt: skip


@pytest.mark.kata("distributed.save_checkpoint")
def test_save_checkpoint_only_rank_0_writes(checkpoint_ranks):
    saves = [len(checkpoint_ranks.result(rank)["saves"]) for rank in range(2)]
    assert saves == [1, 0], (
        f"{checkpoint_ranks.what}. torch.save was called {saves[0]} time(s) on rank 0 and {saves[1]} on rank 1, but the "
        "tests expected once on rank 0 only: the copies are identical, and two processes writing one file corrupt it."
    )


@pytest.mark.kata("distributed.save_checkpoint")
def test_save_checkpoint_file_is_complete_when_any_rank_returns(checkpoint_ranks):
    complete = [checkpoint_ranks.result(rank)["complete_on_return"] for rank in range(2)]
    assert complete == [True, True], (
        f"{checkpoint_ranks.what}. Had rank 0 finished writing the file when save_checkpoint returned? On rank 0: "
        f"{complete[0]}, on rank 1: {complete[1]}. The tests expected True on both: every rank - rank 0 after "
        "writing - must wait at torch.distributed.barrier() before returning, or a rank may read a missing or "
        "half-written file."
    )


@pytest.mark.kata("distributed.save_checkpoint")
def test_save_checkpoint_every_rank_reads_back_its_weights(checkpoint_ranks):
    for rank in range(2):
        got = checkpoint_ranks.result(rank)
        assert got["load_problem"] is None, (
            f"{checkpoint_ranks.what}. Rank {rank} could not load the file into a plain model: {got['load_problem']}"
        )
        for key, value in got["state"].items():
            assert torch.equal(got["loaded"][key], value), f"{checkpoint_ranks.what}. Rank {rank} read back {key} unlike its own weights."


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
        "pipeline", folder / "ranks", args,
        what=("run_distributed(<stand-in: 20 training, 15 test images>, epochs=2, device='cpu', batch_size=5, lr=0.05, "
              "log_dir=<tmp>, checkpoint=<tmp>) on 2 ranks"),
        stubbed=support.later_katas(request.config, "distributed.run_distributed"),
    )  # fmt: skip
    return {"missing": missing, "run": run, "root": root, **args}


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_missing_data_raises_without_downloading(pipeline_ranks):
    missing = pipeline_ranks["missing"]
    assert isinstance(missing, RuntimeError), (
        f"Called run_distributed(<empty folder>, 1) in a group of one rank. It returned or raised {missing!r}, but the "
        "tests expected torchvision's RuntimeError ('Dataset not found or corrupted'), without downloading."
    )


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_returns_the_same_float_accuracies_on_every_rank(pipeline_ranks):
    run = pipeline_ranks["run"]
    got = [run.result(rank)["accuracies"] for rank in range(2)]
    assert all(isinstance(a, list) and len(a) == 2 and all(type(v) is float for v in a) for a in got), (
        f"{run.what}. The ranks returned {got}, but the tests expected a list of 2 Python floats (one per epoch) on each."
    )
    assert got[0] == got[1], f"{run.what}. Rank 0 returned {got[0]} and rank 1 {got[1]}: the global accuracy is the same on every rank."


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_accuracy_is_the_whole_test_sets(pipeline_ranks):
    from kata_impl.modules import CifarNet

    run = pipeline_ranks["run"]
    accuracy = run.result(0)["accuracies"][-1]
    model = CifarNet()
    model.load_state_dict(torch.load(pipeline_ranks["checkpoint"], weights_only=True))
    low, high = support.accuracy_bounds(model, *support.standin_test_split(pipeline_ranks["root"]))
    assert low - 1e-9 <= accuracy <= high + 1e-9, (
        f"{run.what}. After the last epoch it returned the accuracy {accuracy:.4f}; one process evaluating the saved "
        f"weights on all 15 test images gives {low:.4f}" + (f" to {high:.4f}" if high > low else "")
        + ". Every test image must be counted exactly once, over all ranks (a strided Subset per rank and "
        "global_accuracy's all_reduce)."
    )


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_trains_on_shards_and_evaluates_every_test_image_once(pipeline_ranks):
    run = pipeline_ranks["run"]
    forwards = [run.result(rank)["forwards"] for rank in range(2)]
    trained = [sum(n for training, n in f if training) for f in forwards]
    evaluated = [sum(n for training, n in f if not training) for f in forwards]
    assert trained == [20, 20], (
        f"{run.what}. The ranks trained CifarNet on {trained} samples over the 2 epochs, but the tests expected 20 each: "
        "10 per epoch, the rank's half of the 20 training images (shard_loader)."
    )
    assert sum(evaluated) == 30, (
        f"{run.what}. The ranks evaluated {evaluated} test samples over the 2 epochs ({sum(evaluated)} in all), but the "
        "tests expected 30: each of the 15 test images once per epoch, on one rank (DistributedSampler would pad "
        "15 to 16; take the images rank, rank + world_size, ...)."
    )


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_trains_with_sgd_in_batches_and_numbers_the_epochs_from_0(pipeline_ranks):
    run = pipeline_ranks["run"]
    for rank in range(2):
        got = run.result(rank)
        assert got["optimizers"] == [("SGD", [0.05])], (
            f"{run.what}. Rank {rank} built the optimizers {got['optimizers']} (class, learning rates), but the tests "
            "expected one SGD at lr=0.05 (wrap_model)."
        )
        batches = [n for training, n in got["forwards"] if training]
        assert batches == [5, 5, 5, 5], (
            f"{run.what}. Rank {rank} trained on batches of {batches}, but the tests expected [5, 5] per epoch: its "
            "10 training images per epoch in batches of batch_size=5."
        )
        assert got["epochs"] == [0, 1], (
            f"{run.what}. Rank {rank}'s samplers were given the epochs {got['epochs']} (set_epoch), but the tests "
            "expected [0, 1]: train_epoch(..., epoch=e) for e = 0, 1."
        )


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_saves_the_checkpoint_after_each_epoch_on_rank_0(pipeline_ranks):
    run = pipeline_ranks["run"]
    saves = [run.result(rank)["saves"] for rank in range(2)]
    expected = [[pipeline_ranks["checkpoint"]] * 2, []]
    assert saves == expected, (
        f"{run.what}. torch.save wrote {saves} (rank 0, rank 1), but the tests expected the checkpoint twice on rank 0 "
        "(after each epoch, through save_checkpoint) and nothing on rank 1."
    )


@pytest.mark.kata("distributed.run_distributed")
def test_run_distributed_logs_from_rank_0_only(pipeline_ranks):
    run = pipeline_ranks["run"]
    writers = [run.result(rank)["writers"] for rank in range(2)]
    assert len(writers[0]) == 1 and not writers[1], (
        f"{run.what}. Rank 0 created {len(writers[0])} SummaryWriter(s) and rank 1 {len(writers[1])}, but the tests "
        "expected exactly one, on rank 0: one log, not one per rank."
    )
    writer = writers[0][0]
    assert writer["log_dir"] == pipeline_ranks["log_dir"] and writer["closed"], (
        f"{run.what}. Rank 0's SummaryWriter writes to {writer['log_dir']} and was {'' if writer['closed'] else 'not '}"
        "closed, but the tests expected log_dir itself, closed before returning."
    )
    logged = training_support.read_scalars(pipeline_ranks["log_dir"]).get("test/accuracy", [])
    returned = run.result(0)["accuracies"]
    assert [s for s, _ in logged] == [1, 2] and [v for _, v in logged] == pytest.approx(returned, abs=1e-6), (
        f"{run.what}. 'test/accuracy' was logged as {logged} (step, value), but the tests expected the returned "
        f"accuracies {returned} at steps 1 and 2."
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
    expected = (
        ["train", "eval", (1, accuracies[0]), "train", "eval", (2, accuracies[1])]
        if isinstance(accuracies, list) and len(accuracies) == 2 else None
    )  # fmt: skip
    assert events == expected, (
        "Called run_distributed(<stand-in: 20 training, 15 test images>, 2, 'cpu', 5, 0.05, on_epoch=<recorder>) in a "
        f"group of one rank. Training, evaluation and the on_epoch calls came in the order {events}, and it returned "
        f"{accuracies}; the tests expected {expected}: on_epoch(epoch, accuracy) once per epoch (epoch from 1), right "
        "after that epoch's evaluation and before the next epoch trains, so that main can report each epoch as it ends."
    )


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
        raise AssertionError(
            "main joined a real process group (init_process_group), but the tests expected it to call its module's "
            "setup_process_group, which they replaced"
        )

    import torch.distributed as dist

    for owner in (dist, dist.distributed_c10d):
        monkeypatch.setattr(owner, "init_process_group", init_process_group)
    # The names main looks up, in its module (through any decorator: torchrun's @record wraps main in its own module).
    scope = training_support.globals_of(distributed.main)
    for name, fake in [("setup_process_group", setup_process_group), ("run_distributed", run_distributed),
                       ("teardown_process_group", teardown_process_group)]:  # fmt: skip
        monkeypatch.setitem(scope, name, fake)
    return calls


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
    assert status == 0, f"Called main(['--help']). It ended with status {status!r}, but the tests expected 0 (argparse's --help)."
    for option in ("--data", "--epochs", "--batch-size", "--lr", "--log-dir", "--checkpoint"):
        assert option in out, f"--help does not mention {option}:\n{out}"


@pytest.mark.kata("distributed.main")
@pytest.mark.parametrize("missing", [*support.TORCHRUN_VARIABLES, "all"])
def test_main_without_torchrun_is_a_usage_error_naming_the_variables(monkeypatch, capsys, missing):
    calls = fake_launch(monkeypatch)
    names = support.TORCHRUN_VARIABLES if missing == "all" else (missing,)
    for name in names:
        monkeypatch.delenv(name)
    with pytest.raises(SystemExit) as exit_info:
        distributed.main(["--data", "d"])
    err = capsys.readouterr().err
    named = all(name in err for name in names) and "torchrun" in err
    assert exit_info.value.code == 2 and named and "Traceback" not in err and not calls, (
        f"Called main(['--data', 'd']) without {', '.join(names)}. It exited with {exit_info.value.code} after the "
        f"calls {calls}; stderr: {err[-400:]!r}. The tests expected a usage error (exit status 2) naming "
        f"{', '.join(names)} and torchrun, before joining anything."
    )


@pytest.mark.kata("distributed.main")
@pytest.mark.parametrize(
    "argv",
    [[], ["--data", "d", "--epochs", "0"], ["--data", "d", "--batch-size", "0"], ["--data", "d", "--lr", "0"], ["--data", "d", "--lr", "-1"]],
    ids=["no-data", "zero-epochs", "zero-batch-size", "zero-lr", "negative-lr"],
)
def test_main_bad_arguments_are_usage_errors(monkeypatch, capsys, argv):
    calls = fake_launch(monkeypatch)
    with pytest.raises(SystemExit) as exit_info:
        distributed.main(argv)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and err and "Traceback" not in err and not calls, (
        f"Called main({argv}) under torchrun. It exited with {exit_info.value.code} after the calls {calls}; stderr: "
        f"{err[-300:]!r}. The tests expected a usage error (exit status 2, a message on stderr) before any training."
    )


@pytest.mark.kata("distributed.main")
def test_main_sets_up_runs_with_the_options_and_tears_down(monkeypatch, capsys):
    calls = fake_launch(monkeypatch)
    argv = ["--data", "dir", "--epochs", "3", "--batch-size", "7", "--lr", "0.5", "--log-dir", "tb", "--checkpoint", "w.pt"]
    assert distributed.main(argv) == 0
    assert distributed.main(["--data", "dir"]) == 0
    runs = [
        {key: (str(value) if value is not None and key in ("data_root", "log_dir", "checkpoint") else value) for key, value in call[1].items()
         if key != "on_epoch"}  # how main reports each epoch: test_main_writes_and_flushes_each_epochs_line_before_the_next_epoch
        for call in calls if call[0] == "run"
    ]  # fmt: skip
    expected = [
        {"data_root": "dir", "epochs": 3, "device": torch.device("cpu"), "batch_size": 7, "lr": 0.5, "log_dir": "tb", "checkpoint": "w.pt"},
        {"data_root": "dir", "epochs": 10, "device": torch.device("cpu"), "batch_size": 64, "lr": 0.01, "log_dir": None, "checkpoint": None},
    ]
    for args, got, want in zip([argv, ["--data", "dir"]], runs, expected):
        got = {**got, "device": torch.device(got["device"])}
        assert got == want, (
            f"Called main({args}) under torchrun. run_distributed got {got}, but the tests expected {want} (the device setup_process_group returned)."
        )
    steps = [call[0] for call in calls]
    assert steps == ["setup", "run", "teardown"] * 2, (
        f"Called main twice under torchrun. It called {steps}, but the tests expected setup_process_group, "
        "run_distributed, teardown_process_group, in that order, each time."
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
    assert code == 0 and got == expected, (
        f"Called main(['--data', 'd', '--epochs', '3']) as rank {rank} of {world_size} (LOCAL_RANK={local_rank}), "
        f"run_distributed returning [0.25, 0.5, 0.875]. It returned {code} and printed {lines}, but the tests expected 0 and "
        + ("the lines 'epoch 1: test accuracy 0.25', ... (one per epoch, the accuracy as a fraction)." if rank == 0 else
           "nothing: only rank 0 of the whole run prints (the rank setup_process_group returns, counted over all "
           "machines; LOCAL_RANK starts again at 0 on every machine), or every line appears several times.")
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
    assert code == 0 and received == [0, 1, 2, 3], (
        "Called main(['--data', 'd', '--epochs', '3']) as rank 0 of 2, with stdout a pipe (block-buffered) and "
        "run_distributed going through 3 epochs. When epochs 1, 2 and 3 began training, and when main returned "
        f"({code}), stdout had received {received} epoch line(s)"
        + (f", with {unflushed} more written but never flushed" if unflushed else "")
        + "; the tests expected [0, 1, 2, 3] and 0: print each epoch's line as soon as that epoch is evaluated (the "
        "on_epoch of run_distributed), with flush=True, or a user watching a long run sees nothing until it is over."
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
    call = (
        f"Called main(['--data', '{folder}']) as rank {rank} of {world_size} (LOCAL_RANK={local_rank}), run_distributed "
        f"raising torchvision's RuntimeError {torchvision_says!r}. It returned {code} and wrote on stderr {lines}"
    )
    if rank == 0:
        one_line = len(lines) == 1 and folder in lines[0] and "--data" in lines[0] and "download=True" not in lines[0]
        assert code == 1 and one_line, (
            f"{call}, but the tests expected 1 and one line naming the folder ({folder}) and how to give the data "
            "(--data), without torchvision's advice to use download=True: this program has no download option."
        )
    else:
        assert code == 1 and not lines, (
            f"{call}, but the tests expected 1 and nothing on stderr: rank 0 alone reports, or N ranks print N copies."
        )
    steps = [call[0] for call in calls]
    assert steps == ["setup", "run", "teardown"], f"main called {steps}: teardown_process_group must run after an error too."


def launched(launch) -> str:
    ended = f"was stopped after {support.TORCHRUN_TIMEOUT_S} s" if launch.timed_out else f"exited with {launch.returncode}"
    return f"Ran {launch.shown()} (20 training, 15 test images). It {ended}"


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
    with pytest.raises(SystemExit):  # reached in the test process first: without torchrun, main must refuse
        distributed.main(argv)
    launch = support.launch_torchrun(2, argv, tmp_path / "launch")

    assert launch.returncode == 0, f"{launched(launch)}, but the tests expected 0. stderr (end):\n{launch.stderr[-2500:]}"
    got = printed_accuracies(launch)
    assert [g[0] if isinstance(g, tuple) else g for g in got] == [1, 2], (
        f"{launched(launch)} and printed the epoch lines {got}, but the tests expected 'epoch 1: ...' and "
        "'epoch 2: ...' once each: only rank 0 prints.\nstdout:\n" + launch.stdout[-1500:]
    )
    from kata_impl.modules import CifarNet

    model = CifarNet()
    model.load_state_dict(torch.load(checkpoint, weights_only=True))
    low, high = support.accuracy_bounds(model, *support.standin_test_split(root))
    printed = got[-1][1]
    assert low - 5e-5 <= printed <= high + 5e-5, (
        f"{launched(launch)} and printed the final accuracy {printed}; one process evaluating the saved weights on "
        f"all 15 test images gives {low:.4f}" + (f" to {high:.4f}" if high > low else "") + "."
    )
    logged = training_support.read_scalars(logs).get("test/accuracy", [])
    assert [(s, round(v, 4)) for s, v in logged] == [(e, pytest.approx(a, abs=5e-5)) for e, a in got], (
        f"{launched(launch)}. --log-dir holds 'test/accuracy' {logged}, but it printed {got}."
    )
    events = sorted(p.name for p in logs.glob("events.out.tfevents.*"))
    cwd = tmp_path / "launch" / "cwd"
    stray = sorted(str(p.relative_to(cwd)) for p in cwd.rglob("*"))
    assert len(events) == 1 and not stray, (
        f"{launched(launch)}. --log-dir holds {len(events)} event file(s) {events} and the working directory "
        f"{stray}, but the tests expected one event file (rank 0's) and nothing written elsewhere."
    )


# --- CUDA (GPU runners) ----------------------------------------------------------------------------


@pytest.mark.cuda
@pytest.mark.kata("distributed.save_checkpoint")
def test_one_rank_on_cuda_trains_evaluates_and_saves_over_nccl(monkeypatch, tmp_path):
    import torch.distributed as dist

    data, _ = shard_of_points(12, rank=0, world_size=1, seed=0, batch_size=4)
    with support.torchrun_environment(monkeypatch):
        rank, world_size, device = distributed.setup_process_group()
        assert (rank, world_size, device, dist.get_backend()) == (0, 1, torch.device("cuda", 0), "nccl")
        wrapped, optimizer = distributed.wrap_model(tiny_model(), device, 0.1)
        assert wrapped.device_ids == [0] and next(wrapped.parameters()).device == device
        loader = DataLoader(data, batch_size=4, sampler=DistributedSampler(data, num_replicas=1, rank=0, seed=0))
        losses = distributed.train_epoch(wrapped, loader, nn.CrossEntropyLoss(), optimizer, device, 0)
        assert len(losses) == 3 and all(type(v) is float for v in losses)
        logits, labels = torch.eye(3, device=device), torch.tensor([0, 1, 0], device=device)
        assert distributed.global_accuracy(nn.Identity(), [(logits, labels)], device) == pytest.approx(2 / 3)
        distributed.save_checkpoint(wrapped, tmp_path / "weights.pt")
        plain = tiny_model()
        plain.load_state_dict(torch.load(tmp_path / "weights.pt", map_location="cpu", weights_only=True))
        distributed.teardown_process_group()
        assert not dist.is_initialized()


@pytest.mark.cuda
@pytest.mark.kata("distributed.main")
def test_main_under_torchrun_on_cuda(tmp_path):
    nproc = min(2, torch.cuda.device_count())
    root = support.write_pipeline_standin(tmp_path / "data")
    argv = ["--data", str(root), "--epochs", "2", "--batch-size", "5", "--checkpoint", str(tmp_path / "weights.pt")]
    launch = support.launch_torchrun(nproc, argv, tmp_path / "launch", cuda=True)
    lines = [line for line in launch.stdout.splitlines() if line.startswith("epoch ")]
    assert launch.returncode == 0 and len(lines) == 2, (
        f"Ran {launch.shown()} on {nproc} GPU(s): exit {launch.returncode}, lines {lines}\n{launch.stderr[-2000:]}"
    )
    from kata_impl.modules import CifarNet

    CifarNet().load_state_dict(torch.load(tmp_path / "weights.pt", map_location="cpu", weights_only=True))
