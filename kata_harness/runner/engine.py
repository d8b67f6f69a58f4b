"""Run one kata's tests and bring back a small result: what passed, what failed and why, in short.

Speed is the point: torch, torchvision and pytest take seconds to import, longer than the tests of
most katas. Where ``os.fork`` is safe (Linux), the runner imports them once, at start, and forks a
fresh child for every run: the child imports the learner's code anew, runs pytest and sends the
result back through a pipe. The parent never computes with torch, so nothing it holds (threads,
locks) can trip the child. Elsewhere (macOS, Windows) each run is a fresh interpreter:
``python -m kata_harness.runner.engine ID DIR [LANG]``. The child's pytest gets the runner's language
(``--lang``), so that whatever it reports matches the screen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kata_harness.i18n import t
from kata_harness.paths import KATA_TESTS_DIR, KATAS_DIR, ROOT

PREFIX = "KATA-RESULT "
PRELOAD = ("torch", "torchvision", "numpy", "PIL.Image", "pytest", "hypothesis")
MESSAGE_LINES = 8


@dataclass
class TestOutcome:
    name: str
    outcome: str  # passed, failed, skipped
    message: str = ""


@dataclass
class Result:
    kata_id: str
    tests: list[TestOutcome] = field(default_factory=list)
    error: str = ""  # the tests could not run: a syntax error in the kata file, a crash
    seconds: float = 0.0

    @property
    def failed(self) -> list[TestOutcome]:
        return [t for t in self.tests if t.outcome == "failed"]

    @property
    def green(self) -> bool:
        return not self.error and not self.failed and any(t.outcome == "passed" for t in self.tests)


def short_message(text: str, lang: str = "en") -> str:
    """The lines a learner needs from pytest's short traceback: where, and the assertion's message."""
    lines = text.strip().splitlines()
    if len(lines) <= 2:
        return "\n".join(lines)
    errors = [line[4:] if line.startswith("E   ") else line[1:].strip() for line in lines if line.startswith("E ")]
    where = [line for line in lines if ".py:" in line and not line.startswith(" ")]
    learner = [line for line in where if "katas" in line.split(":", 1)[0] and "tests" not in line.split(":", 1)[0]]
    picked = (learner or where)[-1:] + errors
    if len(picked) > MESSAGE_LINES:
        picked = picked[: MESSAGE_LINES - 1] + [t("engine.more_lines", lang, count=len(picked) - MESSAGE_LINES + 1)]
    return "\n".join(picked or lines[-MESSAGE_LINES:])


class _Collector:
    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self.tests: dict[str, TestOutcome] = {}
        self.errors: list[str] = []

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            lines = str(report.longrepr).strip().splitlines()
            self.errors.append("\n".join(lines[-4:]))

    def pytest_runtest_logreport(self, report) -> None:
        name = report.nodeid.split("::", 1)[-1]
        if report.failed:
            self.tests[name] = TestOutcome(name, "failed", short_message(report.longreprtext, self.lang))
        elif report.skipped and name not in self.tests:
            self.tests[name] = TestOutcome(name, "skipped")
        elif report.when == "call" and report.passed and name not in self.tests:
            self.tests[name] = TestOutcome(name, "passed")


def run_tests(kata_id: str, katas_dir: Path, lang: str = "en") -> dict:
    """Run the tests of one kata in this interpreter; a JSON-ready dict (see Result)."""
    import pytest

    collector = _Collector(lang)
    module = kata_id.split(".", 1)[0]
    args = [
        str(KATA_TESTS_DIR / f"test_{module}.py"), f"--impl={katas_dir}", f"--kata={kata_id}", "-c", str(ROOT / "pytest.ini"),
        f"--rootdir={ROOT}", f"--lang={lang}", "-q", "--tb=short", "--no-header", "-rN", "-p", "no:cacheprovider",
        "-p", "no:unraisableexception",  # its gc.collect() at exit costs more than the tests of most katas
    ]  # fmt: skip
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # third-party plugins (anyio, xdist...): not needed here
    code = pytest.main(args, plugins=[collector])
    error = "\n".join(collector.errors)
    if not error and not collector.tests:
        error = t("engine.no_test_ran", lang, id=kata_id, code=int(code))
    return {"tests": [vars(t) for t in collector.tests.values()], "error": error}


def _from_dict(kata_id: str, data: dict, seconds: float) -> Result:
    return Result(kata_id, [TestOutcome(**t) for t in data.get("tests", [])], data.get("error", ""), seconds)


class Engine:
    """Runs kata tests for the runner, forking from a warm interpreter where that is safe.

    The warm interpreter is a *zygote*: a child forked at start, before the runner starts any thread
    (the file watcher, the key reader), that does nothing but fork one grandchild per run. Forking a
    single-threaded process is what keeps the children safe.
    """

    def __init__(self, katas_dir: Path = KATAS_DIR, fork: bool | None = None, lang: str = "en") -> None:
        self.katas_dir = katas_dir
        self.lang = lang
        self.fork = (hasattr(os, "fork") and sys.platform.startswith("linux")) if fork is None else fork
        self._zygote_pid = 0
        if self.fork:
            import importlib

            for name in PRELOAD:
                importlib.import_module(name)
            import gc

            gc.collect()
            gc.freeze()  # what is loaded now stays: the children's garbage collections skip it
            self._start_zygote()

    def run(self, kata_id: str) -> Result:
        start = time.perf_counter()
        data = self._run_forked(kata_id) if self.fork else self._run_subprocess(kata_id)
        return _from_dict(kata_id, data, time.perf_counter() - start)

    def close(self) -> None:
        if self._zygote_pid:
            self._requests.close()  # the zygote leaves when its request pipe closes
            self._responses.close()
            os.waitpid(self._zygote_pid, 0)
            self._zygote_pid = 0

    def _start_zygote(self) -> None:
        request_read, request_write = os.pipe()
        response_read, response_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(request_write)
            os.close(response_read)
            self._zygote(request_read, response_write)
        os.close(request_read)
        os.close(response_write)
        self._zygote_pid = pid
        self._requests = os.fdopen(request_write, "w", encoding="utf-8")
        self._responses = os.fdopen(response_read, "rb")

    def _zygote(self, request_read: int, response_write: int) -> None:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the runner and the run in progress
        quiet = os.open(os.devnull, os.O_RDWR)
        os.dup2(quiet, 0)
        with os.fdopen(request_read, encoding="utf-8") as requests:
            for line in requests:
                pid = os.fork()
                if pid == 0:
                    signal.signal(signal.SIGINT, signal.default_int_handler)
                    os.dup2(quiet, 1)
                    os.dup2(quiet, 2)
                    try:
                        payload = json.dumps(run_tests(line.strip(), self.katas_dir, self.lang)).encode()
                    except BaseException as exc:  # noqa: BLE001 - whatever happens, the runner gets an answer
                        stopped = t("engine.stopped", self.lang, error=f"{type(exc).__name__}: {exc}")
                        payload = json.dumps({"error": stopped}).encode()
                    os.write(response_write, len(payload).to_bytes(8, "big") + payload)
                    os._exit(0)
                _, status = os.waitpid(pid, 0)
                if status != 0:
                    crashed = t("engine.crashed", self.lang, code=os.waitstatus_to_exitcode(status))
                    payload = json.dumps({"error": crashed}).encode()
                    os.write(response_write, len(payload).to_bytes(8, "big") + payload)
        os._exit(0)

    def _run_forked(self, kata_id: str) -> dict:
        self._requests.write(kata_id + "\n")
        self._requests.flush()
        header = self._responses.read(8)
        if len(header) < 8:
            return {"error": t("engine.helper_gone", self.lang)}
        return json.loads(self._responses.read(int.from_bytes(header, "big")))

    def _run_subprocess(self, kata_id: str) -> dict:
        command = [sys.executable, "-m", "kata_harness.runner.engine", kata_id, str(self.katas_dir), self.lang]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        for line in reversed(done.stdout.splitlines()):
            if line.startswith(PREFIX):
                return json.loads(line[len(PREFIX) :])
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-4:])
        return {"error": t("engine.crashed_output", self.lang, code=done.returncode, output=tail)}


def main(argv: list[str]) -> int:
    kata_id, katas_dir, *lang = argv
    data = run_tests(kata_id, Path(katas_dir), *lang)
    print(PREFIX + json.dumps(data), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
