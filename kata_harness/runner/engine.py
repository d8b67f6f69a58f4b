"""Run one kata's tests in a child process and bring back a small result: what passed, what failed and why.

Speed is the point: torch, torchvision and pytest take seconds to import, longer than the tests of
most katas. So the child that runs a kata's tests is always warm when a save arrives:

- where ``os.fork`` is safe (Linux), a *zygote* imports them once, at start, and forks a fresh child
  for every run;
- elsewhere (macOS, Windows; ``fork=False``) a fresh interpreter is started ahead of time and imports
  them while the learner types: ``python -m kata_harness.runner.engine --serve DIR LANG`` waits for one
  kata id on stdin, runs it and exits. As soon as one is taken the next is started, so a save finds
  one ready, and every run still gets a clean interpreter.

Every run is bounded and can be stopped. The child runs in a process group of its own, in a
temporary working directory (learner code never writes into the checkout), with /dev/null for
input and output. It reports on a private channel, one JSON *frame* per line (``KATA-FRAME {...}``):
how many tests it collected, each test as it ends, the result. A run that passes its deadline, is
cancelled (a new save, ``q``, Ctrl-C) or whose child dies without answering (``os._exit``, a
segfault, the out-of-memory killer) is killed with its whole process group and gets a one-line
verdict of its own (``Result.stopped``), with the tests that had finished by then.

``Engine.start(kata_id, timeout)`` returns a ``Run`` at once; ``Run.poll(wait)`` returns its Result
when there is one. ``Engine.run(kata_id)`` does both. ``on_frame`` (settable) is called from a reader
thread whenever a frame arrives, so a caller with an event loop can wake up instead of polling.
"""

from __future__ import annotations

import json
import os
import re
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kata_harness.i18n import t
from kata_harness.paths import KATA_TESTS_DIR, KATAS_DIR, ROOT

FRAME = "KATA-FRAME "
PRELOAD = ("torch", "torchvision", "numpy", "PIL.Image", "pytest", "hypothesis")
MESSAGE_LINES = 8
DEFAULT_TIMEOUT = 60.0
CLOSE_WAIT = 2.0  # seconds a helper process is given to leave before it is killed
TEMP_VARIABLES = ("TMPDIR", "TEMP", "TMP")  # where tempfile (and the tools a run starts) put temporary files


@dataclass
class TestOutcome:
    name: str
    outcome: str  # passed, failed, skipped
    message: str = ""
    needs_gpu: bool = False  # skipped because it is cuda-marked and this machine has no usable GPU
    explanation: str = ""  # what the library's error usually means (kata_harness.explain), when it is a known one
    picture: str = ""  # a failing image comparison's picture (kata_harness.pictures), as the terminal shows it


@dataclass
class Result:
    kata_id: str
    tests: list[TestOutcome] = field(default_factory=list)
    error: str = ""  # the tests could not run (a syntax error in the kata file), or why the run was stopped
    seconds: float = 0.0
    stopped: str = ""  # "timeout", "died" or "cancelled": the run was killed; ``tests`` are those that had ended

    @property
    def failed(self) -> list[TestOutcome]:
        return [t for t in self.tests if t.outcome == "failed"]

    @property
    def needing_gpu(self) -> list[TestOutcome]:
        """The tests skipped because this machine has no usable GPU."""
        return [t for t in self.tests if t.outcome == "skipped" and t.needs_gpu]

    @property
    def green(self) -> bool:
        return not self.error and not self.failed and any(t.outcome == "passed" for t in self.tests)


def short_message(text: str, lang: str = "en") -> str:
    """The lines a learner needs from pytest's short traceback.

    An exception raised in the learner's code comes with the harness's own account first ("Called reshape via
    ... It raised RuntimeError at katas/tensors.py:121 in reshape: ..."): that account is the message, as in
    pytest's report. Otherwise: where (the learner's line when the traceback passes through it), and the
    assertion's message."""
    lines = text.strip().splitlines()
    if len(lines) <= 2:
        return "\n".join(lines)
    account = []
    for line in lines:
        if line.startswith("E ") or _TRACEBACK_ENTRY.match(line):
            break
        account.append(line)
    errors = [line[4:] if line.startswith("E   ") else line[1:].strip() for line in lines if line.startswith("E ")]
    where = [line for line in lines if ".py:" in line and not line.startswith(" ")]
    learner = [line for line in where if "katas" in line.split(":", 1)[0] and "tests" not in line.split(":", 1)[0]]
    picked = account if account else (learner or where)[-1:] + errors
    if len(picked) > MESSAGE_LINES:
        picked = picked[: MESSAGE_LINES - 1] + [t("engine.more_lines", lang, count=len(picked) - MESSAGE_LINES + 1)]
    return "\n".join(picked or lines[-MESSAGE_LINES:])


_TRACEBACK_ENTRY = re.compile(r"^\S.*\.py:\d+: in ")  # "tests/katas/test_tensors.py:101: in test_reshape"


# --- the child's side -------------------------------------------------------------------------------


class _Collector:
    """A pytest plugin: the outcome of each test, sent as a frame as soon as the test has ended."""

    def __init__(self, lang: str = "en", emit: Callable[[dict], None] | None = None) -> None:
        self.lang = lang
        self.emit = emit or (lambda frame: None)
        self.tests: dict[str, TestOutcome] = {}
        self.errors: list[str] = []

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            lines = str(report.longrepr).strip().splitlines()
            self.errors.append("\n".join(lines[-4:]))

    def pytest_collection_finish(self, session) -> None:
        self.emit({"kind": "total", "total": len(session.items)})

    def _section(self, report, group: str) -> str:
        """The content of the report's section titled ``<group>.section`` (an explanation, a picture), or ''."""
        from kata_harness.i18n import t

        title = t(f"{group}.section", self.lang)
        return next((content for heading, content in report.sections if heading == title), "")

    def pytest_runtest_logreport(self, report) -> None:
        name = report.nodeid.split("::", 1)[-1]
        if report.failed:
            self.tests[name] = TestOutcome(
                name, "failed", short_message(report.longreprtext, self.lang), explanation=self._section(report, "explain"),
                picture=self._section(report, "pictures"),
            )
        elif report.skipped and name not in self.tests:
            self.tests[name] = TestOutcome(name, "skipped", needs_gpu=_skipped_for_no_gpu(report))
        elif report.when == "call" and report.passed and name not in self.tests:
            self.tests[name] = TestOutcome(name, "passed")
        if report.when == "teardown" and name in self.tests:
            self.emit({"kind": "test", "test": vars(self.tests[name])})


def _skipped_for_no_gpu(report) -> bool:
    from kata_harness.plugin import NO_CUDA_REASON

    return isinstance(report.longrepr, tuple) and NO_CUDA_REASON in str(report.longrepr[-1])


def run_tests(kata_id: str, katas_dir: Path, lang: str = "en", emit: Callable[[dict], None] | None = None) -> dict:
    """Run the tests of one kata in this interpreter; a JSON-ready dict (see Result)."""
    import pytest

    collector = _Collector(lang, emit)
    module = kata_id.split(".", 1)[0]
    args = [
        str(KATA_TESTS_DIR / f"test_{module}.py"), f"--impl={katas_dir}", f"--kata={kata_id}", "-c", str(ROOT / "pytest.ini"),
        f"--rootdir={ROOT}", f"--lang={lang}", "-q", "--tb=short", "--no-header", "-rN", "-p", "no:cacheprovider",
        "-p", "no:unraisableexception",  # its gc.collect() at exit costs more than the tests of most katas
    ]  # fmt: skip
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # third-party plugins are not needed here...
    code = pytest.main(args, plugins=[collector, "pytest_timeout"])  # ...but for the per-test deadlines
    error = "\n".join(collector.errors)
    if not error and not collector.tests:
        error = t("engine.no_test_ran", lang, id=kata_id, code=int(code))
    return {"tests": [vars(t) for t in collector.tests.values()], "error": error}


def _write_frame(fd: int, frame: dict) -> None:
    data = (FRAME + json.dumps(frame) + "\n").encode()
    while data:
        data = data[os.write(fd, data) :]


def _answer(fd: int, number: int, kata_id: str, katas_dir: Path, lang: str) -> None:
    """In the child: run the tests, reporting each step on ``fd``; whatever happens, a result frame."""

    def emit(frame: dict) -> None:
        _write_frame(fd, {"run": number, **frame})

    try:
        data = run_tests(kata_id, katas_dir, lang, emit)
    except BaseException as exc:  # noqa: BLE001 - whatever happens, the runner gets an answer
        data = {"error": t("engine.stopped", lang, error=f"{type(exc).__name__}: {exc}")}
    emit({"kind": "result", "data": data})


def _temporary_files_in(workdir: str) -> None:
    """The run's temporary files (pytest's, the learner's) go in its working directory, removed after the run
    even when the run was killed before it could clean up."""
    tempfile.tempdir = workdir
    os.environ.update(dict.fromkeys(TEMP_VARIABLES, workdir))


def _quiet_stdio(keep_stderr: bool = False) -> None:
    """Input and output of the child go nowhere: the channel to the runner is a separate descriptor."""
    quiet = os.open(os.devnull, os.O_RDWR)
    os.dup2(quiet, 0)
    os.dup2(quiet, 1)
    if not keep_stderr:
        os.dup2(quiet, 2)
    os.close(quiet)


def _preload() -> None:
    import gc
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()  # what is loaded now stays: the children's garbage collections skip it


def serve(katas_dir: Path, lang: str) -> int:
    """A warm fresh interpreter (the spawn path): import everything, then run the one kata named on stdin."""
    channel = os.dup(1)
    _preload()
    _write_frame(channel, {"kind": "ready"})
    request = sys.stdin.readline().split()
    if len(request) != 2:
        return 0  # the runner left without using this one
    number, kata_id = int(request[0]), request[1]
    _quiet_stdio(keep_stderr=True)  # stderr goes to a file the runner reads when the child dies
    _answer(channel, number, kata_id, katas_dir, lang)
    return 0


# --- the runner's side ------------------------------------------------------------------------------


def kill_tree(pid: int) -> None:
    """Kill a run's child and everything it started (its process group on POSIX, its tree on Windows)."""
    if os.name == "nt":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(pid)], capture_output=True, timeout=10)
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _exit_reason(code: int, lang: str) -> str:
    """Why a child that never answered ended, from its exit code (negative: the signal that killed it)."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        key = {"SIGSEGV": "engine.died_segv", "SIGKILL": "engine.died_killed"}.get(name, "engine.died_signal")
        return t(key, lang, signal=name)
    return t("engine.died_exit", lang, code=code)


class Run:
    """One run of a kata's tests, started by Engine.start: poll it for the result, or cancel it."""

    def __init__(self, kata_id: str, number: int, timeout: float, lang: str) -> None:
        self.kata_id = kata_id
        self.number = number
        self.timeout = timeout
        self.lang = lang
        self.began = time.monotonic()
        self.frames: queue.Queue = queue.Queue()
        self.pid = 0  # the child's pid, also its process group; 0 until the child is known
        self.total: int | None = None  # tests collected, once known
        self.tests: dict[str, TestOutcome] = {}  # the tests that have ended
        self.result: Result | None = None
        self._lock = threading.Lock()  # pid and result: set by the reader thread and the caller

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.began

    @property
    def done(self) -> int:
        return len(self.tests)

    def poll(self, wait: float = 0.0) -> Result | None:
        """The result once the run has ended (or its deadline has passed: then it is killed); else None.

        Waits at most ``wait`` seconds, and never past the deadline."""
        end = time.monotonic() + max(0.0, wait)
        while self.result is None:
            left = min(end, self.began + self.timeout) - time.monotonic()
            try:
                frame = self.frames.get(timeout=max(0.0, left)) if left > 0 else self.frames.get_nowait()
            except queue.Empty:
                if self.elapsed >= self.timeout:
                    self._stop("timeout", t("engine.timeout", self.lang, id=self.kata_id, seconds=round(self.timeout)))
                break
            self._take(frame)
        return self.result

    def cancel(self) -> None:
        """Stop the run now (a newer save, q, Ctrl-C): kill it, keep no verdict of its code."""
        if self.result is None:
            self._stop("cancelled", "")

    def _take(self, frame: dict) -> None:
        kind = frame.get("kind")
        if kind == "total":
            self.total = int(frame["total"])
        elif kind == "test":
            test = TestOutcome(**frame["test"])
            self.tests[test.name] = test
        elif kind == "result":
            data = frame["data"]
            tests = [TestOutcome(**test) for test in data.get("tests", [])]
            self.result = Result(self.kata_id, tests, data.get("error", ""), self.elapsed)
        elif kind == "exited":  # the child ended without a result frame
            reason = _exit_reason(int(frame["status"]), self.lang)
            output = frame.get("output", "")
            self._finish("died", t("engine.died", self.lang, id=self.kata_id, reason=reason) + (f"\n{output}" if output else ""))
        elif kind == "gone":
            self._finish("died", t("engine.helper_gone", self.lang))

    def started(self, pid: int) -> None:
        """The child is known (called from the reader thread): a run stopped before that is killed now."""
        with self._lock:
            self.pid = pid
            stopped = self.result is not None
        if stopped:
            kill_tree(pid)

    def _stop(self, why: str, message: str) -> None:
        with self._lock:
            self._finish(why, message)
            pid = self.pid
        if pid:
            kill_tree(pid)

    def _finish(self, why: str, message: str) -> None:
        self.result = Result(self.kata_id, list(self.tests.values()), message, self.elapsed, stopped=why)


class Engine:
    """Starts kata runs for the runner: forked from a warm zygote where that is safe, else warm fresh interpreters.

    The zygote is forked at start, before the runner starts any thread (the file watcher, the key
    reader), and does nothing but fork one child per run: forking a single-threaded process is what
    keeps the children safe. It reports each child's pid and exit status on the same channel as the
    children's frames, so a child that dies without answering is noticed at once.
    """

    def __init__(
        self, katas_dir: Path = KATAS_DIR, fork: bool | None = None, lang: str = "en", timeouts: dict[str, float] | None = None
    ) -> None:
        self.katas_dir = katas_dir
        self.lang = lang
        self.timeouts = timeouts or {}
        self.fork = (hasattr(os, "fork") and sys.platform.startswith("linux")) if fork is None else fork
        self.on_frame: Callable[[], None] = lambda: None
        self._current: Run | None = None
        self._numbers = 0
        self._zygote_pid = 0
        self._spare: _Worker | None = None
        if self.fork:
            _preload()
            self._start_zygote()
        else:
            self._spare = _Worker(self)

    def start(self, kata_id: str, timeout: float | None = None) -> Run:
        """Start a run of the kata's tests (cancelling any run still going) and return it at once."""
        if self._current is not None:
            self._current.cancel()
        self._numbers += 1
        seconds = timeout or self.timeouts.get(kata_id) or DEFAULT_TIMEOUT
        run = self._current = Run(kata_id, self._numbers, seconds, self.lang)
        if self.fork:
            self._request(run)
        else:
            worker, self._spare = self._spare or _Worker(self), _Worker(self)  # the next one warms up meanwhile
            worker.take(run)
        return run

    def run(self, kata_id: str, timeout: float | None = None) -> Result:
        """Start a run and wait for its result (bounded by its deadline)."""
        run = self.start(kata_id, timeout)
        while run.poll(1.0) is None:
            pass
        return run.result

    def ready(self, wait: float) -> bool:
        """Whether the next run starts warm (the spawn path: its interpreter has imported everything)."""
        return self._spare.ready.wait(wait) if self._spare is not None else True

    def close(self) -> None:
        """Stop any run and every helper process; never waits long."""
        if self._current is not None:
            self._current.cancel()
        if self._spare is not None:
            self._spare.close()
            self._spare = None
        if self._zygote_pid:
            try:
                self._requests.close()  # the zygote leaves when its request pipe closes...
            except OSError:
                pass
            _reap(self._zygote_pid, CLOSE_WAIT)  # ...and its reader thread then ends on its own
            self._zygote_pid = 0

    # --- delivery of frames -------------------------------------------------------------------------

    def _deliver(self, frame: dict) -> None:
        run = self._current
        mine = run is not None and frame.get("run") == run.number
        if frame.get("kind") == "started":
            if mine:
                run.started(int(frame["pid"]))
            else:
                kill_tree(int(frame["pid"]))  # a run cancelled before its child was known
        elif mine:
            run.frames.put(frame)
            self.on_frame()

    def _read_frames(self, stream, deliver: Callable[[dict], None] | None = None) -> None:
        """Every frame line of ``stream`` to ``deliver`` (the run it names), until the stream ends (a reader thread)."""
        deliver = deliver or self._deliver
        try:
            for raw in stream:
                text = raw.decode("utf-8", "replace")
                start = text.find(FRAME)
                if start >= 0:
                    _deliver_text(text[start + len(FRAME) :], deliver)
        except (OSError, ValueError):
            pass  # closed under us: the engine is closing

    def _read_zygote(self) -> None:
        self._read_frames(self._responses)
        if self._current is not None:  # the zygote is gone: no run can end any more
            self._deliver({"run": self._current.number, "kind": "gone"})

    # --- the fork path --------------------------------------------------------------------------------

    def _start_zygote(self) -> None:
        request_read, request_write = os.pipe()
        response_read, response_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(request_write)
            os.close(response_read)
            try:
                self._zygote(request_read, response_write)
            finally:
                os._exit(0)
        os.close(request_read)
        os.close(response_write)
        self._zygote_pid = pid
        self._requests = os.fdopen(request_write, "w", encoding="utf-8")
        self._responses = os.fdopen(response_read, "rb")
        threading.Thread(target=self._read_zygote, name="katas-frames", daemon=True).start()

    def _request(self, run: Run) -> None:
        try:
            self._requests.write(f"{run.number} {run.kata_id}\n")
            self._requests.flush()
        except (OSError, ValueError):
            run.frames.put({"run": run.number, "kind": "gone"})

    def _zygote(self, request_read: int, channel: int) -> None:
        _become_subreaper()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the runner, which stops the run
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # the runner gone: leave quietly
        _quiet_stdio()
        with os.fdopen(request_read, encoding="utf-8") as requests:
            for line in requests:
                number, kata_id = line.split()
                workdir = tempfile.mkdtemp(prefix="katas-run-")
                pid = os.fork()
                if pid == 0:
                    os.setpgid(0, 0)  # a group of its own: killed as a whole, out of reach of the terminal's Ctrl-C
                    os.chdir(workdir)
                    _temporary_files_in(workdir)
                    signal.signal(signal.SIGINT, signal.default_int_handler)
                    _answer(channel, int(number), kata_id, self.katas_dir, self.lang)
                    os._exit(0)
                try:
                    os.setpgid(pid, pid)  # both sides set it: the group exists before the runner can kill it
                except OSError:
                    pass
                _write_frame(channel, {"run": int(number), "kind": "started", "pid": pid})
                _, status = os.waitpid(pid, 0)
                _end_leftovers(pid)
                shutil.rmtree(workdir, ignore_errors=True)
                _write_frame(channel, {"run": int(number), "kind": "exited", "status": os.waitstatus_to_exitcode(status)})


class _Worker:
    """The spawn path: one fresh interpreter, warming up until a run takes it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.run: Run | None = None
        self.ready = threading.Event()  # torch and pytest are imported: a run starts at once
        self.workdir = tempfile.mkdtemp(prefix="katas-run-")
        self.stderr = open(Path(self.workdir) / ".stderr.txt", "wb")  # noqa: SIM115 - read when the child dies
        command = [sys.executable, "-m", "kata_harness.runner.engine", "--serve", str(engine.katas_dir), engine.lang]
        new_group = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt" else {"start_new_session": True}
        env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        env |= dict.fromkeys(TEMP_VARIABLES, self.workdir)  # whatever the run leaves goes with the workdir
        self.process = subprocess.Popen(
            command, cwd=self.workdir, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
            **new_group,
        )  # fmt: skip
        threading.Thread(target=self._read, name="katas-worker", daemon=True).start()

    def take(self, run: Run) -> None:
        self.run = run
        run.started(self.process.pid)
        try:
            self.process.stdin.write(f"{run.number} {run.kata_id}\n".encode())
            self.process.stdin.close()
        except OSError:
            pass  # it is gone already: its reader reports that

    def close(self) -> None:
        try:
            self.process.stdin.close()  # an unused worker leaves when its input ends
        except OSError:
            pass
        try:
            self.process.wait(timeout=CLOSE_WAIT)
        except subprocess.TimeoutExpired:
            kill_tree(self.process.pid)
        self._clean()

    def _read(self) -> None:
        self.engine._read_frames(self.process.stdout, self._deliver)
        code = self.process.wait()
        if os.name != "nt":
            kill_tree(self.process.pid)  # what the run started in its process group goes with it
        if self.run is not None:
            self.engine._deliver({"run": self.run.number, "kind": "exited", "status": code, "output": self._stderr_tail()})
        self._clean()

    def _deliver(self, frame: dict) -> None:
        if frame.get("kind") == "ready":
            self.ready.set()
        else:
            self.engine._deliver(frame)

    def _stderr_tail(self) -> str:
        try:
            text = (Path(self.workdir) / ".stderr.txt").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-4:])

    def _clean(self) -> None:
        self.stderr.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _deliver_text(text: str, deliver: Callable[[dict], None]) -> None:
    try:
        frame = json.loads(text)
    except ValueError:
        return  # not a frame after all: the run's deadline still holds
    deliver(frame)


PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def _become_subreaper() -> None:
    """Linux: a process a run leaves behind (its parent gone) comes to the zygote instead of init, so that
    _end_leftovers can find it - even one the kata started in a session of its own."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the run's process group is still killed


def _end_leftovers(group: int, rounds: int = 20) -> None:
    """After a run: kill what is left of its process group and every process it left to the zygote, and reap them.

    A killed process's own children come to the zygote a moment later: look again until none is left."""
    kill_tree(group)
    for _ in range(rounds):
        children = _children(os.getpid())
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        while True:
            try:
                reaped, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                reaped = 0
            if not reaped:
                break
        if not children:
            return
        time.sleep(0.02)


def _children(parent: int) -> list[int]:
    """The pids whose parent is ``parent`` (Linux /proc; nothing elsewhere)."""
    found = []
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _reap(pid: int, wait: float) -> None:
    """Wait a little for a helper process to leave, then kill it."""
    end = time.monotonic() + wait
    while time.monotonic() < end:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def main(argv: list[str]) -> int:
    if argv[:1] == ["--serve"]:
        _, katas_dir, lang = argv
        return serve(Path(katas_dir), lang)
    kata_id, katas_dir, *lang = argv
    data = run_tests(kata_id, Path(katas_dir), *lang)
    print(FRAME + json.dumps({"kind": "result", "data": data}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
