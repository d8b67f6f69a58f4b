"""Helpers shared by the kata tests (never imported by katas or solutions).

Every kind of check explains itself the same way: what was called, what came back, what was expected.

- ``assert_tensors_close`` / ``assert_tensors_equal``: tensor comparisons that report the call, the shape,
  dtype and device of both sides, the largest difference and where it is, and the first mismatches.
- ``raises`` (a context manager) and ``raises_from`` (a call): an expected exception; a missing one, or
  one of another type, is reported with the call and what happened instead. An unsolved kata's
  NotImplementedError always goes through, so a stub never counts as correct.
- ``describe_call`` / ``shape_of``: the words those messages are made of.
- ``traced_forward`` (kata_harness.testing.shapes): a model's forward pass with a layer-by-layer shape trace.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import pytest

from kata_harness.failure import first_line

MISMATCHES_SHOWN = 3


def cpu_and_cuda():
    """Parametrize a device-agnostic test: ``@pytest.mark.parametrize("device", cpu_and_cuda())``."""
    return ("cpu", pytest.param("cuda", marks=pytest.mark.cuda))


def shape_of(value) -> str:
    """A short description of a value for failure messages: 'tensor (2, 3) float32 on cpu', 'list of 4', ..."""
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, type):
        dtype = getattr(value, "dtype", None)
        device = getattr(value, "device", None)
        kind = type(value).__name__.lower().replace("ndarray", "array")
        where = f" on {device}" if device is not None else ""
        return f"{kind} {tuple(shape)} {str(dtype).replace('torch.', '')}{where}"
    if isinstance(value, (list, tuple)):
        text = repr(value)
        plain = all(isinstance(item, (int, float, str, bool, type(None))) for item in value)
        return text if plain and len(text) < 60 else f"{type(value).__name__} of {len(value)}"
    text = repr(value)
    return text if len(text) < 80 else type(value).__name__


def describe_call(fn: Callable | str, *args, **kwargs) -> str:
    """``name(arg, ..., key=value)`` with tensors and long values described by ``shape_of``."""
    if isinstance(fn, str):
        name = fn
    else:
        name = getattr(fn, "__qualname__", "") or ""
        name = getattr(fn, "__name__", repr(fn)) if not name or name.startswith("_") else name
    parts = [shape_of(a) for a in args] + [f"{key}={shape_of(value)}" for key, value in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _called(call: str | None) -> str:
    return f"Called {call}. " if call else ""


class raises:
    """``pytest.raises`` that says what was called and what happened instead, and lets a stub through.

    ``with raises(ValueError, call="linear_output_shape((3, 5), 4, 2)", lesson="the last dimension must be 4"):``

    - no exception: "Called ... It returned without raising, but the tests expected ValueError: <lesson>";
    - another exception: "Called ... It raised KeyError: <message>, but the tests expected ValueError", chained
      to the original so the learner's line is shown;
    - NotImplementedError (a subclass of RuntimeError!) from an unsolved kata passes through untouched, so that
      ``raises(RuntimeError)`` never counts a stub as correct.

    ``match`` is for wordings the kata's docstring promises, never for torch's own messages.
    """

    def __init__(self, expected, *, match: str | None = None, call: str | None = None, lesson: str = "") -> None:
        self.expected = expected if isinstance(expected, tuple) else (expected,)
        self.match = match
        self.call = call
        self.lesson = lesson
        self.value: BaseException | None = None
        self._info = None

    def _expected_names(self) -> str:
        return " or ".join(e.__name__ for e in self.expected)

    def _tail(self) -> str:
        return f": {self.lesson}" if self.lesson else ""

    def __enter__(self):
        self._info = pytest.raises(self.expected)
        return self._info.__enter__()

    def __exit__(self, exc_type, exc, tb):
        __tracebackhide__ = True
        if exc_type is not None and issubclass(exc_type, NotImplementedError):
            return False
        if exc_type is None:
            pytest.fail(
                f"{_called(self.call)}It returned without raising, but the tests expected {self._expected_names()}"
                f"{self._tail()}",
                pytrace=False,
            )
        if not issubclass(exc_type, self.expected):
            raise AssertionError(
                f"{_called(self.call)}It raised {exc_type.__name__}: {first_line(exc, 200)}, but the tests expected "
                f"{self._expected_names()}{self._tail()}"
            ) from exc
        self._info.__exit__(exc_type, exc, tb)
        self.value = exc
        if self.match is not None:
            import re

            if not re.search(self.match, str(exc)):
                raise AssertionError(
                    f"{_called(self.call)}It raised {exc_type.__name__} as expected, but its message {str(exc)!r} "
                    f"does not say what the docstring promises (pattern {self.match!r}){self._tail()}"
                ) from exc
        return True


def raises_from(expected, fn: Callable, *args, lesson: str = "", call: str | None = None, **kwargs):
    """Call ``fn(*args, **kwargs)`` and expect it to raise ``expected``; when it returns instead, say what it
    returned. Returns the exception."""
    __tracebackhide__ = True
    call = call or describe_call(fn, *args, **kwargs)
    context = raises(expected, call=call, lesson=lesson)
    context.__enter__()
    try:
        result = fn(*args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - judged by raises(), which lets a stub's NotImplementedError through
        if not context.__exit__(type(exc), exc, exc.__traceback__):
            raise
        return context.value
    pytest.fail(
        f"Called {call}. It returned {shape_of(result)}, but the tests expected {context._expected_names()}"
        f"{context._tail()}",
        pytrace=False,
    )



def assert_tensors_close(
    actual: Any,
    expected: Any,
    *,
    call: str | None = None,
    lesson: str = "",
    rtol: float | None = None,
    atol: float | None = None,
    check_dtype: bool = True,
    check_device: bool = True,
    equal_nan: bool = False,
) -> None:
    """torch.testing.assert_close, with a failure that says what was called, what came back and what was
    expected: shapes/dtypes/devices of both, the largest difference and its index, the first mismatches."""
    __tracebackhide__ = True
    import torch
    from torch.testing import assert_close

    try:
        assert_close(
            actual, expected, rtol=rtol, atol=atol, check_dtype=check_dtype, check_device=check_device,
            equal_nan=equal_nan,
        )  # fmt: skip
        return
    except (AssertionError, TypeError, ValueError, RuntimeError) as exc:
        if isinstance(exc, NotImplementedError):
            raise
        torch_says = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lines = [f"{_called(call)}{lesson}".strip() or "The values differ from the expected ones."]
    lines.append(f"  got:      {shape_of(actual)}")
    lines.append(f"  expected: {shape_of(expected)}")
    detail = _difference(actual, expected, rtol, atol, equal_nan)
    lines.extend(f"  {line}" for line in (detail or [torch_says]))
    raise AssertionError("\n".join(lines)) from None


def assert_tensors_equal(actual: Any, expected: Any, **kwargs) -> None:
    """assert_tensors_close with no tolerance: every element equal."""
    __tracebackhide__ = True
    assert_tensors_close(actual, expected, rtol=0, atol=0, **kwargs)


def _difference(actual, expected, rtol, atol, equal_nan) -> list[str]:
    """Where and by how much two tensor-likes differ (empty when they cannot be compared element by element)."""
    import torch

    try:
        got = torch.as_tensor(actual).detach()
        want = torch.as_tensor(expected).detach()
    except Exception:  # noqa: BLE001 - not tensor-like: the shapes above say enough
        return []
    if got.shape != want.shape:
        return [f"the shapes differ: {tuple(got.shape)} vs {tuple(want.shape)}"]
    if got.dtype != want.dtype:
        dtype_line = [f"the dtypes differ: {str(got.dtype).replace('torch.', '')} vs {str(want.dtype).replace('torch.', '')}"]
    else:
        dtype_line = []
    if got.device != want.device:
        return [*dtype_line, f"the devices differ: {got.device} vs {want.device}"]
    if got.device.type == "meta" or got.numel() == 0:
        return dtype_line
    try:
        g = got.to(torch.float64) if not got.is_complex() else got
        w = want.to(torch.float64) if not want.is_complex() else want
        default_rtol, default_atol = _default_tolerances(got, want)
        rtol = default_rtol if rtol is None else rtol
        atol = default_atol if atol is None else atol
        diff = (g - w).abs()
        both_nan = torch.isnan(g) & torch.isnan(w)
        diff = torch.where(both_nan, torch.zeros_like(diff), diff) if equal_nan else diff
        bad = ~(diff <= atol + rtol * w.abs())
        if equal_nan:
            bad &= ~both_nan
    except Exception:  # noqa: BLE001
        return dtype_line
    count = int(bad.sum())
    if count == 0:
        return dtype_line
    largest = torch.where(torch.isnan(diff), torch.full_like(diff, math.inf), diff)
    flat = int(largest.reshape(-1).argmax())
    index = _index(flat, got.shape)
    at = f" at index {index}" if index else ""
    lines = [
        *dtype_line,
        f"largest difference {float(diff.reshape(-1)[flat]):.6g}{at}: got {_value(g, index)}, "
        f"expected {_value(w, index)} (tolerance: atol {atol:.1e} + rtol {rtol:.1e} x |expected|)",
    ]
    if got.numel() == 1:
        return lines
    positions = bad.reshape(-1).nonzero().reshape(-1)[:MISMATCHES_SHOWN].tolist()
    shown = "; ".join(
        f"{_index(p, got.shape)}: {_value(g, _index(p, got.shape))} vs {_value(w, _index(p, got.shape))}" for p in positions
    )
    lines.append(f"{count} of {got.numel()} elements differ; the first: {shown}")
    return lines


def _default_tolerances(got, want) -> tuple[float, float]:
    from torch.testing._comparison import default_tolerances

    try:
        return default_tolerances(got, want)
    except Exception:  # noqa: BLE001 - a private helper: fall back to float32's
        return 1.3e-6, 1e-5


def _index(flat: int, shape) -> tuple[int, ...]:
    index = []
    for size in reversed(tuple(shape)):
        index.append(flat % size)
        flat //= size
    return tuple(reversed(index))


def _value(tensor, index) -> str:
    value = tensor[index].item() if index else tensor.item()
    return f"{value:.6g}" if isinstance(value, float) else str(value)
