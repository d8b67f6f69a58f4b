"""``katas doctor``: is this machine ready for the katas? One line per check; a fix under each one that is not ok.

Each check is a small function of the options that returns (status, detail, fix); CHECKS gives their order and
which earlier checks each one needs. It must work when torch itself does not import, and never print a traceback:
a check that fails unexpectedly becomes a problem with the exception's one-line message.
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

from kata_harness.paths import ROOT

OK, WARNING, PROBLEM = "ok", "warning", "problem"
LABELS = {OK: "[ ok ]", WARNING: "[warn]", PROBLEM: "[FAIL]"}
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
CIFAR10_PAGE = "https://www.cs.toronto.edu/~kriz/cifar.html"
GB = 1000**3
PACKAGES = {"tensorboard": "tensorboard", "hypothesis": "hypothesis", "xdist": "pytest-xdist", "watchfiles": "watchfiles"}
if sys.platform != "win32":
    PACKAGES["pexpect"] = "pexpect"  # only the runner's own tests use it, and only where ptys exist


def one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else 'no message'}"


def pinned_pair() -> str:
    """The torch/torchvision pair `make setup` installs, as pip would take it."""
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
        return PROBLEM, f"Python {version} at {sys.executable} is too old", "use Python >= 3.10, then `make setup`"
    if Path(sys.prefix).resolve() == (ROOT / ".venv").resolve():
        return OK, f"{version} at {sys.executable} (the project's .venv)", ""
    fix = "`make setup`, then `. .venv/bin/activate` (fine to ignore on a runner that brings its own torch)"
    return WARNING, f"{version} at {sys.executable} is not the project's .venv", fix


def check_torch(options) -> tuple[str, str, str]:
    try:
        import torch
    except Exception as exc:  # ImportError, or OSError from a missing shared library
        return PROBLEM, f"torch does not import ({one_line(exc)})", f"`make setup` installs the pinned pair {pinned_pair()}"
    return OK, f"{torch.__version__} at {Path(torch.__file__).parent}", ""


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
        detail = f"torchvision {installed('torchvision')} does not work with torch {torch.__version__} ({one_line(exc)})"
        return PROBLEM, detail, f"install a matching pair: {pinned_pair()} (`make setup` does)"
    import torchvision

    return OK, f"{torchvision.__version__}, its compiled operators work with torch {torch.__version__}", ""


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
            return OK, "CPU build with Apple's MPS (device 'mps'); the cuda tests will be skipped", ""
        if shutil.which("nvidia-smi"):
            detail = "CPU-only torch build, but nvidia-smi is here: this machine seems to have an NVIDIA GPU"
            return WARNING, detail, "install a CUDA build of torch and torchvision: https://pytorch.org/get-started/locally/"
        return OK, "CPU-only torch build (no CUDA); the cuda tests will be skipped", ""
    if torch.cuda.is_available():
        return OK, f"CUDA {cuda} build, {torch.cuda.device_count()} GPU(s): {torch.cuda.get_device_name(0)}", ""
    reason = cuda_failure()
    detail = f"CUDA {cuda} build, but no usable GPU here: torch says {reason!r} (device_count() == {torch.cuda.device_count()})"
    if "too old" in reason:
        return WARNING, detail, f"update the NVIDIA driver to one for CUDA {cuda}, or install a torch build for an older CUDA"
    return OK, f"{detail}; the cuda tests will be skipped", ""


def check_packages(options) -> tuple[str, str, str]:
    missing = [name for module, name in PACKAGES.items() if importlib.util.find_spec(module) is None]
    if missing:
        return WARNING, f"missing: {', '.join(missing)}", "`make setup` installs them"
    return OK, f"{', '.join(PACKAGES.values())} importable", ""


def check_cores(options) -> tuple[str, str, str]:
    cores = os.cpu_count() or 1
    if cores <= 2:
        return OK, f"{cores} CPU core(s): enough; `make check` takes about 4 minutes on 2 cores", ""
    return OK, f"{cores} CPU cores: the parallel checks (-n auto) spread over all of them", ""


def check_disk(options) -> tuple[str, str, str]:
    free = shutil.disk_usage(ROOT).free
    detail = f"{free / GB:.1f} GB free in {ROOT}"
    if free < 1 * GB:
        return PROBLEM, f"{detail}: under 1 GB", "free some space: checkpoints and TensorBoard logs need room"
    if free < 6 * GB and not (ROOT / ".venv").exists():
        return WARNING, f"{detail}: under the 6 GB `make setup` needs (the .venv is 5.6 GB)", "free some space first"
    return OK, detail, ""


def check_cifar10(options) -> tuple[str, str, str]:
    from torchvision.datasets import CIFAR10
    from torchvision.datasets.utils import check_integrity

    data = options.data or os.environ.get("CIFAR10_ROOT")
    if not data:
        return OK, "CIFAR10_ROOT not set: the tests use a stand-in (the real data is only for training runs)", ""
    folder = Path(data) / CIFAR10.base_folder
    expected = [*CIFAR10.train_list, *CIFAR10.test_list, [CIFAR10.meta["filename"], CIFAR10.meta["md5"]]]
    missing = [name for name, _ in expected if not (folder / name).is_file()]
    sums = ", ".join(f"{name} {md5}" for name, md5 in expected)
    if missing:
        fix = (
            f"download cifar-10-python.tar.gz from {CIFAR10_PAGE} and extract it in {data}, so that {folder} "
            f"holds these files (md5 sums torchvision checks): {sums}"
        )
        return WARNING, f"{folder} lacks {', '.join(missing)}", fix
    if options.md5:
        bad = [name for name, md5 in expected if not check_integrity(str(folder / name), md5)]
        if bad:
            return WARNING, f"wrong md5 sum: {', '.join(bad)} in {folder}", f"download and extract again; the sums: {sums}"
        return OK, f"{folder} holds the {len(expected)} files torchvision checks, md5 sums right", ""
    return OK, f"{folder} holds the {len(expected)} files torchvision checks (--md5 also checks their sums)", ""


SKIPPED = {"torch": "torch does not import", "torchvision": "torchvision does not work with this torch"}
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
            status, detail, fix = WARNING, f"skipped: {SKIPPED.get(blocked, blocked + ' failed')}", f"fix {blocked} first (above)"
        else:
            try:
                status, detail, fix = check(options)
            except Exception as exc:
                status, detail, fix = PROBLEM, f"the check itself failed ({one_line(exc)})", "please report this"
        if status == PROBLEM:
            failed.add(name)
        results.append({"name": name, "status": status, "detail": detail, "fix": fix})
    return results


def count(results: list[dict[str, str]], status: str) -> int:
    return sum(result["status"] == status for result in results)


def report_lines(results: list[dict[str, str]]) -> list[str]:
    lines = []
    for result in results:
        lines.append(f"{LABELS[result['status']]} {result['name']}: {result['detail']}")
        if result["status"] != OK:
            lines.append(f"       fix: {result['fix']}")
    lines.append(f"{count(results, PROBLEM)} problem(s), {count(results, WARNING)} warning(s)")
    return lines


def main(options: argparse.Namespace) -> int:
    """options: json, data, md5 (the `katas doctor` arguments). Exit status 1 when any check is a problem."""
    results = run_checks(options)
    problems = count(results, PROBLEM)
    if options.json:
        print(json.dumps({"checks": results, "problems": problems}, indent=2, ensure_ascii=False))
    else:
        print("\n".join(report_lines(results)))
    return 1 if problems else 0
