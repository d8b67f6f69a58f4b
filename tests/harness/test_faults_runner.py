"""Fault injection: the runner (``katas``) survives what learners do to it.

Each test plants one fault in a copy of katas/ - an infinite loop, a call that never returns, a child
that exits or crashes, a save in the middle of a run, a syntax error - drives the runner as a learner
does (a pseudo-terminal, keys, saves) and checks that the answer is bounded, truthful and one line,
and that nothing is left running. Every wait is bounded: pexpect's timeout, subprocess's timeout.
The deadlines are shortened through $KATAS_TIMEOUT so that a hang costs seconds, not minutes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from kata_harness.paths import ROOT, SOLUTIONS_DIR
from kata_harness.runner import source
from kata_harness.runner.engine import Engine
from kata_harness.runner.watch import fit
from tests.harness.helpers import output

pexpect = pytest.importorskip("pexpect", reason="the runner's terminal tests need pexpect (not on Windows)")

START = 120  # the runner imports torch once at start; a loaded 2-core machine needs the margin
STUB = 'raise NotImplementedError("kata tensors.pick_device is not solved yet")'
KATA = "tensors.pick_device"


def plant(copy, code: str) -> None:
    """Replace the pick_device stub's body with ``code`` (one line), as a learner's edit would."""
    path = copy / "tensors.py"
    text = path.read_text(encoding="utf-8")
    assert STUB in text
    path.write_text(text.replace(STUB, code, 1), encoding="utf-8")


def solve(copy) -> None:
    path = copy / "tensors.py"
    solution = (SOLUTIONS_DIR / "tensors.py").read_text(encoding="utf-8")
    path.write_text(source.restore(path.read_text(encoding="utf-8"), solution, "pick_device", str(path)), encoding="utf-8")


def runner_processes(copy) -> list[str]:
    """The processes still running the runner's children for this copy (there must be none once it has left)."""
    listing = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True, timeout=30).stdout
    return [line for line in listing.splitlines() if str(copy) in line and "kata_harness" in line]


@pytest.fixture
def learner(katas_copy, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("KATAS_IMPL", "KATAS_IMPL_OVERLAY")}
    env |= {"KATAS_STATE": str(tmp_path / "state.json"), "PYTHONDONTWRITEBYTECODE": "1", "KATAS_LANG": "en",
            "KATAS_TIMEOUT": "2", "TERM": "xterm"}  # fmt: skip

    def start(*args: str, term: str = "xterm", cwd=None):
        child = pexpect.spawn(
            sys.executable, ["-m", "kata_harness", "--dir", str(katas_copy), *args], cwd=str(cwd or ROOT),
            env=env | {"TERM": term}, encoding="utf-8", timeout=START, dimensions=(60, 200),
        )  # fmt: skip
        return child

    return katas_copy, env, start


def quit_runner(child) -> None:
    child.send("q")
    child.expect(pexpect.EOF, timeout=30)
    child.close()
    assert child.exitstatus == 0


def test_an_infinite_loop_ends_at_the_deadline_with_one_line_and_a_fix_turns_green(learner):
    copy, _, start = learner
    plant(copy, "while True: pass")
    child = start()
    child.expect(r"running tensors.pick_device: \d+ s, 0/\d+ tests done")  # alive, after a second
    child.expect(r"did not finish within \d+ s", timeout=60)
    solve(copy)
    child.expect(r"DONE: all \d+ tests of tensors.pick_device pass", timeout=60)
    quit_runner(child)


def test_a_save_during_a_run_cancels_it_and_the_latest_save_wins(learner):
    copy, env, start = learner
    env["KATAS_TIMEOUT"] = "300"  # only the save can end this run
    plant(copy, "import time; time.sleep(1000)")
    child = start()
    child.expect(r"tests done")
    began = time.monotonic()
    solve(copy)
    child.expect(r"DONE: all \d+ tests of tensors.pick_device pass", timeout=60)
    assert time.monotonic() - began < 30, "the save did not cancel the run"
    quit_runner(child)


@pytest.mark.parametrize("key", ["q", "ctrl-c"])
def test_q_and_ctrl_c_stop_a_running_run_at_once_and_leave_nothing_running(learner, key):
    copy, env, start = learner
    env["KATAS_TIMEOUT"] = "300"
    plant(copy, "import time; time.sleep(1000)")
    child = start()
    child.expect(r"tests done")
    began = time.monotonic()
    child.sendintr() if key == "ctrl-c" else child.send("q")
    child.expect(pexpect.EOF, timeout=30)
    child.close()
    assert time.monotonic() - began < 10
    assert child.exitstatus == 0, child.before
    assert "Traceback" not in child.before and "Error" not in child.before, child.before
    time.sleep(0.5)
    assert runner_processes(copy) == []


DEATHS = [
    ("import os; os._exit(0)", "os._exit(0) was called: it ends the whole test process"),  # caught: the test fails
    ("import ctypes; ctypes.CDLL(None)._exit(3)", "ended without a result: the process exited with status 3"),
    ("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", "ended without a result: it crashed in native code (SIGSEGV)"),
    ("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", "ended without a result: it was killed (SIGKILL): most often the system ran out of memory"),
    # pytest-timeout cannot stop what blocks its alarm: the runner's own deadline (the timeout, 2 s, and its grace) does
    ("import signal, time; signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM}); time.sleep(1000)",
     "did not finish within 3 s and was stopped"),
]


def test_a_child_that_dies_or_cannot_be_stopped_gets_its_own_verdict(learner):
    """os._exit (caught), an exit below Python, a segfault, the out-of-memory killer, a hang the alarm cannot reach:
    each save plants the next."""
    copy, _, start = learner
    original = (copy / "tensors.py").read_text(encoding="utf-8")
    plant(copy, DEATHS[0][0])
    child = start()
    for number, (code, verdict) in enumerate(DEATHS):
        if number:
            (copy / "tensors.py").write_text(original.replace(STUB, code, 1), encoding="utf-8")
        child.expect_exact(f"tensors.pick_device: the test run {verdict}" if "ended" in verdict else verdict, timeout=60)
    quit_runner(child)
    assert runner_processes(copy) == []


def test_a_syntax_error_stops_the_runner_there_even_when_every_kata_is_done(learner, tmp_path):
    copy, env, start = learner
    from kata_harness import manifest
    from kata_harness.runner import state

    state.save(state.State(done={k.id for k in manifest.load()}), tmp_path / "state.json")
    (copy / "layers.py").write_text((copy / "layers.py").read_text(encoding="utf-8") + "\ndef broken(:\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kata_harness", "--dir", str(copy)], cwd=ROOT, env=env, input="", capture_output=True,
        text=True, timeout=START,
    )  # fmt: skip
    assert "Every kata is done" not in done.stdout, output(done)
    assert "Kata 34/79: layers." in done.stdout or "layers.conv2d_output_size" in done.stdout, output(done)
    assert "SyntaxError" in done.stdout or "invalid syntax" in done.stdout, output(done)
    assert "Traceback" not in done.stderr, output(done)
    listed = subprocess.run(
        [sys.executable, "-m", "kata_harness", "--dir", str(copy), "list"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=START,
    )  # fmt: skip
    layers = sum(1 for kata in manifest.load() if kata.module == "layers")
    assert f"{79 - layers} of 79 done" in listed.stdout, output(listed)  # what pytest's report counts too
    assert "[!] 36. layers." in listed.stdout and "katas/layers.py does not load (line" in listed.stdout, output(listed)


def test_a_dumb_terminal_gets_no_escape_codes_and_kata_code_writes_nothing_where_the_runner_started(learner, tmp_path):
    copy, _, start = learner
    path = copy / "tensors.py"  # the note's style: module-level code that writes to a relative path
    path.write_text(path.read_text(encoding="utf-8") + '\nopen("written-at-import.txt", "w").close()\n', encoding="utf-8")
    started_in = tmp_path / "here"
    started_in.mkdir()
    child = start("watch", "--manual-run", term="dumb", cwd=started_in)
    child.expect("tests fail")
    child.expect("keys: h hint")
    quit_runner(child)
    assert "\x1b[" not in child.before
    assert not (started_in / "written-at-import.txt").exists()
    assert not (ROOT / "written-at-import.txt").exists()


def test_the_spawn_path_runs_bounds_and_cancels_like_the_fork_path(katas_copy, monkeypatch, tmp_path):
    """macOS and Windows: warm fresh interpreters instead of forks; the same verdicts, the same deadlines (a cancel
    kills the run's process group as the deadline does)."""
    monkeypatch.setenv("KATAS_STATE", str(tmp_path / "state.json"))
    path = katas_copy / "tensors.py"
    original = path.read_text(encoding="utf-8")
    engine = Engine(katas_copy, fork=False)
    try:
        plant(katas_copy, "while True: pass")
        assert engine.ready(START)
        result = engine.run(KATA, timeout=3)
        assert result.stopped == "timeout" or any("did not finish" in t.message for t in result.failed), result
        path.write_text(original.replace(STUB, "import ctypes; ctypes.CDLL(None)._exit(7)", 1), encoding="utf-8")
        assert engine.ready(START)
        result = engine.run(KATA, timeout=60)
        assert result.stopped == "died" and "status 7" in result.error, result
    finally:
        engine.close()
    time.sleep(0.5)
    assert runner_processes(katas_copy) == []


SLEEPERS = (  # a kata that starts processes and leaves them running: one in its process group, one in a session of its own
    "import subprocess, sys; "
    "pids = [subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(1000)'], start_new_session=new).pid "
    "for new in (False, True)]; "
    "open({marker!r}, 'w').write(' '.join(map(str, pids)))"
)


@pytest.mark.parametrize("ending", ["returns", "cancelled"])
def test_processes_a_run_leaves_behind_end_with_it(katas_copy, monkeypatch, tmp_path, ending):
    """DataLoader workers, a server the kata started: whatever a run started ends when the run does."""
    monkeypatch.setenv("KATAS_STATE", str(tmp_path / "state.json"))
    marker = tmp_path / "pids"
    plant(katas_copy, SLEEPERS.format(marker=str(marker)) + ("; import time; time.sleep(1000)" if ending == "cancelled" else ""))
    engine = Engine(katas_copy)
    try:
        run = engine.start(KATA, timeout=300)
        end = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < end:
            time.sleep(0.1)
        if ending == "cancelled":
            run.cancel()
        else:
            assert run.poll(60) is not None and run.result.stopped == "", run.result
    finally:
        engine.close()
    pids = [int(pid) for pid in marker.read_text().split()]
    end = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < end:
        time.sleep(0.1)
    assert not [pid for pid in pids if alive(pid)], "a process started by the kata's code outlived its run"


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a parent to reap it is not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_deleted_kata_file_is_named_with_the_command_that_brings_it_back(learner):
    copy, env, _ = learner
    (copy / "tensors.py").unlink()
    screen = subprocess.run(
        [sys.executable, "-m", "kata_harness", "--dir", str(copy), "watch", "--manual-run"], cwd=ROOT, env=env,
        input="", capture_output=True, text=True, timeout=START,
    )  # fmt: skip
    assert "katas/tensors.py is missing: `katas reset --module tensors`" in screen.stdout, output(screen)
    assert "Traceback" not in output(screen) and "ImportError" not in screen.stdout, output(screen)
    listed = subprocess.run(
        [sys.executable, "-m", "kata_harness", "--dir", str(copy), "list"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=START,
    )  # fmt: skip
    assert "katas/tensors.py does not load (the file is missing)" in listed.stdout, output(listed)


def test_the_status_line_fits_the_terminal_so_that_it_can_be_redrawn_in_place():
    assert fit("running tensors.pick_device: 3 s, 0/3 tests done", 80) == "running tensors.pick_device: 3 s, 0/3 tests done"
    assert fit("x" * 100, 79) == "x" * 76 + "..."
    assert fit("正在运行" * 20, 21) == "正在运行正在运行正..."  # a Chinese character takes two columns: 18 + 3
