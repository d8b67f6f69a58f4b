"""The lessons of the kata tests' failures: a catalog, English and Chinese side by side, complete.

A lesson is the sentence a failure teaches ("Elements keep their row-major order: ..."). It is data, not test
logic: tests/katas/lessons/<module>.toml holds the lessons of tests/katas/test_<module>.py, one table each, keyed by
a stable name::

    [row_major_order]
    en = "Elements keep their row-major order; only the shape changes."
    zh = "元素保持行优先的顺序，改变的只有形状。"

A test says ``lesson("tensors.row_major_order")`` (kata_harness.testing), which gives the text in the learner's
language, its {fields} filled in. check-mirror runs ``problems()``: every lesson has both languages with the same
{fields}, its Chinese is Chinese, every ``lesson("...")`` a test names exists, and every lesson is used.
"""

from __future__ import annotations

import ast
import functools
import re
import string
import tomllib
from pathlib import Path

from kata_harness.paths import KATA_TESTS_DIR

LESSONS_DIR = KATA_TESTS_DIR / "lessons"
LANGS = ("en", "zh")
CHINESE = re.compile("[\u4e00-\u9fff]")


class LessonError(KeyError):
    """A test named a lesson the catalog lacks (check-mirror reports it before any learner could)."""

    def __str__(self) -> str:
        return str(self.args[0])


@functools.cache
def load(directory: Path = LESSONS_DIR) -> dict[str, dict[str, str]]:
    """'<module>.<name>' -> {'en': ..., 'zh': ...} for every lessons file."""
    catalog: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            tables = tomllib.load(handle)
        for name, entry in tables.items():
            catalog[f"{path.stem}.{name}"] = entry if isinstance(entry, dict) else {}
    return catalog


def text(lesson_id: str, lang: str = "en", **fields) -> str:
    entry = load().get(lesson_id)
    if entry is None:
        raise LessonError(f"no lesson {lesson_id!r} in {LESSONS_DIR}/{lesson_id.split('.', 1)[0]}.toml")
    words = entry.get(lang) or entry["en"]
    return words.format(**fields) if fields else words


def _fields(words: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(words) if name}


def used(tests_dir: Path = KATA_TESTS_DIR) -> dict[str, list[str]]:
    """Lesson id -> where tests name it ('test_tensors.py:88'), from every ``lesson("...")`` call with a literal id."""
    found: dict[str, list[str]] = {}
    for path in sorted(tests_dir.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func).split(".")[-1] == "lesson"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, []).append(f"{path.name}:{node.lineno}")
    return found


def problems(directory: Path = LESSONS_DIR, tests_dir: Path = KATA_TESTS_DIR) -> list[str]:
    found = []
    try:
        catalog = load.__wrapped__(directory)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return [f"lessons: {exc}"]
    for lesson_id, entry in catalog.items():
        where = f"{directory.name}/{lesson_id.split('.', 1)[0]}.toml [{lesson_id.split('.', 1)[1]}]"
        missing = [lang for lang in LANGS if not isinstance(entry.get(lang), str) or not entry[lang].strip()]
        if missing:
            found.append(f"{where}: no {' or '.join(missing)} text (every lesson is in both languages)")
            continue
        if set(entry) - set(LANGS):
            found.append(f"{where}: unknown keys {sorted(set(entry) - set(LANGS))} (en and zh only)")
        if _fields(entry["en"]) != _fields(entry["zh"]):
            found.append(f"{where}: the {{fields}} differ: en {sorted(_fields(entry['en']))}, zh {sorted(_fields(entry['zh']))}")
        if not CHINESE.search(entry["zh"]):
            found.append(f"{where}: the zh text has no Chinese")
    references = used(tests_dir)
    for lesson_id, places in sorted(references.items()):
        if lesson_id not in catalog:
            found.append(f"{places[0]}: lesson({lesson_id!r}) is not in {directory.name}/{lesson_id.split('.', 1)[0]}.toml")
    for lesson_id in sorted(set(catalog) - set(references)):
        found.append(f"{directory.name}: lesson {lesson_id!r} is never used by a test (remove it)")
    return found
