"""How the check tools end: a list of problems (exit 1) or one OK line (exit 0)."""

from __future__ import annotations


def verdict(check: str, problems: list[str], ok: str) -> int:
    if problems:
        print(f"{check}: FAIL, {len(problems)} problem(s):")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print(f"{check}: OK, {ok}")
    return 0
