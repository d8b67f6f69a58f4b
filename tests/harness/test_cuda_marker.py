"""The cuda marker: registered, selectable with -m cuda, skipped with a reason where CUDA is missing."""

import pytest
import torch

from kata_harness.plugin import NO_CUDA_REASON
from kata_harness.testing import cpu_and_cuda
from tests.harness.helpers import output

no_cuda_here = pytest.mark.skipif(torch.cuda.is_available(), reason="checks the behaviour of a machine without CUDA")


def test_cuda_marker_is_registered(run):
    done = run("-m", "pytest", "-p", "no:cacheprovider", "--markers")
    assert "@pytest.mark.cuda:" in done.stdout, output(done)
    assert "@pytest.mark.kata(id):" in done.stdout


@no_cuda_here
def test_cuda_tests_skip_with_reason_and_exit_zero(run_pytest):
    done = run_pytest("--impl=solutions", "-m", "cuda", "-rs")
    assert done.returncode == 0, output(done)
    assert "CUDA is not available" in done.stdout
    assert "passed" not in done.stdout.splitlines()[-1] and "skipped" in done.stdout.splitlines()[-1]


@no_cuda_here
def test_cuda_selection_runs_no_cpu_test(run_pytest):
    done = run_pytest("--impl=solutions", "-m", "cuda", "--co", "-q")
    selected = [line for line in done.stdout.splitlines() if "::" in line]
    assert selected and all("cuda" in line for line in selected), output(done)


def test_cpu_and_cuda_marks_only_the_cuda_case():
    cpu, cuda = cpu_and_cuda()
    assert cpu == "cpu"
    assert cuda.values == ("cuda",) and [m.name for m in cuda.marks] == ["cuda"]


def test_no_cuda_reason_names_the_check():
    assert "torch.cuda.is_available() is False" in NO_CUDA_REASON
