"""The learner's kata files on disk: read as they are, written atomically, never replaced without a copy.

A reset (``katas reset``, the runner's ``r``) and ``katas undo`` go through here, so that both keep the
promise an editor's save and git keep: a write is a temporary file in the same folder, then a rename
(a full disk or a read-only folder leaves the old file exactly as it was), and nothing the learner wrote
is discarded without a way back.

- A file keeps its form: its encoding (UTF-8 unless a PEP 263 coding line names another; a BOM stays)
  and its line endings (the stub's lines take the file's: CRLF stays CRLF). A file that is not text in
  its encoding is refused, never rewritten lossily.
- Before a file is replaced, its bytes are copied to the backup folder - $KATAS_BACKUP_DIR, else
  ``.katas-backup/`` beside the katas folder (the repository root; ignored by git) - as
  ``<module>-<YYYYmmdd-HHMMSS-ffffff>.py``, one timestamp for every file of one reset. ``undo`` puts back
  the latest backup (of one module, or every file of the latest reset), backing up what it replaces in
  turn, so an undo can be undone.

Every failure is a ResetError (a SourceError, as is a kata defined twice): one line that names the file
and what to do; the file is unchanged.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import tempfile
import tokenize
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kata_harness.runner import source
from kata_harness.runner.source import SourceError

ENV_VAR = "KATAS_BACKUP_DIR"
BACKUP_DIR = ".katas-backup"
STAMP = "%Y%m%d-%H%M%S-%f"
BACKUP_NAME = re.compile(r"(?P<module>\w+)-(?P<stamp>\d{8}-\d{6}-\d{6})\.py")
BOM = b"\xef\xbb\xbf"


class ResetError(SourceError):
    """A kata file cannot be reset or restored: the message names the file and what to do."""


class NotText(ValueError):
    """A file whose bytes are not text in its encoding (UTF-8 unless a coding line says otherwise)."""


@dataclass(frozen=True)
class SourceFile:
    raw: bytes
    text: str  # its line endings as in the file
    encoding: str  # a codec name: 'utf-8-sig' for UTF-8 with a BOM


@dataclass(frozen=True)
class Written:
    """What a reset or an undo did to one file."""

    path: Path
    backup: Path | None  # where what it replaced is kept; None: nothing to keep (no file, or no change)
    restored_from: Path | None = None  # undo: the backup put back


def reason(exc: BaseException) -> str:
    """The short reason an error gives: an OSError's strerror ('No space left on device'), else its message."""
    return getattr(exc, "strerror", None) or str(exc)


def new_stamp() -> str:
    """Now, as the backup names and the progress file's moved-aside copies spell it."""
    return datetime.now().strftime(STAMP)


def backup_dir(katas_dir: Path) -> Path:
    return Path(os.environ.get(ENV_VAR) or katas_dir.parent / BACKUP_DIR)


# --- reading and writing ------------------------------------------------------------------------------


def read_source(path: Path) -> SourceFile:
    """A Python file's text in its own encoding; OSError when it cannot be read, NotText when it is not text."""
    raw = path.read_bytes()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        return SourceFile(raw, raw.decode(encoding), encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:  # a bad coding line; bytes not in the encoding
        raise NotText(str(exc)) from None


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` in one step: a temporary file in the same folder, then os.replace.

    On any failure the old file is as it was, the temporary file is gone and the error is raised.
    """
    handle, temporary = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            _write_all(handle, data)
            os.fsync(handle)
        finally:
            os.close(handle)
        if path.exists():
            shutil.copymode(path, temporary)  # mkstemp makes the file private (0600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def _encode(text: str, encoding: str, path: Path) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        raise ResetError("reset.cannot_encode", path=path, encoding=encoding) from None


def _as_shipped(pristine: str, old: bytes | None) -> bytes:
    """A pristine module (UTF-8, no coding line) in the form of the file it replaces: its BOM and line ending."""
    if old is None:
        return pristine.encode("utf-8")
    newline = source.newline_of(old.decode("latin-1"))  # latin-1 decodes any bytes, \r and \n where they are
    return (BOM if old.startswith(BOM) else b"") + source.with_newline(pristine, newline).encode("utf-8")


# --- reset and undo -----------------------------------------------------------------------------------


def reset_kata(katas_dir: Path, module: str, name: str, stamp: str | None = None) -> Written:
    """Put the pristine stub of ``<module>.<name>`` back into ``katas_dir/<module>.py``, the rest as it was."""
    path = katas_dir / f"{module}.py"
    try:
        current = read_source(path)
    except (OSError, NotText) as exc:
        raise ResetError("reset.cannot_read", path=path, error=reason(exc), module=module) from None
    try:
        text = source.restore(current.text, source.pristine_modules()[module], name, str(path))
    except SourceError as exc:
        if exc.key != "source.syntax_error":
            raise  # a kata defined twice: its own message says what to do
        raise ResetError("reset.fix_or_reset", error=exc, module=module) from None
    return _replace(path, module, current.raw, _encode(text, current.encoding, path), stamp)


def reset_module(katas_dir: Path, module: str, stamp: str | None = None) -> Written:
    """Write ``katas_dir/<module>.py`` as shipped: every stub, nothing of the learner's (that is in the backup)."""
    path = katas_dir / f"{module}.py"
    old = _old_bytes(path)
    return _replace(path, module, old, _as_shipped(source.pristine_modules()[module], old), stamp)


def undo(katas_dir: Path, module: str | None = None) -> list[Written]:
    """Put back the latest backup of ``module``, or of every file the latest reset (or undo) replaced."""
    folder = backup_dir(katas_dir)
    backups = _backups(folder, module)
    if not backups:
        key = "reset.no_module_backup" if module else "reset.nothing_to_undo"
        raise ResetError(key, folder=folder, module=module)
    latest = max(backups)
    stamp = new_stamp()
    return [_restore(katas_dir / f"{name}.py", name, backup, stamp) for name, backup in sorted(backups[latest].items())]


def _backups(folder: Path, module: str | None) -> dict[str, dict[str, Path]]:
    """stamp -> module -> backup file, of one module or all."""
    found: dict[str, dict[str, Path]] = {}
    for path in folder.glob("*.py") if folder.is_dir() else ():
        match = BACKUP_NAME.fullmatch(path.name)
        if match and module in (None, match["module"]):
            found.setdefault(match["stamp"], {})[match["module"]] = path
    return found


def _restore(path: Path, module: str, backup: Path, stamp: str) -> Written:
    try:
        data = backup.read_bytes()
    except OSError as exc:
        raise ResetError("reset.cannot_read_backup", path=backup, error=reason(exc)) from None
    return dataclasses.replace(_replace(path, module, _old_bytes(path), data, stamp), restored_from=backup)


def _old_bytes(path: Path) -> bytes | None:
    """What a write is about to replace (None: no file); a file that cannot be read cannot be kept: refused."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ResetError("reset.no_backup", path=path, folder=backup_dir(path.parent), error=reason(exc)) from None


def _replace(path: Path, module: str, old: bytes | None, new: bytes, stamp: str | None) -> Written:
    """Write ``new`` over ``path`` after keeping ``old`` in the backup folder; nothing when they are the same."""
    if old == new:
        return Written(path, None)
    backup = None if old is None else _keep(path, module, old, stamp or new_stamp())
    try:
        write_atomic(path, new)
    except OSError as exc:
        raise ResetError("reset.not_written", path=path, error=reason(exc)) from None
    return Written(path, backup)


def _keep(path: Path, module: str, data: bytes, stamp: str) -> Path:
    folder = backup_dir(path.parent)
    backup = folder / f"{module}-{stamp}.py"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(backup, data)
    except OSError as exc:
        raise ResetError("reset.no_backup", path=path, folder=folder, error=reason(exc)) from None
    return backup
