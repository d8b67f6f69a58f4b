"""``katas``: the learner's command (also ``python -m kata_harness``).

    katas [watch] [--manual-run]   the current kata, re-run on every save (the default)
    katas list                     every kata in order, done / current / pending
    katas hint [ID] [--all]        the next hint stage of a kata (the current one by default)
    katas reset ID | --module M | --all [--yes]   restore pristine stubs, nothing else in the file
    katas undo [--module M]        put back what the latest reset (or undo) replaced
    katas solution ID [--force]    the reference, once the kata is done
    katas verify                   the whole suite against katas/, then the progress report
    katas doctor [--json] [--data DIR] [--md5]   is this machine ready? python, torch, GPU, packages, disk, data

``--lang zh|en`` (before or after the command; default: $KATAS_LANG, else the locale) sets the language of
everything printed here, kata titles and hints included (kata_harness.i18n); ``verify`` and the runner's
test runs hand it on to pytest.

Mistakes in what is typed here (an unknown id, a kata file with a syntax error or not in UTF-8) get one
line on stderr and exit status 2, never a traceback; Ctrl-D at a [y/N] question is a no. A damaged
progress file is moved aside, and one line on stderr says where (kata_harness.runner.state); one that
cannot be saved (a read-only checkout) is one line too, and the command goes on.

A reset writes atomically and first keeps the file it replaces in .katas-backup/ (its path is printed);
``katas undo`` puts it back (kata_harness.runner.files). A console that cannot show a character gets a
'?' instead of a crash, and a closed pipe (``katas list | head -1``) ends the command quietly, status 141
(kata_harness.console).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from kata_harness import console, i18n, manifest
from kata_harness.i18n import t
from kata_harness.paths import KATAS_DIR, ROOT, SOLUTIONS_DIR
from kata_harness.runner import files, screen, source, state


class UsageError(Exception):
    """Something the learner typed or has on disk stops the command: one line says what and what to do."""


def find(katas: list[manifest.Kata], kata_id: str, lang: str = "en") -> manifest.Kata:
    for kata in katas:
        if kata.id == kata_id:
            return kata
    close = [k.id for k in katas if kata_id.lower() in k.id.lower()]
    hint = t("cli.did_you_mean", lang, ids=", ".join(close[:5])) if close else t("cli.see_list", lang)
    raise UsageError(t("cli.no_kata", lang, id=kata_id, hint=hint))


def current(katas: list[manifest.Kata], done: set[str]) -> manifest.Kata | None:
    return next((k for k in katas if k.id not in done), None)


def module_named(name: str, lang: str) -> str:
    modules = sorted(source.pristine_modules())
    if name not in modules:
        raise UsageError(t("cli.no_module", lang, module=name, modules=", ".join(modules)))
    return name


def confirm(question: str, yes: bool, lang: str = "en") -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(t("cli.needs_yes", lang, question=question))
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:  # Ctrl-D: a no, on a line of its own
        print()
        return False
    return answer.strip().lower() in ("y", "yes")


def tell(saved: state.State, lang: str) -> state.State:
    """Show what happened to the progress file (moved aside, not saved), one line each on stderr."""
    for notice in saved.notices:
        print(f"katas: {notice.text(lang)}", file=sys.stderr)
    return saved


def cmd_list(args, katas) -> int:
    katas_dir = Path(args.dir)
    done = source.counted_done(katas, tell(state.load(), args.lang).done, katas_dir)
    kata = current(katas, done)
    broken = source.broken_modules(katas_dir, {k.module for k in katas})
    for line in screen.list_lines(katas, done, kata.id if kata else None, args.lang, broken):
        print(line)
    return 0


def cmd_hint(args, katas) -> int:
    lang = args.lang
    chosen = find(katas, args.kata, lang) if args.kata else None
    with state.update() as saved:
        kata = chosen or current(katas, saved.done)
        count = len(kata.hints_in(lang)) if kata else 0
        stage = saved.show_hint(kata.id, count) if kata and not args.all else 0
    tell(saved, lang)  # a read-only checkout: the hint is shown all the same
    if kata is None:
        print(t("cli.all_done_no_hint", lang))
        return 0
    if args.all:
        for shown in range(1, count + 1):
            print(screen.hint_line(kata, shown, lang))
        return 0
    if stage > count:
        print(screen.hint_line(kata, count, lang))
        print(t("cli.last_hint", lang, count=count, id=kata.id))
        return 0
    print(screen.hint_line(kata, stage, lang))
    if stage < count:
        print(t("cli.hint_again", lang))
    return 0


def reset_targets(args, katas, katas_dir: Path) -> tuple[list[tuple[str, str | None, list[str]]], str]:
    """What `katas reset` was asked for: (module, kata name or None for the whole file, the kata ids it
    puts back to their stubs) each, and the question to ask first."""
    lang = args.lang
    if args.all or args.module:
        modules = sorted(source.pristine_modules()) if args.all else [module_named(args.module, lang)]
        targets = [(module, None, [k.id for k in katas if k.module == module]) for module in modules]
        if args.all:
            return targets, t("cli.reset_all_question", lang, dir=katas_dir)
        return targets, t("cli.reset_module_question", lang, dir=katas_dir.name, module=args.module)
    if args.kata:
        kata = find(katas, args.kata, lang)
        return [(kata.module, kata.name, [kata.id])], t("cli.reset_kata_question", lang, file=kata.file, name=kata.name)
    raise UsageError(t("cli.reset_what", lang))


def cmd_reset(args, katas) -> int:
    lang = args.lang
    katas_dir = Path(args.dir)
    targets, question = reset_targets(args, katas, katas_dir)
    if not confirm(question, args.yes, lang):
        print(t("cli.nothing_reset", lang))
        return 1
    stamp = files.new_stamp()  # one for every file of this reset: `katas undo` puts them all back
    reset: list[str] = []  # the katas whose stubs are back: not done any more
    kept = False
    try:
        for module, name, ids in targets:
            if name is None:
                written = files.reset_module(katas_dir, module, stamp)
                print(t("cli.reset_module", lang, dir=katas_dir.name, module=module))
            else:
                written = files.reset_kata(katas_dir, module, name, stamp)
                print(t("cli.reset_kata", lang, file=f"{katas_dir.name}/{module}.py", name=name))
            reset += ids
            kept = show_backup(written, lang) or kept
    finally:
        tell(state.forget(reset), lang)  # also when a later file failed: those reset so far count
    if kept:
        print(t("cli.undo_hint", lang))
    return 0


def cmd_undo(args, katas) -> int:
    lang = args.lang
    module = module_named(args.module, lang) if args.module else None
    for written in files.undo(Path(args.dir), module):
        print(t("cli.undone", lang, path=written.path, backup=written.restored_from))
        show_backup(written, lang)
    return 0


def show_backup(written: files.Written, lang: str) -> bool:
    """Say where the file a reset or undo replaced is kept; False when it replaced nothing."""
    if written.backup is not None:
        print(t("cli.backup_kept", lang, path=written.backup))
    return written.backup is not None


def cmd_solution(args, katas) -> int:
    lang = args.lang
    kata = find(katas, args.kata, lang)
    if kata.id not in tell(state.load(), lang).done:
        if not args.force:
            raise UsageError(t("cli.not_done", lang, id=kata.id))
        print(t("cli.not_done_warning", lang, id=kata.id), file=sys.stderr)
    path = SOLUTIONS_DIR / f"{kata.module}.py"
    try:
        text = files.read_source(path).text
    except FileNotFoundError:
        raise UsageError(t("cli.no_reference", lang, path=path)) from None
    except (OSError, files.NotText) as exc:
        raise UsageError(t("cli.unreadable_reference", lang, path=path, error=files.reason(exc))) from None
    print(f"# {path.relative_to(ROOT)}")
    print(source.segment(text, kata.name, str(path)).rstrip())
    return 0


def cmd_verify(args, katas) -> int:
    return subprocess.call([sys.executable, "-m", "pytest", f"--impl={args.dir}", f"--lang={args.lang}", "-q"], cwd=ROOT)


def cmd_doctor(args, katas) -> int:
    from kata_harness.runner import doctor  # imports torch only inside its checks: it must run when torch is broken

    return doctor.main(args)


def cmd_watch(args, katas) -> int:
    from kata_harness.runner.engine import Engine
    from kata_harness.runner.watch import Watch

    from kata_harness import pictures

    tell(state.load(), args.lang)  # a damaged progress file is moved aside, with one line, before anything starts
    pictures.tell_children(sys.stdout)  # before the engine starts its children: they draw for this terminal
    engine = Engine(Path(args.dir), lang=args.lang)
    try:
        return Watch(katas, Path(args.dir), engine, manual=args.manual_run, lang=args.lang).loop()
    finally:
        engine.close()


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="katas", description="Work through the PyTorch katas, one at a time.")
    main.add_argument("--dir", default=str(KATAS_DIR), help=argparse.SUPPRESS)  # a copy of katas/ (the harness's tests)
    language = f"zh or en (default: ${i18n.ENV_VAR}, else the locale: LC_ALL / LC_MESSAGES / LANG starting with zh)"
    main.add_argument("--lang", metavar="zh|en", help=f"the language of everything katas prints: {language}")
    lang = argparse.ArgumentParser(add_help=False)  # --lang after the command works too
    lang.add_argument("--lang", metavar="zh|en", default=argparse.SUPPRESS, help=language)
    commands = main.add_subparsers(dest="command")
    watch = commands.add_parser("watch", parents=[lang], help="the current kata, re-run on every save (the default)")
    watch.add_argument("--manual-run", action="store_true", help="re-run on Enter instead of watching the file")
    commands.add_parser("list", parents=[lang], help="every kata in order, with done / current / pending marks")
    hint = commands.add_parser("hint", parents=[lang], help="the next hint stage of a kata (the current one by default)")
    hint.add_argument("kata", nargs="?", help="a kata id such as tensors.reshape")
    hint.add_argument("--all", action="store_true", help="every stage at once")
    hints = commands.add_parser("hints", parents=[lang], help="every hint stage of a kata (= hint --all)")
    hints.add_argument("kata")
    reset = commands.add_parser("reset", parents=[lang], help="restore the pristine stub of a kata, a module or everything")
    reset.add_argument("kata", nargs="?", help="a kata id such as tensors.reshape")
    reset.add_argument("--module", help="every kata of katas/<module>.py")
    reset.add_argument("--all", action="store_true", help="every kata")
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    undo = commands.add_parser("undo", parents=[lang], help="put back what the latest reset (or undo) replaced")
    undo.add_argument("--module", help="the latest backup of katas/<module>.py instead")
    solution = commands.add_parser("solution", parents=[lang], help="the reference solution of a kata you have done")
    solution.add_argument("kata")
    solution.add_argument("--force", action="store_true", help="show it even though the kata is not done")
    commands.add_parser("verify", parents=[lang], help="the whole suite against katas/, then the progress report")
    doctor = commands.add_parser("doctor", parents=[lang], help="is this machine ready? each check with its status and a fix")
    doctor.add_argument("--json", action="store_true", help="machine-readable output")
    doctor.add_argument("--data", metavar="DIR", help="the CIFAR-10 folder to check (default: $CIFAR10_ROOT)")
    doctor.add_argument("--md5", action="store_true", help="also check the CIFAR-10 files' md5 sums (reads 180 MB)")
    return main


COMMANDS = {
    "watch": cmd_watch, "list": cmd_list, "hint": cmd_hint, "hints": cmd_hint, "reset": cmd_reset, "undo": cmd_undo,
    "solution": cmd_solution, "verify": cmd_verify, "doctor": cmd_doctor,
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    console.setup_streams()
    args = parser().parse_args(argv)
    command = args.command or "watch"
    if command == "watch" and not hasattr(args, "manual_run"):
        args.manual_run = False
    if command == "hints":
        args.all = True
    lang = i18n.DEFAULT
    try:
        lang = args.lang = i18n.detect(args.lang)
        katas = [] if command == "doctor" else manifest.load()  # the doctor runs whatever else is broken
        status = COMMANDS[command](args, katas)
        sys.stdout.flush()  # a closed pipe shows here, where it is caught, not in Python's flush at exit
        return status
    except (UsageError, manifest.ManifestError, source.SourceError, i18n.LanguageError) as exc:
        print(f"katas: {exc.text(lang) if isinstance(exc, i18n.LocalizedError) else exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return console.pipe_closed()
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # what no command foresaw (a folder gone, a disk failing): one line all the same
        print(f"katas: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
