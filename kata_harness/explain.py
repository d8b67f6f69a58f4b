"""Common torch/torchvision/PIL errors, explained: the table is kata_harness/errors.toml.

When a kata test fails and its exception's text matches an entry, the report gets one more section,
"what this error usually means": the explanation and the kata that teaches the concept. Cheap on
purpose (no torch import; the table is read and its regexes compiled once, on the first failure), and
it never raises: a broken table must not hide the learner's failure. With the language zh
(kata_harness.i18n), the section has a Chinese title, the entry's ``explanation_zh`` and the kata's
Chinese title.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kata_harness import i18n
from kata_harness.impl import STUB_FAILURE, is_stub_error

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

TABLE = Path(__file__).with_name("errors.toml")
SECTION = i18n.t("explain.section", "en")  # "what this error usually means"
WIDTH = 100  # the explanation is wrapped: a learner's terminal, and the line budget of a failure


@dataclass(frozen=True)
class KnownError:
    id: str
    pattern: re.Pattern[str]
    explanation: str
    kata: str
    explanation_zh: str = ""

    def explanation_in(self, lang: str) -> str:
        return self.explanation_zh if lang == "zh" and self.explanation_zh else self.explanation


def load(path: Path = TABLE) -> list[KnownError]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        KnownError(
            entry["id"], re.compile(entry["pattern"]), entry["explanation"].strip(), entry["kata"],
            entry.get("explanation_zh", "").strip(),
        )  # fmt: skip
        for entry in data.get("error", [])
    ]


@functools.lru_cache(maxsize=1)
def table() -> tuple[KnownError, ...]:
    return tuple(load())


def explain(text: str) -> KnownError | None:
    """The first entry of the table whose pattern occurs in text, or None."""
    return next((entry for entry in table() if entry.pattern.search(text)), None)


def section(entry: KnownError, title: str, lang: str = "en") -> tuple[str, str]:
    """The report section for a known error: its name, and the explanation with the kata that teaches it."""
    text = i18n.fill(entry.explanation_in(lang), WIDTH, lang)
    return i18n.t("explain.section", lang), f"{text}\n{i18n.t('explain.teaches', lang, id=entry.kata, title=title)}"


def exception_text(exc: BaseException) -> str:
    """The exception's message, then those of the exceptions it was raised from or while handling."""
    texts, seen = [], set()
    while exc is not None and id(exc) not in seen and len(texts) < 5:
        seen.add(id(exc))
        texts.append(str(exc))
        exc = exc.__cause__ or exc.__context__
    return "\n".join(texts)


class FailureExplainer:
    """Adds the explanation to a failing kata test's report (not to an unsolved kata's one-line failure)."""

    def __init__(self, titles: dict[str, str], lang: str = "en") -> None:
        self.titles = titles  # kata id -> title (in lang), from katas.toml
        self.lang = lang

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        try:
            self._explain(item, call, outcome.get_result())
        except Exception:  # noqa: BLE001 - the explainer must never get in the way of the failure itself
            pass

    def _explain(self, item: pytest.Item, call: pytest.CallInfo, report: pytest.TestReport) -> None:
        if call.when != "call" or not report.failed or call.excinfo is None:
            return
        properties = dict(report.user_properties)
        if "kata" not in properties or properties.get("failure") == STUB_FAILURE:
            return
        if is_stub_error(call.excinfo.value):
            return  # an unsolved kata: its one-line failure says what to do
        entry = explain(exception_text(call.excinfo.value))
        if entry is None:
            return
        report.sections.append(section(entry, self.titles.get(entry.kata, ""), self.lang))
