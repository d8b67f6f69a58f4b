"""The learner's progress: one small JSON file at the repository root, ignored by git.

Every run against katas/ updates it, the runner's and plain pytest's alike: a kata is *done* when all
of its tests passed in its latest run (a run that selected only some of its tests leaves it as it was).
It also remembers how many hint stages of each kata have been shown. Writes are atomic (a temporary
file renamed over the old one), so an interrupted run never leaves half a file.

$KATAS_STATE names another file (the harness's own tests use one in a temporary folder).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kata_harness.i18n import LocalizedError
from kata_harness.paths import ROOT

ENV_VAR = "KATAS_STATE"
FILE_NAME = ".katas-state.json"
VERSION = 1


class StateError(LocalizedError, ValueError):
    """The state file exists but cannot be read: the message says which file and how to start over."""


def state_path() -> Path:
    return Path(os.environ.get(ENV_VAR) or ROOT / FILE_NAME)


@dataclass
class State:
    done: set[str] = field(default_factory=set)
    hints: dict[str, int] = field(default_factory=dict)  # kata id -> hint stages shown

    def hints_shown(self, kata_id: str) -> int:
        return self.hints.get(kata_id, 0)


def load(path: Path | None = None) -> State:
    """The saved state; an empty one when there is no file yet. A corrupt file raises StateError."""
    path = path or state_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return State()
    except OSError as exc:
        raise StateError("state.cannot_read", path=path, error=exc.strerror) from None
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError("unknown layout")
        done = {str(k) for k in data["done"]}
        hints = {str(k): int(v) for k, v in data["hints"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise StateError("state.damaged", path=path) from None
    return State(done, hints)


def save(state: State, path: Path | None = None) -> None:
    path = path or state_path()
    data = {"version": VERSION, "done": sorted(state.done), "hints": dict(sorted(state.hints.items()))}
    handle, temporary = tempfile.mkstemp(prefix=".katas-state-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=1)
            stream.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def record_run(results: dict[str, list[str]], totals: dict[str, int], path: Path | None = None) -> State:
    """Fold one run's outcomes into the saved state and return it.

    ``results``: kata id -> the outcomes of its tests that ran ('passed', 'failed', 'skipped');
    ``totals``: kata id -> how many tests it has. A kata with a failure is not done; one whose every
    test ran and none failed (cuda-only tests may skip) is done; any other kata keeps its saved mark.
    """
    try:
        state = load(path)
    except StateError:
        state = State()  # a damaged file is rebuilt from this run on
    for kata_id, outcomes in results.items():
        if "failed" in outcomes:
            state.done.discard(kata_id)
        elif "passed" in outcomes and len(outcomes) >= totals.get(kata_id, len(outcomes)):
            state.done.add(kata_id)
    save(state, path)
    return state
