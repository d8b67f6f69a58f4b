"""The --impl switch: katas/ by default, solutions/ or any directory laid out like it on demand."""

import shutil

import pytest

from kata_harness.paths import KATAS_DIR, ROOT, SOLUTIONS_DIR
from tests.harness.helpers import output


def test_impl_default_is_katas(run_pytest):
    done = run_pytest("-q")
    assert done.returncode == 1, output(done)
    assert "katas/tensors.py:" in done.stdout and "is not solved yet" in done.stdout
    assert "0 of" in done.stdout and "katas complete" in done.stdout


def test_impl_default_header_names_katas(run_pytest):
    assert f"kata implementation: {KATAS_DIR}" in run_pytest("--co").stdout


def test_impl_header_names_the_implementation(run_pytest):
    done = run_pytest("--impl=solutions", "--co")
    assert f"kata implementation: {SOLUTIONS_DIR}" in done.stdout, output(done)


def test_impl_solutions_passes_without_a_progress_report(run_pytest):
    done = run_pytest("--impl=solutions", "-q")
    assert done.returncode == 0, output(done)
    assert " passed" in done.stdout and "failed" not in done.stdout
    assert "kata progress" not in done.stdout, output(done)


def test_impl_environment_variable_selects_solutions(run_pytest):
    done = run_pytest("--co", env={"KATAS_IMPL": "solutions"})
    assert f"kata implementation: {SOLUTIONS_DIR}" in done.stdout, output(done)


def test_impl_option_overrides_environment_variable(run_pytest):
    done = run_pytest("-q", "--impl=katas", env={"KATAS_IMPL": "solutions"})
    assert done.returncode == 1, output(done)


def test_impl_accepts_a_directory_laid_out_like_solutions(run_pytest, tmp_path):
    copy = tmp_path / "my_solutions"
    shutil.copytree(SOLUTIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    done = run_pytest(f"--impl={copy}")
    assert done.returncode == 0, output(done)
    assert f"kata implementation: {copy}" in done.stdout, output(done)


def make(path, directory=False):
    path.mkdir() if directory else path.write_text("")
    return str(path)


@pytest.mark.parametrize(
    ("make_choice", "message"),
    [
        (lambda tmp: "solution", "unknown implementation 'solution'"),
        (lambda tmp: str(tmp / "missing"), "neither a name nor an existing path"),
        (lambda tmp: make(tmp / "empty", directory=True), "has no __init__.py"),
        (lambda tmp: make(tmp / "tensors.py"), "is a file"),
    ],
    ids=["unknown-name", "missing-path", "not-a-package", "a-file"],
)
def test_impl_rejects_bad_choice_with_usage_error(run_pytest, tmp_path, make_choice, message):
    done = run_pytest(f"--impl={make_choice(tmp_path)}", "-q")
    assert done.returncode == 4, output(done)  # pytest's exit status for a usage error
    assert message in done.stderr, output(done)
    assert "'katas', 'solutions', or the path of a directory" in done.stderr
    assert "Traceback" not in output(done)


def test_impl_overlay_replaces_one_module(run_pytest):
    done = run_pytest("--impl=solutions", "--impl-overlay=mutants/tensors/pick_device_always_cpu.py", "-q")
    assert done.returncode == 1, output(done)
    assert "test_pick_device_follows_cuda_availability[cuda]" in done.stdout
    assert "test_reshape" not in done.stdout.split("short test summary")[-1]


def test_impl_overlay_must_be_a_python_file(run_pytest, tmp_path):
    done = run_pytest("--impl=solutions", f"--impl-overlay={tmp_path}", "-q")
    assert done.returncode == 4 and "is not a .py file" in done.stderr, output(done)


def test_kata_tests_never_import_katas_or_solutions_directly():
    from kata_harness.paths import KATA_TESTS_DIR

    offenders = [
        f"{path.name}: {line.strip()}"
        for path in sorted(KATA_TESTS_DIR.glob("*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith(("import katas", "from katas", "import solutions", "from solutions"))
    ]
    assert not offenders, "kata tests must import kata_impl, never katas/solutions:\n" + "\n".join(offenders)


def test_kata_option_runs_only_that_katas_tests(run_pytest):
    done = run_pytest("--impl=solutions", "--kata", "tensors.reshape", "-q", "-rN", "tests/katas")
    assert done.returncode == 0, output(done)
    summary = done.stdout.strip().splitlines()[-1]
    reshape_tests = sum(1 for line in run_pytest("--co", "-q", "--impl=solutions").stdout.splitlines() if "test_reshape_" in line and "storage" not in line)
    assert f"{reshape_tests - 1} passed, 1 skipped" in summary and "deselected" in summary, summary


def test_kata_option_rejects_an_unknown_kata(run_pytest):
    done = run_pytest("--kata", "tensors.nope", "-q")
    assert done.returncode == 4 and "no kata named tensors.nope" in done.stderr, output(done)


def test_kata_impl_resolves_from_the_environment_in_a_fresh_interpreter(run):
    # What a DataLoader worker started with spawn or forkserver does: import kata_impl from scratch.
    code = "import kata_impl.tensors as t, kata_impl.modules as m; print(t.__file__); print(m.__file__)"
    done = run("-c", code, env={"KATAS_IMPL": "solutions", "KATAS_IMPL_OVERLAY": str(ROOT / "mutants/tensors/reshape_with_view.py")})
    assert done.returncode == 0, output(done)
    tensors_file, modules_file = done.stdout.split()
    assert tensors_file == str(ROOT / "mutants/tensors/reshape_with_view.py")
    assert modules_file == str(SOLUTIONS_DIR / "modules.py")


def test_kata_impl_reaches_spawned_workers(run):
    code = (
        "import multiprocessing as mp\n"
        "from kata_harness import impl\n"
        "impl.activate(impl.resolve('solutions'))\n"
        "if __name__ == '__main__':\n"
        "    with mp.get_context('spawn').Pool(1) as pool:\n"
        "        print(pool.apply(eval, (\"__import__('kata_impl.tensors', fromlist=['_']).__file__\",)))\n"
    )
    done = run("-c", code)
    assert done.returncode == 0, output(done)
    assert done.stdout.strip() == str(SOLUTIONS_DIR / "tensors.py")


def test_start_method_option_rejects_an_unknown_method(run_pytest):
    done = run_pytest("--start-method=threads", "--co")
    assert done.returncode != 0 and "threads" in done.stderr, output(done)
