"""Learner feedback time: from saving a kata's file to its result on screen (``make bench-feedback``).

Three ways to get the verdict of one kata after a save, measured in the same invocation on the same
copy of katas/ (a temporary folder; the checkout is not touched):

- the runner (``katas`` watch mode): watchfiles notices the save (200 ms debounce window, 50 ms step),
  and a child forked from the warm interpreter runs the kata's tests (Linux);
- the runner's spawn path, forced here (macOS, Windows): a fresh interpreter started ahead of time,
  with torch and pytest imported, runs them; the save comes once it is ready, as a learner's save
  a few seconds after the previous result does;
- a fresh ``python -m pytest --kata ID``: a new interpreter that imports torch and pytest first.

Usage: python bench/feedback.py [--kata ID] [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="feedback", description="Save-to-result time: the runner vs a fresh pytest.")
    parser.add_argument("--kata", default="tensors.reshape", help="a kata without training (default tensors.reshape)")
    parser.add_argument("--repeat", type=int, default=5, help="saves timed per way (default 5)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    from kata_harness import manifest
    from kata_harness.paths import KATAS_DIR

    katas = manifest.load()
    kata = next((k for k in katas if k.id == args.kata), None)
    if kata is None:
        parser.error(f"--kata {args.kata!r}: no such kata (python -m kata_harness list)")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "katas"
        shutil.copytree(KATAS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
        os.environ["KATAS_STATE"] = str(Path(scratch) / "state.json")
        path = copy / f"{kata.module}.py"

        runner, tests, warm_up = time_runner(katas, kata, copy, path, args.repeat, fork=True)
        spawned, _, spawn_warm_up = time_runner(katas, kata, copy, path, args.repeat, fork=False)

        fresh = []
        command = [sys.executable, "-m", "pytest", str(ROOT / "tests" / "katas" / f"test_{kata.module}.py"), f"--kata={kata.id}",
                   f"--impl={copy}", "-q", "-p", "no:cacheprovider"]  # fmt: skip
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, capture_output=True)
            fresh.append(time.perf_counter() - start)

    print(f"kata {kata.id} ({tests} tests), {os.cpu_count()} cores, {args.repeat} saves each; median (min-max) seconds")
    print(f"  runner, save -> result : {statistics.median(runner):.3f} ({min(runner):.3f}-{max(runner):.3f})"
          f"   [one-off start of the runner: {warm_up:.2f} s]")  # fmt: skip
    print(f"  runner, spawn path     : {statistics.median(spawned):.3f} ({min(spawned):.3f}-{max(spawned):.3f})"
          f"   [a fresh interpreter ready after each run: {spawn_warm_up:.2f} s]")  # fmt: skip
    print(f"  fresh pytest --kata    : {statistics.median(fresh):.3f} ({min(fresh):.3f}-{max(fresh):.3f})")
    return 0


def time_runner(katas, kata, copy: Path, path: Path, repeat: int, fork: bool) -> tuple[list[float], int, float]:
    """Seconds from each save to the result through the runner's watcher and engine, on one of its two paths.

    fork=True: a child forked from the warm zygote (Linux). fork=False: the macOS / Windows path, a fresh
    interpreter started ahead of time; each save comes once the next one is ready (the learner's case:
    the previous result came a few seconds ago). Returns the times, the kata's test count and the
    warm-up (the runner's start; on the spawn path, the time until the next interpreter is ready)."""
    from kata_harness.runner.engine import Engine
    from kata_harness.runner.watch import Watch

    start = time.perf_counter()
    engine = Engine(copy, fork=fork)
    engine.ready(120)
    warm_up = time.perf_counter() - start
    watch = Watch(katas, copy, engine, manual=False, out=io.StringIO())
    watch.kata = kata
    watch._start_watcher()
    time.sleep(0.5)  # let the watcher settle
    times, tests = [], 0
    try:
        for number in range(repeat):
            saved = time.perf_counter()
            path.write_text(path.read_text(encoding="utf-8") + f"\n# save {number}\n", encoding="utf-8")
            while watch.events.get(timeout=30)[0] != "change":
                pass
            result = engine.run(kata.id)
            times.append(time.perf_counter() - saved)
            tests = len(result.tests)
            ready = time.perf_counter()
            engine.ready(120)
            if not fork:
                warm_up = time.perf_counter() - ready
            time.sleep(0.3)
    finally:
        watch.stop.set()
        engine.close()
    return times, tests, warm_up


if __name__ == "__main__":
    sys.exit(main())
