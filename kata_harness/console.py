"""The console the harness prints to: a character it cannot show never crashes a command, nor does a closed pipe.

``setup_streams()`` first thing in a command; ``pipe_closed()`` where it catches BrokenPipeError.
"""

from __future__ import annotations

import os
import sys

SIGPIPE_STATUS = 141  # 128 + SIGPIPE: what a shell reports for a command whose reader went away


def setup_streams() -> None:
    """Keep stdout's and stderr's encoding but replace what it cannot encode instead of raising.

    A Chinese message on a GBK (cp936) console still shows as Chinese; on cp1252 it becomes '?', where
    Python would raise UnicodeEncodeError in the middle of the output (PYTHONIOENCODING=cp1252, a Windows
    console, a pipe with LANG=C on an old Python).
    """
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a TextIOWrapper; None under pythonw, a replacement in some hosts
            stream.reconfigure(errors="replace")


def pipe_closed() -> int:
    """The reader of stdout went away (``katas list | head -1``): end quietly, with status 141.

    stdout is pointed at devnull first, so that Python's own flush at exit cannot fail a second time
    (the recipe of the Python docs, signal module, "Note on SIGPIPE").
    """
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # no real file behind it (a test's captured stream)
        return SIGPIPE_STATUS
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)
    return SIGPIPE_STATUS
