"""Helpers for the harness tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from kata_harness.paths import SOLUTIONS_DIR


def solve(copy: Path, module: str) -> None:
    """Replace one kata module of a copy with its reference solution."""
    shutil.copyfile(SOLUTIONS_DIR / f"{module}.py", copy / f"{module}.py")


def output(done: subprocess.CompletedProcess) -> str:
    return done.stdout + done.stderr
