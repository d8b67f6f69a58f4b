"""What the runner's screen says about a run: the same account of a failure as pytest's report, without repeats.

No terminal needed (these run on every OS): the screen's lines are built from a Result, and one test runs a kata's
tests in this interpreter the way the runner's child does (kata_harness.runner.engine.run_tests).
"""

from __future__ import annotations

import pytest

from kata_harness import manifest
from kata_harness.runner import engine, screen
from kata_harness.runner.engine import Result
from kata_harness.runner.engine import TestOutcome as Outcome

KATAS = {kata.id: kata for kata in manifest.load()}
RESHAPE = KATAS["tensors.reshape"]

RAISED_IN_LEARNER_CODE = """\
Called reshape via `result = tensors.reshape(x, shape)` (tests/katas/test_tensors.py:101; x: tensor (12,) int64 on cpu).
It raised RuntimeError at katas/tensors.py:121 in reshape: only one dimension can be inferred
tests/katas/test_tensors.py:101: in test_reshape_infers_minus_one_dimension
    result = tensors.reshape(x, shape)
katas/tensors.py:121: in reshape
    return x.view(shape[0], -1, 7)
E   RuntimeError: only one dimension can be inferred"""

ASSERTION = """\
tests/katas/test_tensors.py:90: in test_reshape_keeps_order
    assert torch.equal(result, expected), message
E   AssertionError: Called reshape(tensor (6,), (2, 3)). It returned tensor (3, 2)
E     but the tests expected tensor (2, 3)."""


def test_an_exception_in_the_learners_code_keeps_the_called_and_raised_account():
    message = engine.short_message(RAISED_IN_LEARNER_CODE)
    assert message.splitlines() == RAISED_IN_LEARNER_CODE.splitlines()[:2], message


def test_a_failed_assertion_keeps_where_and_the_message():
    assert engine.short_message(ASSERTION).splitlines() == [
        "tests/katas/test_tensors.py:90: in test_reshape_keeps_order",
        "AssertionError: Called reshape(tensor (6,), (2, 3)). It returned tensor (3, 2)",
        "  but the tests expected tensor (2, 3).",
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_message_and_an_explanation_are_shown_once_per_screen(lang):
    long = "\n".join(f"Weights only load failed, line {n}" for n in range(4))
    explanation = "torch.load refuses pickled objects by default.\nThe kata that teaches it: checkpoint.load"
    tests = [Outcome(f"test_{n}", "failed", long, explanation=explanation) for n in range(3)]
    lines = screen.result_lines(RESHAPE, Result(RESHAPE.id, tests, seconds=0.1), None, lang)
    text = "\n".join(lines)
    assert text.count("Weights only load failed, line 3") == 1, text
    assert text.count("torch.load refuses pickled objects") == 1, text
    same = {"en": "(the same message as a test above)", "zh": "（与上面某个测试的信息相同）"}[lang]
    assert text.count(same) == 2, text
    short = [Outcome(f"test_{n}", "failed", "assert 1 == 2") for n in range(2)]
    text = "\n".join(screen.result_lines(RESHAPE, Result(RESHAPE.id, short, seconds=0.1), None, lang))
    assert text.count("assert 1 == 2") == 2, "a one-line message is cheaper to repeat than to refer to"


def test_the_runner_shows_what_pytest_shows_for_an_error_in_the_learners_code(katas_copy):
    path = katas_copy / "tensors.py"
    text = path.read_text(encoding="utf-8")
    stub = 'raise NotImplementedError("kata tensors.reshape is not solved yet")'
    assert stub in text, "fixture drift: the reshape stub changed"
    path.write_text(text.replace(stub, "return x.view(shape[0], -1, 7)"), encoding="utf-8")
    result = engine.run_tests(RESHAPE.id, katas_copy)
    failed = [Outcome(**test) for test in result["tests"] if test["outcome"] == "failed"]
    assert failed, result
    shown = "\n".join(screen.result_lines(RESHAPE, Result(RESHAPE.id, failed, seconds=0.1), None, "en"))
    assert "Called reshape via `" in shown and "It raised RuntimeError at " in shown, shown
    assert shown.count("-- what this error usually means --") == 1, shown


def test_the_green_screens_why_lines_follow_the_language():
    from kata_harness.runner import source

    reference = (
        "def pick():\n"
        "    # Ask at call time: the answer depends on the machine.\n"
        "    # 在调用时询问：答案取决于所在的机器。\n"
        "    return 1\n"
    )
    assert source.why_comments(reference, "pick", "en") == ["Ask at call time: the answer depends on the machine."]
    assert source.why_comments(reference, "pick", "zh") == ["在调用时询问：答案取决于所在的机器。"]
