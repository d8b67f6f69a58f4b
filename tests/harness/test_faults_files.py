"""Faults in the learner's files and console, injected one at a time: the progress file damaged, too new,
shared by many writers or read-only; a reset on a full disk, a CRLF or BOM file, a file not in UTF-8, a
kata defined twice; EOF at a question; a closed pipe; a console that cannot show Chinese.

Each case says in one line what happened, never with a traceback, and never loses what the learner wrote.
Most run ``cli.main`` in-process, a fault such as a full disk or a read-only folder being a monkeypatched
call (chmod does not stop root, who runs these tests in CI); the console cases run ``python -m
kata_harness`` with a real pipe and a real encoding.
Everything is written under tmp_path: the progress file through $KATAS_STATE, the katas into a copy.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
import time

import pytest

from kata_harness.paths import ROOT, SOLUTIONS_DIR
from kata_harness.runner import cli, files, source, state
from tests.harness.helpers import output

KATA = "tensors.reshape"
STUB = 'raise NotImplementedError("kata tensors.reshape is not solved yet")'
TIMEOUT = 60


@pytest.fixture
def progress(tmp_path, monkeypatch):
    """The progress file of this test ($KATAS_STATE), not yet written."""
    path = tmp_path / "state.json"
    monkeypatch.setenv(state.ENV_VAR, str(path))
    return path


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """`katas <args>` in-process: (status, stdout, stderr)."""
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, f"expected one line, got:\n{text}"
    return lines[0]


def solved_copy(katas_copy, module: str = "tensors") -> bytes:
    """The learner's file holds the reference solution (code a reset must keep); its bytes."""
    data = (SOLUTIONS_DIR / f"{module}.py").read_bytes()
    (katas_copy / f"{module}.py").write_bytes(data)
    return data


# --- the progress file: values, damage, a newer harness -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1e999", None), ("-5", 0), ('"x"', None), ("2.0", None), ("true", None), ("1000", state.MAX_HINT_STAGE), ("2", 2)],
    ids=["infinite", "negative", "string", "float", "bool", "huge", "fine"],
)
def test_state_hint_stage_is_clamped_or_dropped(progress, value, expected):
    progress.write_text(f'{{"version": 1, "done": ["{KATA}", 5, null], "hints": {{"{KATA}": {value}}}}}')
    saved = state.load()
    assert saved.hints.get(KATA) == expected, f"hint stage {value} in the file: load() gave {saved.hints}"
    assert saved.done == {KATA} and not saved.notices, f"only the string done mark is kept, quietly: {saved}"


def test_state_unknown_kata_ids_are_kept_harmlessly(progress, capsys):
    progress.write_text('{"version": 1, "done": ["gone.kata"], "hints": {"gone.kata": 3}}')
    status, out, err = run_cli(capsys, "list")
    assert status == 0 and "[>]  1." in out and not err, out + err
    assert "gone.kata" in state.load().done


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ("{not json", "damaged"),
        ("[" * 100_000 + "]" * 100_000, "damaged"),  # json.loads raises RecursionError
        ('["a list"]', "damaged"),
        ('{"version": 1, "done": "tensors.reshape", "hints": {}}', "damaged"),
        ('{"version": true, "done": [], "hints": {}}', "damaged"),
        ("\xff\xfe not utf-8", "damaged"),
        ('{"version": 2, "done": [], "hints": {}, "streak": 3}', "newer"),
    ],
    ids=["bad-json", "nested-100000-deep", "not-an-object", "done-not-a-list", "version-true", "not-utf8", "newer-version"],
)
def test_state_unreadable_file_is_moved_aside_in_one_line(progress, capsys, content, kind):
    progress.write_bytes(content.encode("latin-1"))
    status, out, err = run_cli(capsys, "list")
    assert status == 0 and "[>]  1." in out, f"katas list should go on with an empty progress:\n{out}{err}"
    moved = list(progress.parent.glob(f"state.json.{kind}-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == content.encode("latin-1"), f"the file must be kept as {kind}-<time>"
    line = one_line(err)
    assert str(moved[0]) in line and "progress starts afresh" in line, line
    assert not progress.exists(), "nothing is written in its place until there is progress to save"


def test_state_unreadable_file_is_left_alone_without_the_lock(progress, monkeypatch):
    progress.write_text("{not json")
    monkeypatch.setattr("filelock.FileLock", _LockDenied)  # state imports it when it takes the lock
    saved = state.record_run({KATA: ["passed"]}, {KATA: 1})
    assert progress.read_text() == "{not json", "a file that could not be moved aside must not be overwritten"
    assert [n.key for n in saved.notices] == ["state.cannot_move"], saved.notices
    assert "Permission denied" in saved.notices[0].text("en")


# --- the progress file: many writers, read-only, a full disk --------------------------------------------

WRITER = """
import sys, time
from kata_harness.runner import state
start, writer = float(sys.argv[1]), int(sys.argv[2])
time.sleep(max(0.0, start - time.time()))  # all together, to collide
for run in range(3):
    state.record_run({f"kata.w{writer}r{run}": ["passed"]}, {})
"""


def test_state_twenty_concurrent_writers_all_count(progress):
    env = os.environ | {state.ENV_VAR: str(progress), "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.time() + 2
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(start), str(n)], cwd=ROOT, env=env, stderr=subprocess.PIPE)
        for n in range(20)
    ]
    errors = [writer.communicate(timeout=TIMEOUT)[1].decode() for writer in writers]
    assert all(writer.returncode == 0 for writer in writers), "\n".join(errors)
    expected = {f"kata.w{n}r{run}" for n in range(20) for run in range(3)}
    missing = expected - state.load().done
    assert not missing, f"20 writers recorded 3 runs each; lost updates: {sorted(missing)}"


class _LockDenied:
    """A FileLock whose folder cannot be written (a read-only checkout)."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def acquire(self):
        raise PermissionError(errno.EACCES, "Permission denied")


def test_hint_on_a_read_only_checkout_still_shows_the_hint(progress, monkeypatch, capsys):
    monkeypatch.setattr("filelock.FileLock", _LockDenied)  # state imports it when it takes the lock
    status, out, err = run_cli(capsys, "hint", KATA)
    assert status == 0 and f"Hint 1/" in out, out + err
    line = one_line(err)
    assert "progress not saved" in line and "Permission denied" in line, line
    assert not progress.exists()


def test_hint_with_the_progress_file_under_a_file_still_shows_the_hint(run, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = run("-m", "kata_harness", "hint", KATA, env={state.ENV_VAR: str(blocker / "state.json")})
    assert done.returncode == 0 and "Hint 1/" in done.stdout, output(done)
    line = one_line(done.stderr)
    assert "progress is not saved" in line and "Not a directory" in line, line


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS, errno.EACCES], ids=["disk-full", "read-only-fs", "permission"])
def test_state_that_cannot_be_written_says_so_and_the_command_goes_on(progress, monkeypatch, capsys, error):
    def refuse(path, data):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(files, "write_atomic", refuse)
    status, out, err = run_cli(capsys, "hint", KATA)
    assert status == 0 and "Hint 1/" in out, out + err
    assert os.strerror(error) in one_line(err) and "progress not saved" in err, err


def test_record_run_keeps_the_plugins_signature_and_reports_instead_of_raising(progress, monkeypatch):
    saved = state.record_run({KATA: ["passed", "passed"]}, {KATA: 2})
    assert isinstance(saved, state.State) and saved.done == {KATA} and not saved.notices
    monkeypatch.setattr("filelock.FileLock", _LockDenied)  # state imports it when it takes the lock
    blocked = state.record_run({KATA: ["failed"]}, {KATA: 2})
    assert blocked.done == set() and [n.key for n in blocked.notices] == ["state.not_saved"], blocked
    assert json.loads(progress.read_text())["done"] == [KATA], "a run that could not be saved leaves the file as it was"


def test_state_lock_lives_beside_the_file(progress):
    state.record_run({KATA: ["passed"]}, {KATA: 1})
    assert state.lock_path(progress) == progress.with_name("state.json.lock") and progress.exists()


# --- reset: what it writes, and what it refuses ---------------------------------------------------------


def test_reset_keeps_a_backup_and_undo_puts_it_back(katas_copy, progress, capsys):
    solved = solved_copy(katas_copy)
    status, out, err = run_cli(capsys, "--dir", str(katas_copy), "reset", KATA, "--yes")
    assert status == 0 and not err, out + err
    backups = list((katas_copy.parent / files.BACKUP_DIR).glob("tensors-*.py"))
    assert len(backups) == 1 and backups[0].read_bytes() == solved, "the replaced file is kept beside the katas folder"
    assert str(backups[0]) in out and "katas undo" in out, out
    assert STUB in (katas_copy / "tensors.py").read_text()
    status, out, err = run_cli(capsys, "--dir", str(katas_copy), "undo")
    assert status == 0 and (katas_copy / "tensors.py").read_bytes() == solved, out + err
    assert f"from {backups[0]}" in out, out
    status, out, err = run_cli(capsys, "--dir", str(katas_copy), "undo")
    assert status == 0 and STUB in (katas_copy / "tensors.py").read_text(), f"an undo can be undone:\n{out}{err}"


def test_undo_with_no_backup_is_one_line(katas_copy, progress, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv(files.ENV_VAR, str(tmp_path / "no-backups"))
    status, _, err = run_cli(capsys, "--dir", str(katas_copy), "undo", "--module", "tensors")
    assert status == 2 and "no backup of tensors.py" in one_line(err), err


def test_undo_of_a_module_reset_restores_every_file_it_replaced(katas_copy, progress, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv(files.ENV_VAR, str(tmp_path / "backups"))
    before = {m: solved_copy(katas_copy, m) for m in ("tensors", "layers")}
    status, out, err = run_cli(capsys, "--dir", str(katas_copy), "reset", "--all", "--yes")
    assert status == 0 and len(list((tmp_path / "backups").glob("*.py"))) == 2, out + err  # unchanged files: no copy
    status, out, err = run_cli(capsys, "--dir", str(katas_copy), "undo")
    assert status == 0 and all((katas_copy / f"{m}.py").read_bytes() == data for m, data in before.items()), out + err


@pytest.mark.parametrize("failing", ["backup", "kata file"])
def test_reset_on_a_full_disk_leaves_the_file_intact(katas_copy, progress, capsys, monkeypatch, failing):
    solved = solved_copy(katas_copy)
    real_write, writes = files._write_all, []

    def write_half_then_full(handle, data):
        writes.append(handle)
        if len(writes) == ["backup", "kata file"].index(failing) + 1:  # the backup is written first
            real_write(handle, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(handle, data)

    monkeypatch.setattr(files, "_write_all", write_half_then_full)
    status, _, err = run_cli(capsys, "--dir", str(katas_copy), "reset", KATA, "--yes")
    assert status == 2 and "No space left on device" in one_line(err), err
    assert (katas_copy / "tensors.py").read_bytes() == solved, "a failed write must leave the learner's file as it was"
    assert not [p for p in katas_copy.parent.rglob("*.tmp")], "the temporary file is removed"


def test_reset_in_a_read_only_folder_is_one_line(katas_copy, progress, capsys, monkeypatch):
    solved = solved_copy(katas_copy)
    real_mkstemp = files.tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir == katas_copy:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp)
    status, _, err = run_cli(capsys, "--dir", str(katas_copy), "reset", "--module", "tensors", "--yes")
    line = one_line(err)
    assert status == 2 and "could not write" in line and "Permission denied" in line and "unchanged" in line, line
    assert (katas_copy / "tensors.py").read_bytes() == solved


def test_reset_keeps_crlf_line_endings(katas_copy, progress, capsys):
    path = katas_copy / "tensors.py"
    path.write_bytes(solved_copy(katas_copy).replace(b"\n", b"\r\n"))
    status, out, err = run_cli(capsys, "--dir", str(katas_copy), "reset", KATA, "--yes")
    data = path.read_bytes()
    assert status == 0 and STUB.encode() in data, out + err
    assert data.count(b"\n") == data.count(b"\r\n"), "every line of a CRLF file, the stub's too, ends in CRLF"


@pytest.mark.parametrize("args", [[KATA], ["--module", "tensors"]], ids=["kata", "module"])
def test_reset_keeps_a_utf8_bom(katas_copy, progress, capsys, args):
    path = katas_copy / "tensors.py"
    path.write_bytes(files.BOM + solved_copy(katas_copy))
    status, out, err = run_cli(capsys, "--dir", str(katas_copy), "reset", *args, "--yes")
    data = path.read_bytes()
    assert status == 0 and data.startswith(files.BOM) and not data[3:].startswith(files.BOM), out + err
    assert STUB in data[3:].decode("utf-8")


def test_reset_keeps_a_declared_encoding(katas_copy, progress, capsys):
    path = katas_copy / "tensors.py"
    path.write_bytes(b"# -*- coding: gbk -*-\n" + solved_copy(katas_copy).decode("utf-8").encode("gbk"))
    status, out, err = run_cli(capsys, "--dir", str(katas_copy), "reset", KATA, "--yes")
    text = path.read_bytes().decode("gbk")  # the stub's Chinese docstring written in the file's own encoding
    stub = source.segment(source.pristine_modules()["tensors"], "reshape", "the pristine copy")
    assert status == 0 and stub in text, f"the stub, Chinese included, should be back in the GBK file:\n{out}{err}"


def test_reset_refuses_a_stub_its_declared_encoding_cannot_hold(katas_copy, progress, capsys):
    path = katas_copy / "tensors.py"
    data = b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + solved_copy(katas_copy).decode("utf-8").encode("ascii", "replace")
    path.write_bytes(data)
    status, _, err = run_cli(capsys, "--dir", str(katas_copy), "reset", KATA, "--yes")
    assert status == 2 and "iso-8859-1" in one_line(err) and path.read_bytes() == data, err


def test_reset_refuses_a_file_not_in_utf8(katas_copy, progress, capsys):
    path = katas_copy / "tensors.py"
    data = solved_copy(katas_copy) + "# café\n".encode("latin-1")
    path.write_bytes(data)
    status, _, err = run_cli(capsys, "--dir", str(katas_copy), "reset", KATA, "--yes")
    line = one_line(err)
    assert status == 2 and str(path) in line and "can't decode byte 0xe9" in line, line
    assert path.read_bytes() == data, "a file that cannot be read exactly is never rewritten"


def test_solution_with_a_reference_not_in_utf8_is_one_line(progress, capsys, monkeypatch, tmp_path):
    (tmp_path / "tensors.py").write_bytes(b"def reshape():\n    return '\xff'\n")
    monkeypatch.setattr(cli, "SOLUTIONS_DIR", tmp_path)
    status, _, err = run_cli(capsys, "solution", KATA, "--force")
    assert status == 2 and "cannot read the reference" in err.splitlines()[-1] and "Traceback" not in err, err


def test_reset_refuses_a_kata_defined_twice(katas_copy, progress, capsys):
    path = katas_copy / "tensors.py"
    text = path.read_text(encoding="utf-8") + "\n\ndef reshape(x, shape):\n    return x\n"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    first, second = [number for number, line in enumerate(lines, 1) if line.startswith("def reshape(")]
    status, _, err = run_cli(capsys, "--dir", str(katas_copy), "reset", KATA, "--yes")
    line = one_line(err)
    assert status == 2 and f"defines reshape twice (lines {first} and {second})" in line, line
    assert "Python uses the second" in line and path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("args", "kept"),
    [([KATA], {"tensors.to_device", "layers.max_pool"}), (["--module", "tensors"], {"layers.max_pool"}), (["--all"], set())],
    ids=["kata", "module", "all"],
)
def test_reset_clears_the_done_marks_it_resets_and_keeps_hint_stages(katas_copy, progress, capsys, args, kept):
    state.record_run({KATA: ["passed"], "tensors.to_device": ["passed"], "layers.max_pool": ["passed"]}, {})
    with state.update() as saved:
        saved.hints[KATA] = 2
    status, out, err = run_cli(capsys, "--dir", str(katas_copy), "reset", *args, "--yes")
    after = state.load()
    assert status == 0 and after.hints[KATA] == 2, out + err
    assert after.done == kept, f"katas reset {' '.join(args)}: done marks left {after.done}, expected {kept}"


class _Terminal(io.StringIO):
    """A terminal on which the learner pressed Ctrl-D."""

    def isatty(self) -> bool:
        return True


def test_reset_eof_at_the_question_is_a_no(katas_copy, progress, capsys, monkeypatch):
    solved = solved_copy(katas_copy)
    monkeypatch.setattr(sys, "stdin", _Terminal(""))
    status, out, err = run_cli(capsys, "--dir", str(katas_copy), "reset", KATA)
    assert status == 1 and out.strip().endswith("Nothing was reset.") and not err, out + err
    assert (katas_copy / "tensors.py").read_bytes() == solved


# --- the console ----------------------------------------------------------------------------------------


def _child_env(tmp_path, **extra: str) -> dict[str, str]:
    return os.environ | {state.ENV_VAR: str(tmp_path / "state.json"), "PYTHONDONTWRITEBYTECODE": "1"} | extra


def test_list_into_a_closed_pipe_ends_quietly(tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-m", "kata_harness", "list"], cwd=ROOT, env=_child_env(tmp_path, KATAS_LANG="en"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    child.stdout.close()  # the reader is gone before the first line is written
    status = child.wait(timeout=TIMEOUT)
    err = child.stderr.read().decode()
    child.stderr.close()
    assert status == 141 and err == "", f"status {status}, stderr:\n{err}"


def test_list_piped_into_head_prints_one_line_and_no_traceback(tmp_path):
    command = f"'{sys.executable}' -m kata_harness list | head -1"
    done = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=_child_env(tmp_path, KATAS_LANG="en"),
        capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1 and done.stderr == "", output(done)


@pytest.mark.parametrize(
    ("encoding", "shows_chinese"), [("gbk", True), ("cp1252", False)], ids=["gbk-shows-chinese", "cp1252-replaces"]
)
def test_list_in_chinese_on_a_narrow_console_does_not_crash(tmp_path, encoding, shows_chinese):
    done = subprocess.run(
        [sys.executable, "-m", "kata_harness", "list"], cwd=ROOT,
        env=_child_env(tmp_path, KATAS_LANG="zh", PYTHONIOENCODING=encoding), capture_output=True, timeout=TIMEOUT,
    )  # fmt: skip
    text = done.stdout.decode(encoding, errors="strict")
    assert done.returncode == 0 and b"Traceback" not in done.stderr, text + done.stderr.decode(errors="replace")
    assert ("已完成" in text) == shows_chinese and ("?" in text) != shows_chinese, text
