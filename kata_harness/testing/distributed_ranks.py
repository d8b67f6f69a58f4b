"""The rank processes of the distributed kata tests: how they start, and the scenarios they run.

A rank is a process of its own, and starting one from nothing costs an interpreter, ``import torch`` and,
on the first DistributedDataParallel, ``torch._dynamo``: seconds per rank. On Linux the test process
therefore starts one *zygote* (``python -m kata_harness.testing.distributed_ranks``; kata_harness.testing.
distributed owns it): it imports torch, DDP, torchvision and tensorboard once, then waits on stdin. For
each scenario it forks one child per rank, which inherits all of that already imported. The zygote never
runs a torch operation, touches CUDA or joins a group itself, so a fork of it starts clean (torch is
fork-safe after import: it is how DataLoader workers start on Linux). Elsewhere (macOS, Windows: no safe
fork) each rank is a fresh ``python -m kata_harness.testing.distributed_ranks --child SPEC``, slower but
the same code; KATAS_DISTRIBUTED_RANKS=spawn forces that path on Linux too.

A child takes the test process's environment as it was when the scenario was asked for (the implementation
and overlay choice included: kata_harness.impl reads them), the torchrun variables of its rank, and the
scenario folder as working directory. It imports kata_impl fresh, replaces the katas after the test's own
by their stubs when the test runs under --kata-order, runs one ``scenario_*`` function of this module and
writes what it saw to ``result-<rank>.pt`` in the folder; its stdout and stderr go to ``rank-<rank>.log``
there. Where there is SIGALRM, an alarm ends a child that outlives its deadline, whatever happens to the
test process.

Every group is left through ``destroy_process_group`` below (the children, the torchrun workers of
distributed_main and the harness in the test process use it): torch < 2.8 can deadlock in torch's own,
right after a gloo collective.

The zygote's protocol on stdin and stdout, one JSON object a line: it says {"ready": true} once; then for
each request {"ranks": [spec, ...]} it answers {"pids": [...]} when the children run and {"exits": [...]}
when they have all ended (an exit code per rank, negative for a signal).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TORCHRUN_VARIABLES = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")
SAVE_WAIT_S = 15.0  # the longest rank 0's spied torch.save waits for rank 1 to reach a barrier (see scenario_checkpoint)


# --- leaving a process group -------------------------------------------------------------------------

_TORCH_DESTROY: list = []  # torch's own destroy_process_group, saved before the harness's takes its place


def _torch_destroy():
    if not _TORCH_DESTROY:
        import torch.distributed.distributed_c10d as c10d

        if c10d.destroy_process_group is destroy_process_group:
            raise RuntimeError("torch's destroy_process_group was replaced before it was saved")
        _TORCH_DESTROY.append(c10d.destroy_process_group)
    return _TORCH_DESTROY[0]


def _backends() -> list:
    """Python references to the backend (ProcessGroupGloo, ...) of every group of this process, on every device."""
    import torch.distributed.distributed_c10d as c10d

    world = getattr(c10d, "_world", None)
    held = []
    for group in list(getattr(world, "pg_map", None) or {}):
        for device in getattr(group, "_device_types", ()):
            with contextlib.suppress(Exception):  # a group without a backend for that device
                held.append(group._get_backend(device))
    return held


def _destructor_holds_the_gil() -> bool:
    """torch < 2.8 frees a ProcessGroup with the GIL held; pytorch#154976 (2.8) releases it there."""
    import torch

    return torch.__version__ < (2, 8)


def destroy_process_group(*args, **kwargs):
    """torch.distributed.destroy_process_group, without the deadlock it has on torch < 2.8 (gloo).

    There the last reference to a group is dropped with the GIL held, and the group's destructor joins
    gloo's worker threads. A worker that is still letting go of the collective it has just finished needs
    the GIL to free that collective's tensors: each waits for the other, forever (seen on a rank in about
    one run of the test file in five on torch 2.4, and within a hundred groups of one in one process). So
    the backends of every group are held across the call - Python lets go of a ProcessGroupGloo with the
    GIL released - cyclic garbage that may still hold a group (a DDP model is such garbage) is collected
    while they are held, and the backends go last: their destructor joins the workers with the GIL
    released, and a worker that needs it gets it. On torch >= 2.8 this is torch's own function.
    """
    if not _destructor_holds_the_gil():
        return _torch_destroy()(*args, **kwargs)
    import gc

    backends = _backends()
    try:
        return _torch_destroy()(*args, **kwargs)
    finally:
        gc.collect()
        del backends  # the last references: released here, not with the GIL held


def guard_destroy_process_group(set_attribute=setattr) -> None:
    """Put ``destroy_process_group`` in torch.distributed's place, for the katas that call it (a kata's teardown).

    In a child or a torchrun worker, before the kata is imported (so that ``from torch.distributed import
    destroy_process_group`` finds it too); in the test process with ``monkeypatch.setattr``, for one test.
    Only where torch's own can deadlock (torch < 2.8).
    """
    import torch.distributed as dist
    import torch.distributed.distributed_c10d as c10d

    if not _destructor_holds_the_gil():
        return
    _torch_destroy()  # saved before it is replaced
    for owner in (dist, c10d):
        set_attribute(owner, "destroy_process_group", destroy_process_group)


# --- the zygote --------------------------------------------------------------------------------------


def _reply(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def serve() -> int:
    import torch  # noqa: F401 - everything a rank needs, imported once, before any fork
    import torch._dynamo  # noqa: F401 - DistributedDataParallel imports it when the first one is built
    import torch.distributed  # noqa: F401
    import torch.nn.parallel  # noqa: F401
    import torch.utils.tensorboard  # noqa: F401
    import torchvision.datasets  # noqa: F401
    import torchvision.transforms  # noqa: F401

    _reply({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        pids = []
        for spec in request["ranks"]:
            pid = os.fork()
            if pid == 0:  # the child: never returns into this loop
                code = 70
                try:
                    code = _child(spec)
                finally:
                    os._exit(code)
            pids.append(pid)
        _reply({"pids": pids})
        _reply({"exits": [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]})
    return 0


def _child(spec: dict) -> int:
    if hasattr(signal, "SIGALRM"):
        signal.alarm(int(spec["deadline_s"]))  # its default action ends the process: no rank outlives its test
    folder = Path(spec["folder"])
    log = os.open(folder / f"rank-{spec['rank']}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    try:
        os.environ.clear()
        os.environ.update(spec["env"])
        os.chdir(folder)
        import torch

        torch.set_num_threads(1)  # two ranks share the cores
        result_path = folder / f"result-{spec['rank']}.pt"
        try:
            guard_destroy_process_group()  # before the kata is imported
            from kata_harness import impl

            impl.activate_from_env()
            _stub_later_katas(spec.get("stubbed", []))
            scenario = globals()[f"scenario_{spec['scenario']}"]
            args = torch.load(folder / "args.pt", weights_only=False) if (folder / "args.pt").exists() else {}
            outcome = {"result": scenario(spec["rank"], spec["world_size"], args, folder)}
        except BaseException as exc:  # noqa: BLE001 - the test reports it, with the rank's traceback
            outcome = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
        finally:
            import torch.distributed as dist

            if dist.is_available() and dist.is_initialized():
                destroy_process_group()
        torch.save(outcome, result_path)
        return 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def _stub_later_katas(kata_ids: list[str]) -> None:
    """--kata-order in a rank: the katas after the test's own are their pristine stubs here too."""
    if not kata_ids:
        return
    from kata_harness.kata_order import _stub_module

    for kata_id in kata_ids:
        module, name = kata_id.split(".", 1)
        target = importlib.import_module(f"kata_impl.{module}")
        if hasattr(target, name):
            setattr(target, name, getattr(_stub_module(module), name))


# --- helpers for the scenarios ------------------------------------------------------------------------


def _join() -> None:
    """Join the group the way the harness does (env://, gloo): scenarios that do not test setup_process_group."""
    import torch.distributed as dist

    dist.init_process_group("gloo")


def _replace_everywhere(name: str, original, replacement, owners) -> list:
    """Put ``replacement`` wherever ``original`` is reachable: library modules and the kata modules' globals.

    Returns what ``_restore`` needs to put everything back."""
    undo = []
    places = list(owners) + [module for module_name, module in list(sys.modules.items())
                             if module is not None and module_name.startswith(("kata_impl.", "solutions.", "katas.", "_kata_order_stubs."))]  # fmt: skip
    for owner in places:
        for key, value in list(vars(owner).items()):
            if value is original and (key == name or owner not in owners):
                setattr(owner, key, replacement)
                undo.append((owner, key, original))
    return undo


def _restore(undo: list) -> None:
    for owner, key, original in reversed(undo):
        setattr(owner, key, original)


def tiny_model():
    """The small network of the two-rank training scenario (no Dropout, no buffers): 4 features -> 3 classes."""
    from torch import nn

    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))


class RecordingPoints:
    """A dataset of points (features[i], labels[i]) that records every index it is asked for."""

    def __init__(self, features, labels) -> None:
        self.features, self.labels = features, labels
        self.seen: list[int] = []

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int):
        self.seen.append(int(i))
        return self.features[i], self.labels[i]


# --- the scenarios: each runs on every rank and returns what the test checks ---------------------------


def scenario_join(rank: int, world_size: int, args: dict, folder: Path) -> dict:
    """setup_process_group on every rank, then one all_reduce to prove the ranks are connected."""
    import torch
    import torch.distributed as dist

    from kata_impl import distributed

    returned = distributed.setup_process_group()
    total = torch.tensor([float(rank + 1)])
    dist.all_reduce(total)
    return {
        "returned": [returned[0], returned[1], str(returned[2])] if isinstance(returned, tuple) and len(returned) == 3 else repr(returned),
        "types": [type(v).__name__ for v in returned] if isinstance(returned, tuple) else type(returned).__name__,
        "group": (dist.get_rank(), dist.get_world_size(), dist.get_backend()),
        "sum": total.item(),
    }


def scenario_train(rank: int, world_size: int, args: dict, folder: Path) -> dict:
    """One epoch of train_epoch on a DDP model, each rank over its DistributedSampler shard of a points set."""
    import torch
    from torch import nn
    from torch.nn.parallel import DistributedDataParallel
    from torch.utils.data import DataLoader, DistributedSampler

    from kata_impl import distributed

    _join()
    points = RecordingPoints(args["features"], args["labels"])
    sampler = DistributedSampler(points, num_replicas=world_size, rank=rank, shuffle=True, seed=args["seed"])
    loader = DataLoader(points, batch_size=args["batch_size"], sampler=sampler)
    model = tiny_model()
    model.load_state_dict(args["initial"][rank])  # the ranks start apart: DDP must broadcast rank 0's weights
    wrapped = DistributedDataParallel(model)
    optimizer = torch.optim.SGD(wrapped.parameters(), lr=args["lr"])
    losses = distributed.train_epoch(wrapped, loader, nn.CrossEntropyLoss(), optimizer, "cpu", args["epoch"])
    return {"losses": losses, "state": {k: v.detach().clone() for k, v in model.state_dict().items()}, "seen": points.seen}


def scenario_accuracy(rank: int, world_size: int, args: dict, folder: Path) -> dict:
    """global_accuracy of fixed logits (an identity model) over the rank's part of a test set."""
    from torch import nn

    from kata_impl import distributed

    _join()
    logits, labels = args["logits"][rank], args["labels"][rank]
    batches = [(logits[i : i + 4], labels[i : i + 4]) for i in range(0, len(labels), 4)]
    accuracy = distributed.global_accuracy(nn.Identity(), batches, "cpu")
    return {"accuracy": accuracy, "type": type(accuracy).__name__}


def scenario_checkpoint(rank: int, world_size: int, args: dict, folder: Path) -> dict:
    """save_checkpoint on every rank, watched: who calls torch.save, and is the file complete when each returns?

    Whether a rank without a barrier finds the file missing would be a race; the spies make it certain.
    Rank 0's torch.save waits, before writing, until rank 1 has either returned from save_checkpoint or is
    blocked in a barrier that rank 0 has not joined yet (or SAVE_WAIT_S passed, for a synchronisation the
    spies do not know). Then a rank that returns before rank 0 has written always finds no complete file.
    """
    import torch
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    from kata_impl import distributed

    _join()
    markers = folder / "markers"
    markers.mkdir(exist_ok=True)
    saves: list[str] = []
    original_save, original_barrier = torch.save, dist.barrier

    def barriers(of_rank: int) -> int:
        return len(list(markers.glob(f"barrier-{of_rank}-*")))

    def spy_barrier(*a, **k):
        (markers / f"barrier-{rank}-{barriers(rank)}").touch()
        return original_barrier(*a, **k)

    def spy_save(obj, f, *a, **k):
        saves.append(str(getattr(f, "name", f)))  # a path, or an open file's path
        if rank != 0:
            return original_save(obj, f, *a, **k)
        deadline = time.monotonic() + SAVE_WAIT_S
        while time.monotonic() < deadline:
            if (markers / "returned-1").exists() or barriers(1) > barriers(0):
                break
            time.sleep(0.002)
        result = original_save(obj, f, *a, **k)
        (markers / "saved").touch()  # after the file is closed: complete
        return result

    model = tiny_model()
    model.load_state_dict(args["initial"])
    wrapped = DistributedDataParallel(model)
    path = folder / "checkpoint.pt"
    undo = _replace_everywhere("save", original_save, spy_save, [torch, importlib.import_module("torch.serialization")])
    undo += _replace_everywhere("barrier", original_barrier, spy_barrier, [dist, importlib.import_module("torch.distributed.distributed_c10d")])
    try:
        distributed.save_checkpoint(wrapped, path)
    finally:
        _restore(undo)
    complete = (markers / "saved").exists()
    if rank == 1:
        (markers / "returned-1").touch()
    deadline = time.monotonic() + SAVE_WAIT_S + 5
    while not (markers / "saved").exists() and time.monotonic() < deadline:
        time.sleep(0.002)  # the read-back checks the file's content; the barrier is checked by `complete`
    loaded, problem = None, None
    try:
        state = torch.load(path, weights_only=True)
        plain = tiny_model()
        plain.load_state_dict(state)
        loaded = {k: v.clone() for k, v in plain.state_dict().items()}
    except Exception as exc:  # noqa: BLE001 - reported by the test
        problem = f"{type(exc).__name__}: {exc}"
    return {"saves": saves, "complete_on_return": complete, "loaded": loaded, "load_problem": problem,
            "state": {k: v.clone() for k, v in model.state_dict().items()}}  # fmt: skip


def _lift_md5_check() -> None:
    """torchvision's CIFAR10 checks the real release's md5 sums; the stand-in's files have others."""
    from torchvision.datasets import CIFAR10

    CIFAR10.train_list = [[name, None] for name, _ in CIFAR10.train_list]
    CIFAR10.test_list = [[name, None] for name, _ in CIFAR10.test_list]
    CIFAR10.meta = {**CIFAR10.meta, "md5": None}


def scenario_pipeline(rank: int, world_size: int, args: dict, folder: Path) -> dict:
    """run_distributed on the CIFAR-10 stand-in, watched: SummaryWriters, optimizers, set_epoch, torch.save, forwards."""
    import torch
    import torch.utils.tensorboard
    import torch.utils.tensorboard.writer as writer_module
    from torch.nn.modules.module import register_module_forward_pre_hook
    from torch.utils.data import DistributedSampler

    from kata_impl import distributed

    _lift_md5_check()
    _join()
    seen: dict[str, list] = {"writers": [], "optimizers": [], "epochs": [], "saves": [], "forwards": []}
    original_writer = writer_module.SummaryWriter

    class SummaryWriter(original_writer):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self.spy = {"log_dir": str(self.log_dir), "closed": False}
            seen["writers"].append(self.spy)

        def close(self):
            self.spy["closed"] = True
            return super().close()

    original_optimizer, original_set_epoch, original_save = torch.optim.Optimizer.__init__, DistributedSampler.set_epoch, torch.save

    def optimizer_init(self, *a, **k):
        original_optimizer(self, *a, **k)
        seen["optimizers"].append((type(self).__name__, [group["lr"] for group in self.param_groups]))

    def set_epoch(self, epoch):
        seen["epochs"].append(epoch)
        return original_set_epoch(self, epoch)

    def save(obj, f, *a, **k):
        seen["saves"].append(str(getattr(f, "name", f)))
        return original_save(obj, f, *a, **k)

    undo = _replace_everywhere("SummaryWriter", original_writer, SummaryWriter, [torch.utils.tensorboard, writer_module])
    undo += _replace_everywhere("save", original_save, save, [torch, importlib.import_module("torch.serialization")])
    undo += [(torch.optim.Optimizer, "__init__", original_optimizer), (DistributedSampler, "set_epoch", original_set_epoch)]
    torch.optim.Optimizer.__init__ = optimizer_init
    DistributedSampler.set_epoch = set_epoch

    def watch(module, inputs):
        if type(module).__name__ == "CifarNet" and inputs and hasattr(inputs[0], "shape"):
            seen["forwards"].append((module.training, int(inputs[0].shape[0])))

    handle = register_module_forward_pre_hook(watch)
    try:
        accuracies = distributed.run_distributed(
            args["data_root"], args["epochs"], "cpu", args["batch_size"], args["lr"], args["log_dir"], args["checkpoint"]
        )
    finally:
        handle.remove()
        _restore(undo)
    return {"accuracies": accuracies, **seen}


def run_child(spec_path: str) -> int:
    """One rank in a fresh interpreter (no fork): the spec comes from a JSON file."""
    with open(spec_path, encoding="utf-8") as handle:
        return _child(json.load(handle))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(run_child(sys.argv[2]))
    sys.exit(serve())
