"""``make check-mirror``: katas/ and solutions/ describe the same katas, and katas.toml lists them all.

Checked without importing anything (the ast of each file), so it is instant:
- the same modules on both sides; in each, the same public functions and classes, with identical
  signatures and docstrings (methods of public classes included);
- every kata function has a docstring, a ``# TODO:`` line and raises NotImplementedError (for a
  class: a docstring, and each stubbed method a ``# TODO:``);
- the Chinese edition: every module and kata docstring has a section after a line ``【中文】``, every
  ``# TODO:`` is followed by its ``# 待办：`` line, and every katas.toml entry has title_zh and as many
  hints_zh stages as hints;
- every katas.toml entry names a public function or class of katas/, and every one of those is listed;
- a kata with cuda-marked tests states what only a GPU checks, in its docstring and katas.toml
  (kata_harness.checks.gpu_rules);
- every lesson of tests/katas/lessons/ is in both languages, and every lesson a test names exists
  (kata_harness.checks.lessons);
- every comment line of a reference (the runner's "why" on a green screen) has its Chinese edition;
- no hint, TODO line or kata docstring gives away a solution's key line (kata_harness.checks.giveaways);
- kata_harness/runner/pristine.json, from which ``katas reset`` restores stubs, is katas/ as it is.

Usage: python -m kata_harness.checks.mirror [--katas DIR] [--solutions DIR] [--manifest FILE]
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from kata_harness import manifest
from kata_harness.checks import giveaways, gpu_rules, lessons
from kata_harness.paths import KATA_TESTS_DIR, KATAS_DIR, MANIFEST, SOLUTIONS_DIR
from kata_harness.checks.report import verdict
from kata_harness.checks.stub import PLACEHOLDER, PLACEHOLDER_ZH

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def public_definitions(tree: ast.Module) -> dict[str, Definition]:
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_")
    }


def methods(node: ast.ClassDef) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {
        item.name: item
        for item in node.body
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (not item.name.startswith("_") or (item.name.startswith("__") and item.name.endswith("__")))
    }


def signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    return f"({ast.unparse(node.args)}){returns}"


def raises_not_implemented(node: ast.AST) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.Raise) and child.exc is not None:
            target = child.exc.func if isinstance(child.exc, ast.Call) else child.exc
            if isinstance(target, ast.Name) and target.id == "NotImplementedError":
                return True
    return False


def has_todo(lines: list[str], node: ast.AST) -> bool:
    return any("# TODO:" in line and PLACEHOLDER not in line for line in lines[node.lineno - 1 : node.end_lineno])


ZH_MARKER = "【中文】"


def chinese_problems(where: str, node, lines: list[str]) -> list[str]:
    """The Chinese edition: a docstring section after ZH_MARKER, and a ``# 待办：`` line after every ``# TODO:``."""
    found = []
    docstring = ast.get_docstring(node) or ""
    if docstring and ZH_MARKER not in docstring:
        found.append(f"{where}: the docstring has no Chinese section (a line {ZH_MARKER} followed by the Chinese text)")
    body = lines[node.lineno - 1 : node.end_lineno]
    for index, line in enumerate(body):
        if PLACEHOLDER_ZH in line:
            found.append(f"{where}: the '# 待办：' line at line {node.lineno + index} is still the placeholder")
        if "# TODO:" in line and (index + 1 >= len(body) or "# 待办：" not in body[index + 1]):
            found.append(f"{where}: the TODO at line {node.lineno + index} has no '# 待办：' line after it")
    return found


def compare_function(where: str, kata, solution, problems: list[str]) -> None:
    if signature(kata) != signature(solution):
        problems.append(f"{where}: signature differs: katas {signature(kata)} vs solutions {signature(solution)}")
    if ast.get_docstring(kata) != ast.get_docstring(solution):
        problems.append(f"{where}: docstrings differ between katas/ and solutions/")


def check_stub(where: str, node, lines: list[str], problems: list[str]) -> None:
    problems.extend(chinese_problems(where, node, lines))
    if not ast.get_docstring(node):
        problems.append(f"{where}: the kata has no docstring")
    if not has_todo(lines, node):
        problems.append(f"{where}: the kata has no '# TODO:' line (or still the placeholder of kata_harness.checks.stub)")
    if not raises_not_implemented(node):
        problems.append(f"{where}: the kata does not raise NotImplementedError")


def check_module(name: str, katas_dir: Path, solutions_dir: Path, problems: list[str]) -> dict[str, Definition]:
    kata_source = (katas_dir / name).read_text(encoding="utf-8")
    solution_source = (solutions_dir / name).read_text(encoding="utf-8")
    try:
        kata_tree = ast.parse(kata_source, filename=str(katas_dir / name))
        solution_tree = ast.parse(solution_source, filename=str(solutions_dir / name))
    except SyntaxError as exc:
        problems.append(f"{exc.filename}:{exc.lineno}: syntax error: {exc.msg}")
        return {}
    lines = kata_source.splitlines()
    katas, solutions = public_definitions(kata_tree), public_definitions(solution_tree)
    if ast.get_docstring(kata_tree) != ast.get_docstring(solution_tree):
        problems.append(f"{name}: module docstrings differ between katas/ and solutions/")
    if name != "__init__.py" and ZH_MARKER not in (ast.get_docstring(kata_tree) or ""):
        problems.append(f"{name}: the module docstring has no Chinese section ({ZH_MARKER})")
    for missing in sorted(set(solutions) - set(katas)):
        problems.append(f"{name}: {missing} is in solutions/ but not in katas/")
    for extra in sorted(set(katas) - set(solutions)):
        problems.append(f"{name}: {extra} is in katas/ but not in solutions/")
    for public in sorted(set(katas) & set(solutions)):
        kata, solution = katas[public], solutions[public]
        where = f"katas/{name}::{public}"
        if type(kata) is not type(solution):
            problems.append(f"{where}: a {type(kata).__name__} in katas/ but a {type(solution).__name__} in solutions/")
            continue
        if isinstance(kata, ast.ClassDef):
            if [ast.unparse(b) for b in kata.bases] != [ast.unparse(b) for b in solution.bases]:
                problems.append(f"{where}: base classes differ")
            if ast.get_docstring(kata) != ast.get_docstring(solution):
                problems.append(f"{where}: docstrings differ between katas/ and solutions/")
            if not ast.get_docstring(kata):
                problems.append(f"{where}: the kata class has no docstring")
            problems.extend(chinese_problems(where, kata, lines))
            kata_methods, solution_methods = methods(kata), methods(solution)
            if set(kata_methods) != set(solution_methods):
                problems.append(
                    f"{where}: methods differ: katas {sorted(kata_methods)} vs solutions {sorted(solution_methods)}"
                )
            stubbed = False
            for method in sorted(set(kata_methods) & set(solution_methods)):
                compare_function(f"{where}.{method}", kata_methods[method], solution_methods[method], problems)
                if raises_not_implemented(kata_methods[method]):
                    stubbed = True
                    if not has_todo(lines, kata_methods[method]):
                        problems.append(f"{where}.{method}: the stubbed method has no '# TODO:' line")
            if not stubbed:
                problems.append(f"{where}: no method of the kata class raises NotImplementedError")
        else:
            compare_function(where, kata, solution, problems)
            check_stub(where, kata, lines, problems)
    return katas


def check(katas_dir: Path, solutions_dir: Path, manifest_path: Path) -> list[str]:
    problems: list[str] = []
    kata_files = {p.name for p in katas_dir.glob("*.py")}
    solution_files = {p.name for p in solutions_dir.glob("*.py")}
    for missing in sorted(solution_files - kata_files):
        problems.append(f"{missing}: in solutions/ but not in katas/")
    for extra in sorted(kata_files - solution_files):
        problems.append(f"{extra}: in katas/ but not in solutions/")
    public: dict[str, set[str]] = {}
    docstrings: dict[str, str] = {}  # kata id -> its docstring
    for name in sorted(kata_files & solution_files):
        definitions = check_module(name, katas_dir, solutions_dir, problems)
        if name != "__init__.py":
            public[name[:-3]] = set(definitions)
            docstrings.update({f"{name[:-3]}.{d}": ast.get_docstring(node) or "" for d, node in definitions.items()})
    try:
        entries = manifest.load(manifest_path)
    except manifest.ManifestError as exc:
        return problems + [str(exc)]
    listed = set()
    for kata in entries:
        listed.add(kata.id)
        if not kata.title_zh:
            problems.append(f"{manifest_path.name}: {kata.id} has no title_zh (the Chinese edition)")
        if len(kata.hints_zh) != len(kata.hints):
            problems.append(
                f"{manifest_path.name}: {kata.id} has {len(kata.hints_zh)} Chinese hint stage(s) (hints_zh) for "
                f"{len(kata.hints)} English ones"
            )
        if kata.name not in public.get(kata.module, set()):
            problems.append(f"{manifest_path.name}: {kata.id} is not a public function or class of {kata.file}")
    for module, names in sorted(public.items()):
        for name in sorted(names):
            if f"{module}.{name}" not in listed:
                problems.append(f"katas/{module}.py::{name} is not listed in {manifest_path.name}")
    problems += giveaways.problems(entries, katas_dir, solutions_dir)
    problems += gpu_rules.problems(entries, docstrings, KATA_TESTS_DIR)
    problems += why_problems(entries, solutions_dir)
    problems += lessons.problems()
    if katas_dir.resolve() == KATAS_DIR:
        problems += pristine_problems()
    return problems


def why_problems(katas: list[manifest.Kata], solutions_dir: Path) -> list[str]:
    """The reference's *why* comments, shown on the runner's green screen, exist in both languages, line for line."""
    from kata_harness.runner import source

    found = []
    for kata in katas:
        try:
            text = (solutions_dir / f"{kata.module}.py").read_text(encoding="utf-8")
            english, chinese = (source.why_comments(text, kata.name, lang) for lang in ("en", "zh"))
        except (OSError, source.SourceError):
            continue  # reported above: a missing module or definition
        if len(english) != len(chinese):
            found.append(
                f"solutions/{kata.module}.py::{kata.name}: {len(english)} English comment line(s), {len(chinese)} "
                "Chinese: follow each English comment line with its Chinese edition"
            )
    return found


def pristine_problems() -> list[str]:
    """The runner restores stubs from kata_harness/runner/pristine.json: it must be katas/ as shipped."""
    from kata_harness.runner import source

    try:
        pristine = source.pristine_modules()
    except (OSError, ValueError):
        pristine = {}
    current = source.current_modules()
    stale = sorted(m for m in set(pristine) | set(current) if pristine.get(m) != current.get(m))
    if not stale:
        return []
    return [f"kata_harness/runner/pristine.json differs from katas/ ({', '.join(stale)}): "
            "python -m kata_harness.runner.source --refresh"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kata_harness.checks.mirror", description=__doc__.splitlines()[0])
    parser.add_argument("--katas", type=Path, default=KATAS_DIR)
    parser.add_argument("--solutions", type=Path, default=SOLUTIONS_DIR)
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    args = parser.parse_args(argv)
    for label, path in (("--katas", args.katas), ("--solutions", args.solutions)):
        if not path.is_dir():
            print(f"error: {label} {path} is not a directory", file=sys.stderr)
            return 2
    if not args.manifest.is_file():
        print(f"error: --manifest {args.manifest} is not a file", file=sys.stderr)
        return 2
    problems = check(args.katas, args.solutions, args.manifest)
    ok = f"{args.katas.name}/ and {args.solutions.name}/ mirror each other; {args.manifest.name} is complete"
    return verdict("check-mirror", problems, ok)

if __name__ == "__main__":
    sys.exit(main())
