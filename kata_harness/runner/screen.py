"""What the runner prints: one screen per result, the kata list, a hint. Plain text; no colour needed.

Every function takes the language (kata_harness.i18n: 'en' or 'zh'); a kata's title and hints follow it.
"""

from __future__ import annotations

from kata_harness import manifest
from kata_harness.i18n import t
from kata_harness.runner.engine import Result

KEYS_RED = t("screen.keys_red", "en")  # "keys: h hint · l list · r reset this kata · q quit"
KEYS_GREEN = t("screen.keys_green", "en")  # "keys: n next kata · s see the reference · h hint · ..."
SHOWN_FAILURES = 3


def keys(green: bool, manual: bool, lang: str = "en") -> str:
    """The keys line at the bottom of the screen."""
    line = t("screen.keys_green" if green else "screen.keys_red", lang)
    return line + t("screen.keys_manual" if manual else "screen.keys_watch", lang)


def bar(done: int, total: int, width: int = 30) -> str:
    filled = round(width * done / total) if total else 0
    return f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total}"


def heading(kata: manifest.Kata, number: int, total: int, done: int, lang: str = "en") -> list[str]:
    title = kata.title_in(lang)
    return [
        t("screen.heading", lang, number=number, total=total, id=kata.id, title=title, section=kata.section),
        t("screen.file", lang, file=kata.file, bar=bar(done, total)),
        "",
    ]


def result_lines(kata: manifest.Kata, result: Result, why: list[str] | None, lang: str = "en") -> list[str]:
    if result.stopped:  # killed at its deadline, or its process died: that line first, then the tests that had ended
        lines = [*result.error.splitlines(), ""]
        return lines + (failure_lines(kata, result, lang) if result.failed else [])
    if result.error:
        return [t("screen.could_not_run", lang), *("  " + line for line in result.error.splitlines()), ""]
    if result.green:
        passed = sum(1 for test in result.tests if test.outcome == "passed")
        lines = [t("screen.done", lang, passed=passed, id=kata.id, seconds=result.seconds)]
        if result.needing_gpu:
            lines.append(t("screen.needs_gpu", lang, count=len(result.needing_gpu), what=kata.unchecked_in(lang)))
        if why:
            lines.append(t("screen.why", lang))
            lines += [f"  - {line}" for line in why]
        lines += [t("screen.press_n", lang), ""]
        return lines
    return failure_lines(kata, result, lang)


def failure_lines(kata: manifest.Kata, result: Result, lang: str = "en") -> list[str]:
    """How many tests failed (and were skipped after them), and the first failures with their messages."""
    failed = result.failed
    skipped = sum(1 for test in result.tests if test.outcome == "skipped")
    also = t("screen.skipped", lang, count=skipped) if skipped else ""
    if skipped and len(result.needing_gpu) == skipped:
        also = t("screen.skipped_gpu", lang, count=skipped)  # and why: they need a GPU this machine lacks
    lines = [t("screen.failed", lang, failed=len(failed), total=len(result.tests), skipped=also, seconds=result.seconds)]
    explained: set[str] = set()  # a library error's explanation is shown once, under its first failure
    shown: set[str] = set()  # and a long message repeated word for word by the next test, once
    pictured = False
    for test in failed[:SHOWN_FAILURES]:
        lines.append(f"  x {test.name}")
        if test.message in shown and test.message.count("\n") >= 2:
            lines.append(f"      {t('screen.same_message', lang)}")
        else:
            lines += [f"      {line}" for line in test.message.splitlines()]
        shown.add(test.message)
        if test.picture and not pictured:  # the first picture only: one screen, not one per failing image
            pictured = True
            lines.append(f"      -- {t('pictures.section', lang)} --")
            lines += [f"      {line}" for line in test.picture.splitlines()]
        if test.explanation and test.explanation not in explained:
            explained.add(test.explanation)
            lines.append(f"      -- {t('explain.section', lang)} --")
            lines += [f"      {line}" for line in test.explanation.splitlines()]
    if len(failed) > SHOWN_FAILURES:
        lines.append(t("screen.more_failed", lang, count=len(failed) - SHOWN_FAILURES, id=kata.id))
    lines.append("")
    return lines


def list_lines(
    katas: list[manifest.Kata], done: set[str], current: str | None, lang: str = "en", broken: dict | None = None
) -> list[str]:
    """Every kata with its mark; ``broken``: module -> what keeps its file from loading (source.LoadProblem)."""
    broken = broken or {}
    lines = []
    for number, kata in enumerate(katas, start=1):
        mark = "[x]" if kata.id in done else "[>]" if kata.id == current else "[!]" if kata.module in broken else "[ ]"
        lines.append(f"{mark} {number:2d}. {kata.id:<40} {kata.title_in(lang)}")
    lines.append(t("screen.list_footer", lang, done=len(done & {k.id for k in katas}), total=len(katas)))
    for module, problem in broken.items():
        lines.append(t("watch.broken_module", lang, file=f"katas/{module}.py", reason=problem.text(lang)))
    return lines


def hint_line(kata: manifest.Kata, stage: int, lang: str = "en") -> str:
    hints = kata.hints_in(lang)
    return t("screen.hint", lang, stage=stage, count=len(hints), id=kata.id, hint=hints[stage - 1])
