"""``make check-mutants``: every deliberately wrong implementation in mutants/ is caught by the tests.

mutants/<module>/<bug>.py is a plausible mistake a learner could make in katas/<module>.py: it imports
the reference solution and replaces one piece of it with the wrong version. This check runs
tests/katas/test_<module>.py against solutions/ with that file standing in for the module, and
demands that at least one test FAILS (an error while collecting or in a fixture does not count as
catching it). Only the tests of the katas the mutant redefines are run, and the mutants of one module
share one interpreter (kata_harness.checks.overlay_worker), so torch is imported once per module.
Each kata module must have at least MIN_PER_MODULE mutants.

Usage: python -m kata_harness.checks.mutants [mutants/<module>/<bug>.py ...]
"""

from __future__ import annotations

import sys

from kata_harness.checks import overlays
from kata_harness.paths import KATAS_DIR, MUTANTS_DIR

MIN_PER_MODULE = 6


def judge(report: dict | str) -> tuple[bool, str]:
    if isinstance(report, str):
        return False, report
    if report["exit"] == 1 and report["failed"]:
        return True, f"caught by {report['failed'][0].split('::', 1)[-1]}"
    if report["exit"] == 0:
        return False, "NOT CAUGHT: every test passed against this wrong implementation"
    errors = f": {report['errors'][0]}" if report["errors"] else ""
    return False, f"pytest exited {report['exit']} without a failing test (collection or fixture error{errors})"


def main(argv: list[str] | None = None) -> int:
    return overlays.check(
        argv, tool="check-mutants", folder=MUTANTS_DIR, every_test=False, minimum=MIN_PER_MODULE, judge=judge,
        labels=("caught ", "MISSED "), ok="all {} wrong implementations are caught",
    )


if __name__ == "__main__":
    sys.exit(main())
