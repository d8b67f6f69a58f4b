"""``katas`` / ``katas watch``: the current kata's result on one screen, re-run on every save.

The current kata is the first one, in katas.toml order, that is not done. Its tests run at start and
again whenever its file is saved (watchfiles, 200 ms debounce; saves made during a run are dropped, as
the run already started - save again), or on Enter with ``--manual-run`` (for WSL2 or network drives,
where file events may never arrive). When it turns green the screen says so with the reference's
one-line *why* comments and waits for ``n``: the runner never moves on by itself.

Keys: h next hint stage, l list, r reset this kata (asks first), s see the reference (once green),
n next kata (once green), q quit. In a terminal a key acts at once; without one (piped input) each
line is a key and an empty line re-runs; the output is plain lines either way when not a terminal.
Everything on the screen is in the language given (kata_harness.i18n), the kata's title and hints too.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from pathlib import Path

from kata_harness import manifest
from kata_harness.i18n import t
from kata_harness.paths import SOLUTIONS_DIR
from kata_harness.runner import screen, source, state
from kata_harness.runner.engine import Engine, Result

CLEAR = "\x1b[2J\x1b[H"


class Watch:
    def __init__(
        self, katas: list[manifest.Kata], katas_dir: Path, engine: Engine, manual: bool, out=None, lang: str = "en"
    ) -> None:
        self.katas = katas
        self.lang = lang
        self.katas_dir = katas_dir
        self.engine = engine
        self.manual = manual
        self.out = out or sys.stdout
        self.events: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self.kata = self.first_pending()
        self.result: Result | None = None
        self.extra: list[str] = []  # what the last key asked for: hints, the list, the reference, a message

    # --- what is current --------------------------------------------------------------------------

    def first_pending(self) -> manifest.Kata | None:
        done = state.load().done
        return next((k for k in self.katas if k.id not in done), None)

    def file(self) -> Path:
        return self.katas_dir / f"{self.kata.module}.py"

    # --- output -----------------------------------------------------------------------------------

    def show(self) -> None:
        done = state.load().done
        number = [k.id for k in self.katas].index(self.kata.id) + 1
        lines = screen.heading(self.kata, number, len(self.katas), len(done & {k.id for k in self.katas}), self.lang)
        if self.result is not None:
            lines += screen.result_lines(self.kata, self.result, self.why() if self.result.green else None, self.lang)
        lines += self.extra
        lines.append(screen.keys(self.result is not None and self.result.green, self.manual, self.lang))
        text = "\n".join(lines) + "\n"
        if self.out.isatty():
            text = CLEAR + text
        else:
            text = "-" * 60 + "\n" + text
        self.out.write(text)
        self.out.flush()

    def why(self) -> list[str] | None:
        path = SOLUTIONS_DIR / f"{self.kata.module}.py"
        try:
            return source.why_comments(path.read_text(encoding="utf-8"), self.kata.name)
        except (OSError, source.SourceError):
            return None

    # --- actions ----------------------------------------------------------------------------------

    def run(self) -> None:
        self.out.write(t("watch.running", self.lang, id=self.kata.id) + "\n")
        self.out.flush()
        self.result = self.engine.run(self.kata.id)
        if not self.result.error:  # the child's pytest records it as well: belt and braces
            outcome = "passed" if self.result.green else "failed"
            state.record_run({self.kata.id: [outcome]}, {self.kata.id: 1})
        self._drop_changes()  # saves made while the tests ran: that run has started already
        self.show()

    def next_hint(self) -> None:
        saved = state.load()
        count = len(self.kata.hints_in(self.lang))
        stage = min(saved.hints_shown(self.kata.id) + 1, count)
        saved.hints[self.kata.id] = stage
        state.save(saved)
        self.extra = [screen.hint_line(self.kata, n, self.lang) for n in range(1, stage + 1)]
        if stage == count:
            self.extra.append(t("watch.last_hint", self.lang))
        self.extra.append("")

    def reset(self) -> bool:
        self.extra = [t("watch.reset_question", self.lang, file=self.kata.file, name=self.kata.name)]
        self.show()
        answer = self._next_key()
        if answer not in ("y", "Y"):
            self.extra = [t("watch.reset_cancelled", self.lang), ""]
            return False
        try:
            path = self.file()
            pristine = source.pristine_modules()[self.kata.module]
            path.write_text(source.restore(path.read_text(encoding="utf-8"), pristine, self.kata.name, str(path)), encoding="utf-8")
        except (OSError, KeyError, source.SourceError) as exc:
            error = exc.text(self.lang) if isinstance(exc, source.SourceError) else exc
            self.extra = [t("watch.reset_failed", self.lang, error=error), ""]
            return False
        self.extra = [t("watch.reset_done", self.lang, file=self.kata.file, name=self.kata.name), ""]
        return True

    def reference(self) -> None:
        path = SOLUTIONS_DIR / f"{self.kata.module}.py"
        try:
            text = source.segment(path.read_text(encoding="utf-8"), self.kata.name, str(path))
        except (OSError, source.SourceError) as exc:
            error = exc.text(self.lang) if isinstance(exc, source.SourceError) else exc
            self.extra = [t("watch.no_reference", self.lang, error=error), ""]
            return
        where = path.relative_to(path.parent.parent)
        self.extra = [t("watch.reference", self.lang, path=where), *text.rstrip().splitlines(), ""]

    # --- the loop ---------------------------------------------------------------------------------

    def loop(self) -> int:
        if self.kata is None:
            self.out.write(t("watch.all_done", self.lang) + "\n")
            return 0
        self._start_input()
        if not self.manual:
            self._start_watcher()
        try:
            self.run()
            while True:
                kind, value = self.events.get()
                if kind == "eof" or (kind == "key" and value in ("q", "Q", "\x04")):
                    return 0
                if kind == "change":
                    if self.file().resolve() in value:
                        self.extra = []
                        self.run()
                    continue
                self.extra = []
                if value in ("\n", "\r"):
                    self.run()
                    continue
                if value in ("h", "H"):
                    self.next_hint()
                elif value in ("l", "L"):
                    self.extra = screen.list_lines(self.katas, state.load().done, self.kata.id, self.lang) + [""]
                elif value in ("r", "R"):
                    if self.reset():
                        self.run()
                        continue
                elif value in ("s", "S"):
                    if self.result is not None and self.result.green:
                        self.reference()
                    else:
                        self.extra = [t("watch.reference_when_green", self.lang), ""]
                elif value in ("n", "N"):
                    if self.result is not None and self.result.green:
                        following = self.first_pending()
                        if following is None:
                            self.out.write(t("watch.all_done_now", self.lang) + "\n")
                            return 0
                        self.kata = following
                        self.run()
                        continue
                    self.extra = [t("watch.next_when_green", self.lang), ""]
                else:
                    continue  # an unknown key: ignore it
                self.show()
        except KeyboardInterrupt:
            return 0
        finally:
            self.stop.set()

    def _next_key(self) -> str:
        while True:
            kind, value = self.events.get()
            if kind == "eof":
                return ""
            if kind == "key":
                return value

    def _drop_changes(self) -> None:
        kept = []
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                break
            if event[0] != "change":
                kept.append(event)
        for event in kept:
            self.events.put(event)

    def _start_watcher(self) -> None:
        import watchfiles

        def watch() -> None:
            changes = watchfiles.watch(
                self.katas_dir, debounce=200, step=50, stop_event=self.stop, raise_interrupt=False,
                watch_filter=lambda change, path: path.endswith(".py"),
            )  # fmt: skip
            for batch in changes:
                self.events.put(("change", {Path(path).resolve() for _, path in batch}))

        threading.Thread(target=watch, name="katas-watch", daemon=True).start()

    def _start_input(self) -> None:
        stream = sys.stdin
        if stream.isatty() and os.name == "posix":
            import atexit
            import termios
            import tty

            fd = stream.fileno()
            saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
            atexit.register(termios.tcsetattr, fd, termios.TCSADRAIN, saved)

            def keys() -> None:
                while not self.stop.is_set():
                    data = os.read(fd, 1)
                    self.events.put(("key", data.decode(errors="replace")) if data else ("eof", None))
                    if not data:
                        return
        elif stream.isatty() and os.name == "nt":
            import msvcrt

            def keys() -> None:
                while not self.stop.is_set():
                    self.events.put(("key", msvcrt.getwch()))
        else:

            def keys() -> None:
                for line in stream:
                    self.events.put(("key", line.strip()[:1] or "\n"))
                self.events.put(("eof", None))

        threading.Thread(target=keys, name="katas-keys", daemon=True).start()
