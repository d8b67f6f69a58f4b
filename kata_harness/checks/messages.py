"""What a learner reads when a kata is wrong: the failure report of chosen tests under chosen mutants.

``python -m kata_harness.checks.messages SPEC.json`` - SPEC is a JSON list of {"overlay": "mutants/<m>/<f>.py",
"test": "tests/katas/test_<m>.py::test_name[param]"}. The kata test files are collected once against
solutions/ (with the default report options: --tb=short, not verbose); then each overlay stands in for
its module (kata_harness.checks.overlay_worker.standing_in) while its test runs, and one line per entry
is printed: ``MESSAGE {"overlay": ..., "test": ..., "outcome": ..., "text": ...}`` where text is the
failure as the terminal would show it (the report plus its extra sections, captured output left out).

tests/harness/test_messages.py feeds it a table of realistic mistakes and holds each message to the
rules: it names the call, what came back and what was expected (or explains the library's error),
in at most 40 lines.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kata_harness.checks.overlay_worker import standing_in
from kata_harness.paths import ROOT

PREFIX = "MESSAGE "


def failure_text(report: pytest.TestReport) -> str:
    parts = [report.longreprtext.rstrip()]
    for title, content in report.sections:
        if not title.startswith("Captured "):
            parts.append(f"{'-' * 24} {title} {'-' * 24}\n{content.rstrip()}")
    return "\n".join(parts)


class MessageLoop:
    def __init__(self, spec: list[dict]) -> None:
        self.spec = spec

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        from _pytest.runner import runtestprotocol

        by_id = {item.nodeid: item for item in session.items}
        test_modules = list({id(i.module): i.module for i in session.items if getattr(i, "module", None)}.values())
        for entry in self.spec:
            result = {"overlay": entry["overlay"], "test": entry["test"], "outcome": "missing", "text": ""}
            item = by_id.get(entry["test"])
            if item is not None:
                try:
                    with standing_in((ROOT / entry["overlay"]).resolve(), test_modules):
                        reports = runtestprotocol(item, nextitem=None, log=False)
                except Exception as exc:  # noqa: BLE001 - the overlay did not even load
                    result.update(outcome="error", text=f"{type(exc).__name__}: {exc}")
                else:
                    failed = [r for r in reports if r.failed]
                    result["outcome"] = "failed" if failed else "passed"
                    result["text"] = failure_text(failed[0]) if failed else ""
            print("\n" + PREFIX + json.dumps(result), flush=True)
        return True


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_file():
        print("usage: python -m kata_harness.checks.messages SPEC.json", file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    files = sorted({entry["test"].split("::", 1)[0] for entry in spec})
    pytest.main(
        [*files, "--impl=solutions", "-q", "--no-header", "-rN", "-p", "no:cacheprovider", "--tb=short"],
        plugins=[MessageLoop(spec)],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
