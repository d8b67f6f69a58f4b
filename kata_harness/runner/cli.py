"""``katas``: the learner's command (also ``python -m kata_harness``).

    katas [watch] [--manual-run]   the current kata, re-run on every save (the default)
    katas list                     every kata in order, done / current / pending
    katas hint [ID] [--all]        the next hint stage of a kata (the current one by default)
    katas reset ID | --module M | --all [--yes]   restore pristine stubs, nothing else in the file
    katas solution ID [--force]    the reference, once the kata is done
    katas verify                   the whole suite against katas/, then the progress report
    katas doctor [--json] [--data DIR] [--md5]   is this machine ready? python, torch, GPU, packages, disk, data

Mistakes in what is typed here (an unknown id, a damaged progress file, a kata file with a syntax
error) get one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from kata_harness import manifest
from kata_harness.paths import KATAS_DIR, ROOT, SOLUTIONS_DIR
from kata_harness.runner import screen, source, state


class UsageError(Exception):
    """Something the learner typed or has on disk stops the command: one line says what and what to do."""


def find(katas: list[manifest.Kata], kata_id: str) -> manifest.Kata:
    for kata in katas:
        if kata.id == kata_id:
            return kata
    close = [k.id for k in katas if kata_id.lower() in k.id.lower()]
    hint = f"; did you mean {', '.join(close[:5])}?" if close else "; `katas list` shows every id"
    raise UsageError(f"no kata named {kata_id!r}{hint}")


def current(katas: list[manifest.Kata], done: set[str]) -> manifest.Kata | None:
    return next((k for k in katas if k.id not in done), None)


def confirm(question: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(f"{question} needs a confirmation: add --yes")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def cmd_list(args, katas) -> int:
    done = state.load().done
    kata = current(katas, done)
    for line in screen.list_lines(katas, done, kata.id if kata else None):
        print(line)
    return 0


def cmd_hint(args, katas) -> int:
    saved = state.load()
    kata = find(katas, args.kata) if args.kata else current(katas, saved.done)
    if kata is None:
        print("Every kata is done: no hint needed.")
        return 0
    if args.all:
        for stage in range(1, len(kata.hints) + 1):
            print(screen.hint_line(kata, stage))
        return 0
    stage = saved.hints_shown(kata.id) + 1
    if stage > len(kata.hints):
        print(screen.hint_line(kata, len(kata.hints)))
        print(f"(that was the last of {len(kata.hints)} hints; `katas hint {kata.id} --all` shows them together)")
        return 0
    saved.hints[kata.id] = stage
    state.save(saved)
    print(screen.hint_line(kata, stage))
    if stage < len(kata.hints):
        print("(run `katas hint` again for the next one)")
    return 0


def cmd_reset(args, katas) -> int:
    katas_dir = Path(args.dir)
    pristine = source.pristine_modules()
    if args.all:
        targets, whole = sorted(pristine), True
        question = f"Reset every kata in {katas_dir} to its stub (all your code there is lost)?"
    elif args.module:
        if args.module not in pristine:
            raise UsageError(f"no kata module named {args.module!r}; the modules are {', '.join(sorted(pristine))}")
        targets, whole = [args.module], True
        question = f"Reset {katas_dir.name}/{args.module}.py to its stubs (all your code in that file is lost)?"
    elif args.kata:
        kata = find(katas, args.kata)
        targets, whole = [kata], False
        question = f"Reset {kata.file}::{kata.name} to its stub (your code for it is lost)?"
    else:
        raise UsageError("say what to reset: katas reset ID, --module M or --all")
    if not confirm(question, args.yes):
        print("Nothing was reset.")
        return 1
    for target in targets:
        if whole:
            (katas_dir / f"{target}.py").write_text(pristine[target], encoding="utf-8")
            print(f"reset {katas_dir.name}/{target}.py")
            continue
        path = katas_dir / f"{target.module}.py"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}; `katas reset --module {target.module}` rewrites it") from None
        try:
            restored = source.restore(text, pristine[target.module], target.name, str(path))
        except source.SourceError as exc:
            raise UsageError(f"{exc}; fix it, or reset the whole file with `katas reset --module {target.module}`") from None
        path.write_text(restored, encoding="utf-8")
        print(f"reset {target.file}::{target.name}; the rest of the file is untouched")
    return 0


def cmd_solution(args, katas) -> int:
    kata = find(katas, args.kata)
    if kata.id not in state.load().done:
        if not args.force:
            raise UsageError(f"{kata.id} is not done yet: solve it first (or add --force to look anyway)")
        print(f"warning: {kata.id} is not done yet; reading the answer first teaches less than struggling a bit.", file=sys.stderr)
    path = SOLUTIONS_DIR / f"{kata.module}.py"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise UsageError(f"the reference {path} is not in this checkout") from None
    print(f"# {path.relative_to(ROOT)}")
    print(source.segment(text, kata.name, str(path)).rstrip())
    return 0


def cmd_verify(args, katas) -> int:
    return subprocess.call([sys.executable, "-m", "pytest", f"--impl={args.dir}", "-q"], cwd=ROOT)


def cmd_doctor(args, katas) -> int:
    from kata_harness.runner import doctor  # imports torch only inside its checks: it must run when torch is broken

    return doctor.main(args)


def cmd_watch(args, katas) -> int:
    from kata_harness.runner.engine import Engine
    from kata_harness.runner.watch import Watch

    state.load()  # a damaged progress file is a usage error before anything starts
    engine = Engine(Path(args.dir))
    try:
        return Watch(katas, Path(args.dir), engine, manual=args.manual_run).loop()
    finally:
        engine.close()


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="katas", description="Work through the PyTorch katas, one at a time.")
    main.add_argument("--dir", default=str(KATAS_DIR), help=argparse.SUPPRESS)  # a copy of katas/ (the harness's tests)
    commands = main.add_subparsers(dest="command")
    watch = commands.add_parser("watch", help="the current kata, re-run on every save (the default)")
    watch.add_argument("--manual-run", action="store_true", help="re-run on Enter instead of watching the file")
    commands.add_parser("list", help="every kata in order, with done / current / pending marks")
    hint = commands.add_parser("hint", help="the next hint stage of a kata (the current one by default)")
    hint.add_argument("kata", nargs="?", help="a kata id such as tensors.reshape")
    hint.add_argument("--all", action="store_true", help="every stage at once")
    hints = commands.add_parser("hints", help="every hint stage of a kata (= hint --all)")
    hints.add_argument("kata")
    reset = commands.add_parser("reset", help="restore the pristine stub of a kata, a module or everything")
    reset.add_argument("kata", nargs="?", help="a kata id such as tensors.reshape")
    reset.add_argument("--module", help="every kata of katas/<module>.py")
    reset.add_argument("--all", action="store_true", help="every kata")
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    solution = commands.add_parser("solution", help="the reference solution of a kata you have done")
    solution.add_argument("kata")
    solution.add_argument("--force", action="store_true", help="show it even though the kata is not done")
    commands.add_parser("verify", help="the whole suite against katas/, then the progress report")
    doctor = commands.add_parser("doctor", help="is this machine ready? each check with its status and a fix")
    doctor.add_argument("--json", action="store_true", help="machine-readable output")
    doctor.add_argument("--data", metavar="DIR", help="the CIFAR-10 folder to check (default: $CIFAR10_ROOT)")
    doctor.add_argument("--md5", action="store_true", help="also check the CIFAR-10 files' md5 sums (reads 180 MB)")
    return main


COMMANDS = {
    "watch": cmd_watch, "list": cmd_list, "hint": cmd_hint, "hints": cmd_hint, "reset": cmd_reset,
    "solution": cmd_solution, "verify": cmd_verify, "doctor": cmd_doctor,
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    command = args.command or "watch"
    if command == "watch" and not hasattr(args, "manual_run"):
        args.manual_run = False
    if command == "hints":
        args.all = True
    try:
        katas = [] if command == "doctor" else manifest.load()  # the doctor runs whatever else is broken
        return COMMANDS[command](args, katas)
    except (UsageError, manifest.ManifestError, state.StateError) as exc:
        print(f"katas: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
