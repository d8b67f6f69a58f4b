"""``make check-clean``: running the checks wrote nothing into the checkout.

Every test works in a temporary folder (tests/katas/conftest.py); this check proves it. ``before``
records the untracked and ignored paths git sees (outside .venv/ and __pycache__/); ``after`` (the
default) lists every path that appeared since, or, without a record, every such path at all. ``make
check`` records first and checks last, so a maintainer's own untracked files do not count.

Usage: python -m kata_harness.checks.clean [before|after]
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

from kata_harness.paths import ROOT
from kata_harness.checks.report import verdict

IGNORED_PARTS = {".venv", "__pycache__"}  # the environment, and bytecode Python writes next to every module


def record_file() -> Path:
    tag = hashlib.sha1(str(ROOT).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"pytorch-katas-clean-{tag}.txt"


def stray_paths() -> set[str] | None:
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain", "--ignored", "--untracked-files=all", "-z"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    paths = set()
    for entry in done.stdout.split("\0"):
        status, path = entry[:2], entry[3:]
        if status in ("??", "!!") and not IGNORED_PARTS & set(Path(path).parts) and ".egg-info" not in path:
            paths.add(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args not in ([], ["before"], ["after"]):
        print("usage: python -m kata_harness.checks.clean [before|after]", file=sys.stderr)
        return 2
    paths = stray_paths()
    if paths is None:
        print("check-clean: skipped, this checkout is not a git repository (git status failed)")
        return 0
    if args == ["before"]:
        record_file().write_text("\n".join(sorted(paths)), encoding="utf-8")
        return 0
    record = record_file()
    known = set(record.read_text(encoding="utf-8").splitlines()) if record.is_file() else set()
    new = sorted(paths - known)
    problems = [f"{path}: written into the checkout by the suite (tests must write under tmp_path only)" for path in new]
    return verdict("check-clean", problems, "the checks wrote nothing into the checkout")


if __name__ == "__main__":
    sys.exit(main())
