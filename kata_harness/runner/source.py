"""Kata source code: the pristine stubs (for reset), one kata's segment of a file, a solution's *why*.

The pristine stubs are kept in ``pristine.json`` next to this file - the text of every katas/<module>.py
as shipped - so that reset works without git (a learner may have downloaded a zip) and after any edit.
``python -m kata_harness.runner.source --refresh`` rewrites it from katas/; check-mirror fails when it
is out of date.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from kata_harness.i18n import LocalizedError
from kata_harness.paths import KATAS_DIR

PRISTINE = Path(__file__).with_name("pristine.json")


class SourceError(LocalizedError, ValueError):
    """A kata cannot be found in, or restored into, a file: the message says which and what to do."""


def pristine_modules() -> dict[str, str]:
    return json.loads(PRISTINE.read_text(encoding="utf-8"))


def current_modules(katas_dir: Path = KATAS_DIR) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(katas_dir.glob("*.py"))}


def _span(source: str, name: str, where: str) -> tuple[int, int] | None:
    """(first, last) line numbers, 1-based, of the top-level def or class ``name``, decorators included."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise SourceError("source.syntax_error", where=where, line=exc.lineno, error=exc.msg) from None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            return first, node.end_lineno or node.lineno
    return None


def segment(source: str, name: str, where: str) -> str:
    """The text of the top-level def or class ``name`` in ``source``."""
    span = _span(source, name, where)
    if span is None:
        raise SourceError("source.no_definition", where=where, name=name)
    lines = source.splitlines(keepends=True)
    return "".join(lines[span[0] - 1 : span[1]])


def restore(current: str, pristine: str, name: str, where: str) -> str:
    """``current`` with the def or class ``name`` replaced by its pristine stub; everything else untouched.

    When the file no longer defines ``name``, the stub is appended at the end.
    """
    stub = segment(pristine, name, "the pristine copy")
    span = _span(current, name, where)
    lines = current.splitlines(keepends=True)
    if span is None:
        tail = "" if current.endswith("\n") or not current else "\n"
        return current + tail + "\n\n" + stub
    if not stub.endswith("\n") and span[1] < len(lines):
        stub += "\n"
    return "".join(lines[: span[0] - 1]) + stub + "".join(lines[span[1] :])


def why_comments(solution: str, name: str) -> list[str]:
    """The one-line comments of a solution's kata: the reference says *why* at its key lines."""
    text = segment(solution, name, "the reference")
    return [line.strip()[1:].strip() for line in text.splitlines() if line.strip().startswith("#")]


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["--refresh"]:
        print("usage: python -m kata_harness.runner.source --refresh", file=sys.stderr)
        return 2
    PRISTINE.write_text(json.dumps(current_modules(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {PRISTINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
