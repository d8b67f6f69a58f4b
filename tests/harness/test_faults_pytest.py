"""Fault injection: plain pytest survives what learners do to it, and tells the truth about it.

Each test plants one fault in a copy of katas/ (or solutions/) and runs pytest on it in a subprocess, as a
learner does: an endless loop or a call that never returns (the kata's deadline ends the test, names the
learner's line and skips the kata's other tests), a module that writes a file when imported (it lands
in a temporary folder, never in the checkout nor where pytest was started), a module that does not
import (its katas are not checked: the count leaves them out, the report names the learner's line and
the progress file keeps what it knew).

Every wait is bounded (subprocess's timeout); the deadlines are shortened through $KATAS_TIMEOUT so that a
hang costs seconds, not a minute. ``--kata`` keeps each run to one test file. The harness's child runs
load no plugin by themselves (PYTEST_DISABLE_PLUGIN_AUTOLOAD): ``-p timeout`` and ``-p xdist`` load
pytest-timeout and pytest-xdist, which plain pytest loads on its own.
"""

from __future__ import annotations

import re
import shutil
import signal

import pytest

from kata_harness import manifest
from kata_harness.paths import ROOT, SOLUTIONS_DIR
from kata_harness.runner import state
from tests.harness.conftest import TENSOR_TESTS
from tests.harness.helpers import output

KATAS = manifest.load()
TENSORS = [k for k in KATAS if k.module == "tensors"]
KATA = "tensors.reshape"
STUB = 'raise NotImplementedError("kata tensors.reshape is not solved yet")'
DEADLINE = {"KATAS_TIMEOUT": "2"}
WAIT = 180  # seconds one child run may take: torch's import on a loaded 2-core machine, plus a 2 s deadline
WRITTEN = "written-at-import.txt"

needs_sigalrm = pytest.mark.skipif(
    not hasattr(signal, "SIGALRM"), reason="without SIGALRM, pytest-timeout's thread method ends the whole process"
)
ENDLESS = ["while True:", "    pass"]


def plant(copy, *body: str) -> int:
    """Replace the reshape stub with ``body`` (its lines, as a learner would write them); the first one's number."""
    path = copy / "tensors.py"
    text = path.read_text(encoding="utf-8")
    assert STUB in text
    path.write_text(text.replace(STUB, "\n    ".join(body), 1), encoding="utf-8")
    return text[: text.index(STUB)].count("\n") + 1


def append(copy, line: str) -> int:
    """Add ``line`` at the end of tensors.py (module level code: it runs at import); its line number."""
    path = copy / "tensors.py"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def solutions_copy(tmp_path):
    """A copy of solutions/: every kata solved, ready for one fault."""
    target = tmp_path / "solved"
    shutil.copytree(SOLUTIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def outcomes(done) -> dict[str, int]:
    """{'failed': 1, 'skipped': 12, ...} from pytest's summary line."""
    last = [line for line in done.stdout.splitlines() if re.search(r"\d+ (passed|failed|skipped|errors?)\b.* in [0-9.]+s", line)]
    assert last, output(done)
    return {word: int(number) for number, word in re.findall(r"(\d+) (passed|failed|skipped|errors?)", last[-1])}


def assert_stopped_at_deadline(done, line: int, statement: str) -> None:
    """The kata's first test ran out of its 2 s, named the learner's line; its other tests did not wait as long."""
    assert done.returncode == 1, output(done)
    assert f"{KATA} did not finish within 2 s: it was still running " in done.stdout, output(done)
    assert f"tensors.py:{line} `{statement}`" in done.stdout, output(done)
    assert "That usually means a loop that never ends" in done.stdout, output(done)
    assert f"a test of {KATA} already ran past its 2 s deadline" in done.stdout, output(done)  # -rs: why skipped
    counted = outcomes(done)
    assert counted.get("failed", 0) >= 1 and counted.get("skipped", 0) >= 1 and "passed" not in counted, output(done)


# --- deadlines ---------------------------------------------------------------------------------------------


@needs_sigalrm
@pytest.mark.parametrize(
    ("body", "statement"),
    [(ENDLESS, "while True:"), (["import time", "time.sleep(1000)"], "time.sleep(1000)")],
    ids=["endless-loop", "sleep-forever"],
)
def test_a_kata_that_never_returns_fails_at_its_deadline_naming_the_learners_line(run_pytest, katas_copy, body, statement):
    line = plant(katas_copy, *body) + body.index(statement)
    done = run_pytest(f"--impl={katas_copy}", "--kata", KATA, "-p", "timeout", "-rs", env=DEADLINE, timeout=WAIT)
    assert_stopped_at_deadline(done, line, statement)
    assert outcomes(done)["failed"] == 1, "in one process, the kata's other tests are skipped, not run to the deadline"


@needs_sigalrm
def test_a_deadline_stops_an_xdist_worker_alike(run_pytest, katas_copy):
    line = plant(katas_copy, *ENDLESS)
    done = run_pytest(
        f"--impl={katas_copy}", "--kata", KATA, "-p", "timeout", "-p", "xdist", "-n", "2", "-rs", env=DEADLINE, timeout=WAIT
    )
    assert_stopped_at_deadline(done, line, "while True:")
    assert outcomes(done)["failed"] <= 2, "each worker lets the kata run out of time once at most"


@needs_sigalrm
def test_a_deadline_from_the_command_line_wins_and_is_told_in_the_learners_language(run_pytest, katas_copy):
    line = plant(katas_copy, *ENDLESS)
    done = run_pytest(
        f"--impl={katas_copy}", "--kata", KATA, "-p", "timeout", "--timeout=1", "--lang", "zh",
        env={"KATAS_TIMEOUT": "600"}, timeout=WAIT,
    )  # fmt: skip
    assert f"{KATA} 没有在 1 秒内完成：超时时仍在运行 " in done.stdout, output(done)
    assert f"tensors.py:{line} `while True:`" in done.stdout and "这通常意味着" in done.stdout, output(done)


# --- import-time writes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [[], ["-p", "xdist", "-n", "2"]], ids=["one-process", "xdist"])
def test_a_module_writing_at_import_leaves_the_checkout_and_the_start_folder_alone(run, tmp_path, workers):
    copy = solutions_copy(tmp_path)
    append(copy, f'open("{WRITTEN}", "w").close()  # module level: runs when the tests import it')
    start = tmp_path / "start"
    start.mkdir()
    assert not (ROOT / WRITTEN).exists(), f"{ROOT / WRITTEN} is there before the run: remove it"
    done = run(
        "-m", "pytest", "-p", "no:cacheprovider", "-c", str(ROOT / "pytest.ini"), f"--rootdir={ROOT}",
        str(ROOT / TENSOR_TESTS), "--impl=../solved", "--kata", KATA, "-q", *workers, cwd=start, timeout=WAIT,
    )  # fmt: skip
    assert done.returncode == 0, output(done)
    assert not (ROOT / WRITTEN).exists() and not (start / WRITTEN).exists(), output(done)
    assert sorted(p.name for p in start.iterdir()) == [], "pytest was started here: it must stay empty"


# --- a module that does not import -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("def broken(:", "SyntaxError: invalid syntax"),
        ("undefined_name + 1", "NameError: name 'undefined_name' is not defined"),
        ("import torchvison", "ModuleNotFoundError: No module named 'torchvison'"),
    ],
    ids=["syntax-error", "name-error", "import-error"],
)
def test_a_module_that_does_not_import_is_reported_not_checked_and_left_as_it_was(run_pytest, tmp_path, line, error):
    copy = solutions_copy(tmp_path)
    number = append(copy, line)
    progress = tmp_path / "progress.json"
    everything = {k.id for k in KATAS}
    state.save(state.State(done=everything), progress)  # earlier runs found every kata done
    reports = []
    for _ in range(2 if error.startswith("SyntaxError") else 1):  # the same answer every time
        done = run_pytest(f"--impl={copy}", "--kata", KATA, "-q", env={"KATAS_STATE": str(progress)}, timeout=WAIT)
        assert done.returncode != 0, output(done)
        reports.append(done.stdout.split("kata progress", 1)[-1])
    report = reports[0]
    assert all(other == report for other in reports), reports
    assert f"{len(KATAS) - len(TENSORS)} of {len(KATAS)} katas complete" in report, output(done)
    assert f"tensors.py:{number}: {error}" in report, output(done)
    assert f"{len(TENSORS)} kata(s) of katas/tensors.py were not checked" in report, output(done)
    assert f"Next: katas/tensors.py::{TENSORS[0].name}" in report, "the broken module's first kata comes first"
    assert "All katas complete" not in report, output(done)
    assert state.load(progress).done == everything, "not checked: neither done nor failed, the file keeps what it knew"


@pytest.mark.parametrize(
    ("content", "said"),
    [('{"version": 1, "done": [', "is damaged: moved it to")],  # a newer version's file: test_faults_files.py
    ids=["damaged"],
)
def test_a_progress_file_pytest_cannot_read_is_moved_aside_with_one_line(run_pytest, katas_copy, tmp_path, content, said):
    """Never silently replaced: the learner's file is kept beside it, and the report says where."""
    progress = tmp_path / "progress.json"
    progress.write_text(content, encoding="utf-8")
    done = run_pytest(f"--impl={katas_copy}", "--kata", "tensors.pick_device", "-q", env={"KATAS_STATE": str(progress)}, timeout=WAIT)
    assert done.returncode == 1 and "Traceback" not in output(done), output(done)
    assert [line for line in done.stdout.splitlines() if said in line], output(done)
    kept = [path for path in tmp_path.iterdir() if path.name.startswith("progress.json.") and not path.name.endswith(".lock")]
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == content, sorted(tmp_path.iterdir())


def test_os_exit_in_a_kata_fails_its_test_instead_of_ending_pytest_green(run_pytest, katas_copy):
    """os._exit(0) would end pytest on the spot with status 0 and no report: a silent green."""
    (katas_copy / "tensors.py").write_text(
        (katas_copy / "tensors.py").read_text(encoding="utf-8").replace(
            'raise NotImplementedError("kata tensors.pick_device is not solved yet")', "import os; os._exit(0)", 1
        ),
        encoding="utf-8",
    )
    done = run_pytest(f"--impl={katas_copy}", "--kata", "tensors.pick_device", "-q", timeout=WAIT)
    assert done.returncode == 1, output(done)
    assert "os._exit(0) was called: it ends the whole test process" in done.stdout, output(done)
    assert "kata progress" in done.stdout and "3 failed" in done.stdout, output(done)
