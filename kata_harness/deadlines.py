"""Deadlines in plain pytest: every kata test is bounded by its kata's timeout (katas.toml), through pytest-timeout.

- Each kata test gets ``pytest.mark.timeout(kata.timeout)``, unless it carries its own timeout marker or
  ``--timeout`` was given (the user's choice wins). $KATAS_TIMEOUT replaces every kata's value
  (kata_harness.manifest): the harness's own tests use it to run out of time in seconds, not in a minute.
- pytest-timeout's method is kept: ``signal`` on POSIX raises ``Failed("Timeout (>Ns) from pytest-timeout.")``
  in the code that was running; ``thread`` (Windows) ends the whole process (under pytest-xdist, a worker:
  it is reported as crashed and the session goes on).
- Such a failure is told in the learner's language in two lines: the kata, the deadline and the line of
  the learner's code that was still running; then what that usually means (``-v`` or ``--full-trace``
  keeps pytest's report, every frame of it).
- Once one test of a kata ran out of time, the kata's other tests in this process are skipped: each would
  wait as long, for the same reason.

Active when pytest-timeout is loaded: plain pytest loads it by itself; where plugin autoloading is off
(PYTEST_DISABLE_PLUGIN_AUTOLOAD), ``-p timeout`` does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kata_harness import failure, manifest
from kata_harness.i18n import t

# pytest-timeout's PYTEST_FAILURE_MESSAGE, "Timeout (>%ss) from pytest-timeout."
TIMEOUT_MESSAGE = re.compile(r"Timeout \(>(?P<seconds>[0-9.eE+-]+)s\) from pytest-timeout\.")


def active(config: pytest.Config) -> bool:
    """pytest-timeout is loaded (as 'timeout' from its entry point, or by its module name)."""
    return any(config.pluginmanager.hasplugin(name) for name in ("timeout", "pytest_timeout"))


def timed_out(excinfo: pytest.ExceptionInfo) -> float | None:
    """The deadline in seconds when ``excinfo`` is pytest-timeout's failure, else None."""
    if not excinfo.errisinstance(pytest.fail.Exception):
        return None
    match = TIMEOUT_MESSAGE.fullmatch(str(excinfo.value).strip())
    return float(match["seconds"]) if match else None


def _short_reports(config: pytest.Config) -> bool:
    """The suite's own reports are wanted: -v, --full-trace and --tb=long/line/native/no keep pytest's."""
    verbose, full = config.getoption("verbose") > 0, config.getoption("fulltrace")
    return config.getoption("tbstyle") in ("auto", "short") and not verbose and not full


class Deadlines:
    """The marks, the skips after a timeout and the report of one; registered by the plugin when pytest-timeout is on."""

    def __init__(self, by_id: dict[str, manifest.Kata], lang: str, roots: list[Path], rootpath: Path) -> None:
        self.by_id = by_id
        self.lang = lang
        self.roots = roots  # where the learner's code lives (kata_harness.plugin: _State.roots)
        self.rootpath = rootpath
        self.ran_out: dict[str, float] = {}  # kata id -> the deadline one of its tests ran past, in this process

    @pytest.hookimpl(trylast=True)  # after the plugin has tagged every test with its kata and -k/-m/--kata deselected
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        if config.getoption("timeout") is not None:
            return
        for item in items:
            kata = self.by_id.get(dict(item.user_properties).get("kata", ""))
            if kata is not None and item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(kata.timeout))

    def pytest_runtest_setup(self, item: pytest.Item) -> None:  # after a skip mark's own reason, before the fixtures
        kata_id = dict(item.user_properties).get("kata", "")
        if kata_id in self.ran_out:
            pytest.skip(t("timeout.skipped", self.lang, id=kata_id, seconds=f"{self.ran_out[kata_id]:g}"))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        seconds = timed_out(call.excinfo) if call.excinfo is not None else None
        if seconds is None:
            return
        kata_id = dict(item.user_properties).get("kata", "")
        if kata_id:
            self.ran_out[kata_id] = seconds
        if _short_reports(item.config):
            outcome.get_result().longrepr = self.report(kata_id or item.nodeid, seconds, call.excinfo)

    def report(self, name: str, seconds: float, excinfo: pytest.ExceptionInfo) -> str:
        """'<kata> did not finish within N s: it was still running <file:line> `<line>`', then what that means."""
        where, line = failure.still_running(excinfo, self.roots, self.rootpath)
        stuck = t("timeout.stuck", self.lang, id=name, seconds=f"{seconds:g}", where=where, line=line)
        return f"{stuck}\n{t('timeout.meaning', self.lang)}"
