"""The language switch (issue 11): --lang / KATAS_LANG / the locale, the message catalog in both languages,
and the progress report, the runner and the error explanations in Chinese (English unchanged)."""

from __future__ import annotations

import re
import string

import pytest

from kata_harness import explain, i18n, manifest
from kata_harness.progress import progress_lines
from kata_harness.runner import screen
from tests.harness.helpers import output

KATAS = manifest.load()
FIRST = KATAS[0]
CJK = re.compile(r"[\u4e00-\u9fff]")
NO_LOCALE = {"KATAS_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


# --- detection ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "environ", "expected"),
    [
        ("zh", {"KATAS_LANG": "en", "LC_ALL": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ("en", {"KATAS_LANG": "zh", "LC_ALL": "zh_CN.UTF-8"}, "en"),
        (None, {"KATAS_LANG": "zh", "LC_ALL": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"KATAS_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
        (None, {"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LC_ALL": "C.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {"KATAS_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {}, "en"),
    ],
    ids=[
        "option-beats-env", "option-en-beats-env-zh", "katas-lang-beats-locale", "katas-lang-en-beats-lc-all",
        "lc-all-beats-lc-messages-and-lang", "lc-all-c-means-en", "lc-messages-beats-lang", "lc-messages-en",
        "lang-alone", "other-locale-is-en", "empty-variables-count-as-unset", "nothing-is-en",
    ],
)  # fmt: skip
def test_language_is_detected_in_order(option, environ, expected):
    assert i18n.detect(option, environ) == expected


@pytest.mark.parametrize(("option", "environ"), [("fr", {}), ("", {}), (None, {"KATAS_LANG": "chinese"})])
def test_an_unknown_language_is_a_one_line_error(option, environ):
    with pytest.raises(i18n.LanguageError) as caught:
        i18n.detect(option, environ | {"LANG": "zh_CN.UTF-8"})
    message = str(caught.value)
    assert len(message.splitlines()) == 1 and "en or zh" in message and "zh" in message, message


def test_detect_reads_the_process_environment(monkeypatch):
    for name in NO_LOCALE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.detect() == "zh"
    monkeypatch.setenv("KATAS_LANG", "en")
    assert i18n.detect() == "en" and i18n.detect("zh") == "zh"


# --- the catalog and the error table -------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_catalog_has_the_same_keys_and_fields_in_both_languages():
    catalog = i18n.load()
    english, chinese = catalog["en"], catalog["zh"]
    assert len(english) >= 100, f"only {len(english)} messages: is the catalog read?"
    assert english.keys() == chinese.keys(), (
        f"only in en: {sorted(english.keys() - chinese.keys())}; only in zh: {sorted(chinese.keys() - english.keys())}"
    )
    # The unsolved kata's one-line failure: in zh, the kata's id and Chinese title instead of the stub's English
    # NotImplementedError text (the English line quotes that text, as it always did).
    zh_only = {"plugin.stub": {"title", "id"}}
    en_only = {"plugin.stub": {"message"}}
    different = {
        key: (_fields(english[key]), _fields(chinese[key]))
        for key in english
        if _fields(english[key]) - en_only.get(key, set()) != _fields(chinese[key]) - zh_only.get(key, set())
    }
    assert not different, f"messages whose {{fields}} differ between en and zh: {different}"
    def prose(text: str) -> str:
        return re.sub(r"\{[^{}]*\}", "", text)  # a {field} is filled in, not read

    untranslated = [key for key, text in chinese.items() if not CJK.search(text) and re.search("[a-z]{4}", prose(text))]
    assert not untranslated, f"these zh messages have no Chinese: {untranslated}"


def test_every_common_error_has_a_chinese_explanation():
    missing = [entry.id for entry in explain.load() if not CJK.search(entry.explanation_zh)]
    assert not missing, f"errors.toml: give these entries an explanation_zh: {missing}"


# --- the progress report -------------------------------------------------------------------------------


def test_progress_report_in_chinese_names_the_next_kata_and_hint_in_chinese():
    outcomes = {k.id: {f"t::{k.name}": "failed"} for k in KATAS}
    lines = progress_lines(KATAS, outcomes, lang="zh")
    text = "\n".join(lines)
    assert f"已完成 0/{len(KATAS)} 个练习" in text and "练习进度" in lines[0], text
    assert f"下一个：{FIRST.file}::{FIRST.name}  - {FIRST.title_zh}（{FIRST.section}）" in text, text
    assert f"提示：{FIRST.hints_zh[0]}" in text and f"katas hint {FIRST.id}" in text, text
    assert "Hint:" not in text and "Next:" not in text and FIRST.title not in text, text


def test_progress_report_in_english_is_the_default_and_has_no_chinese_but_the_section():
    outcomes = {k.id: {f"t::{k.name}": "failed"} for k in KATAS}
    lines = progress_lines(KATAS, outcomes)
    assert lines == progress_lines(KATAS, outcomes, lang="en")
    assert f"Hint: {FIRST.hints[0]}" in lines and "kata progress" in lines[0]
    assert not CJK.search("\n".join(lines).replace(FIRST.section, "")), lines


@pytest.mark.parametrize(
    "env",
    [{"KATAS_LANG": "zh"}, NO_LOCALE | {"LANG": "zh_CN.UTF-8"}],
    ids=["KATAS_LANG=zh", "LANG=zh_CN.UTF-8-alone"],
)
def test_pytest_run_reports_progress_in_chinese(run_pytest, env):
    done = run_pytest("-q", env=env)
    assert done.returncode == 1, output(done)
    # the unsolved kata's one-line failure is Chinese all through, with its Chinese title
    expected = f"：练习 {FIRST.id} 还没有完成——打开文件，把 TODO 换成你的代码（{FIRST.title_zh}）"
    assert expected in done.stdout and "not solved yet" not in done.stdout, output(done)
    report = done.stdout.split("练习进度", 1)[-1]
    assert f"已完成 0/{len(KATAS)} 个练习" in report, output(done)
    assert f"{FIRST.title_zh}" in report and f"提示：{FIRST.hints_zh[0]}" in report, output(done)
    assert "Hint:" not in report, output(done)


def test_pytest_lang_option_beats_the_environment_and_a_bad_one_is_a_usage_error(run_pytest):
    done = run_pytest("-q", "--tb=no", "--lang=en", env={"KATAS_LANG": "zh"})
    report = done.stdout.split("kata progress", 1)[-1]
    assert f"Hint: {FIRST.hints[0]}" in report and not CJK.search(report.replace(FIRST.section, "")), output(done)
    bad = run_pytest("-q", "--lang=fr")
    assert bad.returncode == pytest.ExitCode.USAGE_ERROR and "--lang='fr'" in bad.stderr, output(bad)
    assert "Traceback" not in output(bad), output(bad)


# --- the runner ------------------------------------------------------------------------------------------


def test_runner_list_and_hint_in_chinese(run, tmp_path):
    env = {"KATAS_STATE": str(tmp_path / "state.json")}
    listed = run("-m", "kata_harness", "--lang", "zh", "list", env=env)
    assert listed.returncode == 0, output(listed)
    assert FIRST.title_zh in listed.stdout and f"已完成 0/{len(KATAS)}" in listed.stdout, output(listed)
    hint = run("-m", "kata_harness", "hint", FIRST.id, env=env | {"KATAS_LANG": "zh"})
    assert f"{FIRST.id} 的提示 1/{len(FIRST.hints_zh)}：{FIRST.hints_zh[0]}" in hint.stdout, output(hint)
    assert "再运行一次 `katas hint`" in hint.stdout, output(hint)
    english = run("-m", "kata_harness", "hint", FIRST.id, "--lang", "en", env=env | {"KATAS_LANG": "zh"})
    assert f"Hint 2/{len(FIRST.hints)} for {FIRST.id}: {FIRST.hints[1]}" in english.stdout, output(english)


def test_runner_usage_errors_in_chinese_and_a_bad_language(run, tmp_path):
    env = {"KATAS_STATE": str(tmp_path / "state.json"), "KATAS_LANG": "zh"}
    unknown = run("-m", "kata_harness", "hint", "tensors.nope", env=env)
    assert unknown.returncode == 2 and "没有名为 'tensors.nope' 的练习" in unknown.stderr, output(unknown)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    damaged = run("-m", "kata_harness", "list", env=env | {"KATAS_STATE": str(broken)})
    assert damaged.returncode == 0 and "已损坏" in damaged.stderr and "已把它移到" in damaged.stderr, output(damaged)
    bad = run("-m", "kata_harness", "--lang", "fr", "list", env=env)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "'fr'" in bad.stderr, output(bad)


def test_runner_screens_in_chinese():
    from kata_harness.runner.engine import Result, TestOutcome

    heading = screen.heading(FIRST, 1, len(KATAS), 0, "zh")
    assert heading[0] == f"练习 1/{len(KATAS)}：{FIRST.id} - {FIRST.title_zh}（{FIRST.section}）", heading
    red = Result(FIRST.id, [TestOutcome("test_a", "failed", "assert 1 == 2"), TestOutcome("test_b", "passed")], seconds=0.5)
    assert screen.result_lines(FIRST, red, None, "zh")[0] == "2 个测试中有 1 个失败（0.50 秒）："
    assert screen.keys(False, True, "zh") == "按键：h 提示 · l 列表 · r 重置这个练习 · q 退出 · 回车 重新运行"
    assert screen.keys(True, False, "en") == screen.KEYS_GREEN + " · save the file to re-run"
    assert screen.hint_line(FIRST, 1, "zh").endswith(FIRST.hints_zh[0])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_runner_green_screen_says_what_a_machine_without_gpu_did_not_check(lang):
    import dataclasses

    from kata_harness.runner.engine import Result, TestOutcome

    kata = dataclasses.replace(FIRST, unchecked_without_gpu="drawn on the GPU", unchecked_without_gpu_zh="在 GPU 上生成")
    tests = [TestOutcome("test_a", "passed"), TestOutcome("test_b[cuda]", "skipped", needs_gpu=True)]
    lines = screen.result_lines(kata, Result(kata.id, tests, seconds=0.5), None, lang)
    expected = {
        "en": "Not checked on this machine (1 test(s) need a usable GPU): drawn on the GPU",
        "zh": "这台机器上没有检查（1 个测试需要可用的 GPU）：在 GPU 上生成",
    }
    assert lines[1] == expected[lang], lines
    plain = screen.result_lines(FIRST, Result(FIRST.id, tests[:1], seconds=0.5), None, lang)
    assert not any("GPU" in line for line in plain), plain
    red = [TestOutcome("test_a", "failed", "assert 1 == 2"), tests[1]]
    header = screen.result_lines(kata, Result(kata.id, red, seconds=0.5), None, lang)[0]
    why = {"en": "1 of 2 tests fail, 1 skipped (no usable GPU here)", "zh": "2 个测试中有 1 个失败，1 个被跳过（这台机器没有可用的 GPU）"}
    assert header.startswith(why[lang]), header


# --- the explanations of common errors -----------------------------------------------------------------


def test_explanation_in_chinese_has_a_chinese_title_text_and_kata_title():
    entry = next(entry for entry in explain.load() if entry.kata == "modules.CifarNet")
    kata = next(k for k in KATAS if k.id == entry.kata)
    title, text = explain.section(entry, kata.title_in("zh"), "zh")
    assert title == "这个错误通常意味着什么", title
    assert "".join(text.split()).startswith("".join(entry.explanation_zh.split())), text
    assert text.splitlines()[-1] == f"讲解这个概念的练习：{kata.id} - {kata.title_zh}", text
    assert all(i18n.width(line) <= explain.WIDTH for line in text.splitlines()[:-1]), text
    english_title, english = explain.section(entry, kata.title)
    assert english_title == explain.SECTION and english.endswith(f"The kata that teaches it: {kata.id} - {kata.title}")


def test_chinese_wrapping_keeps_latin_words_and_punctuation_whole():
    text = "在 Linear 之前打印 x.shape，和 in_features 对照一下。" * 6
    lines = i18n.fill(text, 40, "zh").splitlines()
    assert len(lines) > 1 and all(i18n.width(line) <= 40 for line in lines), lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", ""), lines
    assert not any(line[0] in "，。）" for line in lines), lines
    for word in ("x.shape", "in_features"):
        assert " ".join(lines).count(word) == text.count(word), f"{word} was cut in two: {lines}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_framing_of_a_kata_tests_failure_follows_the_language(lang, monkeypatch):
    import torch

    from kata_harness import testing

    monkeypatch.setattr(testing, "_LANG", [lang])
    with pytest.raises(AssertionError) as caught:
        testing.assert_tensors_close(torch.zeros(2, 3), torch.ones(2, 3), call="f(x)", lesson="the lesson")
    with pytest.raises(pytest.fail.Exception) as returned:
        testing.raises_from(ValueError, lambda: 3, call="g()")
    text = f"{caught.value}\n{returned.value}"
    framing = {
        "en": ["Called f(x). the lesson", "got:      tensor (2, 3)", "expected: tensor (2, 3)", "largest difference 1",
               "6 of 6 elements differ", "Called g(). It returned 3, but the tests expected ValueError"],
        "zh": ["调用了 f(x)。the lesson", "实际得到：tensor (2, 3)", "测试期望：tensor (2, 3)", "最大差值 1",
               "6 个元素中有 6 个不同", "调用了 g()。它返回了 3，但测试期望抛出 ValueError"],
    }[lang]  # fmt: skip
    missing = [words for words in framing if words not in text]
    assert not missing, f"{missing} not in:\n{text}"
