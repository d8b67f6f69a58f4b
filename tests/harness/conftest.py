"""Fixtures for the harness's own tests: they drive pytest and the check tools in subprocesses.

``python -m pytest`` runs are forked from a warm interpreter where that is safe (tests/harness/warm.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kata_harness import impl
from kata_harness.paths import KATAS_DIR, ROOT, SOLUTIONS_DIR
from tests.harness import warm

TENSOR_TESTS = "tests/katas/test_tensors.py"


def _clean_env() -> dict[str, str]:
    # The parent run publishes its own choice in these variables; a child must start from a clean slate.
    env = {k: v for k, v in os.environ.items() if k not in (impl.ENV_VAR, impl.ENV_OVERLAY)}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # Seconds off each of the many child runs: no third-party plugin (none is under test here) and no
    # garbage-collection sweeps at exit (costly with torch loaded).
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env["PYTEST_ADDOPTS"] = "-p no:unraisableexception"
    env["KATAS_LANG"] = "en"  # the tests read English output, whatever the developer's locale (LANG=zh_CN...)
    return env


@pytest.fixture(autouse=True)
def _english(monkeypatch, tmp_path):
    """In-process runs (cli.main, the plugin's configure) speak English too, whatever the locale, and draw the
    pictures of failing image comparisons into tmp_path."""
    monkeypatch.setenv("KATAS_LANG", "en")
    monkeypatch.setenv("KATAS_PICTURES", str(tmp_path / "pictures"))


def _runner(state: Path):
    """run(*args, env=None, cwd=ROOT, timeout=600) -> CompletedProcess of `python <args>` in ``cwd`` (the repository
    root unless told), progress kept in ``state``, killed after ``timeout`` seconds.

    A variable given as None in env is removed from the child's environment."""

    def _run(
        *args: str, env: dict[str, str | None] | None = None, cwd: Path = ROOT, timeout: float = 600
    ) -> subprocess.CompletedProcess:
        pictures = state.parent / "pictures"  # failing image comparisons draw their PNGs here, not in ~/.cache
        full_env = _clean_env() | {"KATAS_STATE": str(state), "KATAS_PICTURES": str(pictures)} | (env or {})
        full_env = {name: value for name, value in full_env.items() if value is not None}
        if warm.suitable(args, full_env):
            return warm.run(args, full_env, Path(cwd), timeout)
        return subprocess.run(
            [sys.executable, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout
        )

    return _run


@pytest.fixture
def run(tmp_path):
    """run(*args, env=None) -> CompletedProcess of `python <args>` in the repository root.

    The learner's progress file goes to tmp_path: a harness test never touches the checkout's."""
    return _runner(tmp_path / "progress.json")


@pytest.fixture(scope="module")
def run_module(tmp_path_factory):
    """``run`` for module-scoped fixtures (one subprocess shared by a module's tests)."""
    return _runner(tmp_path_factory.mktemp("state") / "progress.json")


@pytest.fixture
def run_pytest(run):
    """run_pytest(*args, env=None, **run's options) -> CompletedProcess of pytest over the tensors kata tests unless
    paths are given."""

    def _run_pytest(*args: str, env: dict[str, str | None] | None = None, **options) -> subprocess.CompletedProcess:
        named = any(not a.startswith("-") and (a.startswith("tests") or a.endswith(".py") or Path(a).is_absolute()) for a in args)
        paths = [] if named else [TENSOR_TESTS]  # one small file unless the test names its own
        return run("-m", "pytest", "-p", "no:cacheprovider", *paths, *args, env=env, **options)

    return _run_pytest


@pytest.fixture
def katas_copy(tmp_path: Path) -> Path:
    """A copy of the pristine katas/ in tmp_path, to be edited by the test (a learner's working copy)."""
    target = tmp_path / "my_katas"
    shutil.copytree(KATAS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target
