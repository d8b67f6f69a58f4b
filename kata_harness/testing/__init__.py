"""Helpers shared by the kata tests (never imported by katas or solutions)."""

from __future__ import annotations

import pytest


def cpu_and_cuda():
    """Parametrize a device-agnostic test: ``@pytest.mark.parametrize("device", cpu_and_cuda())``."""
    return ("cpu", pytest.param("cuda", marks=pytest.mark.cuda))


class raises:
    """``pytest.raises`` that lets an unsolved kata's NotImplementedError through.

    NotImplementedError is a subclass of RuntimeError, so a plain ``pytest.raises(RuntimeError)`` would
    count a stub as correct. With this helper the stub fails the test for the right reason.
    """

    def __init__(self, expected: type[BaseException], *, match: str | None = None) -> None:
        self._context = pytest.raises(expected, match=match)

    def __enter__(self):
        return self._context.__enter__()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, NotImplementedError):
            return False
        return self._context.__exit__(exc_type, exc, tb)


def shape_of(value) -> str:
    """A short description of a value for failure messages: 'tensor (2, 3) float32 on cpu', 'list of 4', ..."""
    shape = getattr(value, "shape", None)
    if shape is not None:
        dtype = getattr(value, "dtype", None)
        device = getattr(value, "device", None)
        kind = type(value).__name__.lower().replace("ndarray", "array")
        where = f" on {device}" if device is not None else ""
        return f"{kind} {tuple(shape)} {str(dtype).replace('torch.', '')}{where}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} of {len(value)}"
    return repr(value) if len(repr(value)) < 80 else type(value).__name__
