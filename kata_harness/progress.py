"""The learner's view of a pytest run against katas/ (or a learner's own copy): where they stand.

- The failures section shows in full only the failures of the first unsolved kata (manifest order);
  every other unsolved kata gets one line in the report. ``--all-failures`` shows them all.
- At the very end: how many katas are complete, the next one with its first hint, and what else is
  left, module by module. Against katas/ the count is cumulative: every run updates the state file
  (kata_harness.runner.state), so a ``--kata`` run still reports the whole picture.
- A kata module that does not import (a syntax error, a NameError or an ImportError at module level)
  keeps its test file from loading: the report names the learner's line, and the module's katas count
  as not checked - neither complete (whatever the state file says) nor failed, and nothing is saved
  for them. "All katas complete" needs every module to load.
- All of it in the language of ``--lang`` / ``KATAS_LANG`` / the locale (kata_harness.i18n), the next
  kata's title and hint included.
"""

from __future__ import annotations

from collections import OrderedDict

import pytest

from kata_harness import manifest
from kata_harness.i18n import t

WIDTH = 30  # the progress bar
LINE = 100  # longest line of the list of what is left


class ProgressReport:
    """Counts, per kata, the tests that passed and failed, then says where the learner stands."""

    def __init__(self, katas: list[manifest.Kata], keep_state: bool, all_failures: bool, lang: str = "en") -> None:
        self.katas = katas
        self.lang = lang
        self.position = {kata.id: number for number, kata in enumerate(katas)}
        self.keep_state = keep_state
        self.all_failures = all_failures
        self.totals: dict[str, int] = {}  # kata id -> number of tests it has
        self.outcomes: dict[str, dict[str, str]] = OrderedDict()  # kata id -> nodeid -> outcome
        self.broken: dict[str, tuple[str | None, str]] = {}  # test file that did not import -> (kata module, error)
        self.done: set[str] | None = None
        self.state_problems: list[str] = []  # the progress file was moved aside, or could not be saved: one line each
        self.cuda_tests: dict[str, bool] = {}  # nodeid of a cuda-marked test -> skipped (in any phase)
        self.gpu_skipped: set[str] = set()  # katas with a cuda-marked test skipped in this run

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
        """A test file that did not import (once, though each xdist worker reports it): the kata module it
        tests and the learner's line at fault (kata_harness.plugin tags the report), else pytest's last line."""
        if report.failed:
            lines = str(report.longrepr).strip().splitlines()
            error = getattr(report, "kata_load_error", None) or (lines[-1] if lines else "error")
            self.broken[report.nodeid] = (getattr(report, "kata_module", None), error)

    def unloaded(self) -> dict[str, str]:
        """Kata module -> the line saying why its test file did not load."""
        return {
            module: t("progress.cannot_load", self.lang, nodeid=nodeid, error=error)
            for nodeid, (module, error) in self.broken.items()
            if module is not None
        }

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties = dict(report.user_properties)
        kata_id = properties.get("kata")
        if properties.get("cuda"):
            self.cuda_tests[report.nodeid] = self.cuda_tests.get(report.nodeid, False) or report.skipped
            if report.skipped and kata_id is not None:
                self.gpu_skipped.add(kata_id)
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
        """Before pytest prints the failures: keep only those of the first unsolved kata (and put the rest back).

        Errors too: a module-scoped fixture that runs a kata (the distributed scenarios) fails in setup."""
        stats = terminalreporter.stats
        original = {key: stats.get(key, []) for key in ("failed", "error")}
        focus = self.focus()
        if self.all_failures or focus is None or not any(original.values()):
            return (yield)
        for key, reports in original.items():
            if key in stats:
                stats[key] = [r for r in reports if dict(getattr(r, "user_properties", ())).get("kata") in (focus, None)]
        try:
            return (yield)
        finally:
            for key, reports in original.items():
                if key in stats:
                    stats[key] = reports

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self, config: pytest.Config) -> None:
        # Printed last of all, after pytest's own summary, so it is what the learner reads first.
        if hasattr(config, "workerinput"):
            return  # an xdist worker: the controller reports
        unloaded = self.unloaded()
        if self.keep_state and (self.outcomes or self.broken):  # a run that only met broken files still reads the count
            from kata_harness.runner import state

            results = {
                kata_id: list(tests.values())
                for kata_id, tests in self.outcomes.items()
                if kata_id.split(".", 1)[0] not in unloaded  # not checked: neither done nor failed
            }
            saved = state.record_run(results, self.totals)  # never raises for the file: its notices say what went wrong
            self.done = saved.done
            self.state_problems = [notice.text(self.lang) for notice in saved.notices]
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None or not (self.outcomes or self.broken):
            return
        lines = progress_lines(self.katas, self.outcomes, self.done, self.cuda_skipped(), self.lang, unloaded, self.gpu_skipped)
        for line in lines:
            reporter.write_line(line)
        for problem in self.state_problems:
            reporter.write_line(problem)
        for nodeid, (module, error) in self.broken.items():
            if module is None:  # not a kata test file: no kata to name
                reporter.write_line(t("progress.cannot_load", self.lang, nodeid=nodeid, error=error), red=True)
                reporter.write_line(t("progress.cannot_load_why", self.lang))


def progress_lines(
    katas: list[manifest.Kata],
    outcomes: dict[str, dict[str, str]],
    done: set[str] | None = None,
    cuda_skipped: int = 0,
    lang: str = "en",
    unloaded: dict[str, str] | None = None,
    gpu_skipped: set[str] | frozenset[str] = frozenset(),
) -> list[str]:
    """The report; it ends with the next kata and its first hint, what the learner reads first.

    ``done``: the katas complete so far (from the state file); None: judge by this run only.
    ``cuda_skipped``: how many cuda-marked tests were skipped when all of them were (no usable GPU).
    ``lang``: 'en' or 'zh' (kata_harness.i18n); the kata's title and hint follow it too.
    ``unloaded``: kata module -> the line saying why its test file did not load; its katas were not checked.
    ``gpu_skipped``: the katas whose cuda-marked tests were skipped; each one that passed says what went unchecked.
    """
    unloaded = unloaded or {}
    unchecked = [k for k in katas if k.module in unloaded]
    failed_now = {k for k, tests in outcomes.items() if "failed" in tests.values()}
    passed_now = {k for k, tests in outcomes.items() if "passed" in tests.values()} - failed_now
    complete = [k for k in katas if k not in unchecked and (k.id in done if done is not None else k.id in passed_now)]
    pending = [k for k in katas if k in unchecked or k.id in failed_now or (done is not None and k.id not in done)]
    not_run = [k for k in katas if k.id not in outcomes and k not in unchecked]
    total = len(katas)
    filled = round(WIDTH * len(complete) / total)
    lines = ["=" * 24 + f" {t('progress.title', lang)} " + "=" * 24]
    bar = f"{'#' * filled}{'-' * (WIDTH - filled)}"
    lines.append(t("progress.complete", lang, complete=len(complete), total=total, bar=bar))
    if cuda_skipped:
        lines.append(t("progress.cuda_skipped", lang, count=cuda_skipped))
    for kata in katas:
        if kata.id in gpu_skipped and kata.id in passed_now and kata.unchecked_in(lang):
            lines.append(t("progress.needs_gpu", lang, id=kata.id, what=kata.unchecked_in(lang)))
    for module, error in unloaded.items():
        lines.append(error)
        theirs = [k for k in unchecked if k.module == module]
        if theirs:
            lines.append(t("progress.not_checked", lang, count=len(theirs), file=theirs[0].file))
    if not (failed_now or passed_now or unchecked):
        lines.append(t("progress.none_ran", lang))
        return lines
    if done is None and not_run:
        lines.append(t("progress.not_run", lang, count=len(not_run)))
    if pending:
        kata, rest = pending[0], pending[1:]
        if rest:
            lines.append(t("progress.still_to_do", lang, count=len(rest)))
            by_module: dict[str, list[str]] = OrderedDict()
            for other in rest:
                by_module.setdefault(other.file, []).append(other.name)
            for file, names in by_module.items():
                line = f"  {file:<24} {len(names):>2}: {', '.join(names)}"
                lines.append(line if len(line) <= LINE else line[: LINE - 3] + "...")
        title = kata.title_in(lang)
        lines.append(t("progress.next", lang, file=kata.file, name=kata.name, title=title, section=kata.section))
        failing = [nodeid for nodeid, result in outcomes.get(kata.id, {}).items() if result == "failed"]
        if kata in unchecked:
            lines.append(t("progress.next_not_checked", lang, file=kata.file))
        elif failing:
            lines.append(t("progress.failing", lang, count=len(failing), nodeid=failing[0]))
        else:
            lines.append(t("progress.did_not_run", lang))
        lines.append(t("progress.just_this", lang, id=kata.id))
        hints = kata.hints_in(lang)
        lines.append(t("progress.hint", lang, hint=hints[0]))
        if len(hints) > 1:
            lines.append(t("progress.next_hint", lang, id=kata.id))
    elif done is None and not_run:
        lines.append(t("progress.ran_complete", lang))
    elif len(complete) == total:
        lines.append(t("progress.all_complete", lang))
    return lines
