"""The learner's view of a pytest run against katas/ (or a learner's own copy): where they stand.

- The failures section shows in full only the failures of the first unsolved kata (manifest order);
  every other unsolved kata gets one line in the report. ``--all-failures`` shows them all.
- At the very end: how many katas are complete, the next one with its first hint, and what else is
  left, module by module. Against katas/ the count is cumulative: every run updates the state file
  (kata_harness.runner.state), so a ``--kata`` run still reports the whole picture.
"""

from __future__ import annotations

from collections import OrderedDict

import pytest

from kata_harness import manifest

WIDTH = 30  # the progress bar
LINE = 100  # longest line of the list of what is left


class ProgressReport:
    """Counts, per kata, the tests that passed and failed, then says where the learner stands."""

    def __init__(self, katas: list[manifest.Kata], keep_state: bool, all_failures: bool) -> None:
        self.katas = katas
        self.position = {kata.id: number for number, kata in enumerate(katas)}
        self.keep_state = keep_state
        self.all_failures = all_failures
        self.totals: dict[str, int] = {}  # kata id -> number of tests it has
        self.outcomes: dict[str, dict[str, str]] = OrderedDict()  # kata id -> nodeid -> outcome
        self.broken: list[tuple[str, str]] = []  # test files that could not even be imported
        self.done: set[str] | None = None
        self.state_problem: str | None = None
        self.cuda_tests: dict[str, bool] = {}  # nodeid of a cuda-marked test -> skipped (in any phase)

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        # tryfirst: before --kata, -k or -m deselect anything, so that the totals are every test of a kata.
        for item in items:
            if item.get_closest_marker("cuda"):
                item.user_properties.append(("cuda", True))  # a report's keywords also hold param ids like [cuda]
            marks = list(item.iter_markers("kata"))
            if marks and marks[0].args:
                self.totals[marks[0].args[0]] = self.totals.get(marks[0].args[0], 0) + 1

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            lines = str(report.longrepr).strip().splitlines()
            self.broken.append((report.nodeid, lines[-1] if lines else "error"))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties = dict(report.user_properties)
        if properties.get("cuda"):
            self.cuda_tests[report.nodeid] = self.cuda_tests.get(report.nodeid, False) or report.skipped
        kata_id = properties.get("kata")
        if kata_id is None:
            return
        tests = self.outcomes.setdefault(kata_id, {})
        previous = tests.get(report.nodeid)
        if report.failed:
            tests[report.nodeid] = "failed"
        elif report.skipped and previous is None:
            tests[report.nodeid] = "skipped"
        elif report.when == "call" and report.passed and previous != "failed":
            tests[report.nodeid] = "passed"

    def cuda_skipped(self) -> int:
        """How many cuda-marked tests were skipped, when every one of them was (else 0)."""
        return len(self.cuda_tests) if all(self.cuda_tests.values()) else 0

    def focus(self) -> str | None:
        """The first kata, in manifest order, with a failing test in this run."""
        failing = [k for k, tests in self.outcomes.items() if "failed" in tests.values() and k in self.position]
        return min(failing, key=self.position.__getitem__) if failing else None

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter):
        """Before pytest prints the failures: keep only those of the first unsolved kata (and put the rest back)."""
        failed = terminalreporter.stats.get("failed", [])
        focus = self.focus()
        if self.all_failures or focus is None or not failed:
            return (yield)
        kept = [r for r in failed if dict(r.user_properties).get("kata") in (focus, None)]
        terminalreporter.stats["failed"] = kept
        try:
            return (yield)
        finally:
            terminalreporter.stats["failed"] = failed

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self, config: pytest.Config) -> None:
        # Printed last of all, after pytest's own summary, so it is what the learner reads first.
        if hasattr(config, "workerinput"):
            return  # an xdist worker: the controller reports
        if self.keep_state and self.outcomes:
            from kata_harness.runner import state

            results = {kata_id: list(tests.values()) for kata_id, tests in self.outcomes.items()}
            try:
                self.done = state.record_run(results, self.totals).done
            except OSError as exc:
                self.state_problem = f"(progress not saved: {exc})"
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None or not (self.outcomes or self.broken):
            return
        for line in progress_lines(self.katas, self.outcomes, self.done, self.cuda_skipped()):
            reporter.write_line(line)
        if self.state_problem:
            reporter.write_line(self.state_problem)
        for nodeid, error in self.broken:
            reporter.write_line(f"Could not load {nodeid}: {error}", red=True)
            reporter.write_line("      (a syntax or import error in the kata module it tests? its katas count as not run)")


def progress_lines(
    katas: list[manifest.Kata], outcomes: dict[str, dict[str, str]], done: set[str] | None = None, cuda_skipped: int = 0
) -> list[str]:
    """The report; it ends with the next kata and its first hint, what the learner reads first.

    ``done``: the katas complete so far (from the state file); None: judge by this run only.
    ``cuda_skipped``: how many cuda-marked tests were skipped when all of them were (no usable GPU).
    """
    failed_now = {k for k, tests in outcomes.items() if "failed" in tests.values()}
    passed_now = {k for k, tests in outcomes.items() if "passed" in tests.values()} - failed_now
    complete = [k for k in katas if (k.id in done if done is not None else k.id in passed_now)]
    pending = [k for k in katas if k.id in failed_now or (done is not None and k.id not in done)]
    not_run = [k for k in katas if k.id not in outcomes]
    total = len(katas)
    filled = round(WIDTH * len(complete) / total)
    lines = ["=" * 24 + " kata progress " + "=" * 24]
    lines.append(f"{len(complete)} of {total} katas complete  [{'#' * filled}{'-' * (WIDTH - filled)}]")
    if cuda_skipped:
        lines.append(f"{cuda_skipped} cuda test(s) skipped: no usable GPU here (`katas doctor` says why)")
    if not (failed_now or passed_now):
        lines.append("No kata test ran: they were all deselected or skipped.")
        return lines
    if done is None and not_run:
        lines.append(f"({len(not_run)} not run this time: their tests were not selected or were all skipped)")
    if pending:
        kata, rest = pending[0], pending[1:]
        if rest:
            lines.append(f"Still to do after the next one ({len(rest)}):")
            by_module: dict[str, list[str]] = OrderedDict()
            for other in rest:
                by_module.setdefault(other.file, []).append(other.name)
            for file, names in by_module.items():
                line = f"  {file:<24} {len(names):>2}: {', '.join(names)}"
                lines.append(line if len(line) <= LINE else line[: LINE - 3] + "...")
        lines.append(f"Next: {kata.file}::{kata.name}  - {kata.title} ({kata.section})")
        failing = [nodeid for nodeid, result in outcomes.get(kata.id, {}).items() if result == "failed"]
        if failing:
            lines.append(f"      {len(failing)} failing test(s), first: {failing[0]}")
        else:
            lines.append("      (its tests did not run this time)")
        lines.append(f"      just this kata: pytest --kata {kata.id}   (or: katas, which re-runs it on every save)")
        lines.append(f"Hint: {kata.hints[0]}")
        if len(kata.hints) > 1:
            lines.append(f"      next hint: katas hint {kata.id}")
    elif done is None and not_run:
        lines.append("Every kata that ran is complete: run the whole suite (make katas) to see the rest.")
    elif len(complete) == total:
        lines.append("All katas complete. Well done!")
    return lines
