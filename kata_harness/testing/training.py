"""Test helpers for the training katas: batches that insist on being moved, and hooks that watch a model."""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import os
from collections.abc import Iterator
from pathlib import Path

import torch

REAL_CIFAR_BAR = 0.5  # a measured run of the tutorial's recipe reports 55.85% after 10 epochs
CIFAR10_ENV = "CIFAR10_ROOT"  # a folder holding cifar-10-batches-py/, for the cuda end-to-end tests

# Reading shape information is fine before a move; computing with the tensor is not.
_ALLOWED = {"size", "dim", "numel", "__len__", "shape", "dtype", "device", "__get__", "__repr__", "__format__"}


class Unmoved(torch.Tensor):
    """A tensor as a DataLoader hands it over: it must go through ``.to(device)`` before any computation.

    ``.to(...)`` returns a plain tensor; any other use raises AssertionError naming the operation, worded by the
    ``explain(operation)`` given to ``unmoved`` (the test's, in the learner's language), else in English.
    """

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", str(func))
        if name == "to":
            with torch._C.DisableTorchFunctionSubclass():
                return func(*args, **kwargs).as_subclass(torch.Tensor)
        if name in _ALLOWED:
            with torch._C.DisableTorchFunctionSubclass():
                return func(*args, **kwargs)
        explain = next((getattr(a, "_explain", None) for a in args if isinstance(a, Unmoved)), None)
        if explain is not None:
            raise AssertionError(explain(name))
        raise AssertionError(
            f"{name}() was applied to a batch tensor that was never moved, but the tests expected every batch moved "
            "with .to(device) first: move images and labels to the device before using them"
        )


def globals_of(function) -> dict:
    """The globals a learner's ``function`` looks its names up in, through any functools.wraps decorator.

    A decorated function's own ``__globals__`` are the decorator's module (torchrun's ``@record``,
    ``@torch.enable_grad()``, a ContextDecorator): replacing a name there reaches nothing the function reads.
    """
    return getattr(inspect.unwrap(function), "__globals__", {})


class PipedStdout(io.TextIOBase):
    """stdout as a pipe or a log file has it: not a terminal, block-buffered. ``delivered`` holds what was flushed."""

    def __init__(self) -> None:
        super().__init__()
        self.pending, self.delivered = "", ""

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        self.pending += text
        return len(text)

    def flush(self) -> None:
        self.delivered, self.pending = self.delivered + self.pending, ""


@contextlib.contextmanager
def on_phase(callback) -> Iterator[None]:
    """Call ``callback("train")`` or ``callback("eval")`` whenever a CifarNet forward switches modes (and at the first)."""
    from importlib import import_module

    last = []

    def watch(module, inputs):
        if type(module).__name__ == "CifarNet":
            mode = "train" if module.training else "eval"
            if last != [mode]:
                last[:] = [mode]
                callback(mode)

    handle = import_module("torch.nn.modules.module").register_module_forward_pre_hook(watch)
    try:
        yield
    finally:
        handle.remove()


def small_problem(seed: int = 0, per_class: int = 16, batch_size: int = 12, dropout: float = 0.0):
    """A linearly separable 3-class problem in 2-D, as a list of batches, and a small MLP to learn it.

    The model is created right after torch.manual_seed(seed), so two calls give identical models.
    """
    from torch import nn

    generator = torch.Generator().manual_seed(seed)
    centres = torch.tensor([[2.0, 0.0], [-2.0, 0.0], [0.0, 2.5]])
    labels = torch.arange(3).repeat(per_class)
    points = centres[labels] + 0.5 * torch.randn(len(labels), 2, generator=generator)
    batches = [(points[i : i + batch_size], labels[i : i + batch_size]) for i in range(0, len(labels), batch_size)]
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Dropout(dropout), nn.Linear(8, 3))
    return model, batches


def reference_sgd(model, batches, lr: float, epochs: int = 1) -> list[float]:
    """The textbook loop (train mode; zero_grad, forward, cross-entropy, backward, step): the step losses."""
    from torch import nn

    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        for x, y in batches:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return losses


def unmoved(tensor: torch.Tensor, explain=None) -> Unmoved:
    """``tensor`` as a batch that must be moved first; ``explain(operation) -> str`` words the failure."""
    batch = tensor.as_subclass(Unmoved)
    batch._explain = explain
    return batch


class ForwardWatcher:
    """Records, for every forward call of ``model``: training mode, grad mode, inference mode, batch size."""

    def __init__(self, model: torch.nn.Module) -> None:
        self.calls: list[dict] = []
        self.handle = model.register_forward_pre_hook(self._record)

    def _record(self, module, inputs):
        self.calls.append(
            {
                "training": module.training,
                "grad_enabled": torch.is_grad_enabled(),
                "inference_mode": torch.is_inference_mode_enabled(),
                "batch": inputs[0].shape[0],
            }
        )


class HostSyncCounter:
    """Counts the calls, made directly from ``module``'s code, that copy a tensor's value to the host
    (item, tolist, cpu, float(), int()). Calls inside torch itself (e.g. the optimizer's) are not counted."""

    NAMES = ("item", "tolist", "cpu", "__float__", "__int__")

    def __init__(self, monkeypatch, module) -> None:
        import os
        import sys

        self._getframe = sys._getframe
        self.source = os.path.realpath(module.__file__)
        self.calls: list[str] = []
        for name in self.NAMES:
            original = getattr(torch.Tensor, name)
            monkeypatch.setattr(torch.Tensor, name, self._wrap(name, original))

    def _wrap(self, name, original):
        import os

        def counted(tensor, *args, **kwargs):
            if os.path.realpath(self._getframe(1).f_code.co_filename) == self.source:
                self.calls.append(name)
            return original(tensor, *args, **kwargs)

        return counted


def cuda_data_root(tmp_path_factory, monkeypatch, standin: dict, standin_bar: float, standin_epochs: int):
    """(root, description, accuracy bar, epochs) for the cuda end-to-end tests.

    Real CIFAR10 when $CIFAR10_ROOT names a folder holding cifar-10-batches-py (10 epochs, bar 50%);
    otherwise a stand-in written to a temporary folder (with the md5 check lifted for this test).
    """
    from kata_harness.testing.cifar_standin import FOLDER, lift_md5_check, write_cifar10

    real = os.environ.get(CIFAR10_ENV)
    if real and os.path.isdir(os.path.join(real, FOLDER)):
        return real, f"real CIFAR10 from ${CIFAR10_ENV}={real}", REAL_CIFAR_BAR, 10
    root = tmp_path_factory.mktemp("cifar-cuda")
    lift_md5_check(monkeypatch)
    write_cifar10(root, **standin)
    return str(root), f"the CIFAR-10 stand-in (${CIFAR10_ENV} is not set)", standin_bar, standin_epochs


# --- the end-to-end run on the CIFAR-10 stand-in -------------------------------------------------------
# Shared by tests/katas/test_training.py (one run, seed 0) and ``python -m kata_harness.checks.seeds`` (many
# seeds and thread counts), so that the maintainers' stability check applies exactly the test's checks.

STANDIN = {"train_per_class": 40, "test_per_class": 20, "saturated": True}  # 400 training, 200 test images
RECIPE = {"epochs": 5, "batch_size": 10, "lr": 0.01}  # SGD on the note's network, tuned to the stand-in
STANDIN_BAR = 0.6  # six times chance (10%)
TRAIN_SIZE = 10 * STANDIN["train_per_class"]
TEST_SIZE = 10 * STANDIN["test_per_class"]
STEPS_PER_EPOCH = TRAIN_SIZE // RECIPE["batch_size"]  # the batch size divides the split: no partial batch
# The rules that need no learning (splits, loaders, optimizer, logs, writer, types) are checked on a small,
# quick run: 20 training and 10 test images, 2 epochs. Only the learning itself needs the full recipe.
QUICK_STANDIN = {"train_per_class": 2, "test_per_class": 1, "saturated": True}
QUICK_RECIPE = {"epochs": 2, "batch_size": 10, "lr": 0.01}
CIFARNET_PARAMETERS = 145_578


class PipelineRecord:
    """What the spies of ``spying`` saw while a pipeline ran."""

    def __init__(self) -> None:
        self.datasets: list = []  # CIFAR10 instances (root, train)
        self.loaders: list = []  # DataLoader instances (dataset, batch_size, sampler)
        self.optimizers: list = []  # SGD instances, with spy_lrs, spy_parameters, spy_steps, spy_stale_steps
        self.writers: list = []  # SummaryWriter instances, with spy_closed
        self.forwards: list[tuple[bool, bool, int]] = []  # per CifarNet forward: (training, grad enabled, batch size)


def _replace(patch, owners, original, spy) -> None:
    """Put ``spy`` wherever ``original`` is reachable: the library's attributes and the pipeline's globals."""
    for owner in owners:
        if isinstance(owner, dict):
            for name, value in list(owner.items()):
                if value is original:
                    patch.setitem(owner, name, spy)
        else:
            for name in ("CIFAR10", "DataLoader", "SGD", "SummaryWriter"):
                if getattr(owner, name, None) is original:
                    patch.setattr(owner, name, spy)


@contextlib.contextmanager
def spying(patch, function) -> Iterator[PipelineRecord]:
    """Watch what ``function`` (run_training or main) builds: datasets, loaders, optimizer, writer, forwards.

    The spies are subclasses of torchvision's CIFAR10, DataLoader, SGD and SummaryWriter that record their
    instances (so ``isinstance`` and every API still work), installed in the libraries and in the globals
    of ``function``'s module (``from torch.optim import SGD`` at the top of a kata is seen too). A global
    forward pre-hook records every CifarNet forward: training mode, grad mode and batch size.
    """
    from importlib import import_module

    # import_module, not attribute access: torch.optim deletes its submodule attributes (torch.optim.sgd).
    cifar_module, datasets_module = import_module("torchvision.datasets.cifar"), import_module("torchvision.datasets")
    loader_module, data_module = import_module("torch.utils.data.dataloader"), import_module("torch.utils.data")
    sgd_module, optim_module = import_module("torch.optim.sgd"), import_module("torch.optim")
    writer_module, tensorboard_module = import_module("torch.utils.tensorboard.writer"), import_module("torch.utils.tensorboard")

    record = PipelineRecord()
    scope = globals_of(function)  # the module's names, also when the function is decorated

    original_cifar = cifar_module.CIFAR10

    class CIFAR10(original_cifar):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            record.datasets.append(self)

    original_loader = loader_module.DataLoader

    class DataLoader(original_loader):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            record.loaders.append(self)

    original_sgd = sgd_module.SGD

    class SGD(original_sgd):
        def __init__(self, params, *args, **kwargs):
            super().__init__(params, *args, **kwargs)
            self.spy_lrs = [group["lr"] for group in self.param_groups]
            self.spy_parameters = sum(p.numel() for group in self.param_groups for p in group["params"])
            self.spy_steps = 0
            self.spy_stale_steps = 0  # steps whose gradients were not (only) the last backward's
            self.spy_latest: dict[int, torch.Tensor] = {}
            for group in self.param_groups:
                for p in group["params"]:
                    if p.requires_grad:
                        p.register_hook(functools.partial(self._spy_remember, id(p)))
            record.optimizers.append(self)

        def _spy_remember(self, key, grad):
            self.spy_latest[key] = grad.detach().clone()  # this backward's gradient, before accumulation

        def step(self, *args, **kwargs):
            for group in self.param_groups:
                stale = [
                    p for p in group["params"]
                    if p.grad is not None and (id(p) not in self.spy_latest or not torch.equal(p.grad, self.spy_latest[id(p)]))
                ]  # fmt: skip
                if stale:
                    self.spy_stale_steps += 1
                    break
            self.spy_latest.clear()
            self.spy_steps += 1
            return super().step(*args, **kwargs)

    original_writer = writer_module.SummaryWriter

    class SummaryWriter(original_writer):
        def __init__(self, *args, **kwargs):
            self.spy_closed = False
            super().__init__(*args, **kwargs)
            record.writers.append(self)

        def close(self):
            self.spy_closed = True
            return super().close()

    for original, spy, owners in [
        (original_cifar, CIFAR10, [datasets_module, cifar_module]),
        (original_loader, DataLoader, [data_module, loader_module]),
        (original_sgd, SGD, [optim_module, sgd_module]),
        (original_writer, SummaryWriter, [tensorboard_module, writer_module]),
    ]:
        _replace(patch, [*owners, scope], original, spy)

    def watch(module, inputs):
        if type(module).__name__ == "CifarNet":
            batch = inputs[0].shape[0] if inputs and hasattr(inputs[0], "shape") else -1
            record.forwards.append((module.training, torch.is_grad_enabled(), batch))

    handle = import_module("torch.nn.modules.module").register_module_forward_pre_hook(watch)
    try:
        yield record
    finally:
        handle.remove()


class StandinRun:
    """One run of run_training on the stand-in: what it returned (or raised), what it logged, what the spies saw."""

    def __init__(self, accuracies, error, record: PipelineRecord, scalars: dict, data_root: Path, log_dir: Path,
                 standin: dict, recipe: dict) -> None:  # fmt: skip
        self.accuracies, self.error, self.record, self.scalars = accuracies, error, record, scalars
        self.data_root, self.log_dir = data_root, log_dir
        self.recipe = recipe
        self.train_size, self.test_size = 10 * standin["train_per_class"], 10 * standin["test_per_class"]
        self.steps_per_epoch = self.train_size // recipe["batch_size"]
        self.call = (
            "run_training(data_root, epochs={epochs}, device='cpu', log_dir=log_dir, batch_size={batch_size}, lr={lr})"
        ).format(**recipe)  # data_root: the stand-in, its training split of train_size images

    def reraise(self) -> None:
        """A pipeline that crashed fails every check with its own exception (a stub: its NotImplementedError)."""
        if self.error is not None:
            raise self.error


class DownloadRefused(AssertionError):
    """A kata asked torchvision to download (``url``): the tests are offline."""

    def __init__(self, url) -> None:
        super().__init__(f"a kata tried to download {(url,)}: pass download=False, the tests are offline")
        self.url = url


def refuse_downloads(patch) -> None:
    import torchvision.datasets.cifar

    def refuse(*args, **kwargs):
        raise DownloadRefused(args[0] if args else kwargs.get("url"))

    patch.setattr(torchvision.datasets.cifar, "download_and_extract_archive", refuse)


def read_scalars(log_dir: Path) -> dict[str, list[tuple[int, float]]]:
    """Every scalar in the TensorBoard files under ``log_dir``: tag -> [(step, value), ...]."""
    if not Path(log_dir).is_dir():
        return {}
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(log_dir), size_guidance={"scalars": 0})
    events.Reload()
    return {tag: [(e.step, e.value) for e in events.Scalars(tag)] for tag in events.Tags()["scalars"]}


def run_standin(run_training, workdir: str | Path, seed: int = 0, standin: dict = STANDIN, recipe: dict = RECIPE) -> StandinRun:
    """Write the stand-in under ``workdir``, run ``run_training`` on it with ``recipe`` (seeded), spied on.

    Everything happens under ``workdir``, which is also the working directory during the run, so even a
    pipeline writing to a relative path leaves the checkout alone. The global RNG state is restored.
    """
    import pytest

    from kata_harness.testing.cifar_standin import lift_md5_check, write_cifar10

    workdir = Path(workdir).resolve()
    data_root, log_dir = workdir / "data", workdir / "logs"
    accuracies, error = None, None
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workdir)
        lift_md5_check(patch)
        refuse_downloads(patch)
        write_cifar10(data_root, **standin)
        with spying(patch, run_training) as record, torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            try:
                accuracies = run_training(data_root, device="cpu", log_dir=log_dir, progress=False, **recipe)
            except Exception as exc:  # noqa: BLE001 - every check reports it
                error = exc
    return StandinRun(accuracies, error, record, read_scalars(log_dir), data_root, log_dir, standin, recipe)


def _described(values) -> str:
    return "[" + ", ".join(f"{v:.3f}" if isinstance(v, float) else repr(v) for v in values) + "]"


class Finding:
    """A rule a stand-in run broke, as data: the lesson (``rule``, a table of tests/katas/lessons/training.toml, and
    its ``fields``), and what was observed and expected (code and values). The test words it in the learner's
    language; ``str()`` gives the English, for ``python -m kata_harness.checks.seeds``."""

    def __init__(self, run: StandinRun, rule: str, returned: str | None = None, expected: str | None = None,
                 **fields) -> None:  # fmt: skip
        self.call, self.rule, self.returned, self.expected, self.fields = run.call, rule, returned, expected, fields

    def __repr__(self) -> str:
        return f"Finding({self.rule!r}, returned={self.returned!r}, expected={self.expected!r}, **{self.fields!r})"

    def __str__(self) -> str:
        from kata_harness.checks import lessons

        parts = [f"Called {self.call}."]
        if self.returned is not None and self.expected is not None:
            parts.append(f"It returned {self.returned}, but the tests expected {self.expected}.")
        elif self.returned is not None:
            parts.append(f"It returned {self.returned}.")
        parts.append(lessons.text(f"training.{self.rule}", "en", **self.fields))
        return " ".join(parts)


def check_returns_float_accuracies(run: StandinRun) -> Finding | None:
    run.reraise()
    accuracies = run.accuracies
    epochs = run.recipe["epochs"]
    if not isinstance(accuracies, list) or len(accuracies) != epochs:
        return Finding(run, "run_one_accuracy_per_epoch", returned=repr(accuracies), expected=f"list of {epochs}",
                       epochs=epochs)  # fmt: skip
    wrong = sorted({type(v).__name__ for v in accuracies if type(v) is not float})
    if wrong:
        kinds = sorted({type(v).__name__ for v in accuracies})
        return Finding(run, "run_float_accuracies", returned=repr(kinds), expected="['float']")
    return None


def check_learns(run: StandinRun) -> Finding | None:
    run.reraise()
    final = run.accuracies[-1] if isinstance(run.accuracies, list) and run.accuracies else None
    if final is None or not float(final) >= STANDIN_BAR:
        return Finding(run, "run_learns", returned=repr(run.accuracies), expected=f"accuracies[-1] >= {STANDIN_BAR}",
                       epochs=run.recipe["epochs"], bar=f"{STANDIN_BAR:.0%}")  # fmt: skip
    series = run.scalars.get("train/loss") or []
    if len(series) >= 2 * run.steps_per_epoch:
        first = sum(v for _, v in series[:run.steps_per_epoch]) / run.steps_per_epoch
        last = sum(v for _, v in series[-run.steps_per_epoch:]) / run.steps_per_epoch
        if not last < 0.5 * first:
            return Finding(run, "run_loss_halves", first=f"{first:.3f}", last=f"{last:.3f}")
    return None


def check_loss_log(run: StandinRun) -> Finding | None:
    run.reraise()
    series = run.scalars.get("train/loss")
    if not series:
        return Finding(run, "run_logs_the_loss", tags=sorted(run.scalars))
    total = run.recipe["epochs"] * run.steps_per_epoch
    steps = [step for step, _ in series]
    if steps != list(range(total)):
        shown = f"[{', '.join(map(str, steps[:3]))}, ..., {', '.join(map(str, steps[-2:]))}] ({len(steps)})"
        return Finding(run, "run_loss_steps", returned=shown, expected=f"[0, 1, ..., {total - 1}] ({total})",
                       steps_per_epoch=run.steps_per_epoch)  # fmt: skip
    return None


def check_accuracy_log(run: StandinRun) -> Finding | None:
    run.reraise()
    series = run.scalars.get("test/accuracy", [])
    steps, values = [s for s, _ in series], [v for _, v in series]
    epochs = run.recipe["epochs"]
    if steps != list(range(1, epochs + 1)):
        return Finding(run, "run_accuracy_steps", returned=repr(steps), expected=repr(list(range(1, epochs + 1))))
    returned = [float(v) for v in run.accuracies]
    if any(abs(v - r) > 1e-6 for v, r in zip(values, returned)):
        return Finding(run, "run_accuracy_logged_as_returned", returned=_described(returned),
                       logged=_described(values))  # fmt: skip
    return None


def check_writer(run: StandinRun) -> Finding | None:
    run.reraise()
    writers = run.record.writers
    if len(writers) != 1:
        return Finding(run, "run_one_writer", count=len(writers))
    where = Path(writers[0].log_dir).resolve()
    if where != run.log_dir:
        return Finding(run, "run_writer_on_log_dir", where=str(where), log_dir=str(run.log_dir))
    if not writers[0].spy_closed:
        return Finding(run, "run_writer_closed")
    return None


def check_optimizer(run: StandinRun) -> Finding | None:
    run.reraise()
    optimizers = run.record.optimizers
    if len(optimizers) != 1:
        return Finding(run, "run_one_optimizer", count=len(optimizers))
    sgd = optimizers[0]
    if sgd.spy_lrs != [run.recipe["lr"]]:
        return Finding(run, "run_optimizer_lr", lrs=sgd.spy_lrs, lr=run.recipe["lr"])
    if sgd.spy_parameters != CIFARNET_PARAMETERS:
        return Finding(run, "run_optimizer_parameters", count=sgd.spy_parameters, expected_count=CIFARNET_PARAMETERS)
    expected = run.recipe["epochs"] * run.steps_per_epoch
    if sgd.spy_steps != expected:
        return Finding(run, "run_optimizer_steps", count=sgd.spy_steps, epochs=run.recipe["epochs"],
                       steps_per_epoch=run.steps_per_epoch, expected_count=expected)  # fmt: skip
    if sgd.spy_stale_steps:
        return Finding(run, "run_fresh_gradients", stale=sgd.spy_stale_steps, steps=sgd.spy_steps)
    return None


def _train_and_test_sets(run: StandinRun):
    train = [d for d in run.record.datasets if getattr(d, "train", None) is True]
    test = [d for d in run.record.datasets if getattr(d, "train", None) is False]
    return train, test


def check_loaders(run: StandinRun) -> Finding | None:
    from torch.utils.data import RandomSampler

    run.reraise()
    train, _ = _train_and_test_sets(run)
    loaders = [loader for loader in run.record.loaders if any(loader.dataset is d for d in train)]
    if not loaders:
        return Finding(run, "run_loader_over_the_training_split")
    loader = loaders[0]
    batch_size = loader.batch_size if loader.batch_size is not None else getattr(loader.batch_sampler, "batch_size", None)
    if batch_size != run.recipe["batch_size"]:
        return Finding(run, "run_loader_batch_size", batch_size=batch_size, expected_batch_size=run.recipe["batch_size"])
    samplers = [loader.sampler, getattr(loader.batch_sampler, "sampler", None)]
    if not any(isinstance(s, RandomSampler) for s in samplers):
        return Finding(run, "run_loader_shuffles", sampler=type(loader.sampler).__name__)
    return None


def check_splits(run: StandinRun) -> Finding | None:
    run.reraise()
    train, test = _train_and_test_sets(run)
    if not train or not test:
        return Finding(run, "run_loads_both_splits", train=len(train), test=len(test))
    roots = {Path(d.root).resolve() for d in train + test}
    if roots != {run.data_root}:
        return Finding(run, "run_loads_from_data_root", roots=sorted(map(str, roots)), data_root=str(run.data_root))
    forwards = run.record.forwards
    for training_mode, grad_enabled, _ in forwards:
        if training_mode and not grad_enabled:
            return Finding(run, "run_evaluates_in_eval_mode")
        if grad_enabled and not training_mode:
            return Finding(run, "run_trains_in_training_mode")
    phases: list[list] = []  # [training mode, samples] of each run of consecutive forwards in one mode
    for training_mode, _, batch in forwards:
        if phases and phases[-1][0] == training_mode:
            phases[-1][1] += batch
        else:
            phases.append([training_mode, batch])
    expected = [[True, run.train_size], [False, run.test_size]] * run.recipe["epochs"]
    if phases != expected:
        def shown(parts):
            text = ", ".join(f"{'train' if mode else 'eval'} {n}" for mode, n in parts[:6])
            return f"[{text}{', ...' if len(parts) > 6 else ''}]"

        return Finding(run, "run_phases", returned=shown(phases), expected=shown(expected),
                       epochs=run.recipe["epochs"], train_size=run.train_size, test_size=run.test_size)  # fmt: skip
    return None


STANDIN_CHECKS = {
    "returns float accuracies": check_returns_float_accuracies,
    "learns": check_learns,
    "logs the loss": check_loss_log,
    "logs the accuracy": check_accuracy_log,
    "writer": check_writer,
    "optimizer": check_optimizer,
    "loaders": check_loaders,
    "splits": check_splits,
}
