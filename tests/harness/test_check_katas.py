"""check-katas: passes on the pristine katas, fails naming any test that passes or fails for another reason."""

# The passing path runs for real on the whole suite in every `make check-katas`; these tests prove the failing paths.

from tests.harness.helpers import output, solve

CHECK = ("-m", "kata_harness.checks.katas", "-p", "no:cacheprovider", "tests/katas/test_tensors.py")


def test_check_katas_fails_when_a_kata_is_solved(run, katas_copy):
    solve(katas_copy, "tensors")
    done = run(*CHECK, f"--impl={katas_copy}")
    assert done.returncode == 1, output(done)
    assert "test_reshape_keeps_row_major_order: passed against the stub" in done.stdout, output(done)


def test_check_katas_fails_on_a_failure_that_is_not_the_stub(run, katas_copy):
    source = (katas_copy / "tensors.py").read_text()
    (katas_copy / "tensors.py").write_text(
        source.replace('raise NotImplementedError("kata tensors.reshape is not solved yet")', "raise ValueError('oops')")
    )
    done = run(*CHECK, f"--impl={katas_copy}")
    assert done.returncode == 1, output(done)
    assert "test_reshape_keeps_row_major_order: failed for another reason: ValueError: oops" in done.stdout


def test_check_katas_fails_on_a_collection_error(run, katas_copy):
    (katas_copy / "tensors.py").write_text("def broken(:\n")
    done = run(*CHECK, f"--impl={katas_copy}")
    assert done.returncode == 1, output(done)
    assert "collection error" in done.stdout


def test_check_katas_fails_when_nothing_is_collected(run):
    done = run(*CHECK, "-k", "no_test_has_this_name")
    assert done.returncode == 1, output(done)
    assert "no test was collected" in done.stdout
