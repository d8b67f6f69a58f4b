"""``make check-mutants``: every deliberately wrong implementation in mutants/ is caught by the tests.

mutants/<module>/<bug>.py is a plausible mistake a learner could make in katas/<module>.py: it imports
the reference solution and replaces one piece of it with the wrong version. This check runs
tests/katas/test_<module>.py against solutions/ with that file standing in for the module, and
demands that at least one test FAILS (an error while collecting does not count as catching it).
Only the tests of the katas the mutant redefines are run, and the mutants of one module share one
interpreter (kata_harness.mutant_worker), so torch is imported once per module, not once per mutant.
Each kata module must have at least two mutants.

Usage: python -m kata_harness.check_mutants [mutants/<module>/<bug>.py ...]
"""

from __future__ import annotations

import argparse
import ast
import os
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kata_harness import impl, manifest, mutant_worker
from kata_harness.paths import KATA_TESTS_DIR, KATAS_DIR, MUTANTS_DIR, ROOT
from kata_harness.report import verdict

MIN_PER_MODULE = 2


@dataclass
class Result:
    mutant: Path
    caught: bool
    detail: str


def discover() -> list[Path]:
    return sorted(p for p in MUTANTS_DIR.glob("*/*.py") if not p.name.startswith("_"))


def katas_replaced_by(mutant: Path) -> list[str]:
    """The manifest ids of the public functions and classes the mutant defines (what it gets wrong)."""
    known = {kata.id for kata in manifest.load()}
    tree = ast.parse(mutant.read_text(encoding="utf-8"))
    names = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")]
    return [f"{mutant.parent.name}.{name}" for name in names if f"{mutant.parent.name}.{name}" in known]


def check_static(mutant: Path) -> Result | None:
    """What can be wrong with a mutant before running anything."""
    test_file = KATA_TESTS_DIR / f"test_{mutant.parent.name}.py"
    if not test_file.is_file():
        return Result(mutant, False, f"no test file {test_file.relative_to(ROOT)} for module {mutant.parent.name!r}")
    if not ast.get_docstring(ast.parse(mutant.read_text(encoding="utf-8"))):
        return Result(mutant, False, "the mutant needs a docstring saying which mistake it makes")
    return None


def run_module(mutants: list[Path]) -> list[Result]:
    """Run the mutants of one module in one worker interpreter (torch is imported once, not once per mutant)."""
    env = {k: v for k, v in os.environ.items() if k not in (impl.ENV_VAR, impl.ENV_OVERLAY)}
    env.setdefault("OMP_NUM_THREADS", "1")  # one worker per core runs at once; more threads would thrash
    command = [sys.executable, "-m", "kata_harness.mutant_worker", *map(str, mutants)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    reports = {}
    for line in done.stdout.splitlines():
        if line.startswith(mutant_worker.PREFIX):
            report = json.loads(line[len(mutant_worker.PREFIX) :])
            reports[report["mutant"]] = report
    results = []
    for mutant in mutants:
        report = reports.get(str(mutant))
        if report is None:
            tail = "\n      ".join((done.stdout + done.stderr).strip().splitlines()[-8:])
            results.append(Result(mutant, False, f"the worker stopped before reporting on it:\n      {tail}"))
        elif report["exit"] == 1 and report["failed"]:
            results.append(Result(mutant, True, f"caught by {report['failed'][0].split('::', 1)[-1]}"))
        elif report["exit"] == 0:
            results.append(Result(mutant, False, "NOT CAUGHT: every test passed against this wrong implementation"))
        else:
            results.append(Result(mutant, False, f"pytest exited {report['exit']} without a failing test (collection or setup error?)"))
    return results


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kata_harness.check_mutants", description=__doc__.splitlines()[0])
    parser.add_argument("mutants", nargs="*", type=Path, help="mutant files to check (default: all of mutants/)")
    args = parser.parse_args(argv)
    mutants = [p.resolve() for p in args.mutants] or discover()
    for path in mutants:
        if not path.is_file() or path.suffix != ".py":
            print(f"error: {path} is not a file <mutants dir>/<module>/<bug>.py", file=sys.stderr)
            return 2
    problems: list[str] = []
    if not args.mutants:
        modules = sorted(p.stem for p in KATAS_DIR.glob("*.py") if p.name != "__init__.py")
        for module in modules:
            count = sum(1 for m in mutants if m.parent.name == module)
            if count < MIN_PER_MODULE:
                problems.append(f"katas/{module}.py has {count} mutant(s) in mutants/{module}/; at least {MIN_PER_MODULE} are required")
    results = [static for static in map(check_static, mutants) if static is not None]
    rejected = {result.mutant for result in results}
    by_module: dict[str, list[Path]] = {}
    for mutant in mutants:
        if mutant not in rejected:
            by_module.setdefault(mutant.parent.name, []).append(mutant)
    # Biggest groups first, so that the parallel workers finish at about the same time.
    groups = sorted(by_module.values(), key=len, reverse=True)
    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        for group_results in pool.map(run_module, groups):
            results.extend(group_results)
    results.sort(key=lambda result: str(result.mutant))
    for result in results:
        mark = "caught " if result.caught else "MISSED "
        name = shown(result.mutant)
        print(f"  {mark} {name}: {result.detail}")
        if not result.caught:
            problems.append(f"{name}: {result.detail}")
    return verdict("check-mutants", problems, f"all {len(results)} wrong implementations are caught")


if __name__ == "__main__":
    sys.exit(main())
