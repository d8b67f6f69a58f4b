"""The progress report printed at the end of a run against katas/."""

from kata_harness import manifest
from kata_harness.plugin import progress_lines
from tests.harness.helpers import output, solve

KATAS = manifest.load()
FIRST, SECOND = KATAS[0], KATAS[1]


def test_progress_counts_none_complete_and_names_first_kata():
    outcomes = {k.id: {f"t::{k.name}": "failed"} for k in KATAS}
    text = "\n".join(progress_lines(KATAS, outcomes))
    assert f"0 of {len(KATAS)} katas complete" in text
    assert f"Next: {FIRST.file}::{FIRST.name}" in text
    assert f"Hint: {FIRST.hints[0]}" in text


def test_progress_next_is_the_first_incomplete_kata_in_manifest_order():
    outcomes = {k.id: {f"t::{k.name}": "failed"} for k in KATAS}
    outcomes[FIRST.id] = {"t::a": "passed", "t::b": "skipped"}
    text = "\n".join(progress_lines(KATAS, outcomes))
    assert f"1 of {len(KATAS)} katas complete" in text
    assert f"Next: {SECOND.file}::{SECOND.name}" in text


def test_progress_kata_with_one_failing_test_is_not_complete():
    outcomes = {k.id: {"t::ok": "passed"} for k in KATAS}
    outcomes[SECOND.id] = {"t::ok": "passed", "t::bad": "failed"}
    text = "\n".join(progress_lines(KATAS, outcomes))
    assert f"{len(KATAS) - 1} of {len(KATAS)} katas complete" in text
    assert f"Next: {SECOND.file}::{SECOND.name}" in text and "first: t::bad" in text


def test_progress_all_complete_congratulates():
    outcomes = {k.id: {"t::ok": "passed"} for k in KATAS}
    text = "\n".join(progress_lines(KATAS, outcomes))
    assert f"{len(KATAS)} of {len(KATAS)} katas complete" in text and "All katas complete" in text


def test_progress_reports_katas_not_run():
    outcomes = {FIRST.id: {"t::ok": "passed"}}
    text = "\n".join(progress_lines(KATAS, outcomes))
    assert f"({len(KATAS) - 1} not run this time" in text


def test_progress_printed_at_end_of_run_against_katas(run_pytest):
    done = run_pytest("-q", "--tb=no")
    assert done.returncode == 1
    tail = done.stdout.strip().splitlines()[-10:]
    assert any(f"0 of {len(KATAS)} katas complete" in line for line in tail), output(done)
    assert any(f"Next: {FIRST.file}::{FIRST.name}" in line for line in tail), output(done)


def test_progress_counts_a_solved_module(run_pytest, katas_copy):
    solve(katas_copy, "tensors")
    done = run_pytest(f"--impl={katas_copy}", "-q", "--tb=no")
    solved = sum(1 for k in KATAS if k.module == "tensors")
    assert done.returncode == 0, output(done)
    assert f"{solved} of {len(KATAS)} katas complete" in done.stdout, output(done)


def test_progress_not_printed_against_solutions(run_pytest):
    done = run_pytest("--impl=solutions", "-q")
    assert "kata progress" not in done.stdout, output(done)


def test_progress_names_a_test_file_that_cannot_be_loaded(run_pytest, katas_copy):
    (katas_copy / "tensors.py").write_text("def broken(:\n")
    done = run_pytest(f"--impl={katas_copy}", "-q", "--tb=no")
    assert done.returncode != 0
    assert "Could not load tests/katas/test_tensors.py" in done.stdout, output(done)


def test_progress_when_every_test_is_deselected(run_pytest):
    done = run_pytest("-q", "-m", "cuda")
    assert "No kata test ran" in done.stdout or "katas complete" not in done.stdout, output(done)
