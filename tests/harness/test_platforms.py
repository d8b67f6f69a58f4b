"""Every learner's machine, simulated on Linux: the Windows console's key reader, consoles whose code page
cannot hold the text, and a checkout whose path has spaces and Chinese characters.

The spawn path (macOS, Windows: warm fresh interpreters instead of forks) is driven in
test_faults_runner.py::test_the_spawn_path_runs_bounds_and_cancels_like_the_fork_path.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import pytest

from kata_harness import manifest
from kata_harness.paths import ROOT
from kata_harness.runner import engine as runner_engine
from kata_harness.runner.watch import Watch, console_keys
from tests.harness.helpers import output

TIMEOUT = 180  # a runner or pytest in a fresh interpreter imports torch first


def test_console_keys_reads_msvcrt_keys_drops_arrows_and_quits_on_ctrl_c():
    pressed = iter(["h", "\xe0", "K", "\x00", ";", "\r", "\x03"])  # h, left arrow, F1, Enter, Ctrl-C
    events: list = []
    stop = threading.Event()

    def put(event):
        events.append(event)
        if event == ("key", "q"):
            stop.set()

    console_keys(lambda: next(pressed), put, stop)
    assert events == [("key", "h"), ("key", "\r"), ("key", "q")]


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


class FakeEngine:
    """Answers every run at once with one failing test: the loop, not the tests, is under test."""

    def __init__(self) -> None:
        self.on_frame = lambda: None
        self.started: list[str] = []

    def start(self, kata_id: str, timeout: float):
        self.started.append(kata_id)
        result = runner_engine.Result(kata_id, [runner_engine.TestOutcome("test_x", "failed", "assert 1 == 2")])
        self.on_frame()
        return types.SimpleNamespace(
            poll=lambda wait=0.0: result, cancel=lambda: None, kata_id=kata_id, total=1, done=0, elapsed=0.0
        )


def test_the_runner_on_a_windows_console_takes_keys_from_msvcrt(monkeypatch, tmp_path, katas_copy):
    pressed = iter(["h", "\xe0", "H", "\r", "\x03"])  # a hint, an up arrow (ignored), Enter re-runs, Ctrl-C quits
    never = threading.Event()

    def getwch() -> str:
        time.sleep(0.2)  # a person's pace: each key comes after the screen it answers
        key = next(pressed, None)
        if key is None:
            never.wait()  # a console with no more key presses blocks, as msvcrt.getwch does
        return key

    monkeypatch.setitem(sys.modules, "msvcrt", types.SimpleNamespace(getwch=getwch))
    monkeypatch.setattr(sys, "stdin", FakeTty())
    monkeypatch.setenv("KATAS_STATE", str(tmp_path / "state.json"))
    screen, engine = FakeTty(), FakeEngine()
    watch = Watch(manifest.load(), katas_copy, engine, manual=True, out=screen)
    watch.console = "nt"
    assert watch.loop() == 0
    assert "Hint 1/" in screen.getvalue() and "1 of 1 tests fail" in screen.getvalue(), screen.getvalue()
    assert engine.started == ["tensors.pick_device", "tensors.pick_device"]  # the start, then Enter


@pytest.fixture
def runner(tmp_path):
    def run(copy_root: Path, *args: str, env: dict[str, str] | None = None, input: str = "") -> subprocess.CompletedProcess:
        full = {k: v for k, v in __import__("os").environ.items() if k not in ("KATAS_IMPL", "KATAS_IMPL_OVERLAY")}
        full |= {"KATAS_STATE": str(tmp_path / "state.json"), "PYTHONDONTWRITEBYTECODE": "1", "KATAS_LANG": "en"} | (env or {})
        return subprocess.run(
            [sys.executable, *args], cwd=copy_root, env=full, input=input.encode(), capture_output=True, timeout=TIMEOUT
        )

    return run


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("gbk", "练习 1/79：tensors.pick_device"), ("cp1252", "?? 1/79")],
    ids=["gbk-shows-chinese", "cp1252-degrades"],
)
def test_the_runners_screen_on_a_code_page_console(runner, katas_copy, encoding, expected):
    """A Chinese Windows console (GBK) shows the Chinese screen; cp1252 replaces what it cannot show."""
    done = runner(ROOT, "-m", "kata_harness", "--dir", str(katas_copy), "--lang", "zh", "watch", "--manual-run",
                  env={"PYTHONIOENCODING": encoding})  # fmt: skip
    text = done.stdout.decode(encoding) + done.stderr.decode(encoding)
    assert done.returncode == 0 and "Traceback" not in text, text
    assert expected in text, text


def copy_checkout(target: Path) -> Path:
    """The tracked files of the checkout (a learner's clone or zip) in ``target``."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, timeout=60, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs the checkout's git")
def test_a_checkout_under_a_path_with_spaces_and_chinese_works(runner, tmp_path):
    root = copy_checkout(tmp_path / "我的 课程" / "pytorch katas")
    tests = runner(root, "-m", "pytest", "--kata", "tensors.pick_device", "--impl=solutions", "-p", "no:cacheprovider", "-q")
    assert tests.returncode == 0 and b"3 passed" in tests.stdout, output(tests)
    screen = runner(root, "-m", "kata_harness", "watch", "--manual-run")
    text = screen.stdout.decode()
    assert screen.returncode == 0 and "Kata 1/79: tensors.pick_device" in text and "tests fail" in text, output(screen)
    assert str(root / "kata_harness") in runner(root, "-c", "import kata_harness; print(kata_harness.__file__)").stdout.decode()
