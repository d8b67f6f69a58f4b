"""The ``katas`` runner, driven as a learner drives it: in a pseudo-terminal, typing keys and saving files.

Every test works on a copy of katas/ (the hidden ``--dir`` option) with its own progress file
($KATAS_STATE), so nothing in the checkout changes.
"""

from __future__ import annotations

import os
import sys

import pytest

from kata_harness.paths import ROOT, SOLUTIONS_DIR
from kata_harness.runner import source
from tests.harness.helpers import output

pexpect = pytest.importorskip("pexpect", reason="the runner's terminal tests need pexpect (not on Windows)")

TIMEOUT = 120  # the runner imports torch once at start; a loaded 2-core machine needs the margin


def solve_one(copy, module: str, name: str) -> None:
    """Write the reference of one kata into the learner's copy, the way a learner saves a file."""
    path = copy / f"{module}.py"
    solution = (SOLUTIONS_DIR / f"{module}.py").read_text(encoding="utf-8")
    path.write_text(source.restore(path.read_text(encoding="utf-8"), solution, name, str(path)), encoding="utf-8")


@pytest.fixture
def learner(katas_copy, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("KATAS_IMPL", "KATAS_IMPL_OVERLAY")}
    env |= {"KATAS_STATE": str(tmp_path / "state.json"), "PYTHONDONTWRITEBYTECODE": "1", "TERM": "dumb", "KATAS_LANG": "en"}

    def start(*args: str):
        child = pexpect.spawn(
            sys.executable, ["-m", "kata_harness", "--dir", str(katas_copy), *args],
            cwd=str(ROOT), env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(60, 160),
        )  # fmt: skip
        return child

    return katas_copy, env, start


def test_runner_watch_turns_green_on_save_and_moves_on_with_n(learner):
    copy, _, start = learner
    child = start()
    child.expect(r"Kata 1/\d+: tensors.pick_device")
    child.expect("tests fail")
    child.expect("keys: h hint")
    solve_one(copy, "tensors", "pick_device")
    child.expect(r"DONE: all \d+ tests of tensors.pick_device pass")
    child.expect("Why, in the reference solution")
    child.expect("keys: n next kata")
    child.send("n")
    child.expect(r"Kata 2/\d+: tensors.to_device")
    child.expect("tests fail")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_runner_hints_list_and_reset_keep_the_rest_of_the_file(learner):
    copy, _, start = learner
    solve_one(copy, "tensors", "to_device")  # code of the learner's that a reset of pick_device must keep
    original = (copy / "tensors.py").read_text(encoding="utf-8")
    solve_one(copy, "tensors", "pick_device")
    child = start("watch", "--manual-run")
    child.expect("DONE")
    child.send("h")
    child.expect(r"Hint 1/\d for tensors.pick_device")
    child.send("h")
    child.expect(r"Hint 2/\d for tensors.pick_device")
    child.send("l")
    child.expect(r"\[x\]  1\. tensors.pick_device")
    child.expect(r"\[ \]  2\. tensors.to_device")
    child.send("r")
    child.expect(r"\[y/N\]")
    child.send("y")
    child.expect("running the tests of tensors.pick_device")
    child.expect("tests fail")
    child.expect("is a stub again")
    assert (copy / "tensors.py").read_text(encoding="utf-8") == original
    child.send("\r")  # --manual-run: Enter runs the tests again
    child.expect("running the tests of tensors.pick_device")
    child.expect("tests fail")
    child.send("q")
    child.expect(pexpect.EOF)


def test_runner_without_a_terminal_prints_plain_lines_and_stops_at_end_of_input(learner, run):
    copy, env, _ = learner
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "kata_harness", "--dir", str(copy), "watch", "--manual-run"],
        cwd=ROOT, env=env, input="h\n", capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert done.returncode == 0, output(done)
    assert "\x1b[" not in done.stdout and "Kata 1/" in done.stdout and "Hint 1/" in done.stdout, output(done)
    assert "Traceback" not in done.stderr, output(done)


def test_runner_reports_a_syntax_error_in_the_kata_file_in_a_few_lines(learner):
    copy, env, _ = learner
    import subprocess

    (copy / "tensors.py").write_text((copy / "tensors.py").read_text() + "\ndef broken(:\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kata_harness", "--dir", str(copy), "watch"],
        cwd=ROOT, env=env, input="", capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert "The tests could not run" in done.stdout and "SyntaxError" in done.stdout or "invalid syntax" in done.stdout, output(done)
    assert "Traceback" not in done.stdout + done.stderr, output(done)
    reset = subprocess.run(
        [sys.executable, "-m", "kata_harness", "--dir", str(copy), "reset", "tensors.reshape", "--yes"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert reset.returncode == 2 and "syntax error" in reset.stderr and "reset --module tensors" in reset.stderr, output(reset)
    assert "Traceback" not in reset.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hint", "tensors.nope"], "no kata named 'tensors.nope'"),
        (["solution", "tensors.reshape"], "not done yet"),
        (["reset", "--module", "nope", "--yes"], "no kata module named 'nope'"),
        (["reset"], "say what to reset"),
    ],
    ids=["unknown-id", "solution-before-done", "unknown-module", "reset-nothing"],
)
def test_runner_bad_input_is_one_line_and_exit_2(run, tmp_path, args, message):
    done = run("-m", "kata_harness", *args, env={"KATAS_STATE": str(tmp_path / "state.json")})
    assert done.returncode == 2, output(done)
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, output(done)


def test_runner_damaged_progress_file_is_moved_aside_in_one_line(run, tmp_path):
    broken = tmp_path / "state.json"
    broken.write_text("{not json")
    done = run("-m", "kata_harness", "list", env={"KATAS_STATE": str(broken)})
    assert done.returncode == 0 and "tensors.pick_device" in done.stdout, output(done)
    moved = list(tmp_path.glob("state.json.damaged-*"))
    assert len(moved) == 1 and moved[0].read_text() == "{not json", "the damaged file is kept, renamed"
    assert done.stderr.count("\n") == 1 and "is damaged" in done.stderr and str(moved[0]) in done.stderr, output(done)


def test_runner_hint_shows_one_stage_per_call(run, tmp_path):
    env = {"KATAS_STATE": str(tmp_path / "state.json")}
    first = run("-m", "kata_harness", "hint", "tensors.reshape", env=env)
    second = run("-m", "kata_harness", "hint", "tensors.reshape", env=env)
    assert "Hint 1/" in first.stdout and "Hint 2/" not in first.stdout, output(first)
    assert "Hint 2/" in second.stdout and "Hint 1/" not in second.stdout, output(second)
    every = run("-m", "kata_harness", "hint", "tensors.reshape", "--all", env=env)
    assert "Hint 1/" in every.stdout and "Hint 2/" in every.stdout


def test_runner_reset_restores_only_that_kata(run, katas_copy, tmp_path):
    solve_one(katas_copy, "tensors", "reshape")
    solve_one(katas_copy, "tensors", "pick_device")
    done = run("-m", "kata_harness", "--dir", str(katas_copy), "reset", "tensors.reshape", "--yes", env={"KATAS_STATE": str(tmp_path / "s.json")})
    assert done.returncode == 0, output(done)
    text = (katas_copy / "tensors.py").read_text()
    assert 'raise NotImplementedError("kata tensors.reshape is not solved yet")' in text
    assert 'raise NotImplementedError("kata tensors.pick_device is not solved yet")' not in text


def test_pristine_copy_matches_katas():
    assert source.pristine_modules() == source.current_modules(), (
        "kata_harness/runner/pristine.json is out of date: python -m kata_harness.runner.source --refresh"
    )
