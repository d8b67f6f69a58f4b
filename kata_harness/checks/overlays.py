"""What check-mutants and check-alternatives share: finding overlay files and running them in workers.

An overlay is a file <folder>/<module>/<name>.py that stands in for kata_impl.<module>: a mistake in
mutants/, a correct variant in alternatives/. It usually imports the reference
(``from solutions.<module> import *``) and redefines what it changes; its docstring says what that is.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from kata_harness import impl, manifest
from kata_harness.paths import KATA_TESTS_DIR, ROOT, SOLUTIONS_DIR


def discover(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*/*.py") if not p.name.startswith("_"))


def katas_replaced_by(overlay: Path) -> list[str]:
    """The manifest ids of the public functions and classes the overlay defines."""
    known = {kata.id for kata in manifest.load()}
    tree = ast.parse(overlay.read_text(encoding="utf-8"))
    names = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")]
    return [f"{overlay.parent.name}.{name}" for name in names if f"{overlay.parent.name}.{name}" in known]


@cache
def dependents(module: str) -> tuple[str, ...]:
    """The kata modules whose solutions import ``module`` (``from .modules import CifarNet``)."""
    found = []
    for path in sorted(SOLUTIONS_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.ImportFrom) and n.level == 1 and n.module == module for n in ast.walk(tree)):
            found.append(path.stem)
    return tuple(found)


def static_problem(overlay: Path) -> str | None:
    """What can be wrong with an overlay before running anything, or None."""
    test_file = KATA_TESTS_DIR / f"test_{overlay.parent.name}.py"
    if not test_file.is_file():
        return f"no test file {test_file.relative_to(ROOT)} for module {overlay.parent.name!r}"
    if not ast.get_docstring(ast.parse(overlay.read_text(encoding="utf-8"))):
        return "it needs a docstring saying what it does differently"
    return None


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def run_groups(overlay_files: list[Path], every_test: bool) -> dict[Path, dict | str]:
    """Run the overlays, module by module, in as many worker interpreters as there are cores.

    Each worker imports torch once and then takes one module's overlays after another from a shared
    queue, biggest first, so that the workers finish at about the same time. Returns, per overlay, the
    worker's report (a dict) or, when the worker died first, the tail of what it printed.
    """
    import queue
    import tempfile

    from kata_harness.checks import overlay_worker

    groups: dict[str, list[Path]] = {}
    for path in overlay_files:
        groups.setdefault(path.parent.name, []).append(path)
    # A module whose tests reach into other modules (alternatives of modules run the training tests) is the
    # long pole: hand its overlays out in halves, so that two workers share it.
    chunks = []
    for paths in groups.values():
        heavy = every_test and dependents(paths[0].parent.name) and len(paths) > 1
        half = (len(paths) + 1) // 2
        chunks += [paths[:half], paths[half:]] if heavy else [paths]
    pending: queue.Queue = queue.Queue()
    for paths in sorted(chunks, key=lambda p: len(p) * (1 + 4 * len(dependents(p[0].parent.name))), reverse=True):
        pending.put(paths)
    env = {k: v for k, v in os.environ.items() if k not in (impl.ENV_VAR, impl.ENV_OVERLAY)}
    env.setdefault("OMP_NUM_THREADS", "1")  # one worker per core runs at once; more threads would thrash
    command = [sys.executable, "-m", "kata_harness.checks.overlay_worker", "--serve", *(["--all"] if every_test else [])]
    results: dict[Path, dict | str] = {}

    def serve() -> None:
        worker = None
        with tempfile.TemporaryFile("w+") as errors:
            while True:
                try:
                    paths = pending.get_nowait()
                except queue.Empty:
                    break
                if worker is None:
                    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                              stderr=errors, text=True)  # fmt: skip
                worker.stdin.write(json.dumps([str(p) for p in paths]) + "\n")
                worker.stdin.flush()
                lines = []
                for line in worker.stdout:
                    if line.startswith(overlay_worker.PREFIX):
                        report = json.loads(line[len(overlay_worker.PREFIX) :])
                        results[Path(report["overlay"])] = report
                    elif line.startswith(overlay_worker.DONE):
                        break
                    lines.append(line)
                else:  # the worker died: say so for what it did not report, and start a fresh one
                    errors.seek(0)
                    tail = "\n      ".join(("".join(lines) + errors.read()).strip().splitlines()[-8:])
                    for path in paths:
                        results.setdefault(path, f"the worker stopped before reporting on it:\n      {tail}")
                    worker.wait()
                    worker = None
            if worker is not None:
                worker.stdin.close()
                worker.wait()

    with ThreadPoolExecutor(max_workers=max(1, min(len(groups), os.cpu_count() or 1))) as pool:
        for future in [pool.submit(serve) for _ in range(pool._max_workers)]:
            future.result()
    return results


def check(
    argv: list[str] | None,
    *,
    tool: str,
    folder: Path,
    every_test: bool,
    minimum: int,
    judge,
    labels: tuple[str, str],
    ok: str,
) -> int:
    """The whole of a check over one overlay folder: arguments, per-module minimum, static checks, runs.

    ``judge(report)`` turns a worker's report into (good, detail); ``labels`` are the words printed for a
    good and a bad overlay; ``ok`` the verdict line's text, formatted with the number of overlays.
    """
    import argparse

    from kata_harness.paths import KATAS_DIR
    from kata_harness.checks.report import verdict

    kind = folder.name
    parser = argparse.ArgumentParser(prog=f"python -m kata_harness.{tool.replace('-', '_')}")
    parser.add_argument("files", nargs="*", type=Path, help=f"files to check (default: all of {kind}/)")
    args = parser.parse_args(argv)
    files = [p.resolve() for p in args.files] or discover(folder)
    for path in files:
        if not path.is_file() or path.suffix != ".py":
            print(f"error: {path} is not a file <{kind} dir>/<module>/<name>.py", file=sys.stderr)
            return 2
    problems: list[str] = []
    if not args.files:
        for module in sorted(p.stem for p in KATAS_DIR.glob("*.py") if p.name != "__init__.py"):
            count = sum(1 for f in files if f.parent.name == module)
            if count < minimum:
                problems.append(f"katas/{module}.py has {count} file(s) in {kind}/{module}/; at least {minimum} are required")
    verdicts: dict[Path, tuple[bool, str]] = {}
    for path in files:
        problem = static_problem(path)
        if problem is not None:
            verdicts[path] = (False, problem)
    runnable = [f for f in files if f not in verdicts]
    for path, report in run_groups(runnable, every_test).items():
        verdicts[path] = judge(report)
    for path in sorted(verdicts, key=str):
        good, detail = verdicts[path]
        print(f"  {labels[0] if good else labels[1]} {shown(path)}: {detail}")
        if not good:
            problems.append(f"{shown(path)}: {detail}")
    return verdict(tool, problems, ok.format(len(verdicts)))
