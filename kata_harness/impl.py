"""Choose the implementation the kata tests run against.

Tests import the implementation under one fixed package name, ``kata_impl`` (the package in the
repository root); this module decides which directory that name points at. Nothing is copied: the
package's ``__path__`` is the chosen directory, read from $KATAS_IMPL whenever the package is imported.
An optional *overlay* file replaces one module of it: ``mutants/<module>/<bug>.py`` (or
``alternatives/<module>/<variant>.py``) stands in for ``kata_impl.<module>``; that is how the
deliberately wrong versions and the correct alternatives are run.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

from kata_harness.paths import KATAS_DIR, ROOT, SOLUTIONS_DIR

PACKAGE = "kata_impl"
ENV_VAR = "KATAS_IMPL"
ENV_OVERLAY = "KATAS_IMPL_OVERLAY"
STUB_FAILURE = "kata-stub"  # how the plugin labels a failure raised by a kata's own NotImplementedError
_STUB_MESSAGE = re.compile(r"kata [\w.]+ is not solved yet")  # what every stub raises (kata_harness.checks.stub)


def is_stub_error(exc: BaseException) -> bool:
    """A kata's own "not solved yet" - not torch's NotImplementedError ("... not implemented for 'Float'")."""
    return isinstance(exc, NotImplementedError) and bool(_STUB_MESSAGE.fullmatch(str(exc).strip()))
NAMED = {"katas": KATAS_DIR, "solutions": SOLUTIONS_DIR}


class ImplError(ValueError):
    """The requested implementation does not exist or is not laid out like solutions/."""


def resolve(choice: str | os.PathLike[str] | None, start: Path | None = None) -> Path:
    """Turn 'katas', 'solutions' or a directory path into the directory to import from.

    A relative path is taken from ``start`` (pytest passes the directory it was started from: the
    plugin moves the working directory elsewhere), else from the working directory."""
    if choice is None or str(choice) == "":
        return KATAS_DIR
    text = str(choice)
    if text in NAMED:
        return NAMED[text]
    path = _absolute(text, start).resolve()
    allowed = "'katas', 'solutions', or the path of a directory laid out like solutions/"
    if not path.exists():
        raise ImplError(f"unknown implementation {text!r}: it is neither a name nor an existing path; use {allowed}")
    if not path.is_dir():
        raise ImplError(f"implementation {text!r} is a file; use {allowed}")
    if not (path / "__init__.py").is_file():
        raise ImplError(f"implementation {text!r} has no __init__.py, so it is not a package like solutions/; use {allowed}")
    if not any(p.suffix == ".py" and p.name != "__init__.py" for p in path.iterdir()):
        raise ImplError(f"implementation {text!r} holds no kata modules; use {allowed}")
    return path


def resolve_overlay(choice: str | os.PathLike[str] | None, start: Path | None = None) -> Path | None:
    """An overlay is one .py file; it replaces the module named by its parent directory (``start``: as in resolve)."""
    if choice is None or str(choice) == "":
        return None
    path = _absolute(choice, start)
    if not path.is_file() or path.suffix != ".py":
        raise ImplError(f"overlay {str(choice)!r} is not a .py file (expected mutants/<module>/<bug>.py)")
    return path.resolve()


def _absolute(choice: str | os.PathLike[str], start: Path | None) -> Path:
    path = Path(choice).expanduser()
    return path if path.is_absolute() else (start or Path.cwd()) / path


def activate(base: Path, overlay: Path | None = None) -> None:
    """Make ``import kata_impl.<module>`` load from ``base``, with ``overlay`` standing in for its module.

    The choice is published in the environment, which is where the ``kata_impl`` package reads it: a
    fresh interpreter started from here (a spawned DataLoader worker, a test's subprocess) sees it too.
    """
    os.environ[ENV_VAR] = str(base)
    if overlay is not None:
        os.environ[ENV_OVERLAY] = str(overlay)
    else:
        os.environ.pop(ENV_OVERLAY, None)
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # where the kata_impl package lives, and what an overlay imports from
    importlib.import_module(PACKAGE)


def bootstrap(package_name: str) -> None:
    """Run by ``kata_impl/__init__.py``: point the package at the chosen directory, load the overlay."""
    package = sys.modules[package_name]
    base = resolve(os.environ.get(ENV_VAR))
    overlay = resolve_overlay(os.environ.get(ENV_OVERLAY))
    package.__path__ = [str(base)]
    if package.__spec__ is not None:
        package.__spec__.submodule_search_locations = [str(base)]
    package.BASE = base
    if overlay is not None:
        name = f"{package_name}.{overlay.parent.name}"
        spec = importlib.util.spec_from_file_location(name, overlay)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        setattr(package, overlay.parent.name, module)


def activate_from_env() -> Path:
    """For a fresh interpreter (a test's subprocess): activate what the parent chose."""
    base = resolve(os.environ.get(ENV_VAR))
    activate(base, resolve_overlay(os.environ.get(ENV_OVERLAY)))
    return base


def active_base() -> Path | None:
    module = sys.modules.get(PACKAGE)
    return getattr(module, "BASE", None)
