"""What the runner prints: one screen per result, the kata list, a hint. Plain text; no colour needed."""

from __future__ import annotations

from kata_harness import manifest
from kata_harness.runner.engine import Result

KEYS_RED = "keys: h hint · l list · r reset this kata · q quit"
KEYS_GREEN = "keys: n next kata · s see the reference · h hint · l list · r reset · q quit"
SHOWN_FAILURES = 3


def bar(done: int, total: int, width: int = 30) -> str:
    filled = round(width * done / total) if total else 0
    return f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total}"


def heading(kata: manifest.Kata, number: int, total: int, done: int) -> list[str]:
    return [
        f"Kata {number}/{total}: {kata.id} - {kata.title} ({kata.section})",
        f"File: {kata.file}   progress {bar(done, total)}",
        "",
    ]


def result_lines(kata: manifest.Kata, result: Result, why: list[str] | None) -> list[str]:
    if result.error:
        return ["The tests could not run:", *("  " + line for line in result.error.splitlines()), ""]
    if result.green:
        passed = sum(1 for t in result.tests if t.outcome == "passed")
        lines = [f"DONE: all {passed} tests of {kata.id} pass ({result.seconds:.2f} s)."]
        if why:
            lines.append("Why, in the reference solution:")
            lines += [f"  - {line}" for line in why]
        lines += ["Press n when you are ready for the next kata.", ""]
        return lines
    failed = result.failed
    lines = [f"{len(failed)} of {len(result.tests)} tests fail ({result.seconds:.2f} s):"]
    for test in failed[:SHOWN_FAILURES]:
        lines.append(f"  x {test.name}")
        lines += [f"      {line}" for line in test.message.splitlines()]
    if len(failed) > SHOWN_FAILURES:
        lines.append(f"  ... and {len(failed) - SHOWN_FAILURES} more (pytest --kata {kata.id} shows every one)")
    lines.append("")
    return lines


def list_lines(katas: list[manifest.Kata], done: set[str], current: str | None) -> list[str]:
    lines = []
    for number, kata in enumerate(katas, start=1):
        mark = "[x]" if kata.id in done else "[>]" if kata.id == current else "[ ]"
        lines.append(f"{mark} {number:2d}. {kata.id:<40} {kata.title}")
    lines.append(f"{len(done & {k.id for k in katas})} of {len(katas)} done   [x] done  [>] current  [ ] pending")
    return lines


def hint_line(kata: manifest.Kata, stage: int) -> str:
    return f"Hint {stage}/{len(kata.hints)} for {kata.id}: {kata.hints[stage - 1]}"
