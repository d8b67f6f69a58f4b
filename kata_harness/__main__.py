"""``python -m kata_harness``: the same as the ``katas`` command (kata_harness.runner.cli)."""

import sys

from kata_harness.runner.cli import main

sys.exit(main())
