"""Run the mutants of one kata module in a single interpreter (used by check_mutants).

``python -m kata_harness.mutant_worker MUTANT [MUTANT ...]`` - all from the same mutants/<module>/ folder.
For each one: forget the previous run's kata_impl and test module, run tests/katas/test_<module>.py
(only the tests of the katas the mutant redefines) against solutions/ with the mutant standing in,
and print one line ``MUTANT-RESULT {"mutant": ..., "exit": ..., "failed": [...]}``. Starting torch once
per module instead of once per mutant is what makes check-mutants fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kata_harness.paths import KATA_TESTS_DIR

PREFIX = "MUTANT-RESULT "


class _Failures:
    def __init__(self) -> None:
        self.failed: list[str] = []

    def pytest_runtest_logreport(self, report) -> None:
        if report.failed and report.when == "call":  # an error in setup or collection is not a catch
            self.failed.append(report.nodeid)


def run(mutant: Path, katas: list[str]) -> dict:
    module = mutant.parent.name
    for name in [n for n in sys.modules if n == f"test_{module}" or n == "kata_impl" or n.startswith("kata_impl.")]:
        del sys.modules[name]  # the next run must import the test module against the new overlay
    failures = _Failures()
    args = [
        str(KATA_TESTS_DIR / f"test_{module}.py"), "--impl=solutions", f"--impl-overlay={mutant}",
        "-m", "not cuda", "-x", "-q", "--tb=no", "--no-header", "-rN", "-p", "no:cacheprovider",
    ]  # fmt: skip
    if katas:
        args.append(f"--kata={','.join(katas)}")
    code = pytest.main(args, plugins=[failures])
    return {"mutant": str(mutant), "exit": int(code), "failed": failures.failed}


def main(argv: list[str]) -> int:
    from kata_harness.check_mutants import katas_replaced_by

    for path in argv:
        mutant = Path(path).resolve()
        print(PREFIX + json.dumps(run(mutant, katas_replaced_by(mutant))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
