"""A failure raised inside the learner's code, told from the learner's side.

pytest shows every frame between the test and the exception: for a kata that called into torch,
that is mostly torch's internals. When the traceback passes through the implementation under test
(katas/, or a mutant's file), the report becomes:

    Called CifarNet.forward via `out = model(images)` (tests/katas/test_modules.py:72; images: tensor (4, 3, 32, 32) ...).
    It raised RuntimeError at katas/modules.py:41 in forward: mat1 and mat2 shapes cannot be multiplied (...)
    tests/katas/test_modules.py:72: in test_cifar_net_output_shape
        out = model(images)
    katas/modules.py:41: in forward
        x = self.fc1(x)
      (2 frames inside torch/nn/modules/linear.py ... hidden: -v or --full-trace shows every frame)
    E   RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x1152 and 1024x64)

An assertion of the test that wraps such an exception (``raise AssertionError(...) from error``, or
``raises()`` meeting the wrong type) keeps its own message first and shows where the cause was raised.
Failures with no learner frame (a plain assertion of the test) keep pytest's report.

Two shorter answers come from the same frames: ``still_running`` (the learner's line a test that ran out
of time was still running; kata_harness.deadlines) and ``load_error`` (the learner's line that kept a test
file from importing; the progress report).
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_LEARNER_FRAMES = 6
MAX_NAMES = 4


def learner_report(excinfo, roots: list[Path], rootpath: Path, tests_dir: Path) -> str | None:
    """The report described above, or None when no frame of the traceback is the learner's."""
    final = excinfo.value
    chain = _chain(final)
    for depth, exc in enumerate(chain):
        entries = _entries(exc.__traceback__) if depth else list(excinfo.traceback)
        learner = [i for i, e in enumerate(entries) if _under(_path(e), roots)]
        if not learner:
            continue
        test = [i for i in range(learner[0]) if _under(_path(entries[i]), [tests_dir])]
        if not test and depth:  # the cause's own traceback starts below the test: take the test's line from the final one
            outer = list(excinfo.traceback)
            test_entry = next((e for e in reversed(outer) if _under(_path(e), [tests_dir])), None)
        else:
            test_entry = entries[test[-1]] if test else None
        return _render(final, exc, entries, learner, test_entry, rootpath)
    return None


def _chain(exc: BaseException) -> list[BaseException]:
    chain, seen = [], set()
    while exc is not None and id(exc) not in seen and len(chain) < 5:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return chain


def _entries(tb):
    from _pytest._code.code import Traceback

    return list(Traceback(tb)) if tb is not None else []


def _path(entry) -> Path:
    return Path(str(entry.path))


def _under(path: Path, roots: list[Path]) -> bool:
    try:
        resolved = path.resolve()
    except OSError:
        return False
    return any(resolved.is_relative_to(root) for root in roots)


def _relative(path: Path, rootpath: Path) -> str:
    try:
        return str(path.resolve().relative_to(rootpath))
    except ValueError:
        return str(path)


def _place(entry, rootpath: Path) -> str:
    """'katas/modules.py:41': a traceback entry's file (from the root when inside it) and 1-based line."""
    return f"{_relative(_path(entry), rootpath)}:{entry.lineno + 1}"


def _package(relative: str) -> str:
    """'torch' for .../site-packages/torch/nn/modules/linear.py; the file itself when it is not in a package."""
    tail = relative.split("site-packages/", 1)[-1]
    parts = tail.split("/")
    return parts[0] if len(parts) > 1 else tail


def _statement(entry) -> str:
    try:
        return str(entry.statement).strip().splitlines()[0]
    except Exception:  # noqa: BLE001 - no source (a frozen module, a deleted file)
        return ""


ANSI = re.compile(r"\x1b\[[0-9;]*m")
HEADLINE = 160  # the message's first line in the headline; the E lines below carry all of it


def _text(exc: BaseException) -> str:
    return ANSI.sub("", str(exc)).strip()


def first_line(exc: BaseException, limit: int = HEADLINE) -> str:
    """The first line of an exception's message (ANSI colours removed), cut to ``limit`` characters.

    Shared by every report that names an exception: this one, kata_harness.testing's helpers, the shape trace."""
    text = _text(exc)
    line = text.splitlines()[0] if text else "(no message)"
    if len(line) <= limit:
        return line
    cut = line[: limit - 4]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]  # at a word's end, so that no word is shown half
    return cut.rstrip(" ,;:") + " ..."


def _names(entry, statement: str) -> str:
    """'x: tensor (4, 3, 32, 32) float32 on cpu; k: 3' for the test's local values named in its line."""
    from kata_harness.testing import shape_of

    try:
        local = entry.locals
    except Exception:  # noqa: BLE001
        return ""
    described = []
    for name in dict.fromkeys(re.findall(r"\b[A-Za-z_]\w*\b", statement)):
        if name not in local or name.startswith("__"):
            continue
        value = local[name]
        if callable(value) and not hasattr(value, "shape") or type(value).__name__ == "module":
            continue
        described.append(f"{name}: {shape_of(value)}")
        if len(described) == MAX_NAMES:
            break
    return "; ".join(described)


def _render(final, exc, entries, learner, test_entry, rootpath: Path) -> str:
    from kata_harness.i18n import t
    from kata_harness.testing import lang

    language = lang()
    first, last = entries[learner[0]], entries[learner[-1]]
    code = first.frame.code.raw
    function = getattr(code, "co_qualname", code.co_name)
    where = t("failure.where", language, place=_place(last, rootpath), name=last.name)
    lines = []
    if exc is not final and str(final).lstrip().startswith(("Called ", "调用了 ")):
        pass  # the test's own message already says what was called
    elif test_entry is not None:
        statement = _statement(test_entry)
        names = _names(test_entry, statement)
        place = _place(test_entry, rootpath) + ("; " + names if names else "")
        lines.append(t("failure.called_via", language, function=function, statement=statement, place=place))
    else:
        lines.append(t("failure.called", language, function=function))
    if exc is final:
        lines.append(t("failure.raised", language, error=type(exc).__name__, where=where, message=first_line(exc)))
    else:
        lines.append(f"{type(final).__name__}: {_text(final)}")
        lines.append(t("failure.raised_inside", language, error=type(exc).__name__, where=where, message=first_line(exc)))
    if test_entry is not None:
        lines.append(f"{_place(test_entry, rootpath)}: in {test_entry.name}")
        lines.append(f"    {_statement(test_entry)}")
    shown = learner if len(learner) <= MAX_LEARNER_FRAMES else learner[:3] + learner[-3:]
    for position, index in enumerate(shown):
        if len(learner) > MAX_LEARNER_FRAMES and position == 3:
            lines.append(t("failure.more_frames", language, count=len(learner) - MAX_LEARNER_FRAMES))
        entry = entries[index]
        lines.append(f"{_place(entry, rootpath)}: in {entry.name}")
        lines.append(f"    {_statement(entry)}")
    below = entries[learner[-1] + 1 :]
    if below:
        places = dict.fromkeys(_package(_relative(_path(e), rootpath)) for e in below)
        lines.append(t("failure.frames_below", language, count=len(below), places=", ".join(places)))
    message = _text(exc).splitlines() or ["(no message)"]
    lines.extend(f"E   {line}" for line in [f"{type(exc).__name__}: {message[0]}", *message[1:8]])
    return "\n".join(lines)


def still_running(excinfo, roots: list[Path], rootpath: Path) -> tuple[str, str]:
    """Where a test that ran out of time was interrupted: ('katas/x.py:12', 'while True:').

    The deepest frame of the learner's code below pytest-timeout's signal handler, else the frame the
    signal arrived in (the test's own, a fixture's)."""
    entries = list(excinfo.traceback)
    handler = next((i for i, e in enumerate(entries) if _path(e).name == "pytest_timeout.py"), len(entries))
    running = entries[:handler] or entries
    learner = [e for e in running if _under(_path(e), roots)]
    entry = (learner or running)[-1]
    return _place(entry, rootpath), _statement(entry)


def load_error(excinfo, roots: list[Path], rootpath: Path) -> str | None:
    """'katas/tensors.py:12: SyntaxError: invalid syntax' when importing a test file failed inside the
    learner's code (pytest wraps a SyntaxError or an ImportError in a CollectError: its cause is read);
    None when the error lies elsewhere."""
    for exc in _chain(excinfo.value):
        if isinstance(exc, SyntaxError) and exc.filename and _under(Path(exc.filename), roots):
            return f"{_relative(Path(exc.filename), rootpath)}:{exc.lineno}: {type(exc).__name__}: {exc.msg}"
        learner = [e for e in _entries(exc.__traceback__) if _under(_path(e), roots)]
        if learner:
            return f"{_place(learner[-1], rootpath)}: {type(exc).__name__}: {first_line(exc)}"
    return None
