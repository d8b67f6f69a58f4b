"""``make check-alternatives``: every correct-but-different implementation in alternatives/ passes every test.

The dual of check-mutants. alternatives/<module>/<variant>.py is a correct solution written another way
(the functional API instead of modules, a manual loop, Subset instead of a sampler, the tutorial's own
style...); its docstring says what differs. The tests must teach the lesson, not one way of writing it,
so each alternative stands in for kata_impl.<module> and must pass all of tests/katas/test_<module>.py,
and the test files of the modules whose solutions use it (training runs modules.CifarNet). The
alternatives of one module share one interpreter (kata_harness.checks.overlay_worker).
Each kata module must have at least MIN_PER_MODULE alternatives.

Usage: python -m kata_harness.checks.alternatives [alternatives/<module>/<variant>.py ...]
"""

from __future__ import annotations

import sys

from kata_harness.checks import overlays
from kata_harness.paths import ALTERNATIVES_DIR

MIN_PER_MODULE = 3


def judge(report: dict | str) -> tuple[bool, str]:
    if isinstance(report, str):
        return False, report
    if report["exit"] == 0 and report["passed"]:
        return True, f"all {report['passed']} tests pass"
    rejected = report["failed"] + report["errors"]
    if rejected:
        more = f" (and {len(rejected) - 1} more)" if len(rejected) > 1 else ""
        return False, f"REJECTED by {rejected[0]}{more}: a correct variant must pass every test"
    return False, f"pytest exited {report['exit']} and no test passed"


def main(argv: list[str] | None = None) -> int:
    return overlays.check(
        argv, tool="check-alternatives", folder=ALTERNATIVES_DIR, every_test=True, minimum=MIN_PER_MODULE, judge=judge,
        labels=("accepted", "REJECTED"), ok="all {} correct alternatives pass every test",
    )


if __name__ == "__main__":
    sys.exit(main())
