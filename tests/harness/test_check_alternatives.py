"""check-alternatives: a correct variant must pass every test; a wrong one is named with the test it fails."""

from tests.harness.helpers import output


def write(tmp_path, name, text):
    path = tmp_path / "tensors" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return str(path)


def test_check_alternatives_accepts_a_correct_variant_and_rejects_a_wrong_one(run, tmp_path):
    good = write(tmp_path, "same.py", '"""The reference itself."""\n\nfrom solutions.tensors import *  # noqa\n')
    bad = write(
        tmp_path,
        "cpu_only.py",
        '"""Not correct at all."""\n\nfrom solutions.tensors import *  # noqa\nimport torch\n\n\n'
        'def pick_device():\n    return torch.device("cpu")\n',
    )
    done = run("-m", "kata_harness.checks.alternatives", good, bad)
    assert done.returncode == 1, output(done)
    assert "accepted" in done.stdout and "same.py: all" in done.stdout, output(done)
    assert "REJECTED" in done.stdout and "cpu_only.py: REJECTED by" in done.stdout, output(done)
    assert "test_pick_device_follows_cuda_availability" in done.stdout, output(done)


def test_check_alternatives_requires_a_docstring(run, tmp_path):
    bare = write(tmp_path, "bare.py", "from solutions.tensors import *  # noqa\n")
    done = run("-m", "kata_harness.checks.alternatives", bare)
    assert done.returncode == 1 and "needs a docstring" in done.stdout, output(done)


def test_check_alternatives_rejects_a_path_that_is_not_a_file(run, tmp_path):
    done = run("-m", "kata_harness.checks.alternatives", str(tmp_path / "missing.py"))
    assert done.returncode == 2, output(done)
    assert "is not a file" in done.stderr and "Traceback" not in done.stderr
