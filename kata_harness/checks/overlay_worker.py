"""Run overlays (mutants or alternatives) of one kata module in a single pytest session.

``python -m kata_harness.checks.overlay_worker [--all] OVERLAY [OVERLAY ...]`` - all from the same
<folder>/<module>/ directory. The test files are collected once against solutions/; then, for each
overlay in turn, its module takes the place of ``kata_impl.<module>`` everywhere the tests can reach it
(sys.modules, the kata_impl package, the globals of the test modules, the names the solutions of other
modules imported from it, and $KATAS_IMPL_OVERLAY for subprocesses and spawned workers), the selected
tests run, every fixture is torn down, and the reference is put back. One line per overlay:
``OVERLAY-RESULT {"overlay": ..., "exit": ..., "failed": [...], "errors": [...], "passed": N}``.

- default (mutants): only the tests of the katas the overlay redefines, stopping at the first failure -
  one failure is enough to catch a mistake;
- ``--all`` (alternatives): every test of tests/katas/test_<module>.py and of the test files of the
  modules whose solutions import this one (training uses modules.CifarNet) - all must pass.

Collecting once and swapping modules, rather than a pytest run per overlay, is what keeps
check-mutants and check-alternatives fast.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from kata_harness import impl
from kata_harness.checks import overlays
from kata_harness.paths import KATA_TESTS_DIR, SOLUTIONS_DIR

PREFIX = "OVERLAY-RESULT "
DONE = "OVERLAY-GROUP-DONE"


def _imported_names(module: str, dependent: str) -> list[str]:
    """The names solutions/<dependent>.py imports from its sibling ``module`` (``from .modules import CifarNet``)."""
    tree = ast.parse((SOLUTIONS_DIR / f"{dependent}.py").read_text(encoding="utf-8"))
    return [
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == module
        for alias in node.names
    ]


@contextmanager
def standing_in(overlay: Path, test_modules: list):
    """Put the overlay's module where the tests look for kata_impl.<module>; restore everything after."""
    module = overlay.parent.name
    name = f"{impl.PACKAGE}.{module}"
    original = sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, overlay)
    replacement = importlib.util.module_from_spec(spec)
    patch = pytest.MonkeyPatch()
    try:
        patch.setitem(sys.modules, name, replacement)
        spec.loader.exec_module(replacement)
        patch.setattr(sys.modules[impl.PACKAGE], module, replacement)
        for test_module in test_modules:
            for key, value in list(vars(test_module).items()):
                if value is original:
                    patch.setattr(test_module, key, replacement)
        for dependent in overlays.dependents(module):
            loaded = sys.modules.get(f"{impl.PACKAGE}.{dependent}")
            for imported in _imported_names(module, dependent) if loaded else []:
                if hasattr(replacement, imported):
                    patch.setattr(loaded, imported, getattr(replacement, imported))
        patch.setenv(impl.ENV_OVERLAY, str(overlay))
        yield
    finally:
        patch.undo()


class OverlayLoop:
    """Replaces pytest's run loop: every overlay runs its share of the collected tests."""

    def __init__(self, overlay_files: list[Path], every_test: bool) -> None:
        self.overlay_files = overlay_files
        self.every_test = every_test
        self.collection_errors: list[str] = []
        self.durations: dict[str, float] = {}  # nodeid -> seconds, as measured under earlier overlays

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.collection_errors.append(f"{report.nodeid} (collection)")

    def selected(self, overlay: Path, items: list[pytest.Item]) -> list[pytest.Item]:
        module = overlay.parent.name
        own = KATA_TESTS_DIR / f"test_{module}.py"
        if self.every_test:
            files = {own, *(KATA_TESTS_DIR / f"test_{m}.py" for m in overlays.dependents(module))}
            return [i for i in items if Path(i.path) in files]
        katas = set(overlays.katas_replaced_by(overlay))
        chosen = [i for i in items if Path(i.path) == own and (not katas or dict(i.user_properties).get("kata") in katas)]
        # Quick tests first: the first failure ends a mutant's run, and most mutants fail a quick test.
        return sorted(chosen, key=lambda item: self.durations.get(item.nodeid, 0.0))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        from _pytest.runner import runtestprotocol

        test_modules = list({id(i.module): i.module for i in session.items if getattr(i, "module", None)}.values())
        for overlay in self.overlay_files:
            started = time.perf_counter()
            result = {"overlay": str(overlay), "exit": 0, "failed": [], "errors": list(self.collection_errors), "passed": 0}
            items = self.selected(overlay, session.items)
            try:
                with standing_in(overlay, test_modules):
                    for index, item in enumerate(items):
                        last = index + 1 == len(items)
                        reports = runtestprotocol(item, nextitem=None if last else items[index + 1], log=False)
                        self.durations[item.nodeid] = sum(report.duration for report in reports)
                        for report in reports:
                            if report.failed and report.when == "call":
                                result["failed"].append(report.nodeid)
                            elif report.failed:
                                result["errors"].append(f"{report.nodeid} ({report.when})")
                            elif report.passed and report.when == "call":
                                result["passed"] += 1
                        if (result["failed"] or result["errors"]) and not self.every_test and not last:
                            session._setupstate.teardown_exact(None)  # one failure catches a mutant
                            break
            except Exception as exc:  # noqa: BLE001 - the overlay itself did not import
                result["errors"].append(f"{overlay.name} could not be loaded: {type(exc).__name__}: {exc}")
            if result["failed"] or result["errors"]:
                result["exit"] = 1
            elif not items:
                result["exit"] = 5
            result["seconds"] = round(time.perf_counter() - started, 3)
            print("\n" + PREFIX + json.dumps(result), flush=True)
        return True


def run_group(files: list[Path], every_test: bool) -> None:
    """Collect the test files these overlays need (once), then run every overlay against them."""
    modules = sorted({f.parent.name for f in files})
    needed = [m for module in modules for m in [module, *(overlays.dependents(module) if every_test else ())]]
    test_files = list(dict.fromkeys(str(KATA_TESTS_DIR / f"test_{m}.py") for m in needed))
    stale = {f"test_{m}" for m in needed}
    for name in [n for n in sys.modules if n in stale or n == impl.PACKAGE or n.startswith(impl.PACKAGE + ".")]:
        del sys.modules[name]  # a previous group's test modules were collected against other overlays
    os.environ.pop(impl.ENV_OVERLAY, None)
    pytest.main(
        [*test_files, "--impl=solutions", "-m", "not cuda", "-q", "--tb=no", "--no-header", "-rN", "-p", "no:cacheprovider"],
        plugins=[OverlayLoop(files, every_test)],
    )  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m kata_harness.checks.overlay_worker")
    parser.add_argument("--all", action="store_true", help="run every test of the module and its dependents")
    parser.add_argument("--serve", action="store_true", help="read groups of overlays (JSON lists) from stdin, one per line")
    parser.add_argument("overlays", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if not args.serve:
        run_group([path.resolve() for path in args.overlays], args.all)
        return 0
    for line in sys.stdin:
        run_group([Path(p).resolve() for p in json.loads(line)], args.all)
        print("\n" + DONE, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
