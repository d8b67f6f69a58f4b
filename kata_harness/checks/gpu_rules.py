"""Rules only a GPU can check are stated, never silently skipped.

A kata test marked ``@pytest.mark.cuda`` (or with a ``pytest.param(..., marks=pytest.mark.cuda)`` case, or
parametrized with ``cpu_and_cuda()``) is skipped on
a machine without a usable GPU, and a learner there would read "all tests pass" without a word about what went
unchecked. So every kata with such a test:
- says it in its docstring: the English part has a paragraph starting with GPU_ONLY, the Chinese part one starting
  with GPU_ONLY_ZH;
- has ``unchecked_without_gpu`` and ``unchecked_without_gpu_zh`` in katas.toml: the sentence the runner's screen and
  pytest's progress report show when those tests were skipped.
A kata without a cuda test has neither. Found from the ast of tests/katas/ (nothing is imported). check-mirror runs this.
"""

from __future__ import annotations

import ast
from pathlib import Path

from kata_harness import manifest

GPU_ONLY = "Checked only where a GPU is usable:"
GPU_ONLY_ZH = "只在有可用 GPU 的机器上检查："


def _is_cuda_mark(node: ast.AST) -> bool:
    """``pytest.mark.cuda``, or kata_harness.testing's ``cpu_and_cuda()`` (whose "cuda" case carries it)."""
    if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] == "cpu_and_cuda":
        return True
    return isinstance(node, ast.Attribute) and node.attr == "cuda" and ast.unparse(node).endswith("mark.cuda")


def _kata_of(decorator: ast.AST) -> str | None:
    if isinstance(decorator, ast.Call) and ast.unparse(decorator.func).endswith("mark.kata") and decorator.args:
        first = decorator.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def katas_with_cuda_tests(tests_dir: Path) -> set[str]:
    """The kata ids that have at least one cuda-marked test (or cuda-marked parametrized case)."""
    found = set()
    for path in sorted(tests_dir.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            kata = next((k for k in map(_kata_of, node.decorator_list) if k), None)
            if kata and any(_is_cuda_mark(part) for d in node.decorator_list for part in ast.walk(d)):
                found.add(kata)
    return found


def problems(katas: list[manifest.Kata], docstrings: dict[str, str], tests_dir: Path) -> list[str]:
    """``docstrings``: kata id -> its docstring (both languages)."""
    found = []
    cuda = katas_with_cuda_tests(tests_dir)
    for kata in katas:
        declared = bool(kata.unchecked_without_gpu or kata.unchecked_without_gpu_zh)
        if kata.id not in cuda:
            if declared:
                found.append(f"{kata.id}: katas.toml has unchecked_without_gpu, but no test of the kata is cuda-marked")
            continue
        if not (kata.unchecked_without_gpu and kata.unchecked_without_gpu_zh):
            found.append(
                f"{kata.id}: it has cuda-marked tests; katas.toml needs unchecked_without_gpu and unchecked_without_gpu_zh "
                "(what a machine without a GPU does not check)"
            )
        text = docstrings.get(kata.id, "")
        for marker in (GPU_ONLY, GPU_ONLY_ZH):
            if marker not in text:
                found.append(f"{kata.id}: it has cuda-marked tests; its docstring needs a paragraph starting {marker!r}")
    return found
