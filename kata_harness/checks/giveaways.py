"""Hints, TODO lines and docstrings teach; they never hand over the answer.

A *key line* of a solution is a statement of a kata's reference code (or the expression it computes)
that calls something with arguments: ``return torch.reshape(x, shape)``, ``torch.reshape(x, shape)``.
No hint in katas.toml (English or Chinese), no ``# TODO:`` / ``# 待办：`` line of katas/ and no docstring of a
kata (the function's or the class's, its methods' included; both languages) may contain one verbatim (whitespace
ignored). A docstring states the contract - inputs, outputs, the rules a test checks, the errors; the recipe lives
in the staged hints.
Naming the API (``torch.reshape``) is fine; writing out the call with its arguments is not.
check-mirror runs this.
"""

from __future__ import annotations

import ast
from pathlib import Path

from kata_harness import manifest

MIN_LENGTH = 10  # shorter snippets (``len(x)``) are vocabulary, not answers


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _calls_with_arguments(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and (n.args or n.keywords) for n in ast.walk(node))


def key_lines(definition: ast.AST) -> set[str]:
    """The squeezed code of every simple statement (and its value) in a reference function or class."""
    found = set()
    for node in ast.walk(definition):
        if not isinstance(node, ast.stmt) or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        if hasattr(node, "body"):
            continue  # for, with, if...: their own statements are visited
        pieces = [node] + ([node.value] if isinstance(getattr(node, "value", None), ast.AST) else [])
        for piece in pieces:
            if _calls_with_arguments(piece):
                code = _squeeze(ast.unparse(piece))
                if len(code) >= MIN_LENGTH:
                    found.add(code)
    return found


def todo_lines(source: str, definition: ast.AST) -> list[str]:
    lines = source.splitlines()[definition.lineno - 1 : definition.end_lineno]
    return [line.strip() for line in lines if "# TODO:" in line or "# 待办：" in line]


def docstrings(definition: ast.AST) -> list[str]:
    """The docstring of a kata's function or class, and of each method of the class."""
    nodes = [definition] + [
        node for node in getattr(definition, "body", []) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    return [text for node in nodes if (text := ast.get_docstring(node))]


def problems(katas: list[manifest.Kata], katas_dir: Path, solutions_dir: Path) -> list[str]:
    found = []
    trees: dict[Path, tuple[str, dict[str, ast.AST]]] = {}

    def definitions(path: Path) -> tuple[str, dict[str, ast.AST]]:
        if path not in trees:
            text = path.read_text(encoding="utf-8")
            tree = ast.parse(text)
            trees[path] = (text, {n.name: n for n in tree.body if hasattr(n, "name")})
        return trees[path]

    for kata in katas:
        try:
            _, references = definitions(solutions_dir / f"{kata.module}.py")
            stub_text, stubs = definitions(katas_dir / f"{kata.module}.py")
        except (OSError, SyntaxError):
            continue  # check-mirror reports missing files and syntax errors itself
        if kata.name not in references:
            continue
        keys = key_lines(references[kata.name])
        texts = [(f"hint {number}", hint) for number, hint in enumerate(kata.hints, start=1)]
        texts += [(f"Chinese hint {number}", hint) for number, hint in enumerate(kata.hints_zh, start=1)]
        if kata.name in stubs:
            texts += [("its TODO", line) for line in todo_lines(stub_text, stubs[kata.name])]
            texts += [("its docstring", text) for text in docstrings(stubs[kata.name])]
        for label, text in texts:
            squeezed = _squeeze(text)
            for key in sorted(keys):
                if key in squeezed:
                    found.append(f"{kata.id}: {label} gives away the answer: it contains the solution's {key!r}")
                    break
    return found
