"""Kata source code: the pristine stubs (for reset), one kata's segment of a file, a solution's *why*.

All of it on text (kata_harness.runner.files reads and writes the files): lines are split where Python
splits them, so that they match ast's line numbers, and a restored stub takes the file's line ending.

The pristine stubs are kept in ``pristine.json`` next to this file - the text of every katas/<module>.py
as shipped - so that reset works without git (a learner may have downloaded a zip) and after any edit.
``python -m kata_harness.runner.source --refresh`` rewrites it from katas/; check-mirror fails when it
is out of date.
"""

from __future__ import annotations

import ast
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from kata_harness.i18n import LocalizedError, t
from kata_harness.paths import KATAS_DIR

PRISTINE = Path(__file__).with_name("pristine.json")


class SourceError(LocalizedError, ValueError):
    """A kata cannot be found in, or restored into, a file: the message says which and what to do."""


def pristine_modules() -> dict[str, str]:
    return json.loads(PRISTINE.read_text(encoding="utf-8"))


def current_modules(katas_dir: Path = KATAS_DIR) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(katas_dir.glob("*.py"))}


def _lines(source: str) -> list[str]:
    """The lines of ``source`` with their endings, split where Python splits them (\\n, \\r\\n, \\r), so
    that the i-th is line i+1 of ast's numbering (str.splitlines also splits at \\f, \\u2028 and others)."""
    return io.StringIO(source, newline="").readlines()


def newline_of(source: str) -> str:
    """The line ending of ``source``'s first line: '\\r\\n', '\\r' or '\\n' (also when it has one line)."""
    first = _lines(source)[:1]
    ending = first[0][len(first[0].rstrip("\r\n")) :] if first else ""
    return ending or "\n"


def with_newline(text: str, newline: str) -> str:
    """``text`` (its lines ending in \\n, as the pristine stubs' do) with ``newline`` ending each line instead."""
    return text if newline == "\n" else text.replace("\n", newline)


def _span(source: str, name: str, where: str) -> tuple[int, int] | None:
    """(first, last) line numbers, 1-based, of the top-level def or class ``name``, decorators included.

    A name defined twice is an error: Python keeps the second, a reset would replace the first.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise SourceError("source.syntax_error", where=where, line=exc.lineno, error=exc.msg) from None
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    nodes = [node for node in tree.body if isinstance(node, kinds) and node.name == name]
    if len(nodes) > 1:
        raise SourceError("source.defined_twice", where=where, name=name, first=nodes[0].lineno, second=nodes[-1].lineno)
    if not nodes:
        return None
    first = min([nodes[0].lineno] + [d.lineno for d in nodes[0].decorator_list])
    return first, nodes[0].end_lineno or nodes[0].lineno


def segment(source: str, name: str, where: str) -> str:
    """The text of the top-level def or class ``name`` in ``source``."""
    span = _span(source, name, where)
    if span is None:
        raise SourceError("source.no_definition", where=where, name=name)
    return "".join(_lines(source)[span[0] - 1 : span[1]])


def restore(current: str, pristine: str, name: str, where: str) -> str:
    """``current`` with the def or class ``name`` replaced by its pristine stub; everything else untouched.

    The stub's lines take ``current``'s line ending (a CRLF file stays CRLF). When the file no longer
    defines ``name``, the stub is appended at the end.
    """
    newline = newline_of(current)
    stub = with_newline(segment(pristine, name, "the pristine copy"), newline)
    span = _span(current, name, where)
    lines = _lines(current)
    if span is None:
        tail = "" if current.endswith(("\n", "\r")) or not current else newline
        return current + tail + newline + newline + stub
    if not stub.endswith(newline) and span[1] < len(lines):
        stub += newline
    return "".join(lines[: span[0] - 1]) + stub + "".join(lines[span[1] :])


@dataclass(frozen=True)
class LoadProblem:
    """Why a kata file cannot load: it is missing, or it does not compile (at ``line``, with ``error``)."""

    missing: bool = False
    line: int | None = None
    error: str = ""

    def text(self, lang: str) -> str:
        return t("watch.no_file", lang) if self.missing else t("watch.line_error", lang, line=self.line, error=self.error)


def load_problem(path: Path) -> LoadProblem | None:
    """What keeps a kata file from loading, if anything: a missing file or a syntax error (found without running it)."""
    try:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    except FileNotFoundError:
        return LoadProblem(missing=True)
    except SyntaxError as exc:
        return LoadProblem(line=exc.lineno, error=exc.msg)
    except ValueError as exc:  # null bytes in the source
        return LoadProblem(error=str(exc))
    except OSError:
        return None  # unreadable for another reason: the tests will say so
    return None


def broken_modules(katas_dir: Path, modules) -> dict[str, LoadProblem]:
    """module -> what keeps katas_dir/<module>.py from loading, for each of ``modules`` that cannot."""
    problems = {module: load_problem(katas_dir / f"{module}.py") for module in sorted(modules)}
    return {module: problem for module, problem in problems.items() if problem is not None}


def counted_done(katas, done: set[str], katas_dir: Path) -> set[str]:
    """The katas that count as done: saved as done, and their file compiles now (pytest's report agrees)."""
    broken = broken_modules(katas_dir, {kata.module for kata in katas if kata.id in done})
    return {kata.id for kata in katas if kata.id in done and kata.module not in broken}


def why_comments(solution: str, name: str, lang: str = "en") -> list[str]:
    """The one-line comments of a solution's kata: the reference says *why* at its key lines.

    Each English comment line is followed by its Chinese edition (a comment line with Chinese in it); ``lang``
    picks the lines of one language (check-mirror requires both wherever there is one)."""
    text = segment(solution, name, "the reference")
    lines = [line.strip()[1:].strip() for line in text.splitlines() if line.strip().startswith("#")]
    return [line for line in lines if bool(_CHINESE.search(line)) == (lang == "zh")]


_CHINESE = re.compile("[\u4e00-\u9fff]")


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
