"""The language the harness speaks: English or Chinese, and the catalog of what it prints.

``detect(option)``: the ``--lang`` option first, then ``$KATAS_LANG``, then the locale the POSIX way
(``LC_ALL``, else ``LC_MESSAGES``, else ``LANG``: a value starting with ``zh`` gives zh, anything else
or nothing gives en). A bad option or ``KATAS_LANG`` raises LanguageError (one line).

``t(key, lang, **fields)``: one message of ``messages.toml`` (an ``[en]`` and a ``[zh]`` table, grouped
in sub-tables such as ``[en.progress]``; keys are ``progress.next`` and so on), formatted with
``str.format``. What the harness itself says is here, the framing of test failures included
(kata_harness.testing: "Called ... / It returned ..."); the lessons a failure teaches live in
tests/katas/lessons/ (kata_harness.checks.lessons), the katas' titles and hints in katas.toml
(Kata.title_in / Kata.hints_in).
"""

from __future__ import annotations

import functools
import os
import re
import sys
import textwrap
import unicodedata
from collections.abc import Mapping
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

LANGS = ("en", "zh")
DEFAULT = "en"
ENV_VAR = "KATAS_LANG"
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX precedence for messages
CATALOG = Path(__file__).with_name("messages.toml")


class LanguageError(ValueError):
    """A language was asked for that the harness does not speak."""


class LocalizedError(Exception):
    """An error whose message comes from the catalog: str() is the English, ``text(lang)`` any language."""

    def __init__(self, key: str, **fields) -> None:
        self.key = key
        self.fields = fields
        super().__init__(t(key, DEFAULT, **fields))

    def text(self, lang: str) -> str:
        # A field may be another such error (a reset that failed on a syntax error): it speaks ``lang`` too.
        fields = {name: v.text(lang) if isinstance(v, LocalizedError) else v for name, v in self.fields.items()}
        return t(self.key, lang, **fields)


def detect(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """'zh' or 'en': the option, then $KATAS_LANG, then LC_ALL / LC_MESSAGES / LANG."""
    env = os.environ if environ is None else environ
    for where, value in (("--lang", option), (ENV_VAR, env.get(ENV_VAR) or None)):
        if value is None:
            continue
        chosen = value.strip().lower()
        if chosen not in LANGS:
            # No language is settled yet: say it in both.
            raise LanguageError(" / ".join(t("lang.unknown", lang, where=where, value=value) for lang in LANGS))
        return chosen
    for name in LOCALE_VARS:
        value = env.get(name)
        if value:  # an empty variable counts as unset, as in POSIX
            return "zh" if value.startswith("zh") else "en"
    return DEFAULT


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{key}.")
        else:
            flat[prefix + key] = value
    return flat


def load(path: Path = CATALOG) -> dict[str, dict[str, str]]:
    """{lang: {key: message}} for every language of the catalog."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {lang: _flatten(data.get(lang, {})) for lang in LANGS}


@functools.lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    return load()


def t(key: str, lang: str, **fields) -> str:
    """The message ``key`` in ``lang`` (English where the Chinese is missing), formatted with ``fields``."""
    messages = catalog()
    text = messages.get(lang, {}).get(key)
    if text is None:
        text = messages[DEFAULT][key]
    return text.format(**fields) if fields else text


# --- wrapping text that mixes Chinese and Latin script ---------------------------------------------

_CLOSING = "，。、；：！？）》」』”’"
_OPENING = "（《「『“‘"
_WIDE = r"\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f"
_TOKEN = re.compile(rf"\s+|[{_OPENING}]*(?:[^\s{_WIDE}]+|.)[{_CLOSING}]*")


def width(text: str) -> int:
    """Columns a terminal gives text: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fill(text: str, columns: int, lang: str) -> str:
    """Wrap text to ``columns``: textwrap for English; for Chinese, between characters (never inside a
    Latin word, never before closing or after opening punctuation), counting wide characters as two."""
    if lang != "zh":
        return textwrap.fill(text, columns, break_long_words=False, break_on_hyphens=False)
    lines, line = [], ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            if line:
                line += " "
            continue
        if line and width(line + token) > columns:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)
