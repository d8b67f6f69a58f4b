"""Test helpers for the distributed kata: process groups in the test process, two-rank scenarios, torchrun.

Three ways a test meets torch.distributed, cheapest first:
- in the test process, a world of one rank (``world_of_one``, or ``torchrun_environment`` for
  setup_process_group, which reads torchrun's variables): every kata is reached here first, so that an
  unsolved kata fails in the test process, on its own NotImplementedError;
- two ranks over gloo on 127.0.0.1 (``run_ranks``): on Linux, processes forked per scenario from one zygote
  per test process that has imported torch once; elsewhere, fresh interpreters (kata_harness.testing.
  distributed_ranks). Each scenario is a fresh process group, a fresh pair of processes and a folder under
  tmp_path; the ranks never see a GPU;
- torchrun itself (``launch_torchrun``), for the end-to-end test of the command line.
The rendezvous port is never guessed: the test process hosts the group's TCPStore on a port the system
picks (port 0) and tells the ranks to use it, as torchrun's agent does (TORCHELASTIC_USE_AGENT_STORE).
Every wait has a deadline (SCENARIO_TIMEOUT_S, TORCHRUN_TIMEOUT_S): a rank stuck in a collective that
the other never joins ends the test with a message instead of hanging it. The test process never waits
without one: it polls the zygote's pipe, passes timeouts to the store and the group, waits for torchrun
with a timeout and then kills it with its workers (each of which also carries its own alarm), and leaves
groups through distributed_ranks.destroy_process_group (torch < 2.8's own can deadlock after a collective).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import pickle
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import torch
from torch import nn

from kata_harness.testing import distributed_ranks

ROOT = Path(__file__).resolve().parents[2]
TORCHRUN_VARIABLES = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")
LAUNCH_VARIABLES = (*TORCHRUN_VARIABLES, "LOCAL_WORLD_SIZE", "GROUP_RANK", "ROLE_RANK", "TORCHELASTIC_USE_AGENT_STORE",
                    "TORCHELASTIC_RUN_ID", "TORCHELASTIC_RESTART_COUNT", "TORCHELASTIC_MAX_RESTARTS")  # fmt: skip
SCENARIO_TIMEOUT_S = 45  # a two-rank scenario takes well under a second; this is for one that hangs
TORCHRUN_TIMEOUT_S = 90  # torchrun and two fresh interpreters importing torch: 10-20 s on 2 busy cores
ZYGOTE_START_TIMEOUT_S = 120
RANKS_ENV = "KATAS_DISTRIBUTED_RANKS"  # "spawn": fresh interpreters instead of forks of the zygote (the default off Linux)
DEADLINE_ENV = "KATAS_DISTRIBUTED_DEADLINE_S"  # read by distributed_main: a torchrun worker's alarm


def _python_path() -> str:
    """kata_harness and kata_impl live in the repository root: a fresh interpreter finds them through PYTHONPATH."""
    return os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])


def reach_in_process(function, *args, **kwargs):
    """Call a kata in the test process before its ranks run it; return its result or the exception it raised.

    An unsolved kata's NotImplementedError is raised again: the test then fails here, in the test process,
    on the kata's own stub (which is what check-katas and the learner's report look for), and no rank is
    started. Any other exception is returned: the ranks will show what the kata does.
    """
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - handed to the caller
        return exc


def later_katas(config, kata_id: str) -> list[str]:
    """Under --kata-order, the katas after ``kata_id``: the ranks replace them by their stubs too."""
    if not config.getoption("--kata-order", default=False):
        return []
    from kata_harness import manifest
    from kata_harness.kata_order import LaterKatasStubbed

    return [kata.id for kata in LaterKatasStubbed(manifest.load()).later_than(kata_id)]


# --- process groups in the test process ---------------------------------------------------------------


def _store(world_size: int, timeout_s: float = SCENARIO_TIMEOUT_S):
    import torch.distributed as dist

    # Port 0: the system picks a free port and the store holds it, so no other process can take it.
    return dist.TCPStore("127.0.0.1", 0, world_size, is_master=True, wait_for_workers=False,
                         timeout=timedelta(seconds=timeout_s))  # fmt: skip


@contextlib.contextmanager
def world_of_one(backend: str = "gloo"):
    """A process group of one rank in the test process (joined by the harness, not by a kata); destroyed after."""
    import torch.distributed as dist

    store = _store(1)
    dist.init_process_group(backend, store=store, rank=0, world_size=1, timeout=timedelta(seconds=SCENARIO_TIMEOUT_S))
    try:
        yield
    finally:
        if dist.is_initialized():
            distributed_ranks.destroy_process_group()
        del store


@contextlib.contextmanager
def torchrun_environment(monkeypatch, *, rank: int = 0, world_size: int = 1, local_rank: int = 0):
    """The variables torchrun sets, for setup_process_group in the test process; any group is destroyed after.

    MASTER_ADDR:MASTER_PORT is a TCPStore hosted here; TORCHELASTIC_USE_AGENT_STORE tells env:// to connect
    to it rather than start one (torchrun's agent hosts the store the same way). A kata's own
    destroy_process_group is distributed_ranks.destroy_process_group for the test.
    """
    import torch.distributed as dist

    distributed_ranks.guard_destroy_process_group(monkeypatch.setattr)
    store = _store(world_size)
    values = {"RANK": rank, "WORLD_SIZE": world_size, "LOCAL_RANK": local_rank, "MASTER_ADDR": "127.0.0.1",
              "MASTER_PORT": store.port, "TORCHELASTIC_USE_AGENT_STORE": "True",
              "TORCHELASTIC_RESTART_COUNT": 0}  # fmt: skip  (torch < 2.5 reads it with the agent store, as torchrun sets it)
    for name, value in values.items():
        monkeypatch.setenv(name, str(value))
    try:
        yield store
    finally:
        if dist.is_initialized():
            distributed_ranks.destroy_process_group()
        del store


def without_torchrun_environment(monkeypatch) -> None:
    for name in LAUNCH_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def patch_everywhere(monkeypatch, function, name: str, replacement, owners) -> None:
    """Replace ``name`` in the library modules ``owners`` and in ``function``'s module globals (``from x import f``),
    found through any decorator (inspect.unwrap)."""
    original = getattr(owners[0], name)
    for owner in owners:
        if getattr(owner, name, None) is original:
            monkeypatch.setattr(owner, name, replacement)
    from kata_harness.testing.training import globals_of

    scope = globals_of(function)  # through a decorator (torchrun's @record) to the module's own names
    for key, value in list(scope.items()):
        if value is original:
            monkeypatch.setitem(scope, key, replacement)


class MoveRecorder(nn.Module):
    """A small model that records every move (``.to``, ``.cpu``, ``.cuda``) made on it into ``events``."""

    def __init__(self, events: list) -> None:
        super().__init__()
        self.events = events
        self.layer = nn.Linear(4, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer(x)

    def _apply(self, fn, *args, **kwargs):
        self.events.append("move")
        return super()._apply(fn, *args, **kwargs)


def watch_wrap_order(monkeypatch, events: list) -> None:
    """Record "wrap" when a DistributedDataParallel is built and "optimizer" when any optimizer is."""
    from torch.nn.parallel import DistributedDataParallel

    original_ddp, original_optimizer = DistributedDataParallel.__init__, torch.optim.Optimizer.__init__

    def ddp_init(self, *args, **kwargs):
        events.append("wrap")
        original_ddp(self, *args, **kwargs)

    def optimizer_init(self, *args, **kwargs):
        events.append("optimizer")
        original_optimizer(self, *args, **kwargs)

    monkeypatch.setattr(DistributedDataParallel, "__init__", ddp_init)
    monkeypatch.setattr(torch.optim.Optimizer, "__init__", optimizer_init)


# --- two ranks: the zygote and the scenarios ----------------------------------------------------------


class ZygoteError(RuntimeError):
    """The zygote process died or did not answer."""


class _Zygote:
    """Linux: one process that has imported torch once and forks the ranks of every scenario."""

    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in LAUNCH_VARIABLES}
        # No thread pools in the zygote (numpy's OpenBLAS starts one on import): it forks, threads do not.
        env.update(PYTHONPATH=_python_path(), CUDA_VISIBLE_DEVICES="", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kata_harness.testing.distributed_ranks"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, env=env, cwd=tempfile.gettempdir(),
        )  # fmt: skip
        self.buffer = b""
        self.lock = threading.Lock()
        self.receive(ZYGOTE_START_TIMEOUT_S)  # {"ready": true}: torch and friends are imported

    def alive(self) -> bool:
        return self.process.poll() is None

    def run(self, specs: list[dict], timeout_s: float) -> tuple[list[int], bool]:
        """Fork the ranks, wait for them; (exit codes, whether the deadline ended them)."""
        with self.lock:
            try:
                self.send({"ranks": specs})
                self.receive(30)  # {"pids": [...]}
                exits = self.receive(timeout_s + 30)["exits"]  # each child's alarm ends it after timeout_s
            except ZygoteError:
                self.kill()  # out of step with this scenario: the next one starts a fresh zygote
                raise
        return exits, any(code == -signal.SIGALRM for code in exits)

    def send(self, message: dict) -> None:
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode())
            self.process.stdin.flush()
        except OSError as exc:
            raise ZygoteError(f"the rank zygote is gone ({exc}){self._stderr()}") from None

    def receive(self, timeout_s: float) -> dict:
        deadline = time.monotonic() + timeout_s
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while b"\n" not in self.buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise ZygoteError(f"the rank zygote did not answer within {timeout_s:.0f} s{self._stderr()}")
                chunk = os.read(self.process.stdout.fileno(), 65536)
                if not chunk:
                    raise ZygoteError(f"the rank zygote ended (exit status {self.process.wait()}){self._stderr()}")
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def _stderr(self) -> str:
        self.errors.seek(0)
        text = self.errors.read().decode(errors="replace").strip()
        return f": {text[-1500:]}" if text else ""

    def kill(self) -> None:
        self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()


class _Spawner:
    """macOS, Windows (no safe fork): every rank a fresh interpreter, killed at the deadline."""

    def run(self, specs: list[dict], timeout_s: float) -> tuple[list[int], bool]:
        processes = []
        for spec in specs:
            path = Path(spec["folder"]) / f"spec-{spec['rank']}.json"
            path.write_text(json.dumps(spec), encoding="utf-8")
            processes.append(subprocess.Popen([sys.executable, "-m", "kata_harness.testing.distributed_ranks", "--child", str(path)],
                                              env=spec["env"], cwd=spec["folder"], stdin=subprocess.DEVNULL,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        deadline = time.monotonic() + timeout_s + ZYGOTE_START_TIMEOUT_S / 4  # fresh interpreters import torch first
        timed_out = False
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
                for other in processes:
                    other.kill()
        exits = []
        for process in processes:
            try:
                exits.append(process.wait(timeout=10))
            except subprocess.TimeoutExpired:
                exits.append(process.returncode)
        return exits, timed_out


_LAUNCHER: _Zygote | _Spawner | None = None


def _launcher() -> _Zygote | _Spawner:
    global _LAUNCHER
    forking = sys.platform.startswith("linux") and os.environ.get(RANKS_ENV, "fork") != "spawn"
    if not forking:
        return _Spawner()
    if _LAUNCHER is None or not _LAUNCHER.alive():
        _LAUNCHER = _Zygote()
        atexit.register(_LAUNCHER.close)
    return _LAUNCHER


class RankRun:
    """What the ranks of one scenario returned: ``result(rank)`` is that rank's dict, or an AssertionError.

    An outcome without a result says what the rank did instead, as data: ``error`` (the exception it raised,
    ``Type: message``, with its ``traceback``), ``timed_out_after`` (seconds: stopped at the deadline) or
    ``exit_code`` (it ended before reporting, after ``seconds``); ``log`` is its output. ``explain(run, rank,
    outcome)``, given by the test, words the failure in the learner's language; without it, English.
    """

    def __init__(self, what: str, outcomes: list[dict], timeout_s: float, explain=None) -> None:
        self.what, self.outcomes, self.timeout_s, self.explain = what, outcomes, timeout_s, explain
        self.world_size = len(outcomes)

    def result(self, rank: int) -> dict:
        outcome = self.outcomes[rank]
        if "result" in outcome:
            return outcome["result"]
        rank = self._first_cause(rank)  # a rank whose peer failed first reports only that the peer went away
        outcome = self.outcomes[rank]
        if self.explain is not None:
            raise AssertionError(self.explain(self, rank, outcome))
        raise AssertionError(self._in_english(rank, outcome))

    PEER_GONE = ("Connection closed by peer", "Connection reset by peer", "Broken pipe")

    def _first_cause(self, rank: int) -> int:
        """The rank to report: ``rank``, unless its error only says a peer went away and another rank failed on its own."""
        def own_error(outcome: dict) -> bool:
            error = outcome.get("error")
            return error is not None and not any(words in error for words in self.PEER_GONE)

        if own_error(self.outcomes[rank]):
            return rank
        return next((other for other, outcome in enumerate(self.outcomes) if own_error(outcome)), rank)

    def _in_english(self, rank: int, outcome: dict) -> str:
        if outcome.get("timed_out_after") is not None:
            did = (
                f"was still running after {outcome['timed_out_after']:.0f} s and was stopped: a rank waiting in a "
                "collective (all_reduce, barrier, a DDP backward) that another rank never calls waits forever"
            )  # fmt: skip
        elif outcome.get("exit_code") is not None:
            did = f"ended with exit code {outcome['exit_code']} after {outcome['seconds']:.1f} s, before reporting"
        else:
            did = f"raised {outcome['error']}"
        lines = (outcome.get("traceback") or "").strip().splitlines()
        where = "\n".join(lines[-12:])
        log = outcome.get("log", "").strip()
        return (
            f"{self.what}: rank {rank} of {self.world_size} {did}"
            + (f"\n--- its traceback (last lines) ---\n{where}" if where else "")
            + (f"\n--- its output ---\n{log[-1200:]}" if log else "")
        )

    def results(self) -> list[dict]:
        return [self.result(rank) for rank in range(self.world_size)]


def run_ranks(scenario: str, folder: Path, args: dict | None = None, *, what: str, world_size: int = 2,
              stubbed: list[str] = (), timeout_s: float = SCENARIO_TIMEOUT_S, explain=None) -> RankRun:  # fmt: skip
    """Run ``scenario_<scenario>`` of kata_harness.testing.distributed_ranks on ``world_size`` ranks (CPU, gloo).

    ``args`` reach every rank (saved with torch.save in ``folder``, which is each rank's working directory);
    ``what`` describes the scenario in failure messages (``explain``: see RankRun); ``stubbed`` are kata ids the
    ranks replace by stubs.
    CUDA is hidden from the ranks (CUDA_VISIBLE_DEVICES=""), so the scenarios are the same on a GPU machine.
    """
    import torch.distributed  # noqa: F401 - TCPStore

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if args is not None:
        torch.save(args, folder / "args.pt")
    store = _store(world_size, timeout_s)
    base = {k: v for k, v in os.environ.items() if k not in LAUNCH_VARIABLES}
    base.update(PYTHONPATH=_python_path(), OMP_NUM_THREADS="1", CUDA_VISIBLE_DEVICES="")
    specs = []
    for rank in range(world_size):
        env = {**base, "RANK": str(rank), "WORLD_SIZE": str(world_size), "LOCAL_RANK": str(rank),
               "LOCAL_WORLD_SIZE": str(world_size), "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(store.port),
               "TORCHELASTIC_USE_AGENT_STORE": "True", "TORCHELASTIC_RESTART_COUNT": "0"}  # fmt: skip
        specs.append({"scenario": scenario, "rank": rank, "world_size": world_size, "folder": str(folder), "env": env,
                      "stubbed": list(stubbed), "deadline_s": int(timeout_s)})  # fmt: skip
    started = time.monotonic()
    exits, timed_out = _launcher().run(specs, timeout_s)
    del store
    outcomes = []
    for rank, code in enumerate(exits):
        path = folder / f"result-{rank}.pt"
        log_path = folder / f"rank-{rank}.log"
        log = log_path.read_text(errors="replace") if log_path.exists() else ""
        if path.exists():
            outcome = torch.load(path, weights_only=False)
        elif timed_out:
            outcome = {"timed_out_after": timeout_s}
        else:
            outcome = {"exit_code": code, "seconds": time.monotonic() - started}
        outcome["log"] = log
        outcomes.append(outcome)
    return RankRun(what, outcomes, timeout_s, explain)


# --- the CIFAR-10 stand-in of the pipeline tests -------------------------------------------------------

PIPELINE_STANDIN = {"train_per_class": 2, "test_per_class": 2, "saturated": True}  # 20 training images
PIPELINE_TEST_SIZE = 15  # odd: two ranks cannot split it evenly, and DistributedSampler would pad it to 16


def write_pipeline_standin(root: Path) -> Path:
    """The stand-in (kata_harness.testing.cifar_standin) with 20 training and 15 test images."""
    from kata_harness.testing.cifar_standin import FOLDER, TEST_FILE, write_cifar10

    write_cifar10(root, **PIPELINE_STANDIN)
    path = Path(root) / FOLDER / TEST_FILE
    with open(path, "rb") as handle:
        entry = pickle.load(handle)
    entry = {**entry, "data": entry["data"][:PIPELINE_TEST_SIZE], "labels": entry["labels"][:PIPELINE_TEST_SIZE],
             "filenames": entry["filenames"][:PIPELINE_TEST_SIZE]}  # fmt: skip
    with open(path, "wb") as handle:
        pickle.dump(entry, handle)
    return Path(root)


def standin_test_split(root: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """The stand-in's test images as ToTensor gives them, (N, 3, 32, 32) floats in [0, 1], and their labels."""
    from kata_harness.testing.cifar_standin import FOLDER, TEST_FILE

    with open(Path(root) / FOLDER / TEST_FILE, "rb") as handle:
        entry = pickle.load(handle)
    images = torch.from_numpy(entry["data"].reshape(-1, 3, 32, 32)).float().div(255)
    return images, torch.tensor(entry["labels"])


def accuracy_bounds(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, margin: float = 1e-4) -> tuple[float, float]:
    """The single-process accuracy of ``model``, as the interval any correct evaluation falls in.

    A prediction whose two best logits are closer than ``margin`` may flip with the order of floating-point
    sums (another batch size, another thread count): it counts as right at the top of the interval and as
    wrong at the bottom. Every other prediction counts as it is.
    """
    model.eval()
    with torch.no_grad():
        logits = model(images)
    top = logits.topk(2, dim=1).values
    sure = (top[:, 0] - top[:, 1]) > margin
    right = (logits.argmax(dim=1) == labels) & sure
    n = len(labels)
    return right.sum().item() / n, (right.sum().item() + (~sure).sum().item()) / n


# --- torchrun -----------------------------------------------------------------------------------------


class Launch:
    def __init__(self, command: list[str], returncode: int | None, stdout: str, stderr: str, timed_out: bool) -> None:
        self.command, self.returncode, self.stdout, self.stderr, self.timed_out = command, returncode, stdout, stderr, timed_out

    def shown(self) -> str:
        """The command line as a learner would type it."""
        return " ".join(["torchrun", *self.command[3:]]).replace("kata_harness.testing.distributed_main", "kata_impl.distributed")


def launch_torchrun(nproc: int, argv: list[str], workdir: Path, timeout_s: float = TORCHRUN_TIMEOUT_S, cuda: bool = False) -> Launch:
    """``torchrun --nproc_per_node=nproc -m kata_impl.distributed *argv`` (through distributed_main), in ``workdir/cwd``.

    One node; the rendezvous on 127.0.0.1 with a port torchrun picks (:0). torchrun's own logs, its output
    and every temporary file stay under ``workdir``. After ``timeout_s`` torchrun and every process under it
    are killed (torchrun starts each worker in a session of its own, out of reach of its process group); a
    worker also ends itself by an alarm at that deadline (distributed_main). Its output goes to files, not
    pipes: a worker that outlives torchrun cannot keep the test waiting for the end of a pipe. Without
    ``cuda``, the GPUs are hidden (CUDA_VISIBLE_DEVICES=""): the ranks use gloo on the cpu even on a GPU machine.
    """
    workdir = Path(workdir)
    for sub in ("cwd", "tmp", "torchrun-logs"):
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "torch.distributed.run", f"--nproc_per_node={nproc}", "--nnodes=1",
        "--rdzv-backend=c10d", "--rdzv-endpoint=127.0.0.1:0", "--local-addr=127.0.0.1", "--monitor-interval=0.1",
        f"--log-dir={workdir / 'torchrun-logs'}", "-m", "kata_harness.testing.distributed_main", *argv,
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in LAUNCH_VARIABLES}
    env.update(PYTHONPATH=_python_path(), TMPDIR=str(workdir / "tmp"), OMP_NUM_THREADS="1")
    env[DEADLINE_ENV] = str(int(timeout_s) + 1)
    if not cuda:
        env["CUDA_VISIBLE_DEVICES"] = ""
    outputs = workdir / "torchrun.stdout", workdir / "torchrun.stderr"
    with open(outputs[0], "wb") as stdout, open(outputs[1], "wb") as stderr:
        process = subprocess.Popen(command, cwd=workdir / "cwd", env=env, stdin=subprocess.DEVNULL, stdout=stdout,
                                   stderr=stderr, start_new_session=True)  # fmt: skip
    try:
        process.wait(timeout=timeout_s)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_tree(process)
        timed_out = True
    stdout, stderr = (path.read_text(encoding="utf-8", errors="replace") for path in outputs)
    return Launch(command, process.returncode, stdout, stderr, timed_out)


def _children() -> dict[int, list[int]]:
    """Linux: every process's children, from /proc (elsewhere: none known)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    return children


def _kill_tree(process: subprocess.Popen) -> None:
    """SIGKILL ``process`` and all its descendants, whatever their session; reap it (bounded)."""
    frozen: list[int] = []
    for _ in range(20):  # freeze the tree first (SIGSTOP: nothing stopped starts another process), then kill it
        tree, todo = [], [process.pid]
        children = _children() if sys.platform.startswith("linux") else {}
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        new = [pid for pid in tree if pid not in frozen]
        if not new:
            break
        for pid in new:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGSTOP)
            frozen.append(pid)
    for pid in frozen:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
