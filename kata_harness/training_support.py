"""Test helpers for the training katas: batches that insist on being moved, and hooks that watch a model."""

from __future__ import annotations

import os

import torch

REAL_CIFAR_BAR = 0.5  # a measured run of the tutorial's recipe reports 55.85% after 10 epochs
CIFAR10_ENV = "CIFAR10_ROOT"  # a folder holding cifar-10-batches-py/, for the cuda end-to-end tests

# Reading shape information is fine before a move; computing with the tensor is not.
_ALLOWED = {"size", "dim", "numel", "__len__", "shape", "dtype", "device", "__get__", "__repr__", "__format__"}


class Unmoved(torch.Tensor):
    """A tensor as a DataLoader hands it over: it must go through ``.to(device)`` before any computation.

    ``.to(...)`` returns a plain tensor; any other use raises AssertionError naming the operation.
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
        raise AssertionError(
            f"{name}() was applied to a batch tensor that was never moved with .to(device): move images and labels "
            "to the device before using them"
        )


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


def unmoved(tensor: torch.Tensor) -> Unmoved:
    return tensor.as_subclass(Unmoved)


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
    from kata_harness.cifar_standin import FOLDER, lift_md5_check, write_cifar10

    real = os.environ.get(CIFAR10_ENV)
    if real and os.path.isdir(os.path.join(real, FOLDER)):
        return real, f"real CIFAR10 from ${CIFAR10_ENV}={real}", REAL_CIFAR_BAR, 10
    root = tmp_path_factory.mktemp("cifar-cuda")
    lift_md5_check(monkeypatch)
    write_cifar10(root, **standin)
    return str(root), f"the CIFAR-10 stand-in (${CIFAR10_ENV} is not set)", standin_bar, standin_epochs
