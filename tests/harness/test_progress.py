"""The progress report printed at the end of a run against katas/."""

import pytest

from kata_harness import manifest
from kata_harness.progress import progress_lines
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
    report = done.stdout.split("kata progress", 1)[-1]
    assert f"0 of {len(KATAS)} katas complete" in report, output(done)
    assert f"Next: {FIRST.file}::{FIRST.name}" in report, output(done)


def test_progress_counts_a_solved_module(run_pytest, katas_copy):
    solve(katas_copy, "tensors")
    done = run_pytest(f"--impl={katas_copy}", "-q", "--tb=no")
    solved = sum(1 for k in KATAS if k.module == "tensors")
    assert done.returncode == 0, output(done)
    assert f"{solved} of {len(KATAS)} katas complete" in done.stdout, output(done)


def test_progress_names_a_test_file_that_cannot_be_loaded(run_pytest, katas_copy):
    (katas_copy / "tensors.py").write_text("def broken(:\n")
    done = run_pytest(f"--impl={katas_copy}", "-q", "--tb=no")
    assert done.returncode != 0
    assert "Could not load tests/katas/test_tensors.py" in done.stdout, output(done)


def test_progress_when_every_test_is_deselected(run_pytest):
    done = run_pytest("-q", "-m", "cuda")
    assert "No kata test ran" in done.stdout, output(done)


def test_progress_is_cumulative_after_a_kata_run(run_pytest, tmp_path):
    from kata_harness.runner import state

    progress = tmp_path / "progress.json"
    state.save(state.State(done={k.id for k in KATAS[:3]}), progress)
    done = run_pytest("--kata", KATAS[3].id, "-q", env={"KATAS_STATE": str(progress)})
    assert f"3 of {len(KATAS)} katas complete" in done.stdout, output(done)
    assert f"Next: {KATAS[3].file}::{KATAS[3].name}" in done.stdout, output(done)


def test_learner_run_shows_only_the_first_unsolved_katas_failures_in_one_screen(run):
    done = run("-m", "pytest", "-p", "no:cacheprovider", "-q")
    lines = done.stdout.splitlines()
    assert len(lines) <= 60, f"{len(lines)} lines:\n{done.stdout}"
    failures = [line for line in lines if line.startswith("_") and line.endswith("_")]
    assert failures and all(FIRST.name in line for line in failures), done.stdout
    assert lines[-2].startswith("Hint: ") or lines[-1].startswith("      next hint"), done.stdout
    assert "Still to do after the next one" in done.stdout


def test_learner_run_with_all_failures_shows_every_kata(run_pytest):
    done = run_pytest("-q", "--all-failures")
    assert f"test_{SECOND.name}" in done.stdout.split("FAILURES", 1)[-1], output(done)


def test_kata_test_files_run_in_learning_order():
    from types import SimpleNamespace

    from kata_harness.plugin import _in_learning_order

    state = SimpleNamespace(katas=KATAS)
    modules = list(dict.fromkeys(k.module for k in KATAS))
    items = [
        SimpleNamespace(path=f"tests/katas/test_{module}.py", user_properties=[("kata", f"{module}.x")], name=f"{module}-{n}")
        for module in sorted(modules)
        for n in range(2)
    ]
    _in_learning_order(items, state)
    order = list(dict.fromkeys(item.path.rsplit("test_", 1)[-1].removesuffix(".py") for item in items))
    assert order == modules, order
    assert [i.name for i in items[:2]] == [f"{modules[0]}-0", f"{modules[0]}-1"], "the order inside a file is kept"


def test_progress_says_once_that_every_cuda_test_was_skipped():
    outcomes = {k.id: {f"t::{k.name}": "failed"} for k in KATAS}
    lines = progress_lines(KATAS, outcomes, cuda_skipped=3)
    cuda = [number for number, line in enumerate(lines) if "cuda test" in line]
    assert len(cuda) == 1 and lines[cuda[0]].startswith("3 cuda test(s) skipped"), lines
    assert "katas doctor" in lines[cuda[0]] and cuda[0] < next(n for n, l in enumerate(lines) if l.startswith("Next:")), lines
    assert not any("cuda test" in line for line in progress_lines(KATAS, outcomes)), "no line when no cuda test was skipped"


def test_progress_counts_cuda_skips_only_when_every_cuda_test_was_skipped():
    from types import SimpleNamespace

    from kata_harness.progress import ProgressReport

    def report(nodeid, when, skipped):
        return SimpleNamespace(nodeid=nodeid, when=when, skipped=skipped, user_properties=[("cuda", True)])

    progress = ProgressReport(KATAS, keep_state=False, all_failures=False)
    for nodeid in ("t::a", "t::b"):
        progress.pytest_runtest_logreport(report(nodeid, "setup", True))
        progress.pytest_runtest_logreport(report(nodeid, "teardown", False))
    assert progress.cuda_skipped() == 2
    progress.pytest_runtest_logreport(report("t::ran", "call", False))
    assert progress.cuda_skipped() == 0, "a cuda test ran: the GPU works, nothing to say"


def test_progress_leaves_a_module_that_does_not_load_out_of_the_count_and_names_it_first():
    done = {k.id for k in KATAS}  # the state file says every kata is done...
    broken = "Could not load tests/katas/test_tensors.py: katas/tensors.py:12: SyntaxError: invalid syntax"
    lines = progress_lines(KATAS, {}, done, unloaded={"tensors": broken})  # ...but tensors.py does not import now
    text = "\n".join(lines)
    tensors = [k for k in KATAS if k.module == "tensors"]
    assert f"{len(KATAS) - len(tensors)} of {len(KATAS)} katas complete" in text, text
    assert broken in lines and f"{len(tensors)} kata(s) of katas/tensors.py were not checked" in text, text
    assert f"Next: {FIRST.file}::{FIRST.name}" in text and "not checked: katas/tensors.py does not load" in text, text
    assert "All katas complete" not in text and "No kata test ran" not in text, text


def test_a_kata_green_but_for_its_gpu_tests_says_what_this_machine_did_not_check():
    import dataclasses

    gpu_kata = dataclasses.replace(
        KATAS[0], unchecked_without_gpu="the order is drawn on the GPU", unchecked_without_gpu_zh="顺序在 GPU 上生成"
    )
    katas = [gpu_kata, *KATAS[1:]]
    green = {gpu_kata.id: {"t::a": "passed", "t::b[cuda]": "skipped"}}
    english = progress_lines(katas, green, gpu_skipped={gpu_kata.id})
    assert f"      {gpu_kata.id}: not checked on this machine (no usable GPU): the order is drawn on the GPU" in english
    chinese = progress_lines(katas, green, gpu_skipped={gpu_kata.id}, lang="zh")
    assert any(line.endswith("没有可用的 GPU）：顺序在 GPU 上生成") for line in chinese), chinese
    red = {gpu_kata.id: {"t::a": "failed", "t::b[cuda]": "skipped"}}
    assert not any("no usable GPU" in line for line in progress_lines(katas, red, gpu_skipped={gpu_kata.id})), (
        "a kata that still fails has more pressing news"
    )


def test_the_pytest_report_names_each_passing_kata_whose_gpu_tests_were_skipped(run_pytest, katas_copy):
    import torch

    if torch.cuda.is_available():
        pytest.skip("a usable GPU runs the cuda tests: nothing goes unchecked")
    kata = next(k for k in KATAS if k.id == "fast_training.evaluate_fast")  # a quick one with a cuda-marked test
    for module in {k.module for k in KATAS}:
        solve(katas_copy, module)
    result = run_pytest(f"tests/katas/test_{kata.module}.py", f"--impl={katas_copy}", f"--kata={kata.id}")
    assert f"{kata.id}: not checked on this machine (no usable GPU): {kata.unchecked_without_gpu}" in output(result)
