"""check-mutants: a wrong implementation must make some test fail."""

# The passing path runs for real on the whole suite in every `make check-mutants`; these tests prove the failing paths.

from tests.harness.helpers import output


def test_check_mutants_fails_on_a_mutant_no_test_catches(run, tmp_path):
    harmless = tmp_path / "tensors" / "not_a_bug.py"
    harmless.parent.mkdir()
    harmless.write_text('"""Identical to the solution: no test can catch it."""\n\nfrom solutions.tensors import *  # noqa\n')
    done = run("-m", "kata_harness.checks.mutants", str(harmless))
    assert done.returncode == 1, output(done)
    assert "NOT CAUGHT" in done.stdout


def test_check_mutants_requires_a_docstring(run, tmp_path):
    bare = tmp_path / "tensors" / "bare.py"
    bare.parent.mkdir()
    bare.write_text("from solutions.tensors import *  # noqa\n")
    done = run("-m", "kata_harness.checks.mutants", str(bare))
    assert done.returncode == 1 and "needs a docstring" in done.stdout, output(done)


def test_check_mutants_rejects_a_path_that_is_not_a_mutant(run, tmp_path):
    done = run("-m", "kata_harness.checks.mutants", str(tmp_path / "missing.py"))
    assert done.returncode == 2, output(done)
    assert "is not a file" in done.stderr and "Traceback" not in done.stderr
