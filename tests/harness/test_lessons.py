"""The lessons catalog (tests/katas/lessons/): both languages, same fields, every lesson used and every use found."""

from __future__ import annotations

import pytest

from kata_harness import testing
from kata_harness.checks import lessons


def test_the_repository_catalog_is_complete():
    assert lessons.problems() == []


def catalog(tmp_path, toml: str, test_source: str):
    lessons_dir = tmp_path / "lessons"
    lessons_dir.mkdir()
    (lessons_dir / "tensors.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "test_tensors.py").write_text(test_source, encoding="utf-8")
    return lessons.problems(lessons_dir, tmp_path)


GOOD = '[order]\nen = "Keep the {n} elements in order."\nzh = "保持这 {n} 个元素的顺序。"\n'
USES = 'from kata_harness.testing import lesson\n\ndef test_x():\n    assert False, lesson("tensors.order", n=3)\n'


def test_a_complete_catalog_has_no_problem(tmp_path):
    assert catalog(tmp_path, GOOD, USES) == []


@pytest.mark.parametrize(
    "toml, uses, problem",
    [
        ('[order]\nen = "Keep the order."\n', USES, "no zh text"),
        ('[order]\nen = "Keep the {n} elements."\nzh = "保持顺序。"\n', USES, "the {fields} differ"),
        ('[order]\nen = "Keep the order."\nzh = "Keep the order."\n', USES, "the zh text has no Chinese"),
        (GOOD, USES.replace("tensors.order", "tensors.other"), "lesson('tensors.other') is not in lessons/tensors.toml"),
        (GOOD, "def test_x():\n    pass\n", "lesson 'tensors.order' is never used"),
    ],
    ids=["missing-translation", "fields-differ", "untranslated", "unknown-lesson", "unused-lesson"],
)
def test_an_incomplete_catalog_is_named(tmp_path, toml, uses, problem):
    found = catalog(tmp_path, toml, uses)
    assert any(problem in line for line in found), found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_says_frames_a_failure_in_the_learners_language(lang, monkeypatch):
    monkeypatch.setattr(testing, "_LANG", [lang])
    message = testing.says(call="reshape(tensor (6,), (2, 3))", returned="tensor (3, 2)", expected="tensor (2, 3)",
                           lesson="LESSON")  # fmt: skip
    expected = {
        "en": "Called reshape(tensor (6,), (2, 3)). It returned tensor (3, 2), but the tests expected tensor (2, 3). LESSON",
        "zh": "调用了 reshape(tensor (6,), (2, 3))。它返回了 tensor (3, 2)，但测试期望 tensor (2, 3)。LESSON",
    }[lang]
    assert message == expected


def test_a_lesson_a_test_names_but_the_catalog_lacks_is_a_clear_error():
    with pytest.raises(lessons.LessonError, match="no lesson 'tensors.no_such_lesson' in .*tensors.toml"):
        testing.lesson("tensors.no_such_lesson")
