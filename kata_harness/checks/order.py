"""``make check-order``: no test of a kata relies on a LATER kata.

For each kata K in katas.toml order, with every kata up to and including K solved and every later kata
left as its stub, all tests of K must pass. One run of the suite against solutions/ with ``--kata-order``
(kata_harness.kata_order) covers every K: each test meets the later katas as stubs. A test that fails names
the kata it belongs to and, when a later stub was the cause, that later kata.

Usage: python -m kata_harness.checks.order [extra pytest arguments, e.g. -n auto or a test path]
"""

from __future__ import annotations

import sys

import pytest

from kata_harness.kata_order import STUBS
from kata_harness.checks.report import verdict


class CheckOrder:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.passed = 0

    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config) -> None:
        if config.pluginmanager.has_plugin("kata-progress"):
            config.pluginmanager.unregister(name="kata-progress")

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.problems.append(f"{report.nodeid or '<session>'}: collection error")

    def pytest_runtest_logreport(self, report) -> None:
        kata = dict(report.user_properties).get("kata", "?")
        if report.failed:
            failure = dict(report.user_properties).get("failure", "failed")
            longrepr = str(report.longrepr)
            if STUBS in longrepr or "NotImplementedError" in failure:
                why = f"relies on a later kata ({failure}); a test of {kata} may use katas up to {kata} only"
            else:
                why = f"fails with the later katas left as stubs: {failure}"
            self.problems.append(f"{report.nodeid} [{kata}] {report.when}: {why}")
        elif report.when == "call" and report.passed:
            self.passed += 1


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    checker = CheckOrder()
    code = pytest.main(
        ["--impl=solutions", "--kata-order", "-m", "not cuda", "-p", "no:cacheprovider", "-q", "--tb=no",
         "--no-header", "-rN", *args],
        plugins=[checker],
    )  # fmt: skip
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and not checker.problems:
        checker.problems.append(f"pytest exited with status {int(code)}")
    return verdict(
        "check-order",
        checker.problems,
        f"all {checker.passed} tests pass with only their own and earlier katas solved",
    )


if __name__ == "__main__":
    sys.exit(main())
