"""Run overlays (mutants or alternatives) of one kata module in a single interpreter.

``python -m kata_harness.overlay_worker [--all] OVERLAY [OVERLAY ...]`` - all from the same
<folder>/<module>/ directory. For each one: forget the previous run's kata_impl and test modules, run
the kata tests against solutions/ with the overlay standing in for its module, and print one line
``OVERLAY-RESULT {"overlay": ..., "exit": ..., "failed": [...], "errors": [...], "passed": N}``.

- default (mutants): tests/katas/test_<module>.py, only the tests of the katas the overlay redefines,
  stopping at the first failure - one failure is enough to catch a mistake;
- ``--all`` (alternatives): every test of tests/katas/test_<module>.py and of the test files of the
  modules whose solutions import this one (training uses modules.CifarNet) - all must pass.

Starting torch once per module instead of once per overlay is what keeps the checks fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

from kata_harness import overlays
from kata_harness.paths import KATA_TESTS_DIR

PREFIX = "OVERLAY-RESULT "


class _Outcomes:
    def __init__(self) -> None:
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.passed = 0

    def pytest_runtest_logreport(self, report) -> None:
        if report.failed and report.when == "call":
            self.failed.append(report.nodeid)
        elif report.failed:  # setup or teardown: not a catch for a mutant, a failure for an alternative
            self.errors.append(f"{report.nodeid} ({report.when})")
        elif report.passed and report.when == "call":
            self.passed += 1

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.errors.append(f"{report.nodeid} (collection)")


def run(overlay: Path, every_test: bool) -> dict:
    module = overlay.parent.name
    modules = [module, *overlays.dependents(module)] if every_test else [module]
    stale = {f"test_{m}" for m in modules}
    for name in [n for n in sys.modules if n in stale or n == "kata_impl" or n.startswith("kata_impl.")]:
        del sys.modules[name]  # the next run must import the test modules against the new overlay
    outcomes = _Outcomes()
    args = [
        *(str(KATA_TESTS_DIR / f"test_{m}.py") for m in modules), "--impl=solutions", f"--impl-overlay={overlay}",
        "-m", "not cuda", "-q", "--tb=no", "--no-header", "-rN", "-p", "no:cacheprovider",
    ]  # fmt: skip
    if not every_test:
        args.append("-x")
        katas = overlays.katas_replaced_by(overlay)
        if katas:
            args.append(f"--kata={','.join(katas)}")
    code = pytest.main(args, plugins=[outcomes])
    return {"overlay": str(overlay), "exit": int(code), "failed": outcomes.failed, "errors": outcomes.errors, "passed": outcomes.passed}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m kata_harness.overlay_worker")
    parser.add_argument("--all", action="store_true", help="run every test of the module and its dependents")
    parser.add_argument("overlays", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.overlays:
        print(PREFIX + json.dumps(run(path.resolve(), args.all)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
