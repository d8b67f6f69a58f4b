"""Maintainers' check that the end-to-end training verdict does not depend on the random stream.

Runs the reference run_training (or another implementation) on the CIFAR-10 stand-in with the test's
recipe, once per seed and thread count, and applies to every run exactly the checks that
tests/katas/test_training.py applies to its one run (kata_harness.testing.training.STANDIN_CHECKS).
A correct pipeline must pass them all for every seed and thread count: otherwise a learner's correct
solution that draws one more random number could fail. Not part of the test suite (it takes minutes).

Usage: python -m kata_harness.checks.seeds [--seeds N] [--threads 1 2] [--impl solutions|katas|DIR] [--overlay FILE]
Exit status: 0 when every run passes every check, 1 when one fails, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m kata_harness.checks.seeds", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=_positive, default=20, help="seeds 0..N-1 per thread count (default 20)")
    parser.add_argument("--threads", type=_positive, nargs="+", default=[1, 2], help="torch.set_num_threads values (default: 1 2)")
    parser.add_argument("--impl", default="solutions", help="'solutions' (default), 'katas' or a directory laid out like solutions/")
    parser.add_argument("--overlay", default=None, help="a file standing in for the training module, e.g. alternatives/training/<variant>.py")
    args = parser.parse_args(argv)

    import torch

    from kata_harness import impl
    from kata_harness.testing import training as training_support

    try:
        base = impl.resolve(args.impl)
        overlay = impl.resolve_overlay(args.overlay)
        if overlay is not None and overlay.parent.name not in ("training", "modules"):
            raise impl.ImplError(f"overlay {args.overlay!r} must stand in for training or modules (…/training/<x>.py or …/modules/<x>.py)")
        impl.activate(base, overlay)
        training = importlib.import_module(f"{impl.PACKAGE}.training")
    except impl.ImplError as exc:
        parser.error(str(exc))

    checks = training_support.STANDIN_CHECKS
    what = f"{args.impl}" + (f" with {args.overlay}" if args.overlay else "")
    recipe = ", ".join(f"{k}={v}" for k, v in training_support.RECIPE.items())
    print(f"check-seeds: run_training from {what} on the stand-in ({recipe}), seeds 0..{args.seeds - 1}", flush=True)
    started, failures, summary = time.perf_counter(), 0, []
    for threads in args.threads:
        torch.set_num_threads(threads)
        passed, finals, ratios = 0, [], []
        for seed in range(args.seeds):
            with tempfile.TemporaryDirectory(prefix="check-seeds-") as workdir:
                run = training_support.run_standin(training.run_training, workdir, seed)
            problems = []
            for name, check in checks.items():
                try:
                    problem = check(run)
                except Exception as exc:  # noqa: BLE001 - a crashed pipeline fails every check
                    problem = f"{type(exc).__name__}: {exc}"
                if problem is not None:
                    problems.append(f"{name}: {problem}")
            if isinstance(run.accuracies, list) and run.accuracies:
                finals.append(float(run.accuracies[-1]))
            losses = [v for _, v in run.scalars.get("train/loss", [])]
            steps = training_support.STEPS_PER_EPOCH
            if len(losses) >= 2 * steps:
                ratios.append((sum(losses[-steps:]) / steps) / (sum(losses[:steps]) / steps))
            if problems:
                failures += 1
                print(f"  threads={threads} seed={seed}: FAILED", *(f"    {p.splitlines()[0][:300]}" for p in problems), sep="\n", flush=True)
            else:
                passed += 1
        margin = ""
        if finals:
            margin = f"; final accuracy min {min(finals):.3f} (bar {training_support.STANDIN_BAR})"
        if ratios:
            margin += f"; last/first epoch loss max {max(ratios):.3f} (must be < 0.5)"
        line = f"threads={threads}: {passed}/{args.seeds} runs passed every check{margin}"
        summary.append(line)
        print(line, flush=True)
    print(f"check-seeds: {'OK' if failures == 0 else f'{failures} failing run(s)'} in {time.perf_counter() - started:.0f} s", flush=True)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
