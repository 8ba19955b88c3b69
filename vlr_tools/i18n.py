"""Fixed user-visible text in English and Japanese.

Strings live in ``data/reference/i18n/*.yaml``, one file per topic, as::

    memo.title: {en: "Review memo", ja: "レビュー・メモ"}

so that a translator can fix a word without touching Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ._shared import load_yaml_text
from .errors import DataFileError, LanguageError, Problem
from .paths import REFERENCE_DIR

LANGUAGES = ("en", "ja")


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise a LanguageError naming the choices."""
    if lang not in LANGUAGES:
        raise LanguageError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    return lang


@lru_cache(maxsize=4)
def load_strings(folder: Path | None = None) -> dict[str, dict[str, str]]:
    """Read every topic file in the i18n folder into one ``key -> {lang: text}`` map."""
    folder = folder or REFERENCE_DIR / "i18n"
    strings: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            content = load_yaml_text(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise DataFileError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(content, dict):
            problems.append(Problem("expected a mapping of key -> {en, ja}", file=path.name))
            continue
        for key, texts in content.items():
            if key in strings:
                problems.append(Problem(f"key {key!r} defined twice", file=path.name))
            elif not isinstance(texts, dict) or not texts.get("en"):
                problems.append(Problem(f"key {key!r} needs at least an 'en' text", file=path.name))
            else:
                strings[str(key)] = {str(k): str(v) for k, v in texts.items()}
    if problems:
        raise DataFileError("i18n strings are malformed", problems)
    return strings


def t(key: str, lang: str = "en", **fmt: object) -> str:
    """Translate ``key`` into ``lang``, falling back to English.

    >>> t("common.illustrative", "en")  # doctest: +SKIP
    'Illustrative data'
    """
    texts = load_strings().get(key)
    if texts is None:
        raise KeyError(f"no text for {key!r} in data/reference/i18n/")
    text = texts.get(lang) or texts["en"]
    return text.format(**fmt) if fmt else text


@dataclass(frozen=True)
class Said:
    """A sentence kept as its key and values, said in the reader's language when shown.

    A reader records what it did as ``Said("indicators.skip.after")``; the
    report says it in English or Japanese (``said.text("ja")``), and
    ``str(said)`` is the English.
    """

    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.values)

    def __str__(self) -> str:
        return self.text("en")
