"""``python -m kata_harness list|hints ID``: the kata list and the staged hints of one kata."""

from __future__ import annotations

import argparse
import sys

from kata_harness import manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kata_harness", description="Kata list and hints.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="every kata, in order")
    hints = commands.add_parser("hints", help="the staged hints of one kata")
    hints.add_argument("kata", help="a kata id such as tensors.reshape (see 'list')")
    args = parser.parse_args(argv)
    try:
        katas = manifest.load()
    except manifest.ManifestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "list":
        for number, kata in enumerate(katas, start=1):
            print(f"{number:3d}. {kata.file}::{kata.name:<28} {kata.title} ({kata.section})")
        return 0
    by_id = {k.id: k for k in katas}
    kata = by_id.get(args.kata)
    if kata is None:
        close = [k.id for k in katas if args.kata in k.id]
        suggestion = f"; did you mean {', '.join(close[:5])}?" if close else "; run 'python -m kata_harness list'"
        print(f"error: no kata named {args.kata!r}{suggestion}", file=sys.stderr)
        return 2
    print(f"{kata.file}::{kata.name} - {kata.title} ({kata.section})")
    for number, hint in enumerate(kata.hints, start=1):
        print(f"  hint {number}: {hint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
