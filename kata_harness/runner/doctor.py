"""``katas doctor``: is this machine ready for the katas? One line per check; a fix under each one that is not ok.

Each check is a small function of the options that returns (status, detail, fix); CHECKS gives their order and
which earlier checks each one needs. It must work when torch itself does not import, and never print a traceback:
a check that fails unexpectedly becomes a problem with the exception's one-line message. Details and fixes are
in the language of ``options.lang`` (kata_harness.i18n; English when absent); --json keeps its keys and status
values English.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
import warnings
from importlib import metadata
from pathlib import Path

from kata_harness.i18n import t
from kata_harness.paths import ROOT

OK, WARNING, PROBLEM = "ok", "warning", "problem"
LABELS = {status: t(f"doctor.label_{status}", "en") for status in (OK, WARNING, PROBLEM)}  # [ ok ] [warn] [FAIL]
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
CIFAR10_PAGE = "https://www.cs.toronto.edu/~kriz/cifar.html"
GB = 1000**3
PACKAGES = {  # what the katas need: the runner, pytest's deadlines, the property tests, the tensorboard katas
    "pytest": "pytest", "pytest_timeout": "pytest-timeout", "hypothesis": "hypothesis", "tensorboard": "tensorboard",
    "watchfiles": "watchfiles", "filelock": "filelock",
}
MAINTAINER_PACKAGES = {"xdist": "pytest-xdist"}  # make check's (the [test] extra); pexpect too where ptys exist
if sys.platform != "win32":
    MAINTAINER_PACKAGES["pexpect"] = "pexpect"


def say(options, key: str, **fields) -> str:
    """A message of the doctor's, in the language of the options (English when they name none)."""
    return t(f"doctor.{key}", getattr(options, "lang", None) or "en", **fields)


def one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else 'no message'}"


def pinned_pair() -> str:
    """The torch/torchvision pair `uv sync` installs (uv.lock; constraints.txt pins the same for pip)."""
    try:
        pins = dict(line.strip().split("==", 1) for line in CONSTRAINTS.read_text().splitlines() if "==" in line)
    except OSError:
        pins = {}
    return f"torch=={pins.get('torch', '?')} torchvision=={pins.get('torchvision', '?')}"


def installed(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def check_python(options) -> tuple[str, str, str]:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info < (3, 10):
        too_old = say(options, "python_too_old", version=version, path=sys.executable)
        return PROBLEM, too_old, say(options, "python_too_old_fix")
    venv = ROOT / ".venv"
    if Path(sys.prefix).resolve() == venv.resolve():
        return OK, say(options, "python_venv", version=version, path=sys.executable), ""
    if venv_python(venv).exists():  # the note's PyCharm trap: the IDE (or a shell) picked another interpreter
        fix = say(options, "python_other_fix", venv_python=venv_python(venv))
        return WARNING, say(options, "python_other", version=version, path=sys.executable), fix
    fix = say(options, "python_not_venv_fix")
    return WARNING, say(options, "python_not_venv", version=version, path=sys.executable), fix


def venv_python(venv: Path) -> Path:
    """The interpreter of a virtual environment, where this system puts it."""
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def check_torch(options) -> tuple[str, str, str]:
    try:
        import torch
    except Exception as exc:  # ImportError, or OSError from a missing shared library
        fix = say(options, "torch_no_import_fix", pair=pinned_pair())
        return PROBLEM, say(options, "torch_no_import", error=one_line(exc)), fix
    return OK, say(options, "torch_ok", version=torch.__version__, path=Path(torch.__file__).parent), ""


def nms_once():
    """One call into torchvision's compiled operators: it fails when they were built for another torch."""
    import torch
    import torchvision

    return torchvision.ops.nms(torch.tensor([[0.0, 0.0, 1.0, 1.0]]), torch.ones(1), 0.5)


def check_torchvision(options) -> tuple[str, str, str]:
    import torch

    try:
        nms_once()
    except Exception as exc:  # RuntimeError: operator torchvision::nms does not exist, or an import error
        detail = say(
            options, "torchvision_mismatch", torchvision=installed("torchvision"), torch=torch.__version__,
            error=one_line(exc),
        )  # fmt: skip
        return PROBLEM, detail, say(options, "torchvision_mismatch_fix", pair=pinned_pair())
    import torchvision

    return OK, say(options, "torchvision_ok", torchvision=torchvision.__version__, torch=torch.__version__), ""


def cuda_failure() -> str:
    """What torch itself says about why CUDA cannot be used (its exception or its warning), first sentence."""
    import torch

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.cuda.is_available()
    try:
        torch.cuda.init()
        said = str(caught[0].message) if caught else "torch.cuda.is_available() is False"
    except Exception as exc:
        said = str(exc)
    return said.strip().split(". ")[0].rstrip(".").removeprefix("CUDA initialization: ")


def check_device(options) -> tuple[str, str, str]:
    import torch

    cuda = torch.version.cuda
    if cuda is None:
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return OK, say(options, "device_mps"), ""
        if shutil.which("nvidia-smi"):
            return WARNING, say(options, "device_cpu_beside_gpu"), say(options, "device_cpu_beside_gpu_fix")
        return OK, say(options, "device_cpu"), ""
    if torch.cuda.is_available():
        gpu = say(options, "device_gpu", cuda=cuda, count=torch.cuda.device_count(), name=torch.cuda.get_device_name(0))
        return OK, gpu, ""
    reason = cuda_failure()
    detail = say(options, "device_no_gpu", cuda=cuda, reason=reason, count=torch.cuda.device_count())
    if "too old" in reason:
        return WARNING, detail, say(options, "device_driver_fix", cuda=cuda)
    return OK, say(options, "device_skipped", detail=detail), ""


def check_packages(options) -> tuple[str, str, str]:
    """The katas' packages must be here; the maintainers' ([test]) are only mentioned when missing."""
    missing = [name for module, name in PACKAGES.items() if importlib.util.find_spec(module) is None]
    if missing:
        return PROBLEM, say(options, "packages_missing", names=", ".join(missing)), say(options, "packages_missing_fix")
    absent = [name for module, name in MAINTAINER_PACKAGES.items() if importlib.util.find_spec(module) is None]
    extra = say(options, "packages_no_test", names=", ".join(absent)) if absent else ""
    return OK, say(options, "packages_ok", names=", ".join(PACKAGES.values())) + extra, ""


def check_cores(options) -> tuple[str, str, str]:
    cores = os.cpu_count() or 1
    if cores <= 2:
        return OK, say(options, "cores_few", cores=cores), ""
    return OK, say(options, "cores_many", cores=cores), ""


def check_disk(options) -> tuple[str, str, str]:
    free = shutil.disk_usage(ROOT).free
    detail = say(options, "disk_free", free=free / GB, root=ROOT)
    if free < 1 * GB:
        return PROBLEM, say(options, "disk_full", detail=detail), say(options, "disk_full_fix")
    if free < 6 * GB and not (ROOT / ".venv").exists():
        return WARNING, say(options, "disk_low", detail=detail), say(options, "disk_low_fix")
    return OK, detail, ""


def check_cifar10(options) -> tuple[str, str, str]:
    from torchvision.datasets import CIFAR10
    from torchvision.datasets.utils import check_integrity

    data = options.data or os.environ.get("CIFAR10_ROOT")
    if not data:
        return OK, say(options, "cifar_unset"), ""
    folder = Path(data) / CIFAR10.base_folder
    expected = [*CIFAR10.train_list, *CIFAR10.test_list, [CIFAR10.meta["filename"], CIFAR10.meta["md5"]]]
    missing = [name for name, _ in expected if not (folder / name).is_file()]
    sums = ", ".join(f"{name} {md5}" for name, md5 in expected)
    if missing:
        fix = say(options, "cifar_missing_fix", page=CIFAR10_PAGE, data=data, folder=folder, sums=sums)
        return WARNING, say(options, "cifar_missing", folder=folder, missing=", ".join(missing)), fix
    if options.md5:
        bad = [name for name, md5 in expected if not check_integrity(str(folder / name), md5)]
        if bad:
            wrong = say(options, "cifar_bad_md5", bad=", ".join(bad), folder=folder)
            return WARNING, wrong, say(options, "cifar_bad_md5_fix", sums=sums)
        return OK, say(options, "cifar_ok_md5", folder=folder, count=len(expected)), ""
    return OK, say(options, "cifar_ok", folder=folder, count=len(expected)), ""


SKIPPED = {"torch": "skipped_torch", "torchvision": "skipped_torchvision"}  # why the checks that need it are skipped
CHECKS = [  # name, check, the checks it needs to have worked
    ("python", check_python, ()),
    ("torch", check_torch, ()),
    ("torchvision", check_torchvision, ("torch",)),
    ("device", check_device, ("torch",)),
    ("packages", check_packages, ()),
    ("cores", check_cores, ()),
    ("disk", check_disk, ()),
    ("cifar10", check_cifar10, ("torch", "torchvision")),
]


def run_checks(options) -> list[dict[str, str]]:
    results: list[dict[str, str]] = []
    failed: set[str] = set()
    for name, check, needs in CHECKS:
        blocked = next((need for need in needs if need in failed), None)
        if blocked:
            reason = say(options, SKIPPED[blocked]) if blocked in SKIPPED else say(options, "skipped_other", need=blocked)
            status, detail, fix = WARNING, say(options, "skipped", reason=reason), say(options, "skipped_fix", need=blocked)
        else:
            try:
                status, detail, fix = check(options)
            except Exception as exc:
                crashed = say(options, "check_crashed", error=one_line(exc))
                status, detail, fix = PROBLEM, crashed, say(options, "check_crashed_fix")
        if status == PROBLEM:
            failed.add(name)
        results.append({"name": name, "status": status, "detail": detail, "fix": fix})
    return results


def count(results: list[dict[str, str]], status: str) -> int:
    return sum(result["status"] == status for result in results)


def report_lines(results: list[dict[str, str]], lang: str = "en") -> list[str]:
    lines = []
    for result in results:
        lines.append(f"{t('doctor.label_' + result['status'], lang)} {result['name']}: {result['detail']}")
        if result["status"] != OK:
            lines.append(t("doctor.fix", lang, fix=result["fix"]))
    lines.append(t("doctor.summary", lang, problems=count(results, PROBLEM), warnings=count(results, WARNING)))
    return lines


def main(options: argparse.Namespace) -> int:
    """options: json, data, md5, lang (the `katas doctor` arguments). Exit status 1 when any check is a problem."""
    results = run_checks(options)
    problems = count(results, PROBLEM)
    if options.json:
        print(json.dumps({"checks": results, "problems": problems}, indent=2, ensure_ascii=False))
    else:
        print("\n".join(report_lines(results, getattr(options, "lang", None) or "en")))
    return 1 if problems else 0
