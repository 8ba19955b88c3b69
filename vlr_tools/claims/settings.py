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


_OPEN = " \t(（\"“'‘[「"
_CLOSE = ",;:)）\"”'’]」"


@dataclass(frozen=True)
class Phrases:
    """Words a number may follow or precede ("about", "page", 「約」, 「程度」), looked up fast.

    Latin phrases are compared as whole words (the last or first few words of
    a text); Japanese ones as the text's own end or start.
    """

    latin: frozenset[str] = frozenset()
    cjk: tuple[str, ...] = ()
    max_words: int = 0

    @classmethod
    def of(cls, words: Iterable[str]) -> Phrases:
        folded = {" ".join(fold(str(w)).split()) for w in words if str(w).strip()}
        latin = frozenset(w for w in folded if not _is_cjk(w))
        cjk = tuple(sorted((w for w in folded if _is_cjk(w)), key=len, reverse=True))
        return cls(latin, cjk, max((len(w.split()) for w in latin), default=0))

    def __bool__(self) -> bool:
        return bool(self.latin or self.cjk)

    def ends(self, text: str) -> bool:
        """True when folded ``text`` ends with one of the phrases (spaces and brackets aside)."""
        t = text.rstrip(_OPEN)
        if self.cjk and t.endswith(self.cjk):
            return True
        words = t.split()[-self.max_words :] if self.max_words else []
        for n in range(1, len(words) + 1):
            if " ".join(words[-n:]).lstrip(_OPEN) in self.latin:
                return True
        return False

    def starts(self, text: str) -> bool:
        """True when folded ``text`` starts with one of the phrases."""
        t = text.lstrip()
        if self.cjk and t.startswith(self.cjk):
            return True
        words = t.split()[: self.max_words] if self.max_words else []
        for n in range(1, len(words) + 1):
            phrase = " ".join(words[:n])
            if phrase in self.latin or phrase.rstrip(_CLOSE + ".") in self.latin:
                return True
        return False


_TOKEN = re.compile(r"[a-z0-9][a-z0-9'’.-]*[a-z0-9]|[a-z0-9]")


@dataclass(frozen=True)
class PhraseFinder:
    """Finds the first of several kinds of phrases in folded text ("went up" -> "up").

    Latin phrases match whole words (a hyphenated word is one word, so
    "fast-growing" is not "growing"); Japanese phrases match as substrings.
    Much faster than one large regular expression on long drafts.
    """

    first: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]
    cjk: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, kinds: Iterable[tuple[str, Iterable[str]]]) -> PhraseFinder:
        first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        cjk: list[tuple[str, str]] = []
        for kind, words in kinds:
            for word in words:
                w = " ".join(fold(str(word)).split())
                if not w:
                    continue
                if _is_cjk(w):
                    cjk.append((w, kind))
                    continue
                parts = tuple(_TOKEN.findall(w))
                if parts:
                    first.setdefault(parts[0], []).append((parts, kind))
        return cls(
            {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in first.items()},
            tuple(sorted(cjk, key=lambda p: -len(p[0]))),
        )

    def find(self, low: str) -> tuple[str, int, int] | None:
        """(kind, start, end) of the first phrase in folded ``low``, or None."""
        best: tuple[str, int, int] | None = None
        for word, kind in self.cjk:
            at = low.find(word)
            if at >= 0 and (best is None or at < best[1]):
                best = (kind, at, at + len(word))
        if self.first:
            tokens = list(_TOKEN.finditer(low))
            for i, tok in enumerate(tokens):
                if best is not None and tok.start() >= best[1]:
                    break
                for parts, kind in self.first.get(tok[0], ()):
                    n = len(parts)
                    if tuple(t[0] for t in tokens[i : i + n]) == parts:
                        return (kind, tok.start(), tokens[i + n - 1].end())
        return best


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
    before_not_figure: Phrases
    after_not_figure: Phrases
    approximate: Phrases
    approximate_after: Phrases
    at_least: Phrases
    at_least_after: Phrases
    at_most: Phrases
    at_most_after: Phrases
    change_amount: Phrases
    change_amount_after: Phrases
    units: tuple[tuple[str, re.Pattern[str]], ...]
    digit_units: re.Pattern[str] | None
    scales: Mapping[str, float]
    trend: tuple[tuple[str, re.Pattern[str]], ...]
    trend_any: PhraseFinder
    negation: re.Pattern[str] | None
    status: tuple[tuple[str, re.Pattern[str]], ...]
    status_any: PhraseFinder
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
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506
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
    trend_words = []
    for kind in TRENDS:
        found = _words(data.get("trend") or {}, kind, "trend.", problems)
        trend_words.append((kind, found))
        pattern = phrase_pattern(found)
        if pattern is not None:
            trend.append((kind, pattern))
    status = []
    status_words = []
    for kind in STATUSES:
        found = _words(data.get("status") or {}, kind, "status.", problems)
        status_words.append((kind, found))
        pattern = phrase_pattern(found)
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

    def phrases(key: str, where: Mapping[str, Any] = data, prefix: str = "") -> Phrases:
        return Phrases.of(_words(where, key, prefix, problems))

    digit_words = [
        str(w)
        for ws_ in (data.get("units") or {}).values()
        for w in ws_ or ()
        if any(ch.isdigit() for ch in str(w))
    ]

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
        before_not_figure=phrases("before", nf, "not_figures."),
        after_not_figure=phrases("after", nf, "not_figures."),
        approximate=phrases("approximate"),
        approximate_after=phrases("approximate_after"),
        at_least=phrases("at_least"),
        at_least_after=phrases("at_least_after"),
        at_most=phrases("at_most"),
        at_most_after=phrases("at_most_after"),
        change_amount=phrases("change_amount"),
        change_amount_after=phrases("change_amount_after"),
        units=tuple(units),
        digit_units=phrase_pattern(digit_words),
        scales=scales,
        trend=tuple(trend),
        trend_any=PhraseFinder.of(trend_words),
        negation=words("negation"),
        status=tuple(status),
        status_any=PhraseFinder.of(status_words),
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
