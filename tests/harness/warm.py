"""``python -m <module> ...`` for the harness's tests (pytest, the checks, the katas command), forked from a warm
interpreter instead of started afresh.

Most harness tests run pytest, a check or the katas command in a child process, and a fresh interpreter
spends most of such a run importing torch and pytest. Where fork is safe (Linux), the children come from
multiprocessing's *forkserver*: a clean single-threaded server that has imported those modules once (its
preload) and forks one child per run. Each child still gets what a fresh ``python -m <module>`` gets
(runpy runs the module as __main__): its own working directory and environment, ``sys.path[0]`` set to
that directory, no stdin, its output in files read back as text, its exit status, and nothing left of an
earlier run (each is forked from the server, never from another child).

A run whose environment changes what only interpreter start-up reads (PYTHONIOENCODING, PYTHONPATH,
...) starts a fresh interpreter as before: that is what such a test is about.
"""

from __future__ import annotations

import functools
import locale
import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

PRELOAD = ["torch", "torchvision", "numpy", "PIL.Image", "pytest", "hypothesis", "tensorboard", "xdist"]
READ_AT_START = ("PYTHONIOENCODING", "PYTHONUTF8", "PYTHONPATH", "PYTHONHASHSEED", "PYTHONWARNINGS", "PYTHONOPTIMIZE",
                 "PYTHONSAFEPATH", "PYTHONHOME", "PYTHONNOUSERSITE")  # fmt: skip
AVAILABLE = sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods()


def suitable(args: tuple[str, ...], env: dict[str, str]) -> bool:
    """Whether ``python <args>`` with ``env`` can be a warm run: ``-m <module>``, and nothing that only start-up reads."""
    return (
        AVAILABLE
        and len(args) >= 2
        and args[0] == "-m"
        and all(env.get(name) == os.environ.get(name) for name in READ_AT_START)
    )


@functools.cache
def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def run(args: tuple[str, ...], env: dict[str, str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    """``subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)``."""
    with tempfile.TemporaryDirectory(prefix="harness-run-") as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        child = _context().Process(target=_module, args=(args[1], list(args[2:]), env, str(cwd), str(out), str(err)))
        child.start()
        child.join(timeout)
        if child.is_alive():
            child.kill()
            child.join(10)
            raise subprocess.TimeoutExpired([sys.executable, *args], timeout)
        encoding = locale.getpreferredencoding(False)
        return subprocess.CompletedProcess(
            [sys.executable, *args], child.exitcode, _read(out, encoding), _read(err, encoding)
        )


def _read(path: Path, encoding: str) -> str:
    try:
        return path.read_bytes().decode(encoding, errors="replace").replace("\r\n", "\n")
    except OSError:
        return ""


def _module(module: str, args: list[str], env: dict[str, str], cwd: str, out: str, err: str) -> None:
    """In the forked child: become ``python -m <module> <args>`` started in ``cwd`` with ``env``, then exit."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.dont_write_bytecode = bool(env.get("PYTHONDONTWRITEBYTECODE"))
    sys.path[:] = [cwd] + [entry for entry in sys.path if entry not in ("", cwd)]
    quiet = os.open(os.devnull, os.O_RDONLY)
    os.dup2(quiet, 0)
    for fd, path in ((1, out), (2, err)):
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(handle, fd)
        os.close(handle)
    encoding = locale.getpreferredencoding(False)
    sys.stdin = open(0, encoding=encoding, closefd=False)  # noqa: SIM115 - the process's own streams
    sys.stdout = open(1, "w", encoding=encoding, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding=encoding, errors="backslashreplace", closefd=False)  # noqa: SIM115
    sys.argv = [module, *args]  # runpy puts the module's file first, as -m does
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if not isinstance(exc.code, (int, type(None))):
            print(exc.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 - a fresh interpreter would print it and exit with 1
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(int(code))
