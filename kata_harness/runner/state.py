"""The learner's progress: one small JSON file at the repository root, ignored by git.

Every run against katas/ updates it, the runner's and plain pytest's alike: a kata is *done* when all
of its tests passed in its latest run (a run that selected only some of its tests leaves it as it was).
It also remembers how many hint stages of each kata have been shown.

It is shared and it can break, so:

- every change is one load-modify-save under a lock beside the file (``<file>.lock``, filelock): runs
  that end at the same moment (two terminals, the runner and plain pytest) all count. ``update()`` is
  that transaction; ``record_run``, ``forget`` and the hint stages go through it;
- writes are atomic (a temporary file renamed over the old one), so an interrupted run never leaves
  half a file;
- a file it cannot read as its own (not JSON, another layout, or one written by a newer harness) is
  never overwritten: it is moved aside to ``<file>.damaged-<time>`` (``.newer-<time>``) and progress
  starts afresh. Values are checked: a hint stage that is not a whole number is dropped, one out of
  0..99 clamped, a done mark that is not a string dropped; ids of katas that no longer exist are kept
  (harmless: nothing looks them up);
- where the file cannot be read or written (a read-only checkout, a full disk), the command goes on.

Nothing here prints: each such event is a StateWarning in the returned State's ``notices``, one line
(``text(lang)``) for the caller to show.

$KATAS_STATE names another file (the harness's own tests use one in a temporary folder).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


from kata_harness.i18n import LocalizedError
from kata_harness.paths import ROOT
from kata_harness.runner import files

ENV_VAR = "KATAS_STATE"
FILE_NAME = ".katas-state.json"
VERSION = 1
MAX_HINT_STAGE = 99
LOCK_TIMEOUT = 15  # seconds; a holder only reads and writes a few hundred bytes


class StateWarning(LocalizedError, UserWarning):
    """What happened to the progress file (moved aside, not saved): one line for the learner."""


class _Unusable(ValueError):
    """The file is not a state this harness can use; ``kind`` says why: 'damaged' or 'newer'."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def state_path() -> Path:
    return Path(os.environ.get(ENV_VAR) or ROOT / FILE_NAME)


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@dataclass
class State:
    done: set[str] = field(default_factory=set)
    hints: dict[str, int] = field(default_factory=dict)  # kata id -> hint stages shown
    notices: list[StateWarning] = field(default_factory=list, compare=False)  # for the learner, one line each
    blocked: OSError | None = field(default=None, compare=False, repr=False)  # why it must not be saved

    def hints_shown(self, kata_id: str) -> int:
        return self.hints.get(kata_id, 0)

    def show_hint(self, kata_id: str, count: int) -> int:
        """The next hint stage of a kata (of ``count``), now counted as shown; count + 1 once all were."""
        stage = self.hints_shown(kata_id) + 1
        self.hints[kata_id] = min(stage, count, MAX_HINT_STAGE)
        return stage

    def data(self) -> dict:
        return {"version": VERSION, "done": sorted(self.done), "hints": dict(sorted(self.hints.items()))}


# --- the transactions -----------------------------------------------------------------------------------


def load(path: Path | None = None) -> State:
    """The saved state (an empty one when there is no file yet); it writes only to move a bad file aside."""
    path = path or state_path()
    with _locked(path) as lock_error:
        return _read(path, lock_error)


@contextlib.contextmanager
def update(path: Path | None = None) -> Iterator[State]:
    """``with update() as state:`` change it; on leaving the block it is saved if it changed, all under the lock.

    It raises nothing for the file's sake: what could not be saved, and why, is in ``state.notices``.
    An exception in the block saves nothing.
    """
    path = path or state_path()
    with _locked(path) as lock_error:
        state = _read(path, lock_error)
        before = state.data()
        yield state
        if state.data() != before:
            _store(state, path)


def save(state: State, path: Path | None = None) -> None:
    """Write ``state`` as it is (under the lock); raises OSError when it cannot. update() is the safe way."""
    path = path or state_path()
    with _locked(path) as lock_error:
        if lock_error is not None:
            raise lock_error
        _write(state, path)


def record_run(results: dict[str, list[str]], totals: dict[str, int], path: Path | None = None) -> State:
    """Fold one run's outcomes into the saved state and return it (``notices``: what the learner should know).

    ``results``: kata id -> the outcomes of its tests that ran ('passed', 'failed', 'skipped');
    ``totals``: kata id -> how many tests it has. A kata with a failure is not done; one whose every
    test ran and none failed (cuda-only tests may skip) is done; any other kata keeps its saved mark.
    """
    with update(path) as state:
        for kata_id, outcomes in results.items():
            if "failed" in outcomes:
                state.done.discard(kata_id)
            elif "passed" in outcomes and len(outcomes) >= totals.get(kata_id, len(outcomes)):
                state.done.add(kata_id)
    return state


def forget(kata_ids: Iterable[str], path: Path | None = None) -> State:
    """Clear the done marks of these katas (a reset put their stubs back); their hint stages stay shown."""
    with update(path) as state:
        state.done.difference_update(kata_ids)
    return state


# --- the file -------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[OSError | None]:
    """Hold the file's lock; yields None, or why it cannot be taken (a read-only folder): then write nothing."""
    from filelock import FileLock  # here, not at the top: `katas doctor` must run where packages are missing

    lock = FileLock(lock_path(path), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except OSError as exc:  # filelock.Timeout is one too
        yield exc
        return
    try:
        yield None
    finally:
        lock.release()


def _read(path: Path, lock_error: OSError | None) -> State:
    """The state in ``path``; one that is not a state of ours is moved aside, unless the lock is not held."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return State(blocked=lock_error)
    except OSError as exc:
        return _refused("state.cannot_read", path, exc)
    try:
        return dataclasses.replace(_parse(raw), blocked=lock_error)
    except _Unusable as unusable:
        kind = unusable.kind
    try:
        if lock_error is not None:
            raise lock_error  # another katas may be rewriting it right now: leave it alone
        moved = path.with_name(f"{path.name}.{kind}-{files.new_stamp()}")
        os.rename(path, moved)
    except OSError as exc:
        return _refused("state.cannot_move", path, exc)
    return State(notices=[StateWarning(f"state.moved_{kind}", path=path, moved=moved)])


def _refused(key: str, path: Path, exc: OSError) -> State:
    """An empty state that must not be saved (it would replace a file not read), and the line saying so."""
    return State(notices=[StateWarning(key, path=path, error=files.reason(exc))], blocked=exc)


def _parse(raw: bytes) -> State:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, a huge number; nested too deep
        raise _Unusable("damaged") from None
    version = data.get("version") if isinstance(data, dict) else None
    if type(version) is int and version > VERSION:  # type(): True is an int, but no version
        raise _Unusable("newer")
    if type(version) is not int or version != VERSION:
        raise _Unusable("damaged")
    if not isinstance(data.get("done"), list) or not isinstance(data.get("hints"), dict):
        raise _Unusable("damaged")
    done = {kata_id for kata_id in data["done"] if isinstance(kata_id, str)}
    hints = {k: min(max(v, 0), MAX_HINT_STAGE) for k, v in data["hints"].items() if type(v) is int}  # no bool
    return State(done, hints)


def _store(state: State, path: Path) -> None:
    """Save a changed state; where it cannot be, one notice says why (unless one says so already)."""
    problem = state.blocked
    if problem is None:
        try:
            return _write(state, path)
        except OSError as exc:
            problem = exc
    elif state.notices:
        return  # the notice of why it is blocked says already that progress is not saved
    state.notices.append(StateWarning("state.not_saved", path=path, error=files.reason(problem)))


def _write(state: State, path: Path) -> None:
    files.write_atomic(path, (json.dumps(state.data(), indent=1) + "\n").encode("utf-8"))
