"""The pieces behind failures that teach (issue 10): the shape trace, the learner-side exception report, and the
rule that every kata test uses the explaining helpers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kata_harness.paths import KATA_TESTS_DIR
from tests.harness.helpers import output

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from kata_harness.testing import shapes  # noqa: E402


class Net(nn.Module):
    """The note's network with knobs for the classic mistakes."""

    def __init__(self, pools: int = 3, fc_in: int = 1024, regroup: bool = False) -> None:
        super().__init__()
        self.pools, self.regroup = pools, regroup
        self.conv1, self.conv2 = nn.Conv2d(3, 32, 5, padding=2), nn.Conv2d(32, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 5, padding=2)
        self.fc1, self.fc2 = nn.Linear(fc_in, 64), nn.Linear(64, 10)

    def forward(self, x):
        x = F.max_pool2d(self.conv1(x), 2)
        x = F.max_pool2d(self.conv2(x), 2)
        x = self.conv3(x)
        if self.pools == 3:
            x = F.max_pool2d(x, 2)
        x = x.view(-1, 1024) if self.regroup else torch.flatten(x, 1)
        return self.fc2(self.fc1(x))


def trace_of(model, x):
    try:
        shapes.traced_forward(model, x, reference="cifarnet")
    except RuntimeError:
        pass
    (trace,) = shapes.take_traces()
    return trace


def test_the_recorded_reference_shapes_are_the_references():
    assert shapes._record_references() == shapes.recorded(), (
        "kata_harness/testing/reference_shapes.json is stale: python -m kata_harness.testing.shapes --record"
    )


def test_a_correct_network_leaves_no_trace_in_the_report():
    trace = trace_of(Net(), torch.rand(2, 3, 32, 32))
    assert not shapes.differs(trace)
    assert [step.kind for step in trace.steps] == ["conv", "max_pool"] * 3 + ["flatten", "linear", "linear"]


def test_a_missing_pooling_layer_is_traced_up_to_the_linear_that_raised():
    trace = trace_of(Net(pools=2), torch.rand(2, 3, 32, 32))
    text = shapes.render(trace)
    assert shapes.differs(trace) and trace.error.startswith("RuntimeError")
    assert "<- first difference" in text.splitlines()[7], text  # step 6: flatten where the reference pools
    assert "4096 features arrive, Linear(1024, 64) expects 1024" in " ".join(text.split()), text
    assert "raised" in text and len(text.splitlines()) <= 20, text


def test_a_linear_sized_for_the_wrong_input_is_named():
    text = " ".join(shapes.render(trace_of(Net(fc_in=4096), torch.rand(2, 3, 32, 32))).split())
    assert "1024 features arrive, Linear(4096, 64) expects 4096 (the reference's gets 1024)" in text, text


def test_a_flatten_that_regroups_the_batch_is_diagnosed_on_any_input_size():
    trace = trace_of(Net(regroup=True), torch.rand(2, 3, 64, 64))
    text = shapes.render(trace)
    assert shapes.differs(trace) and "no recorded reference" in text
    assert "(8, 1024)" in text and "turns the batch of 2 into 8 rows" in text, text


def test_a_broken_trace_never_hides_the_failure(monkeypatch):
    monkeypatch.setattr(shapes, "render", lambda trace: 1 / 0)
    trace_of(Net(pools=2), torch.rand(1, 3, 32, 32))
    shapes._traces.append(shapes.take_traces()[0] if shapes._traces else shapes.Trace("cifarnet", (3, 32, 32), 1, error="x"))
    assert shapes.report_sections() == []


MUTANT = "--impl-overlay=mutants/modules/missing_third_pool.py"


def test_an_exception_in_the_learners_code_is_told_from_the_learners_side(run_pytest):
    done = run_pytest("tests/katas/test_modules.py", "--impl=solutions", MUTANT, "-k", "output_shape and 1", "-q")
    text = output(done)
    assert "Called CifarNet.forward via `out = traced_forward(" in text, text
    assert "It raised RuntimeError at mutants/modules/missing_third_pool.py:15 in forward" in text, text
    assert "frame(s) below, inside torch" in text and "site-packages" not in text, text
    assert "shape trace: your model vs the reference" in text and "what this error usually means" in text, text


def test_verbose_restores_the_full_traceback(run_pytest):
    done = run_pytest("tests/katas/test_modules.py", "--impl=solutions", MUTANT, "-k", "output_shape and 1", "-v")
    text = output(done)
    assert "site-packages/torch/nn/modules/linear.py" in text and "Called CifarNet.forward via" not in text, text


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            yield name, node


@pytest.mark.parametrize("path", sorted(KATA_TESTS_DIR.glob("test_*.py")), ids=lambda p: p.name)
def test_kata_tests_use_the_explaining_helpers(path: Path):
    """No bare assert_close, no pytest.raises but around a CLI's SystemExit, no raises() without the call and the
    lesson, no match= on a library's wording."""
    problems = []
    for name, node in _calls(ast.parse(path.read_text(encoding="utf-8"))):
        keywords = {k.arg for k in node.keywords}
        where = f"{path.name}:{node.lineno}"
        if name == "assert_close":
            problems.append(f"{where}: assert_close - use assert_tensors_close / assert_tensors_equal (call=, lesson=)")
        elif name == "raises" and isinstance(node.func, ast.Attribute) and ast.unparse(node.func) == "pytest.raises":
            if not (node.args and ast.unparse(node.args[0]) == "SystemExit"):
                problems.append(f"{where}: pytest.raises - use kata_harness.testing.raises / raises_from")
        elif name == "raises" and not {"call", "lesson"} <= keywords:
            problems.append(f"{where}: raises(...) without call= and lesson=")
        elif name == "raises_from" and "lesson" not in keywords:
            problems.append(f"{where}: raises_from(...) without lesson=")
        if name in ("raises", "raises_from") and "match" in keywords:
            problems.append(f"{where}: match= on an exception's wording")
    assert not problems, "\n".join(problems)


def test_a_long_library_message_is_cut_at_a_word_and_says_so():
    from kata_harness.failure import first_line

    text = "Both tensors must be views of the same storage over two contiguous subspaces of the input tensor"
    line = first_line(ValueError(text), 70)
    assert line == "Both tensors must be views of the same storage over two ...", line
    assert first_line(ValueError("short"), 70) == "short"
    assert first_line(ValueError("x" * 100), 70) == "x" * 66 + " ...", "one long word is cut where it must be"


def test_a_property_test_failure_shows_the_called_line_without_the_decorator_or_the_drawn_tuple(run_pytest, katas_copy):
    from kata_harness.paths import SOLUTIONS_DIR

    reference = (SOLUTIONS_DIR / "conv.py").read_text(encoding="utf-8")
    flipped = reference.replace("def conv2d_manual(", "def _reference_manual(", 1) + (
        "\n\ndef conv2d_manual(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):\n"
        "    return _reference_manual(x, weight.flip(-2, -1), bias, stride, padding, dilation, groups)\n"
    )
    (katas_copy / "conv.py").write_text(flipped, encoding="utf-8")
    done = run_pytest("tests/katas/test_conv.py", f"--impl={katas_copy}", "--kata=conv.conv2d_manual", "-k", "matches")
    text = output(done)
    assert done.returncode == 1 and "Called conv2d_manual(" in text, text
    assert "@settings(" not in text and "Failing test case" not in text, text
    verbose = output(run_pytest("tests/katas/test_conv.py", f"--impl={katas_copy}", "--kata=conv.conv2d_manual", "-k", "matches", "-v"))
    assert "Failing test case" in verbose, "-v keeps hypothesis's own account"


# --- the shape trace in the learner's language ----------------------------------------------------------


@pytest.fixture(autouse=True)
def _trace_in_english(monkeypatch):
    """The trace speaks the outer run's language (kata_harness.testing.lang()): these tests read English unless told."""
    import kata_harness.testing

    monkeypatch.setattr(kata_harness.testing, "_LANG", ["en"])


BROKEN = {
    "missing-pool": (lambda: Net(pools=2), (2, 3, 32, 32)),
    "linear-sized-for-4096": (lambda: Net(fc_in=4096), (2, 3, 32, 32)),
    "flatten-regroups-the-batch": (lambda: Net(regroup=True), (2, 3, 64, 64)),
}
# What a Chinese trace may spell in Latin letters: code, layers and shapes (collected per trace), and these.
CODE_WORDS = {"N", "padding", "nn", "Flatten", "torch", "x"}


def _cells(line: str) -> list[str]:
    """A table line cut at the display columns of the English table (a wide character takes two columns)."""
    from kata_harness.i18n import width

    spread = "".join(c + "\0" * (width(c) - 1) for c in line)
    bounds = [(0, 4), (6, 48), (49, 66), (67, 77), (78, 95), (95, None)]
    return [spread[a:b].replace("\0", "").strip() for a, b in bounds]


def _trace_sections(monkeypatch, make, size, lang):
    import kata_harness.testing

    monkeypatch.setattr(kata_harness.testing, "_LANG", [lang])
    trace = trace_of(make(), torch.rand(*size))
    shapes._traces.append(trace)
    return trace, shapes.report_sections()


@pytest.mark.parametrize(("make", "size"), list(BROKEN.values()), ids=list(BROKEN))
def test_the_shape_trace_speaks_chinese_line_for_line(monkeypatch, make, size):
    import re

    from kata_harness.i18n import t

    _, english = _trace_sections(monkeypatch, make, size, "en")
    trace, chinese = _trace_sections(monkeypatch, make, size, "zh")
    assert english[0][0] == shapes.SECTION == "shape trace: your model vs the reference, same input", english
    (title, text), ((_, en_text),) = chinese[0], english
    assert title == t("shapes.section", "zh") and re.search(r"[\u4e00-\u9fff]", title), title
    lines, en_lines = text.splitlines(), en_text.splitlines()
    assert len(lines) == len(en_lines), f"{en_text}\n---\n{text}"
    diagnosis = next(i for i, line in enumerate(lines) if line.startswith("诊断："))
    assert en_lines[diagnosis].startswith("diagnosis: "), f"{en_text}\n---\n{text}"
    # The table keeps its columns: the same cells at the same display columns, the words translated.
    words = {"raised": t("shapes.raised", "zh"), "<- first difference": t("shapes.first_difference", "zh").strip()}
    titles = [t(f"shapes.{key}", "zh") for key in ("step", "yours", "output", "reference", "output")]
    assert _cells(lines[1]) == [*titles, ""], lines[1]
    for en_line, line in zip(en_lines[2:diagnosis], lines[2:diagnosis]):
        assert _cells(line) == [words.get(cell, cell) for cell in _cells(en_line)], f"{en_line}\n{line}"
    # No English prose: every Latin word is code, a layer or a step kind.
    allowed = CODE_WORDS | set(shapes.KINDS.values())
    allowed |= {word for step in trace.steps for word in re.findall(r"[A-Za-z_]\w*", step.layer)}
    latin = set(re.findall(r"[A-Za-z_]\w*", text))
    assert latin <= allowed, f"English in the Chinese trace: {sorted(latin - allowed)}\n{text}"


def test_the_chinese_diagnosis_names_the_features_that_arrive_and_the_step_that_differs(monkeypatch):
    _, ((_, text),) = _trace_sections(monkeypatch, BROKEN["missing-pool"][0], (2, 3, 32, 32), "zh")
    joined = "".join(text.split())  # Chinese wraps between characters: compare without the line breaks
    assert "诊断：第6步（flatten）就已经不同：你的是(N,4096)，参考模型的max_pool是(N,64,4,4)。" in joined, text
    assert "传入4096个特征，而Linear(1024,64)需要1024个" in joined, text
    assert "池化层或填充（padding）" in joined, text
    assert "<- 第一处不同" in text.splitlines()[7] and "抛出异常" in text.splitlines()[8], text


def test_a_chinese_run_titles_the_shape_trace_in_chinese(run_pytest):
    from kata_harness.i18n import t

    args = ("--impl=solutions", MUTANT, "-k", "output_shape and 1", "-q", "--lang=zh")
    done = run_pytest("tests/katas/test_modules.py", *args)
    text = output(done)
    assert t("shapes.section", "zh") in text and shapes.SECTION not in text, text
    assert "传入 4096 个特征" in text and t("explain.section", "zh") in text, text


def test_only_a_katas_own_not_solved_yet_counts_as_a_stub():
    from kata_harness.impl import is_stub_error

    assert is_stub_error(NotImplementedError("kata tensors.reshape is not solved yet"))
    assert not is_stub_error(NotImplementedError('"bincount_cpu" not implemented for \'Float\''))
    assert not is_stub_error(NotImplementedError("kata tensors.reshape is not solved yet, and more"))
    assert not is_stub_error(RuntimeError("kata tensors.reshape is not solved yet"))
