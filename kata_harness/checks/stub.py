"""``python -m kata_harness.checks.stub solutions/<module>.py``: write katas/<module>.py from a solution.

For maintainers adding a kata module. Every public function, and every method of a public class,
keeps its signature and docstring; its body becomes a TODO line, its Chinese twin (``# 待办：``) and
``raise NotImplementedError``.
The TODO text is a placeholder that check-mirror rejects until it is replaced by a one-line
instruction (the rustlings way: say what to do right where it is done). Private helpers (``_name``)
are copied as they are: delete any that give the answer away.

Usage: python -m kata_harness.checks.stub solutions/<module>.py [--force]
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from kata_harness.paths import KATAS_DIR, SOLUTIONS_DIR

PLACEHOLDER = "# TODO: <one-line instruction for the learner>"
PLACEHOLDER_ZH = "# 待办：<the same instruction in Chinese: placeholder>"


def stub_source(source: str, module: str) -> str:
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    targets = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            targets.append((node, node.name))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            targets += [(item, node.name) for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for node, kata in sorted(targets, key=lambda target: -target[0].lineno):
        first = node.body[0]
        has_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
        start = first.end_lineno if has_docstring else first.lineno - 1
        indent = " " * (node.col_offset + 4)
        lines[start : node.end_lineno] = [
            f"{indent}{PLACEHOLDER}\n",
            f"{indent}{PLACEHOLDER_ZH}\n",
            f'{indent}raise NotImplementedError("kata {module}.{kata} is not solved yet")\n',
        ]
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kata_harness.checks.stub", description=__doc__.splitlines()[0])
    parser.add_argument("solution", type=Path, help="solutions/<module>.py")
    parser.add_argument("--force", action="store_true", help="overwrite an existing katas/<module>.py")
    args = parser.parse_args(argv)
    solution = args.solution.resolve()
    if solution.parent != SOLUTIONS_DIR or solution.suffix != ".py" or not solution.is_file():
        print(f"error: {args.solution} is not a module file in {SOLUTIONS_DIR}", file=sys.stderr)
        return 2
    target = KATAS_DIR / solution.name
    if target.exists() and not args.force:
        print(f"error: {target} exists; pass --force to overwrite it", file=sys.stderr)
        return 2
    try:
        text = stub_source(solution.read_text(encoding="utf-8"), solution.stem)
    except SyntaxError as exc:
        print(f"error: {solution}:{exc.lineno}: {exc.msg}", file=sys.stderr)
        return 2
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}: now replace each '{PLACEHOLDER}' and add the katas to katas.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
