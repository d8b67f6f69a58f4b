"""``katas`` / ``katas watch``: the current kata's result on one screen, re-run on every save.

The current kata is the first one, in katas.toml order, that is not done, or the first kata of a
module that no longer compiles (a syntax error undoes "done": the runner stops there instead of
declaring the suite finished). Its tests run at start and again whenever its file is saved
(watchfiles, 200 ms debounce), or on Enter with ``--manual-run`` (for WSL2 or network drives, where
file events may never arrive). When it turns green the screen says so with the reference's one-line
*why* comments and waits for ``n``: the runner never moves on by itself.

The learner always has the keys. A run goes on in the engine's child while this loop keeps reading
keys and saves: a new save cancels the run and starts another (the latest save always wins, and a
verdict is shown only for the code still on disk), ``q`` and Ctrl-C stop it at once, and every run
ends by its deadline (the kata's ``timeout`` in katas.toml, plus a grace period for pytest-timeout to
name the learner's line first). While a run takes longer than a second, a status line shows the
elapsed time and the tests done out of the total.

Keys: h next hint stage, l list, r reset this kata (asks first), s see the reference (once green),
n next kata (once green), q quit. In a terminal a key acts at once; without one (piped input) each
line is a key and an empty line re-runs; the output is plain lines either way when not a terminal,
and a terminal with TERM=dumb gets no escape codes.
Everything on the screen is in the language given (kata_harness.i18n), the kata's title and hints too.
"""

from __future__ import annotations

import os
import queue
import shutil
import sys
import threading
import time
from pathlib import Path

from kata_harness import i18n, manifest
from kata_harness.i18n import t
from kata_harness.paths import SOLUTIONS_DIR
from kata_harness.runner import files, screen, source, state
from kata_harness.runner.engine import Engine, Result, Run

CLEAR = "\x1b[2J\x1b[H"
ERASE_LINE = "\x1b[K"
GRACE = (1.0, 0.25, 10.0)  # past a kata's timeout: at least 1 s, a quarter of it, at most 10 s (see deadline)
TICK = 0.5  # seconds between checks of a run's deadline and status while nothing else happens
STATUS_AFTER = 1.0  # a run this old shows its status line
PLAIN_STATUS_EVERY = 10.0  # without a terminal, one status line this often


CONSOLE_PREFIXES = ("\x00", "\xe0")  # msvcrt.getwch: an arrow or function key comes as one of these, then a code
CONSOLE_QUIT = {"\x03": "q", "\x1a": "\x04"}  # Ctrl-C (the console gives it as a key, not a signal), Ctrl-Z (EOF)


def console_keys(getwch, put, stop: threading.Event) -> None:
    """The Windows console's key reader: one ("key", k) event per key press, from ``msvcrt.getwch``.

    An arrow or function key (two codes) is dropped; Ctrl-C and Ctrl-Z quit, as q and Ctrl-D do elsewhere;
    Enter comes as "\\r", which re-runs like "\\n"."""
    while not stop.is_set():
        key = getwch()
        if key in CONSOLE_PREFIXES:
            getwch()
            continue
        put(("key", CONSOLE_QUIT.get(key, key)))


def fit(text: str, columns: int) -> str:
    """``text`` cut to the terminal's width (a Chinese character takes two columns), ending in '...' when cut."""
    if i18n.width(text) <= columns:
        return text
    kept = ""
    for character in text:
        if i18n.width(kept + character) > max(0, columns - 3):
            break
        kept += character
    return kept + "..."


def deadline(timeout: float) -> float:
    """The runner's deadline for a run: the kata's timeout and a grace period, so that pytest-timeout,
    which stops a stuck test at the timeout and names the learner's line, usually speaks first; the
    deadline is for what it cannot stop (a child that ignores or blocks the alarm, a hang in native code)."""
    least, share, most = GRACE
    return timeout + max(least, min(most, timeout * share))


class Watch:
    console = os.name  # which key reader a terminal gets: "posix" (termios) or "nt" (msvcrt); tests set it
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
        self.active: Run | None = None  # the run going on, if any
        self.started_on: bytes | None = None  # the kata file's content when that run started
        self.status_shown = 0.0  # when the status line was last written
        self.status_inline = False  # a status line is on the screen without its newline
        self.fancy = self.out.isatty() and os.environ.get("TERM", "") != "dumb"  # escape codes allowed
        engine.on_frame = lambda: self.events.put(("engine", None))

    # --- what is current --------------------------------------------------------------------------

    def first_pending(self) -> manifest.Kata | None:
        """The first kata not done, or the first of a module that does not compile (done or not)."""
        done = self.done()
        return next((k for k in self.katas if k.id not in done), None)

    def done(self) -> set[str]:
        """The katas done, as the saved progress says, less those of a module that does not compile now."""
        return source.counted_done(self.katas, state.load().done, self.katas_dir)

    def file(self) -> Path:
        return self.katas_dir / f"{self.kata.module}.py"

    # --- output -----------------------------------------------------------------------------------

    def show(self) -> None:
        done = self.done()
        number = [k.id for k in self.katas].index(self.kata.id) + 1
        lines = screen.heading(self.kata, number, len(self.katas), len(done & {k.id for k in self.katas}), self.lang)
        if self.result is not None:
            lines += screen.result_lines(self.kata, self.result, self.why() if self.result.green else None, self.lang)
        lines += self.extra
        lines.append(screen.keys(self.result is not None and self.result.green, self.manual, self.lang))
        text = "\n".join(lines) + "\n"
        self._end_status_line()
        if self.fancy:
            text = CLEAR + text
        else:
            text = "-" * 60 + "\n" + text
        self.out.write(text)
        if self.active is not None:
            self.out.write(self.status_text() + ("" if self.out.isatty() else "\n"))
            self.status_inline = self.out.isatty()
        self.out.flush()

    def _end_status_line(self) -> None:
        if self.status_inline:
            self.out.write("\n")
            self.status_inline = False

    def status_text(self) -> str:
        run = self.active
        total = "?" if run.total is None else run.total
        return t("watch.status", self.lang, id=run.kata_id, seconds=run.elapsed, done=run.done, total=total)

    def show_status(self) -> None:
        """The run is alive: rewrite the status line in place (a terminal), or add one now and then (no terminal)."""
        now = time.monotonic()
        if self.active is None or self.active.elapsed < STATUS_AFTER:
            return
        text = fit(self.status_text(), shutil.get_terminal_size().columns - 1)  # a wrapped line cannot be redrawn
        if self.out.isatty():
            self.out.write("\r" + text + (ERASE_LINE if self.fancy else ""))
            self.status_inline = True
        elif now - self.status_shown >= PLAIN_STATUS_EVERY:
            self.out.write(text + "\n")
        else:
            return
        self.status_shown = now
        self.out.flush()

    def list_lines(self) -> list[str]:
        broken = source.broken_modules(self.katas_dir, {k.module for k in self.katas})
        return screen.list_lines(self.katas, self.done(), self.kata.id, self.lang, broken)

    def why(self) -> list[str] | None:
        path = SOLUTIONS_DIR / f"{self.kata.module}.py"
        try:
            return source.why_comments(files.read_source(path).text, self.kata.name, self.lang)
        except (OSError, files.NotText, source.SourceError):
            return None

    # --- actions ----------------------------------------------------------------------------------

    def run(self) -> None:
        """Start a run of the current kata's tests (cancelling one still going); its result comes as an event."""
        self.cancel()
        self._end_status_line()
        if not self.file().exists():  # deleted or renamed: say so, and wait for it to come back (a save, a reset)
            self.result = Result(self.kata.id, error=t("watch.missing_file", self.lang, file=self.kata.file, module=self.kata.module))
            self.show()
            return
        self.out.write(t("watch.running", self.lang, id=self.kata.id) + "\n")
        self.out.flush()
        self.started_on = self._content()
        self.status_shown = time.monotonic()
        self.active = self.engine.start(self.kata.id, deadline(self.kata.timeout))

    def cancel(self) -> None:
        if self.active is not None:
            self.active.cancel()
            self.active = None

    def check_run(self) -> None:
        """Take the active run's result if there is one; a result for code no longer on disk starts a new run."""
        result = self.active.poll() if self.active is not None else None
        if result is None:
            self.show_status()
            return
        self.active = None
        if result.stopped == "cancelled":
            return
        if self._content() != self.started_on:  # saved during the run, before the watcher said so
            self.extra = [t("watch.restarted", self.lang)]
            self.run()
            return
        self.result = result
        if not result.error or result.stopped in ("timeout", "died"):  # the child's pytest records its own runs
            outcome = "passed" if result.green else "failed"
            saved = state.record_run({self.kata.id: [outcome]}, {self.kata.id: 1})
            self.extra += [notice.text(self.lang) for notice in saved.notices]
        self.show()

    def _content(self) -> bytes | None:
        try:
            return self.file().read_bytes()
        except OSError:
            return None

    def next_hint(self) -> None:
        count = len(self.kata.hints_in(self.lang))
        with state.update() as saved:  # a read-only checkout still shows the hint: the notice says why it is not kept
            stage = min(saved.show_hint(self.kata.id, count), count)
        self.extra = [screen.hint_line(self.kata, n, self.lang) for n in range(1, stage + 1)]
        if stage == count:
            self.extra.append(t("watch.last_hint", self.lang))
        self.extra += [notice.text(self.lang) for notice in saved.notices]
        self.extra.append("")

    def reset(self) -> bool:
        self.cancel()
        self.extra = [t("watch.reset_question", self.lang, file=self.kata.file, name=self.kata.name)]
        self.show()
        answer = self._next_key()
        if answer not in ("y", "Y"):
            self.extra = [t("watch.reset_cancelled", self.lang), ""]
            return False
        try:
            written = files.reset_kata(self.katas_dir, self.kata.module, self.kata.name)
        except (KeyError, source.SourceError) as exc:  # a ResetError is a SourceError: one line, file untouched
            error = exc.text(self.lang) if isinstance(exc, source.SourceError) else exc
            self.extra = [t("watch.reset_failed", self.lang, error=error), ""]
            return False
        saved = state.forget([self.kata.id])  # its run re-marks it; until then it is not done
        self.extra = [t("watch.reset_done", self.lang, file=self.kata.file, name=self.kata.name)]
        if written.backup is not None:
            self.extra += [t("cli.backup_kept", self.lang, path=written.backup), t("cli.undo_hint", self.lang)]
        self.extra += [notice.text(self.lang) for notice in saved.notices] + [""]
        return True

    def reference(self) -> None:
        path = SOLUTIONS_DIR / f"{self.kata.module}.py"
        try:
            text = source.segment(files.read_source(path).text, self.kata.name, str(path))
        except (OSError, files.NotText, source.SourceError) as exc:
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
                try:
                    kind, value = self.events.get(timeout=TICK if self.active is not None else None)
                except queue.Empty:
                    kind, value = "tick", None
                if kind in ("tick", "engine"):
                    self.check_run()
                    continue
                if kind == "eof" or (kind == "key" and value in ("q", "Q", "\x04")):
                    if kind == "eof" and self.active is not None:
                        self._finish_active()  # piped input ends: the last run's verdict still counts
                    return 0
                if kind == "change":
                    if self.file().resolve() in value:
                        self.extra = []
                        self.run()
                    continue
                if self.handle_key(value):
                    return 0
        except KeyboardInterrupt:
            return 0
        finally:
            self.cancel()
            self._end_status_line()  # the shell's prompt starts on a line of its own
            self.out.flush()
            self.stop.set()

    def handle_key(self, value: str) -> bool:
        """Act on one key; True when the runner should stop (every kata is done)."""
        self.extra = []
        if value in ("\n", "\r"):
            self.run()
            return False
        if value in ("h", "H"):
            self.next_hint()
        elif value in ("l", "L"):
            self.extra = self.list_lines() + [""]
        elif value in ("r", "R"):
            if self.reset():
                self.run()
                return False
        elif value in ("s", "S"):
            if self.result is not None and self.result.green and self.active is None:
                self.reference()
            else:
                self.extra = [t("watch.reference_when_green", self.lang), ""]
        elif value in ("n", "N"):
            if self.result is not None and self.result.green and self.active is None:
                following = self.first_pending()
                if following is None:
                    self.out.write(t("watch.all_done_now", self.lang) + "\n")
                    return True
                self.kata, self.result = following, None
                self.run()
                return False
            self.extra = [t("watch.next_when_green", self.lang), ""]
        else:
            return False  # an unknown key: ignore it
        self.show()
        return False

    def _finish_active(self) -> None:
        """Wait for the active run's verdict (bounded by its deadline) and show it."""
        while self.active is not None:
            self.active.poll(TICK)
            self.check_run()

    def _next_key(self) -> str:
        while True:
            kind, value = self.events.get()
            if kind == "eof":
                return ""
            if kind == "key":
                return value

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
        if stream.isatty() and self.console == "posix":
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
        elif stream.isatty() and self.console == "nt":
            import msvcrt

            def keys() -> None:
                console_keys(msvcrt.getwch, self.events.put, self.stop)
        else:

            def keys() -> None:
                for line in stream:
                    self.events.put(("key", line.strip()[:1] or "\n"))
                self.events.put(("eof", None))

        threading.Thread(target=keys, name="katas-keys", daemon=True).start()
