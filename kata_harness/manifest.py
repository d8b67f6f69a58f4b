"""Read katas.toml, the single place that orders the katas and holds their titles and hints."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

from kata_harness.paths import MANIFEST


TIMEOUT_ENV = "KATAS_TIMEOUT"  # seconds: every kata's timeout instead of katas.toml's (a slow machine, the harness's tests)


class ManifestError(ValueError):
    """katas.toml is malformed, or $KATAS_TIMEOUT is not a number of seconds."""


@dataclass(frozen=True)
class Kata:
    id: str  # "<module>.<name>", e.g. "tensors.reshape"
    title: str
    section: str  # the note's (Chinese) section name
    hints: tuple[str, ...]
    title_zh: str = ""  # the Chinese edition (check-mirror requires both, with as many hint stages as the English)
    hints_zh: tuple[str, ...] = ()
    timeout: float = 0  # seconds one run of this kata's tests may take (katas.toml [defaults] timeout unless its own)
    # What only its cuda-marked tests check, one sentence each language: told to a learner whose machine skipped them.
    unchecked_without_gpu: str = ""
    unchecked_without_gpu_zh: str = ""

    def title_in(self, lang: str) -> str:
        return self.title_zh if lang == "zh" and self.title_zh else self.title

    def hints_in(self, lang: str) -> tuple[str, ...]:
        return self.hints_zh if lang == "zh" and self.hints_zh else self.hints

    def unchecked_in(self, lang: str) -> str:
        """What goes unchecked on a machine without a usable GPU ('' when every rule is checked on the CPU)."""
        if lang == "zh" and self.unchecked_without_gpu_zh:
            return self.unchecked_without_gpu_zh
        return self.unchecked_without_gpu

    @property
    def module(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def file(self) -> str:
        return f"katas/{self.module}.py"


def load(path: Path = MANIFEST) -> list[Kata]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"cannot read {path}: {exc}") from exc
    defaults = data.get("defaults", {})
    default_timeout = defaults.get("timeout") if isinstance(defaults, dict) else None
    if not _positive(default_timeout):
        raise ManifestError(f"{path.name}: [defaults] needs timeout = <seconds>, a positive whole number")
    override = timeout_override()
    katas: list[Kata] = []
    seen: set[str] = set()
    for number, entry in enumerate(data.get("kata", []), start=1):
        missing = [key for key in ("id", "title", "section", "hints") if key not in entry]
        if missing:
            raise ManifestError(f"{path.name}: kata #{number} lacks {', '.join(missing)}")
        kata_id = entry["id"]
        if kata_id.count(".") != 1:
            raise ManifestError(f"{path.name}: kata id {kata_id!r} must look like 'module.name'")
        if kata_id in seen:
            raise ManifestError(f"{path.name}: kata id {kata_id!r} appears twice")
        hints = entry["hints"]
        if not isinstance(hints, list) or not hints or not all(isinstance(h, str) and h for h in hints):
            raise ManifestError(f"{path.name}: kata {kata_id!r} needs a non-empty list of hints")
        hints_zh = entry.get("hints_zh", [])
        if not isinstance(hints_zh, list) or not all(isinstance(h, str) and h for h in hints_zh):
            raise ManifestError(f"{path.name}: kata {kata_id!r}: hints_zh must be a list of non-empty strings")
        timeout = entry.get("timeout", default_timeout)
        if not _positive(timeout):
            raise ManifestError(f"{path.name}: kata {kata_id!r}: timeout must be a positive whole number of seconds")
        timeout = override or timeout
        unchecked = {key: entry.get(key, "") for key in ("unchecked_without_gpu", "unchecked_without_gpu_zh")}
        if not all(isinstance(text, str) for text in unchecked.values()):
            raise ManifestError(f"{path.name}: kata {kata_id!r}: unchecked_without_gpu(_zh) must be a string")
        seen.add(kata_id)
        katas.append(
            Kata(
                kata_id, entry["title"], entry["section"], tuple(hints), str(entry.get("title_zh", "")), tuple(hints_zh),
                timeout, **unchecked,
            )
        )
    if not katas:
        raise ManifestError(f"{path.name}: no [[kata]] entries")
    return katas


def timeout_override() -> float | None:
    """$KATAS_TIMEOUT as seconds, when set: it replaces every kata's timeout."""
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 86400:
        raise ManifestError(f"${TIMEOUT_ENV}={text!r}: give the seconds a kata's tests may take, e.g. {TIMEOUT_ENV}=300")
    return seconds


def _positive(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
