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
from kata_harness.i18n import t
from kata_harness.impl import is_stub_error

MISMATCHES_SHOWN = 3
_LANG = ["en"]  # the language of the words these messages are framed in; the plugin sets it (--lang, KATAS_LANG)


def set_lang(lang: str) -> None:
    _LANG[0] = lang


def lang() -> str:
    """The learner's language for the framing of a failure: "Called ... / It returned ... / got / expected"."""
    return _LANG[0]


def cpu_and_cuda():
    """Parametrize a device-agnostic test: ``@pytest.mark.parametrize("device", cpu_and_cuda())``."""
    return ("cpu", pytest.param("cuda", marks=pytest.mark.cuda))


def shape_of(value) -> str:
    """A short description of a value for failure messages: 'tensor (2, 3) float32 on cpu', 'list of 4', ..."""
    if type(value).__module__.startswith("PIL.") and hasattr(value, "mode") and hasattr(value, "size"):
        return f"PIL {value.mode} size={tuple(value.size)}"  # not its repr: "<PIL.Image.Image ... at 0x7f...>"
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
        return text if plain and len(text) < 60 else t("testing.sequence", lang(), kind=type(value).__name__, count=len(value))
    text = repr(value)
    return text if len(text) < 80 else type(value).__name__


def sequence_of(kind: str, count: int) -> str:
    """'list of 4' (zh: 'list（4 项）'): a sequence described as shape_of describes a long one."""
    return t("testing.sequence", lang(), kind=kind, count=count)


def describe_call(fn: Callable | str, *args, **kwargs) -> str:
    """``name(arg, ..., key=value)`` with tensors and long values described by ``shape_of``."""
    if isinstance(fn, str):
        name = fn
    else:
        name = getattr(fn, "__qualname__", "") or ""
        name = getattr(fn, "__name__", repr(fn)) if not name or name.startswith("_") else name
    parts = [shape_of(a) for a in args] + [f"{key}={shape_of(value)}" for key, value in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def lesson(lesson_id: str, **fields) -> str:
    """The text of a lesson in the learner's language: ``lesson("tensors.row_major_order", n=3)``.

    Lessons - the sentence a failure teaches - live out of the tests' logic, in tests/katas/lessons/<module>.toml,
    English and Chinese side by side (check-mirror: kata_harness.checks.lessons). ``fields`` fill its {names}."""
    from kata_harness.checks import lessons

    return lessons.text(lesson_id, lang(), **fields)


def says(
    *,
    call: str | None = None,
    returned: str | None = None,
    expected: str | None = None,
    lesson: str = "",
    picture: tuple[Any, Any] | None = None,
    source: Any = None,
) -> str:
    """A failure message in the learner's language: what was called, what came back, what was expected, the lesson.

    ``call``, ``returned`` and ``expected`` are code, values and shapes, quoted as they are (describe_call,
    shape_of, repr); ``lesson`` is a lesson's text (``lesson(...)``). Any of them may be left out.

    ``picture=(yours, expected_image)`` (tensors, arrays or PIL images) with ``source`` (the input): the failure
    also shows them as pictures, like assert_tensors_close(picture=True) - for an image check that is not a
    tensor comparison (a shape, a size, a box). Written as an assert's message, says() runs only when the
    assertion fails; the pytest plugin finds the picture by the failure's message (take_picture)."""
    parts = [_called(call)] if call else []
    if returned is not None and expected is not None:
        parts.append(t("testing.returned_but", lang(), returned=returned, expected=expected))
    elif returned is not None:
        parts.append(t("testing.returned", lang(), returned=returned))
    elif expected is not None:
        parts.append(t("testing.expected_only", lang(), expected=expected))
    if lesson:
        parts.append(lesson)
    separator = "" if lang() == "zh" else " "
    message = separator.join(part.strip() if separator else part for part in parts).strip()
    if picture is not None:
        from kata_harness import pictures

        drawn = pictures.make(picture[0], picture[1], source)
        _PICTURE[:] = [(message, drawn)] if drawn is not None else []
    return message


_PICTURE: list = []  # [(message, Pictures)] of the last says(picture=...) built: its assertion failed


def take_picture(message: str | None) -> Any:
    """The Pictures of the says(picture=...) whose message ``message`` (a failure's text) starts with, or None;
    either way it is forgotten. ``take_picture(None)`` just forgets (the plugin, before each test)."""
    found, _PICTURE[:] = list(_PICTURE), []
    if message is None or not found:
        return None
    said, drawn = found[0]
    head = said.splitlines()[0].strip() if said.strip() else ""
    return drawn if head and head in message else None


def _called(call: str | None) -> str:
    return t("testing.called", lang(), call=call) if call else ""


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
        return t("testing.or", lang()).join(e.__name__ for e in self.expected)

    def _tail(self) -> str:
        return t("testing.lesson", lang(), lesson=self.lesson) if self.lesson else ""

    def __enter__(self):
        self._info = pytest.raises(self.expected)
        return self._info.__enter__()

    def __exit__(self, exc_type, exc, tb):
        __tracebackhide__ = True
        if exc is not None and is_stub_error(exc):
            return False
        if exc_type is None:
            pytest.fail(
                _called(self.call) + t("testing.no_raise", lang(), expected=self._expected_names()) + self._tail(),
                pytrace=False,
            )
        if not issubclass(exc_type, self.expected):
            said = t("testing.other_raise", lang(), raised=exc_type.__name__, message=first_line(exc, 200),
                     expected=self._expected_names())  # fmt: skip
            raise AssertionError(_called(self.call) + said + self._tail()) from exc
        self._info.__exit__(exc_type, exc, tb)
        self.value = exc
        if self.match is not None:
            import re

            if not re.search(self.match, str(exc)):
                said = t("testing.wrong_message", lang(), raised=exc_type.__name__, message=repr(str(exc)),
                         pattern=repr(self.match))  # fmt: skip
                raise AssertionError(_called(self.call) + said + self._tail()) from exc
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
    returned = t("testing.returned_instead", lang(), result=shape_of(result), expected=context._expected_names())
    pytest.fail(_called(call) + returned + context._tail(), pytrace=False)



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
    picture: bool | str = False,
    source: Any = None,
) -> None:
    """torch.testing.assert_close, with a failure that says what was called, what came back and what was
    expected: shapes/dtypes/devices of both, the largest difference and its index, the first mismatches.

    ``picture=True`` (images: CHW, HWC, HW or a batch): the failure also shows ``source`` (the input), the result,
    the expected image and a difference map, in the terminal and as a PNG (kata_harness.pictures).
    ``picture="maps"``: the values are feature maps, (C, H, W) or (N, C, H, W) with any C: each channel in grey."""
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
        if is_stub_error(exc):
            raise
        torch_says = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lines = [f"{_called(call)}{lesson}".strip() or t("testing.values_differ", lang())]
    lines.append("  " + t("testing.got", lang(), value=shape_of(actual)))
    lines.append("  " + t("testing.expected", lang(), value=shape_of(expected)))
    detail = _difference(actual, expected, rtol, atol, equal_nan)
    lines.extend(f"  {line}" for line in (detail or [torch_says]))
    error = AssertionError("\n".join(lines))
    if picture:
        from kata_harness import pictures

        pictures.attach(error, actual, expected, source, maps=picture == "maps")
    raise error from None


def tensors_match(actual: Any, expected: Any, **kwargs) -> bool:
    """Whether assert_tensors_close(actual, expected, **kwargs) would pass: for a test that picks the message
    of a failure by what else is true (an unsolved kata's NotImplementedError still goes through)."""
    __tracebackhide__ = True
    try:
        assert_tensors_close(actual, expected, **kwargs)
    except AssertionError:
        return False
    return True


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
        return [t("testing.shapes_differ", lang(), got=tuple(got.shape), expected=tuple(want.shape))]
    if got.dtype != want.dtype:
        names = (str(d).replace("torch.", "") for d in (got.dtype, want.dtype))
        dtype_line = [t("testing.dtypes_differ", lang(), **dict(zip(("got", "expected"), names)))]
    else:
        dtype_line = []
    if got.device != want.device:
        return [*dtype_line, t("testing.devices_differ", lang(), got=got.device, expected=want.device)]
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
    at = t("testing.at_index", lang(), index=index) if index else ""
    largest_line = t(
        "testing.largest", lang(), difference=f"{float(diff.reshape(-1)[flat]):.6g}", at=at, got=_value(g, index),
        expected=_value(w, index), atol=f"{atol:.1e}", rtol=f"{rtol:.1e}",
    )  # fmt: skip
    lines = [*dtype_line, largest_line]
    if got.numel() == 1:
        return lines
    positions = bad.reshape(-1).nonzero().reshape(-1)[:MISMATCHES_SHOWN].tolist()
    shown = "; ".join(
        f"{_index(p, got.shape)}: {_value(g, _index(p, got.shape))} vs {_value(w, _index(p, got.shape))}" for p in positions
    )
    lines.append(t("testing.elements_differ", lang(), count=count, total=got.numel(), shown=shown))
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
