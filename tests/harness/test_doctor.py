"""`katas doctor`: each check's verdict under simulated conditions, the exit status and the JSON shape."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import torch

from kata_harness.runner import cli, doctor
from tests.harness.helpers import output


def options(**given) -> SimpleNamespace:
    return SimpleNamespace(**({"json": False, "data": None, "md5": False} | given))


def assert_verdict(result: tuple[str, str, str], status: str, *in_detail: str) -> None:
    got, detail, fix = result
    assert got == status, f"expected {status}, the check returned {result}"
    assert all(part in detail for part in in_detail), f"expected {in_detail} in the detail: {detail!r}"
    assert bool(fix) == (status != doctor.OK), f"a fix goes with every verdict that is not ok, only with those: {result}"


@pytest.fixture
def no_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)


def test_doctor_python_is_the_projects_venv_or_a_warning(monkeypatch, tmp_path):
    monkeypatch.setattr(doctor, "ROOT", tmp_path / "checkout")  # a checkout without a .venv yet
    monkeypatch.setattr(doctor.sys, "prefix", str(tmp_path))
    assert_verdict(doctor.check_python(options()), doctor.WARNING, "not the project's .venv")
    monkeypatch.setattr(doctor.sys, "prefix", str(doctor.ROOT / ".venv"))
    assert_verdict(doctor.check_python(options()), doctor.OK, "the project's .venv")


def test_doctor_torchvision_operator_missing_is_a_problem_naming_the_pair(monkeypatch):
    def broken():
        raise RuntimeError("operator torchvision::nms does not exist")

    monkeypatch.setattr(doctor, "nms_once", broken)
    status, detail, fix = doctor.check_torchvision(options())
    assert_verdict((status, detail, fix), doctor.PROBLEM, "torchvision::nms does not exist", torch.__version__)
    assert "torch==" in fix and "torchvision==" in fix, fix


def test_doctor_torchvision_pair_that_works_is_ok():
    assert_verdict(doctor.check_torchvision(options()), doctor.OK, "compiled operators work")


def test_doctor_cpu_only_build_is_ok_without_an_nvidia_gpu(monkeypatch, no_gpu):
    monkeypatch.setattr(torch.version, "cuda", None)
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    assert_verdict(doctor.check_device(options()), doctor.OK, "CPU-only torch build")


def test_doctor_cpu_only_build_beside_an_nvidia_gpu_is_a_warning(monkeypatch, no_gpu):
    monkeypatch.setattr(torch.version, "cuda", None)
    monkeypatch.setattr(doctor.shutil, "which", lambda name: "/usr/bin/nvidia-smi")
    assert_verdict(doctor.check_device(options()), doctor.WARNING, "CPU-only", "nvidia-smi")


def test_doctor_cuda_build_without_driver_is_ok_and_quotes_torch(monkeypatch, no_gpu):
    def init():
        raise RuntimeError("Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU")

    monkeypatch.setattr(torch.version, "cuda", "13.0")
    monkeypatch.setattr(torch.cuda, "init", init)
    assert_verdict(doctor.check_device(options()), doctor.OK, "CUDA 13.0 build", "Found no NVIDIA driver", "skipped")


def test_doctor_cuda_build_with_a_driver_too_old_is_a_warning(monkeypatch, no_gpu):
    def init():
        raise RuntimeError("The NVIDIA driver on your system is too old (found version 11040). Please update")

    monkeypatch.setattr(torch.version, "cuda", "13.0")
    monkeypatch.setattr(torch.cuda, "init", init)
    status, detail, fix = doctor.check_device(options())
    assert_verdict((status, detail, fix), doctor.WARNING, "too old (found version 11040)")
    assert "driver" in fix, fix


def test_doctor_usable_gpu_is_ok_with_its_name(monkeypatch):
    monkeypatch.setattr(torch.version, "cuda", "13.0")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index=0: "Simulated GPU")
    assert_verdict(doctor.check_device(options()), doctor.OK, "1 GPU(s): Simulated GPU")


def test_doctor_a_missing_kata_package_is_a_problem_and_a_maintainers_one_a_mention(monkeypatch):
    find_spec = doctor.importlib.util.find_spec
    monkeypatch.setattr(doctor.importlib.util, "find_spec", lambda name: None if name == "pytest_timeout" else find_spec(name))
    assert_verdict(doctor.check_packages(options()), doctor.PROBLEM, "missing: pytest-timeout")
    monkeypatch.setattr(doctor.importlib.util, "find_spec", lambda name: None if name == "xdist" else find_spec(name))
    assert_verdict(doctor.check_packages(options()), doctor.OK, "for make check also: pytest-xdist")


def test_doctor_names_the_projects_venv_when_another_interpreter_runs(monkeypatch, tmp_path):
    """The note's PyCharm trap: the IDE picked another interpreter than the project's environment."""
    venv = tmp_path / ".venv"
    doctor.venv_python(venv).parent.mkdir(parents=True)
    doctor.venv_python(venv).touch()
    monkeypatch.setattr(doctor, "ROOT", tmp_path)
    status, detail, fix = doctor.check_python(options())
    assert status == doctor.WARNING and "the project's .venv is another interpreter" in detail
    assert "uv run katas" in fix and str(doctor.venv_python(venv)) in fix


def test_doctor_cifar10_not_set_is_ok(monkeypatch):
    monkeypatch.delenv("CIFAR10_ROOT", raising=False)
    assert_verdict(doctor.check_cifar10(options()), doctor.OK, "not set")


def test_doctor_cifar10_empty_folder_names_missing_files_and_md5_sums(monkeypatch, tmp_path):
    from torchvision.datasets import CIFAR10

    monkeypatch.setenv("CIFAR10_ROOT", str(tmp_path))
    status, detail, fix = doctor.check_cifar10(options())
    assert_verdict((status, detail, fix), doctor.WARNING, "data_batch_1", "test_batch", "batches.meta")
    assert "cifar-10-python.tar.gz" in fix and CIFAR10.meta["md5"] in fix, fix


def test_doctor_cifar10_complete_folder_is_ok_and_md5_finds_damaged_files(tmp_path):
    from torchvision.datasets import CIFAR10

    folder = tmp_path / CIFAR10.base_folder
    folder.mkdir()
    for name, _ in [*CIFAR10.train_list, *CIFAR10.test_list, [CIFAR10.meta["filename"], None]]:
        (folder / name).touch()
    assert_verdict(doctor.check_cifar10(options(data=str(tmp_path))), doctor.OK, "holds the 7 files")
    assert_verdict(doctor.check_cifar10(options(data=str(tmp_path), md5=True)), doctor.WARNING, "wrong md5 sum", "test_batch")


def test_doctor_a_check_that_crashes_is_a_problem_not_a_traceback(monkeypatch):
    def crash(options):
        raise ValueError("unexpected")

    monkeypatch.setattr(doctor, "CHECKS", [("crash", crash, ()), ("after", lambda options: (doctor.OK, "fine", ""), ("crash",))])
    results = doctor.run_checks(options())
    assert results[0]["status"] == doctor.PROBLEM and "ValueError: unexpected" in results[0]["detail"], results
    assert results[1]["status"] == doctor.WARNING and results[1]["detail"].startswith("skipped"), results


@pytest.mark.parametrize(("status", "exit_status"), [(doctor.OK, 0), (doctor.WARNING, 0), (doctor.PROBLEM, 1)])
def test_doctor_exit_status_and_json_shape(monkeypatch, capsys, status, exit_status):
    monkeypatch.setattr(doctor, "CHECKS", [("only", lambda options: (status, "what", "how" if status != "ok" else ""), ())])
    assert cli.main(["doctor", "--json"]) == exit_status
    report = json.loads(capsys.readouterr().out)
    assert report == {"checks": [{"name": "only", "status": status, "detail": "what", "fix": report["checks"][0]["fix"]}],
                      "problems": exit_status}, report  # fmt: skip


def test_doctor_text_report_puts_the_fix_under_what_is_not_ok(monkeypatch, capsys):
    checks = [("good", lambda options: (doctor.OK, "fine", ""), ()), ("bad", lambda options: (doctor.PROBLEM, "broken", "mend it"), ())]
    monkeypatch.setattr(doctor, "CHECKS", checks)
    assert cli.main(["doctor"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "[ ok ] good: fine", "[FAIL] bad: broken", "       fix: mend it", "1 problem(s), 0 warning(s)",
    ]  # fmt: skip


def test_doctor_when_torch_does_not_import(run, tmp_path):
    fake = tmp_path / "fake" / "torch"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('raise ImportError("simulated")\n')
    done = run("-m", "kata_harness", "doctor", env={"PYTHONPATH": str(fake.parent)})
    assert done.returncode == 1, output(done)
    failures = [line for line in done.stdout.splitlines() if line.startswith("[FAIL]")]
    assert failures and failures[0].startswith("[FAIL] torch:") and "simulated" in failures[0], output(done)
    assert "skipped: torch does not import" in done.stdout and "Traceback" not in output(done), output(done)
