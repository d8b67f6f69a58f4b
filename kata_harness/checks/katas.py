"""``make check-katas``: every kata test must FAIL against the pristine katas/, because of the kata's stub.

A test that passes against a stub cannot tell a right answer from a wrong one, and a test that fails
for another reason (a collection error, an import error, an assertion of the test's own) is broken.
Both are reported by name, with the reason, and make the exit status non-zero.

Usage: python -m kata_harness.checks.katas [extra pytest arguments, e.g. -n auto or a test path]
"""

from __future__ import annotations

import sys

import pytest

from kata_harness.impl import STUB_FAILURE as STUB


class CheckKatas:
    def __init__(self) -> None:
        self.phases: dict[str, list[str]] = {}  # nodeid -> outcome of setup, call, teardown
        self.verdicts: dict[str, str] = {}  # nodeid -> "stub" or what went wrong
        self.collection_errors: list[str] = []
        self.problems: list[str] = []

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.collection_errors.append(f"{report.nodeid or '<session>'}: collection error")

    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config) -> None:
        # The learner's progress report is noise here.
        if config.pluginmanager.has_plugin("kata-progress"):
            config.pluginmanager.unregister(name="kata-progress")

    def pytest_runtest_logreport(self, report) -> None:
        if report.failed:
            failure = dict(report.user_properties).get("failure")
            outcome = "stub" if failure == STUB else f"failed for another reason: {failure}"
        elif report.skipped:
            outcome = "was skipped (only cuda tests may skip, and check-katas deselects them)"
        else:
            outcome = "passed"
        self.phases.setdefault(report.nodeid, []).append(outcome)

    def verdict(self, outcomes: list[str]) -> str:
        others = [o for o in outcomes if o not in ("stub", "passed")]
        if others:
            return others[0]
        if "stub" in outcomes:
            return "stub"
        return "passed against the stub: it cannot tell a right answer from a wrong one"

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session) -> None:
        self.verdicts = {nodeid: self.verdict(outcomes) for nodeid, outcomes in self.phases.items()}
        self.problems = self.collection_errors + [
            f"{nodeid}: {verdict}" for nodeid, verdict in self.verdicts.items() if verdict != "stub"
        ]
        if not self.verdicts and not self.problems:
            self.problems.append("no test was collected")
        session.exitstatus = 1 if self.problems else 0

    def pytest_terminal_summary(self, terminalreporter) -> None:
        writer = terminalreporter
        writer.section("check-katas")
        good = sum(1 for v in self.verdicts.values() if v == "stub")
        if self.problems:
            writer.write_line(f"FAIL: {len(self.problems)} problem(s); {good} test(s) failed as they should:", red=True)
            for problem in self.problems:
                writer.write_line(f"  {problem}")
        else:
            writer.write_line(f"OK: all {good} test(s) fail against katas/, each on the kata's NotImplementedError.", green=True)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    checker = CheckKatas()
    code = pytest.main(
        ["--impl=katas", "-m", "not cuda", "-p", "no:cacheprovider", "-q", "--tb=no", "--no-header", "-rN", *args],
        plugins=[checker],
    )
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
