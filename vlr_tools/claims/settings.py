"""The words the claim reader uses, read from ``data/reference/claims/claims.yaml``.

Every list (trend and status words, units, approximations, words before
numbers that are not figures, the good direction of an indicator) is data, so
a reviewer can teach the reader a new phrase without touching Python. This
module compiles the lists into patterns once per file version.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataFileError, Problem
from ..paths import REFERENCE_DIR

SETTINGS_FILE = REFERENCE_DIR / "claims" / "claims.yaml"
LANGS = ("en", "ja")
#: Kinds of unit the reader tells apart (anything else after a number is a count).
UNIT_KINDS = (
    "per_100000",
    "per_1000",
    "per_100",
    "percent",
    "money",
    "mass",
    "area",
    "concentration",
    "ratio",
)
STATUSES = ("on_track", "achieved", "progressing")
TRENDS = ("up", "down", "better", "worse", "flat")


def fold(text: str) -> str:
    """Text as the reader compares it: NFKC, lower case (offsets kept for ASCII and CJK)."""
    return unicodedata.normalize("NFKC", text).lower()


def _is_cjk(word: str) -> bool:
    return any(
        "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
        for ch in word
    )


def phrase_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for a list of words: whole words for Latin text, substrings for Japanese.

    Longer phrases are tried first, so "went up" wins over "up".
    """
    parts = []
    for word in sorted(
        {fold(str(w)).strip() for w in words if str(w).strip()}, key=len, reverse=True
    ):
        body = re.escape(word).replace(r"\ ", r"\s+")
        if _is_cjk(word):
            parts.append(body)
        else:
            head = r"(?<![\w])" if word[:1].isalnum() else ""
            tail = r"(?![\w])" if word[-1:].isalnum() else ""
            parts.append(f"{head}{body}{tail}")
    if not parts:
        return None
    return re.compile("|".join(parts))


@dataclass(frozen=True)
class Settings:
    """The compiled word lists of ``claims.yaml``."""

    path: Path
    relative_tolerance: float
    flat_share: float
    target_year: int
    min_score: float
    margin: float
    stopwords: frozenset[str]
    continues: re.Pattern[str] | None
    synonyms: Mapping[str, str]
    before_not_figure: re.Pattern[str] | None
    after_not_figure: re.Pattern[str] | None
    approximate: re.Pattern[str] | None
    approximate_after: re.Pattern[str] | None
    at_least: re.Pattern[str] | None
    at_least_after: re.Pattern[str] | None
    at_most: re.Pattern[str] | None
    at_most_after: re.Pattern[str] | None
    change_amount: re.Pattern[str] | None
    change_amount_after: re.Pattern[str] | None
    units: tuple[tuple[str, re.Pattern[str]], ...]
    scales: Mapping[str, float]
    trend: tuple[tuple[str, re.Pattern[str]], ...]
    negation: re.Pattern[str] | None
    status: tuple[tuple[str, re.Pattern[str]], ...]
    status_label: re.Pattern[str] | None
    lower_is_better: re.Pattern[str] | None
    higher_is_better: re.Pattern[str] | None

    def unit_kind(self, text: str) -> str:
        """The kind of unit ``text`` starts with ("% of households" -> "percent"), or ""."""
        head = fold(text).lstrip()
        for kind, pattern in self.units:
            m = pattern.match(head)
            if m:
                return kind
        return ""

    def unit_kind_anywhere(self, text: str) -> str:
        """The kind of unit named anywhere in an indicator's unit ("cases per 100,000")."""
        folded = fold(text)
        best: tuple[int, str] | None = None
        for kind, pattern in self.units:
            m = pattern.search(folded)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), kind)
        if best is not None:
            return best[1]
        return "count" if re.search(r"[^\W\d_]", folded) else ""


def _words(data: Mapping[str, Any], key: str, where: str, problems: list[Problem]) -> list[str]:
    entry = data.get(key)
    if entry is None:
        return []
    if isinstance(entry, list):
        return [str(w) for w in entry]
    if not isinstance(entry, Mapping):
        problems.append(Problem(f"{where}{key} must be a list or a mapping of en/ja lists"))
        return []
    out: list[str] = []
    for lang, words in entry.items():
        if lang not in LANGS:
            problems.append(
                Problem(f"{where}{key}: unknown language {lang!r}", allowed=", ".join(LANGS))
            )
            continue
        if not isinstance(words, list):
            problems.append(Problem(f"{where}{key}.{lang} must be a list of words"))
            continue
        out.extend(str(w) for w in words)
    return out


def _number(data: Mapping[str, Any], key: str, default: float, problems: list[Problem]) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(Problem(f"{key} must be a number", value=value))
        return default
    return float(value)


def _synonyms(data: Any, problems: list[Problem]) -> dict[str, str]:
    """word -> the word it counts as ("people" -> "person"), from every language's list."""
    out: dict[str, str] = {}
    if not isinstance(data, Mapping):
        problems.append(Problem("link.synonyms must map a language to word: same-as pairs"))
        return out
    for lang, pairs in data.items():
        if lang not in LANGS or not isinstance(pairs, Mapping):
            problems.append(
                Problem(f"link.synonyms.{lang} must be a mapping of word: same-as word")
            )
            continue
        for word, same in pairs.items():
            out[fold(str(word))] = fold(str(same))
    return out


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: int) -> Settings:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot be read as YAML: {exc}") from exc
    if not isinstance(data, Mapping):
        raise DataFileError(f"{path}: expected a mapping of settings")
    problems: list[Problem] = []
    tol = data.get("tolerance") or {}
    link = data.get("link") or {}
    nf = data.get("not_figures") or {}
    units = []
    for kind, unit_words in (data.get("units") or {}).items():
        if kind not in UNIT_KINDS:
            problems.append(Problem(f"units: unknown kind {kind!r}", allowed=", ".join(UNIT_KINDS)))
            continue
        pattern = phrase_pattern(str(w) for w in unit_words or ())
        if pattern is not None:
            units.append((kind, pattern))
    trend = []
    for kind in TRENDS:
        pattern = phrase_pattern(_words(data.get("trend") or {}, kind, "trend.", problems))
        if pattern is not None:
            trend.append((kind, pattern))
    status = []
    for kind in STATUSES:
        pattern = phrase_pattern(_words(data.get("status") or {}, kind, "status.", problems))
        if pattern is not None:
            status.append((kind, pattern))
    scales = {}
    for word, factor in (data.get("scales") or {}).items():
        if isinstance(factor, bool) or not isinstance(factor, int | float):
            problems.append(Problem(f"scales.{word} must be a number", value=factor))
            continue
        scales[fold(str(word))] = float(factor)
    direction = data.get("direction") or {}

    def words(key: str) -> re.Pattern[str] | None:
        return phrase_pattern(_words(data, key, "", problems))

    settings = Settings(
        path=path,
        relative_tolerance=_number(tol, "relative", 0.0, problems),
        flat_share=_number(tol, "flat_share", 0.01, problems),
        target_year=int(_number(data, "target_year", 2030, problems)),
        min_score=_number(link, "min_score", 0.5, problems),
        margin=_number(link, "margin", 0.1, problems),
        stopwords=frozenset(fold(w) for w in _words(link, "stopwords", "link.", problems)),
        continues=phrase_pattern(_words(link, "continues", "link.", problems)),
        synonyms=_synonyms(link.get("synonyms") or {}, problems),
        before_not_figure=phrase_pattern(_words(nf, "before", "not_figures.", problems)),
        after_not_figure=phrase_pattern(_words(nf, "after", "not_figures.", problems)),
        approximate=words("approximate"),
        approximate_after=words("approximate_after"),
        at_least=words("at_least"),
        at_least_after=words("at_least_after"),
        at_most=words("at_most"),
        at_most_after=words("at_most_after"),
        change_amount=words("change_amount"),
        change_amount_after=words("change_amount_after"),
        units=tuple(units),
        scales=scales,
        trend=tuple(trend),
        negation=words("negation"),
        status=tuple(status),
        status_label=words("status_label"),
        lower_is_better=phrase_pattern(
            _words(direction, "lower_is_better", "direction.", problems)
        ),
        higher_is_better=phrase_pattern(
            _words(direction, "higher_is_better", "direction.", problems)
        ),
    )
    if problems:
        problems = [dataclasses.replace(p, file=path.name) for p in problems]
        raise DataFileError(f"{path}: the claim reader's settings are malformed", problems)
    return settings


def claim_settings(path: Path | None = None) -> Settings:
    """The claim reader's settings (cached until the file changes)."""
    path = Path(path or SETTINGS_FILE)
    if not path.is_file():
        raise DataFileError(f"{path}: the claim reader's settings file is missing")
    return _load(path, path.stat().st_mtime_ns)


__all__ = [
    "SETTINGS_FILE",
    "STATUSES",
    "TRENDS",
    "UNIT_KINDS",
    "Settings",
    "claim_settings",
    "fold",
]
