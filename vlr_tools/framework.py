"""The SDG reference framework: 17 goals, 169 targets and the global indicators.

The framework is data, not code: ``data/reference/sdg/`` holds ``goals.csv``,
``targets.csv``, ``indicators.csv``, ``hlpf.csv`` and ``translations.csv`` (see
the README there), built from the sources of record in its ``source/`` folder.
This module loads and validates those files and answers the questions a
reviewer asks: what does target 11.6 say, which indicators sit under it, what
is the Japanese title, which goals does the HLPF review this year?

>>> fw = get_framework()                         # doctest: +SKIP
>>> fw.lookup("Target 11.6").title_en            # doctest: +SKIP
'By 2030, reduce the adverse per capita environmental impact of cities, ...'
>>> fw.indicator("13.1.1").code                  # repeated indicator  # doctest: +SKIP
'1.5.1'
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from . import paths
from .errors import DataFileError, FrameworkError, Problem, UnknownCodeError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CODE_FORMS",
    "Framework",
    "Goal",
    "Indicator",
    "Item",
    "Target",
    "Translation",
    "clear_framework_cache",
    "code_level",
    "code_sort_key",
    "default_folder",
    "fold_typography",
    "get_framework",
    "load_framework",
    "normalise_code",
]

Level = Literal["goal", "target", "indicator"]
LANGS = ("en", "ja")

GOALS_FILE = "goals.csv"
TARGETS_FILE = "targets.csv"
INDICATORS_FILE = "indicators.csv"
HLPF_FILE = "hlpf.csv"
TRANSLATIONS_FILE = "translations.csv"
GOAL_COLUMNS = ("goal", "title_en", "title_ja", "short_en", "short_ja", "colour")
TARGET_COLUMNS = ("code", "goal", "title_en", "title_ja")
INDICATOR_COLUMNS = ("code", "target", "title_en", "title_ja", "same_as")
HLPF_COLUMNS = ("year", "goals", "note")
TRANSLATION_COLUMNS = ("source", "name_en", "name_ja", "short_ja", "provisional")
#: Optional columns: the footnote of the UN's sheet, and where a Japanese title
#: comes from (a ``source`` of translations.csv, how many copies agree, and
#: "yes" when the translation follows an older English wording).
FOOTNOTE_COLUMN = "footnote"
JA_COLUMNS = ("ja_source", "ja_agreement", "ja_older_wording")

#: The forms :func:`normalise_code` accepts, for error messages and help text.
CODE_FORMS = (
    "a goal (11, SDG 11, SDG11, Goal 11, 目標11), "
    "a target (11.6, 11.a, Target 11.6, ターゲット11.6) "
    "or an indicator (11.6.2, 11.a.1, Indicator 11.6.2, 指標11.6.2)"
)

# Canonical codes as written in the data files: numbered or lettered targets.
_GOAL_CODE = re.compile(r"[1-9][0-9]?")
_TARGET_CODE = re.compile(r"([1-9][0-9]?)\.([1-9][0-9]?|[a-z])")
_INDICATOR_CODE = re.compile(r"([1-9][0-9]?)\.([1-9][0-9]?|[a-z])\.([1-9][0-9]?)")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_AGREEMENT = re.compile(r"([0-9]+)/([0-9]+)")
_YES = ("yes", "")
_PREFIX = re.compile(
    r"^(?P<prefix>sdgs?|goal|target|indicator|目標|ゴール|ターゲット|指標)?\s*[-:#]?\s*(?P<body>.*)$"
)
_PREFIX_LEVEL: dict[str, Level | None] = {
    "sdg": None,
    "sdgs": None,
    "goal": "goal",
    "目標": "goal",
    "ゴール": "goal",
    "target": "target",
    "ターゲット": "target",
    "indicator": "indicator",
    "指標": "indicator",
}
_LEVELS: tuple[Level, Level, Level] = ("goal", "target", "indicator")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Goal:
    """One of the 17 Sustainable Development Goals."""

    number: int
    code: str
    title_en: str
    title_ja: str
    short_en: str
    short_ja: str
    colour: str
    footnote: str = ""
    level: ClassVar[Level] = "goal"

    def title(self, lang: str = "en") -> str:
        """The official title in ``lang``, English when no Japanese title is recorded."""
        return _pick(self.title_en, self.title_ja, lang)

    def short(self, lang: str = "en") -> str:
        """The popular short name ("No poverty", 「貧困をなくそう」)."""
        return _pick(self.short_en, self.short_ja, lang)


@dataclass(frozen=True)
class Target:
    """A target such as 11.6 or 11.a, under one goal."""

    code: str
    goal: int
    title_en: str
    title_ja: str
    footnote: str = ""
    #: Which translation ``title_ja`` comes from (a source of translations.csv)
    #: and how many of the copies consulted agree on it, e.g. "2/3".
    ja_source: str = ""
    ja_agreement: str = ""
    level: ClassVar[Level] = "target"

    def title(self, lang: str = "en") -> str:
        """The official title in ``lang``, English when no Japanese title is recorded."""
        return _pick(self.title_en, self.title_ja, lang)


@dataclass(frozen=True)
class Indicator:
    """A global indicator; a repeated one has several codes, one per target it serves.

    ``code`` is the earliest listing (``1.5.1``); ``codes`` are all listings in
    order (``1.5.1, 11.5.1, 13.1.1``) and ``targets`` the matching targets.
    """

    code: str
    codes: tuple[str, ...]
    targets: tuple[str, ...]
    title_en: str
    title_ja: str
    footnote: str = ""
    ja_source: str = ""
    ja_agreement: str = ""
    #: True when the Japanese title translates an older English wording.
    ja_older_wording: bool = False
    #: Each listing's own Japanese title and older-wording flag, in the order of
    #: ``codes``. They differ where the translation predates the merging of
    #: two indicators (4.7.1 and 12.8.1 had different wordings in 2018).
    listings_ja: tuple[tuple[str, bool], ...] = ()
    level: ClassVar[Level] = "indicator"

    def title(self, lang: str = "en") -> str:
        """The official title in ``lang``, English when no Japanese title is recorded."""
        return _pick(self.title_en, self.title_ja, lang)

    def listing_title(self, code: str, lang: str = "en") -> str:
        """The title under listing ``code``: its own Japanese title if it has one."""
        own = self._own_ja(code)
        return _pick(self.title_en, own[0] if own else self.title_ja, lang)

    def older_wording(self, code: str) -> bool:
        """Whether the Japanese title shown under ``code`` translates an older English wording."""
        own = self._own_ja(code)
        return own[1] if own else self.ja_older_wording

    def _own_ja(self, code: str) -> tuple[str, bool] | None:
        code = normalise_code(code)
        if code not in self.codes or len(self.listings_ja) != len(self.codes):
            return None
        own = self.listings_ja[self.codes.index(code)]
        return own if own[0] else None

    @property
    def goals(self) -> tuple[int, ...]:
        """The goals this indicator serves, without repeats."""
        return tuple(dict.fromkeys(int(t.split(".")[0]) for t in self.targets))

    @property
    def repeated(self) -> bool:
        """True when the indicator is listed under more than one target."""
        return len(self.codes) > 1

    def target_of(self, code: str) -> str:
        """The target under which listing ``code`` appears."""
        return self.targets[self.codes.index(normalise_code(code))]


Item = Goal | Target | Indicator


@dataclass(frozen=True)
class Translation:
    """A Japanese translation the titles come from (a row of translations.csv)."""

    source: str
    name_en: str
    name_ja: str
    short_ja: str
    provisional: bool


# Characters that differ only in typography: the UN's sheet writes non-breaking
# hyphens and curly apostrophes where older copies have plain ones.
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u2033", '"'),
    }
)


def fold_typography(text: str) -> str:
    """``text`` with typographic variants folded, for comparing titles.

    Dashes and non-breaking hyphens become ``-``, curly quotes straight ones,
    and every run of whitespace (line breaks, non-breaking spaces) one space.
    The data keeps the official characters; only comparisons use this.

    >>> fold_typography("under\u20115 mortality, women\u2019s  rights")
    "under-5 mortality, women's rights"
    """
    return " ".join(text.translate(_TYPOGRAPHY).split())


def _pick(english: str, japanese: str, lang: str) -> str:
    if lang not in LANGS:
        raise FrameworkError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")
    return japanese if lang == "ja" and japanese else english


# --------------------------------------------------------------------------- codes


def normalise_code(text: str | int) -> str:
    """Turn a code as people write it into the canonical code of the data files.

    >>> normalise_code("SDG 11"), normalise_code("Target 11.A"), normalise_code("指標11.6.2")
    ('11', '11.a', '11.6.2')

    Raises :class:`UnknownCodeError` for text that is not an SDG code. It does
    not check that the code exists: that is :meth:`Framework.lookup`'s job.
    """
    if isinstance(text, bool) or not isinstance(text, int | str):
        raise UnknownCodeError(f"{text!r} is not an SDG code; write {CODE_FORMS}")
    raw = str(text)
    # NFKC folds full-width digits and letters (目標１１) into ASCII.
    folded = unicodedata.normalize("NFKC", raw).strip().lower()
    match = _PREFIX.match(folded)
    body = match["body"].strip() if match else ""
    body = body[:-1] if body.endswith(".") else body  # "Goal 1." as in the UN annex
    parts = body.split(".")
    if not body or len(parts) > 3 or not all(_part_ok(p, i) for i, p in enumerate(parts)):
        raise UnknownCodeError(f"{raw!r} is not an SDG code; write {CODE_FORMS}")
    level = _LEVELS[len(parts) - 1]
    wanted = _PREFIX_LEVEL.get(match["prefix"] or "") if match else None
    if wanted and wanted != level:
        raise UnknownCodeError(
            f"{raw!r} mixes a {wanted} label with a {level} code; write {CODE_FORMS}"
        )
    return ".".join(p if p.isalpha() else str(int(p)) for p in parts)


def _part_ok(part: str, position: int) -> bool:
    if part.isascii() and part.isdigit():
        return 1 <= len(part) <= 2 and int(part) > 0
    # Only the target part may be a letter (11.a).
    return position == 1 and len(part) == 1 and "a" <= part <= "z"


def code_level(code: str) -> Level:
    """Whether ``code`` names a goal, a target or an indicator."""
    return _LEVELS[normalise_code(code).count(".")]


def code_sort_key(code: str) -> tuple[int, ...]:
    """Sort codes the way the UN lists them: 11.1 ... 11.7, 11.a ... 11.c, 12.1."""
    key: list[int] = []
    for part in normalise_code(code).split("."):
        key += [1, ord(part)] if part.isalpha() else [0, int(part)]
    return tuple(key)


# --------------------------------------------------------------------------- framework


class Framework:
    """The loaded SDG framework. Get one with :func:`get_framework`."""

    def __init__(
        self,
        goals: Iterable[Goal],
        targets: Iterable[Target],
        indicators: Iterable[Indicator],
        hlpf: dict[int, tuple[int, ...]] | None = None,
        hlpf_notes: dict[int, str] | None = None,
        folder: Path | None = None,
        translations: Iterable[Translation] = (),
    ) -> None:
        self.goals: tuple[Goal, ...] = tuple(sorted(goals, key=lambda g: g.number))
        self.targets: tuple[Target, ...] = tuple(
            sorted(targets, key=lambda t: code_sort_key(t.code))
        )
        self.indicators: tuple[Indicator, ...] = tuple(
            sorted(indicators, key=lambda i: code_sort_key(i.code))
        )
        self.folder = folder
        self._hlpf = dict(sorted((hlpf or {}).items()))
        self._hlpf_notes = dict(hlpf_notes or {})
        self.translations: dict[str, Translation] = {t.source: t for t in translations}
        self._folded: list[tuple[Item, tuple[str, ...], tuple[str, ...]]] | None = None
        self._goals = {g.number: g for g in self.goals}
        self._targets = {t.code: t for t in self.targets}
        self._indicators: dict[str, Indicator] = {}
        self._listing_target: dict[str, str] = {}
        by_goal: dict[int, list[Target]] = {g.number: [] for g in self.goals}
        for target in self.targets:
            by_goal.setdefault(target.goal, []).append(target)
        self._targets_by_goal = {k: tuple(v) for k, v in by_goal.items()}
        listings: dict[str, list[str]] = {t.code: [] for t in self.targets}
        under: dict[str, list[Indicator]] = {t.code: [] for t in self.targets}
        for indicator in self.indicators:
            for code, target_code in zip(indicator.codes, indicator.targets, strict=True):
                self._indicators[code] = indicator
                self._listing_target[code] = target_code
                listings.setdefault(target_code, []).append(code)
                under.setdefault(target_code, []).append(indicator)
        self._listings_by_target = {
            k: tuple(sorted(v, key=code_sort_key)) for k, v in listings.items()
        }
        self._indicators_by_target = {
            k: tuple(sorted(dict.fromkeys(v), key=lambda i: code_sort_key(i.code)))
            for k, v in under.items()
        }

    def __repr__(self) -> str:
        c = self.counts()
        return (
            f"<Framework {c['goals']} goals, {c['targets']} targets, "
            f"{c['indicators']} indicators ({c['listings']} listings)>"
        )

    # ---- lookups

    def counts(self) -> dict[str, int]:
        """How many goals, targets, unique indicators and indicator listings."""
        return {
            "goals": len(self.goals),
            "targets": len(self.targets),
            "indicators": len(self.indicators),
            "listings": len(self._indicators),
        }

    def goal(self, number: int | str) -> Goal:
        """Goal by number or code (``11``, ``"SDG 11"``); raises UnknownCodeError."""
        item = self.lookup(number)
        if not isinstance(item, Goal):
            raise UnknownCodeError(f"{number!r} is a {item.level} code, not a goal")
        return item

    def target(self, code: str) -> Target:
        """Target by code (``"11.6"``, ``"Target 11.a"``); raises UnknownCodeError."""
        item = self.lookup(code)
        if not isinstance(item, Target):
            raise UnknownCodeError(f"{code!r} is a {item.level} code, not a target")
        return item

    def indicator(self, code: str) -> Indicator:
        """Indicator by any of its codes (``"13.1.1"`` gives the 1.5.1 indicator)."""
        item = self.lookup(code)
        if not isinstance(item, Indicator):
            raise UnknownCodeError(f"{code!r} is a {item.level} code, not an indicator")
        return item

    def lookup(self, text: str | int) -> Item:
        """Find a goal, target or indicator from a code in any usual form.

        >>> get_framework().lookup("SDG 11").short_en  # doctest: +SKIP
        'Sustainable cities and communities'
        """
        code = normalise_code(text)
        level = code_level(code)
        found: Item | None
        if level == "goal":
            found = self._goals.get(int(code))
        elif level == "target":
            found = self._targets.get(code)
        else:
            found = self._indicators.get(code)
        if found is None:
            raise UnknownCodeError(self._unknown_message(code, level))
        return found

    def _unknown_message(self, code: str, level: Level) -> str:
        numbers = [g.number for g in self.goals]
        goal = int(code.split(".")[0])
        if goal not in self._goals:
            span = f"{min(numbers)} to {max(numbers)}" if numbers else "none loaded"
            return f"there is no SDG {goal}: the goals are {span}"
        if level == "target":
            listed = ", ".join(t.code for t in self._targets_by_goal.get(goal, ()))
            return f"there is no target {code}: goal {goal} has targets {listed}"
        target = code.rsplit(".", 1)[0]
        if target not in self._targets:
            listed = ", ".join(t.code for t in self._targets_by_goal.get(goal, ()))
            return (
                f"there is no indicator {code}: there is no target {target} "
                f"(goal {goal} has targets {listed})"
            )
        listed = ", ".join(self._listings_by_target.get(target, ())) or "no indicators"
        return f"there is no indicator {code}: target {target} has indicators {listed}"

    def title(self, code: str | int, lang: str = "en", *, mark_fallback: bool = False) -> str:
        """The official title of ``code`` in ``lang``; English when Japanese is missing.

        With ``mark_fallback`` an English fallback ends with a visible marker so
        that a reader does not take it for an official Japanese title.
        """
        item = self.lookup(code)
        if isinstance(item, Indicator):
            text = item.listing_title(str(code), lang)
        else:
            text = item.title(lang)
        if mark_fallback and lang == "ja" and not item.title_ja:
            from .i18n import t

            text += " " + t("framework.no_japanese", "ja")
        return text

    def translation(self, item: Item) -> Translation | None:
        """The translation ``item``'s Japanese title comes from, if recorded.

        >>> get_framework().translation(get_framework().target("11.6")).short_ja  # doctest: +SKIP
        '外務省仮訳'
        """
        if not item.title_ja or isinstance(item, Goal):
            return None
        return self.translations.get(item.ja_source)

    def children(self, code: str | int) -> tuple[Target, ...] | tuple[Indicator, ...]:
        """Targets of a goal, indicators of a target, nothing for an indicator."""
        item = self.lookup(code)
        if isinstance(item, Goal):
            return self._targets_by_goal.get(item.number, ())
        if isinstance(item, Target):
            return self._indicators_by_target.get(item.code, ())
        return ()

    def parent(self, code: str | int) -> Goal | Target | None:
        """The goal of a target, or the target of one indicator listing.

        ``parent("13.1.1")`` is target 13.1 while ``parent("1.5.1")`` is 1.5:
        a repeated indicator's listings each have their own parent. Use
        :meth:`parents` for all of them.
        """
        item = self.lookup(code)
        if isinstance(item, Target):
            return self._goals[item.goal]
        if isinstance(item, Indicator):
            return self._targets[self._listing_target[normalise_code(code)]]
        return None

    def parents(self, code: str | int) -> tuple[Target, ...] | tuple[Goal, ...]:
        """Every target an indicator is listed under; the goal of a target."""
        item = self.lookup(code)
        if isinstance(item, Indicator):
            return tuple(self._targets[t] for t in item.targets)
        if isinstance(item, Target):
            return (self._goals[item.goal],)
        return ()

    def listings(self, target: str) -> tuple[str, ...]:
        """The indicator codes listed under ``target`` (repeats use their own code)."""
        return self._listings_by_target.get(self.target(target).code, ())

    def search(self, text: str, lang: str | None = None) -> tuple[Item, ...]:
        """Goals, targets and indicators whose title contains ``text``.

        English matches whole-word starts, ignoring case ("sanit" finds
        "sanitation"); Japanese matches any substring. Every word of the
        query must match. ``lang`` limits the search to one language.
        """
        query = unicodedata.normalize("NFKC", text or "").strip()
        if not query:
            raise FrameworkError("nothing to search for: give a word such as 'waste' or '廃棄物'")
        if lang is not None and lang not in LANGS:
            raise FrameworkError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")
        words = query.split()
        # Typography is folded on both sides: "under-5" finds "under\u20115".
        english = [
            re.compile(r"(?<!\w)" + re.escape(fold_typography(w)), re.IGNORECASE) for w in words
        ]
        japanese = [w.casefold() for w in words]
        found: list[Item] = []
        for item, texts_en, texts_ja in self._search_texts():
            hit_en = lang in (None, "en") and any(
                all(p.search(s) for p in english) for s in texts_en
            )
            hit_ja = lang in (None, "ja") and any(all(w in s for w in japanese) for s in texts_ja)
            if hit_en or hit_ja:
                found.append(item)
        return tuple(found)

    def _search_texts(self) -> list[tuple[Item, tuple[str, ...], tuple[str, ...]]]:
        """Each item with its English texts (typography folded) and Japanese texts
        (NFKC, casefolded), computed once: a search should not fold every title again."""
        if self._folded is None:
            self._folded = []
            for item in self._all_items():
                english: tuple[str, ...] = (fold_typography(item.title_en),)
                japanese: tuple[str, ...] = (item.title_ja,)
                if isinstance(item, Goal):
                    english += (item.short_en,)
                    japanese += (item.short_ja,)
                if isinstance(item, Indicator):
                    japanese += tuple(t for t, _ in item.listings_ja if t != item.title_ja)
                self._folded.append(
                    (
                        item,
                        tuple(s for s in english if s),
                        tuple(unicodedata.normalize("NFKC", s).casefold() for s in japanese if s),
                    )
                )
        return self._folded

    def _all_items(self) -> Iterator[Item]:
        yield from self.goals
        yield from self.targets
        yield from self.indicators

    # ---- HLPF

    def hlpf_years(self) -> tuple[int, ...]:
        """Years for which an HLPF in-depth review set is recorded."""
        return tuple(self._hlpf)

    def hlpf_goals(self, year: int) -> tuple[int, ...]:
        """The goals the HLPF reviews in depth in ``year`` (SDG 17 every year)."""
        try:
            return self._hlpf[int(year)]
        except (KeyError, TypeError, ValueError):
            years = ", ".join(str(y) for y in self._hlpf) or "none"
            raise FrameworkError(
                f"no HLPF review set recorded for {year!r}; years with a set: {years} "
                f"(edit {HLPF_FILE} to add one)"
            ) from None

    def hlpf_note(self, year: int) -> str:
        """The source or caveat recorded with a year's HLPF set."""
        self.hlpf_goals(year)
        return self._hlpf_notes.get(int(year), "")

    # ---- tables

    def to_frame(self, level: str = "indicator") -> pd.DataFrame:
        """A tidy table of one level: ``goal``, ``target``, ``indicator`` or ``all``.

        ``indicator`` has one row per indicator-target link, with
        ``indicator_id`` naming the indicator (its earliest code). ``all`` is
        the export table: ``level, code, parent, goal, indicator_id, title_en,
        title_ja, ja_source, footnote``.
        """
        import pandas as pd

        key = level.rstrip("s") if level != "all" else level
        if key == "goal":
            return pd.DataFrame(
                [
                    {
                        "goal": g.number,
                        "code": g.code,
                        "title_en": g.title_en,
                        "title_ja": g.title_ja,
                        "short_en": g.short_en,
                        "short_ja": g.short_ja,
                        "colour": g.colour,
                    }
                    for g in self.goals
                ],
                columns=["goal", "code", *GOAL_COLUMNS[1:]],
            )
        if key == "target":
            return pd.DataFrame(
                [(t.code, t.goal, t.title_en, t.title_ja) for t in self.targets],
                columns=list(TARGET_COLUMNS),
            )
        if key == "indicator":
            rows = [
                (code, i.code, target, int(target.split(".")[0]), i.title_en, i.title_ja)
                for code, target, i in self._links()
            ]
            return pd.DataFrame(
                rows, columns=["code", "indicator_id", "target", "goal", "title_en", "title_ja"]
            )
        if key == "all":
            return pd.DataFrame(self.export_rows(), columns=list(EXPORT_COLUMNS))
        raise FrameworkError(f"unknown level {level!r}; allowed: goal, target, indicator, all")

    def _links(self) -> list[tuple[str, str, Indicator]]:
        links = [
            (code, target, i)
            for i in self.indicators
            for code, target in zip(i.codes, i.targets, strict=True)
        ]
        return sorted(links, key=lambda link: code_sort_key(link[0]))

    def export_rows(self) -> list[dict[str, str]]:
        """Every goal, target and indicator-target link in UN order, as flat rows."""
        rows: list[dict[str, str]] = []
        links: dict[str, list[tuple[str, Indicator]]] = {}
        for code, target_code, indicator in self._links():
            links.setdefault(target_code, []).append((code, indicator))
        for goal in self.goals:
            rows.append(_row("goal", goal.code, "", goal.code, "", goal))
            for target in self._targets_by_goal.get(goal.number, ()):
                rows.append(_row("target", target.code, goal.code, goal.code, "", target))
                for code, ind in links.get(target.code, ()):
                    rows.append(_row("indicator", code, target.code, goal.code, ind.code, ind))
        return rows

    def missing_japanese(self) -> pd.DataFrame:
        """Goals, targets and indicators that have no Japanese title yet."""
        import pandas as pd

        rows = [
            {
                "level": item.level,
                "code": item.code,
                "codes": ";".join(item.codes) if isinstance(item, Indicator) else item.code,
                "title_en": item.title_en,
            }
            for item in self._all_items()
            if not item.title_ja
        ]
        return pd.DataFrame(rows, columns=["level", "code", "codes", "title_en"])


EXPORT_COLUMNS = (
    "level",
    "code",
    "parent",
    "goal",
    "indicator_id",
    "title_en",
    "title_ja",
    "ja_source",
    "footnote",
)


def _row(level: str, code: str, parent: str, goal: str, ind: str, item: Item) -> dict[str, str]:
    return {
        "level": level,
        "code": code,
        "parent": parent,
        "goal": goal,
        "indicator_id": ind,
        "title_en": item.title_en,
        "title_ja": item.title_ja,
        "ja_source": "" if isinstance(item, Goal) else item.ja_source,
        "footnote": item.footnote,
    }


# --------------------------------------------------------------------------- loading


def default_folder() -> Path:
    """Where the framework files live: ``data/reference/sdg/``."""
    return paths.REFERENCE_DIR / "sdg"


_CACHE: dict[Path, Framework] = {}


def get_framework(folder: str | Path | None = None) -> Framework:
    """The framework, loaded once per folder and then reused."""
    key = Path(folder or default_folder()).resolve()
    if key not in _CACHE:
        _CACHE[key] = load_framework(key)
    return _CACHE[key]


def clear_framework_cache() -> None:
    """Forget loaded frameworks, e.g. after the data files were edited."""
    _CACHE.clear()


def load_framework(folder: str | Path | None = None) -> Framework:
    """Read and validate the framework files in ``folder``.

    Raises :class:`DataFileError` listing every problem found, each with its
    file, row (as numbered in the CSV file: the header is row 1) and column.
    """
    folder = Path(folder or default_folder())
    problems: list[Problem] = []
    translations = _load_translations(folder / TRANSLATIONS_FILE, problems)
    goals = _load_goals(folder / GOALS_FILE, problems)
    targets = _load_targets(folder / TARGETS_FILE, goals, translations, problems)
    indicators = _load_indicators(folder / INDICATORS_FILE, targets, translations, problems)
    hlpf, notes = _load_hlpf(folder / HLPF_FILE, goals, problems)
    if problems:
        raise DataFileError(f"the SDG framework files in {folder} have problems", problems)
    return Framework(
        goals.values(),
        targets.values(),
        indicators,
        hlpf,
        notes,
        folder,
        translations.values(),
    )


Row = dict[str, str]


def read_rows(path: Path, columns: Iterable[str], problems: list[Problem]) -> list[tuple[int, Row]]:
    """Read a UTF-8 CSV into ``(row number, {column: stripped text})`` pairs.

    Missing files, missing columns and rows with stray cells become problems;
    blank rows are skipped. Row numbers count the header as row 1.
    """
    if not path.is_file():
        hint = ""
        if path.name in (TARGETS_FILE, INDICATORS_FILE):
            hint = (
                "; rebuild it with 'vlr framework import' from the UN's spreadsheet in "
                "data/reference/sdg/source/"
            )
        problems.append(Problem(f"file not found{hint}", file=str(path)))
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(f"cannot be read as UTF-8 text: {exc}", file=str(path)))
        return []
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in columns if c not in header]
    if missing:
        problems.append(
            Problem(
                f"header lacks column(s) {', '.join(missing)}",
                file=str(path),
                row=1,
                allowed=", ".join(columns),
            )
        )
        return []
    reader.fieldnames = header
    rows: list[tuple[int, Row]] = []
    try:
        for number, record in enumerate(reader, start=2):
            extra = record.pop(None, None)  # type: ignore[call-overload]
            if extra is not None:
                problems.append(
                    Problem(
                        f"row has {len(header) + len(extra)} cells but the header has "
                        f"{len(header)}; a title with a comma must be in double quotes",
                        file=str(path),
                        row=number,
                    )
                )
                continue
            clean = {k: (v or "").strip() for k, v in record.items() if k is not None}
            if any(clean.values()):
                rows.append((number, clean))
    except csv.Error as exc:
        problems.append(Problem(f"not valid CSV: {exc}", file=str(path)))
    return rows


def write_rows(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> None:
    """Write ``rows`` as a UTF-8 CSV with header ``columns`` (missing cells left empty).

    The counterpart of :func:`read_rows`, for tools that rebuild the framework files.
    """
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: r.get(c, "") for c in columns} for r in rows)


def _problem(path: Path, row: int, column: str, message: str, **kw: object) -> Problem:
    return Problem(message, file=str(path), row=row, column=column, **kw)  # type: ignore[arg-type]


def _load_goals(path: Path, problems: list[Problem]) -> dict[int, Goal]:
    goals: dict[int, Goal] = {}
    for row, rec in read_rows(path, GOAL_COLUMNS, problems):
        # Only a bad or repeated key keeps a row out: other problems are reported
        # but the row still counts, so one typo does not cascade into other files.
        ok = True
        number = _int_in(rec["goal"], 1, 17)
        if number is None:
            problems.append(
                _problem(
                    path, row, "goal", "not a goal number", value=rec["goal"], allowed="1 to 17"
                )
            )
            ok = False
        elif number in goals:
            problems.append(_problem(path, row, "goal", f"goal {number} is listed twice"))
            ok = False
        for column in ("title_en", "short_en"):
            if not rec[column]:
                problems.append(_problem(path, row, column, "empty; an English text is required"))
        if not _COLOUR.fullmatch(rec["colour"]):
            problems.append(
                _problem(
                    path, row, "colour", "not a colour", value=rec["colour"], allowed="#RRGGBB"
                )
            )
        if ok and number is not None:
            goals[number] = Goal(
                number=number,
                code=str(number),
                title_en=rec["title_en"],
                title_ja=rec["title_ja"],
                short_en=rec["short_en"],
                short_ja=rec["short_ja"],
                colour=rec["colour"].upper(),
                footnote=rec.get(FOOTNOTE_COLUMN, ""),
            )
    return goals


def _load_translations(path: Path, problems: list[Problem]) -> dict[str, Translation]:
    # Optional: a framework without Japanese target or indicator titles needs none.
    if not path.is_file():
        return {}
    found: dict[str, Translation] = {}
    for row, rec in read_rows(path, TRANSLATION_COLUMNS, problems):
        source = rec["source"]
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", source):
            problems.append(
                _problem(
                    path, row, "source", "not a source id", value=source, allowed="e.g. mofa-2015"
                )
            )
            continue
        if source in found:
            problems.append(_problem(path, row, "source", f"{source} is listed twice"))
            continue
        for column in ("name_en", "name_ja", "short_ja"):
            if not rec[column]:
                problems.append(_problem(path, row, column, "empty; a name is required"))
        if rec["provisional"] not in _YES:
            problems.append(
                _problem(
                    path,
                    row,
                    "provisional",
                    "not yes or empty",
                    value=rec["provisional"],
                    allowed="yes, or empty for an official text",
                )
            )
        found[source] = Translation(
            source, rec["name_en"], rec["name_ja"], rec["short_ja"], rec["provisional"] == "yes"
        )
    return found


def _ja_fields(
    path: Path, row: int, rec: Row, translations: dict[str, Translation], problems: list[Problem]
) -> dict[str, str]:
    """The provenance of a row's Japanese title, checked; empty columns are fine."""
    source = rec.get("ja_source", "")
    agreement = rec.get("ja_agreement", "")
    older = rec.get("ja_older_wording", "")
    if source and source not in translations:
        known = ", ".join(translations) or f"none: {TRANSLATIONS_FILE} is missing"
        problems.append(
            _problem(
                path,
                row,
                "ja_source",
                f"not a source of {TRANSLATIONS_FILE}",
                value=source,
                allowed=known,
            )
        )
    if (source or agreement or older) and not rec["title_ja"]:
        problems.append(
            _problem(
                path, row, "title_ja", "empty, but the row says where a Japanese title is from"
            )
        )
    match = _AGREEMENT.fullmatch(agreement)
    if agreement and not (match and 0 < int(match[1]) <= int(match[2])):
        problems.append(
            _problem(
                path,
                row,
                "ja_agreement",
                "not a count of agreeing copies",
                value=agreement,
                allowed="e.g. 2/3: copies agreeing / copies consulted",
            )
        )
    if older not in _YES:
        problems.append(
            _problem(
                path,
                row,
                "ja_older_wording",
                "not yes or empty",
                value=older,
                allowed="yes (the translation follows an older English wording) or empty",
            )
        )
    return {"ja_source": source, "ja_agreement": agreement, "ja_older_wording": older}


def _load_targets(
    path: Path,
    goals: dict[int, Goal],
    translations: dict[str, Translation],
    problems: list[Problem],
) -> dict[str, Target]:
    targets: dict[str, Target] = {}
    for row, rec in read_rows(path, TARGET_COLUMNS, problems):
        code = rec["code"]
        match = _TARGET_CODE.fullmatch(code)
        if not match:
            problems.append(
                _problem(
                    path, row, "code", "not a target code", value=code, allowed="e.g. 11.6 or 11.a"
                )
            )
            continue
        ok = True
        if code in targets:
            problems.append(_problem(path, row, "code", f"target {code} is listed twice"))
            ok = False
        goal = _int_in(rec["goal"], 1, 99)
        if goal is None or goal != int(match[1]):
            problems.append(
                _problem(
                    path,
                    row,
                    "goal",
                    f"does not match the code {code}",
                    value=rec["goal"],
                    allowed=match[1],
                )
            )
        elif goal not in goals:
            problems.append(
                _problem(path, row, "goal", f"goal {goal} is not in {GOALS_FILE}", value=goal)
            )
        if not rec["title_en"]:
            problems.append(_problem(path, row, "title_en", "empty; the English title is required"))
        ja = _ja_fields(path, row, rec, translations, problems)
        if ok:
            targets[code] = Target(
                code,
                int(match[1]),
                rec["title_en"],
                rec["title_ja"],
                footnote=rec.get(FOOTNOTE_COLUMN, ""),
                ja_source=ja["ja_source"],
                ja_agreement=ja["ja_agreement"],
            )
    return targets


def _load_indicators(
    path: Path,
    targets: dict[str, Target],
    translations: dict[str, Translation],
    problems: list[Problem],
) -> list[Indicator]:
    # First pass: each listing on its own; second pass: join repeats.
    listings: dict[str, tuple[int, Row]] = {}
    by_title: dict[str, str] = {}
    rows = read_rows(path, INDICATOR_COLUMNS, problems)
    for row, rec in rows:
        code = rec["code"]
        match = _INDICATOR_CODE.fullmatch(code)
        if not match:
            problems.append(
                _problem(
                    path,
                    row,
                    "code",
                    "not an indicator code",
                    value=code,
                    allowed="e.g. 11.6.2 or 11.a.1",
                )
            )
            continue
        ok = True
        if code in listings:
            problems.append(_problem(path, row, "code", f"indicator {code} is listed twice"))
            ok = False
        target = rec["target"]
        if target != f"{match[1]}.{match[2]}":
            problems.append(
                _problem(
                    path,
                    row,
                    "target",
                    f"does not match the code {code}",
                    value=target,
                    allowed=f"{match[1]}.{match[2]}",
                )
            )
        elif target not in targets:
            problems.append(
                _problem(path, row, "target", f"target {target} is not in {TARGETS_FILE}")
            )
        if not rec["title_en"]:
            problems.append(_problem(path, row, "title_en", "empty; the English title is required"))
        ja = _ja_fields(path, row, rec, translations, problems)
        if ok:
            listings[code] = (row, {**rec, **ja, "target": f"{match[1]}.{match[2]}"})

    primary_of: dict[str, str] = {}
    for code in sorted(listings, key=code_sort_key):
        row, rec = listings[code]
        same_as = rec["same_as"]
        title = fold_typography(rec["title_en"])
        if not title:
            primary_of[code] = code
            continue
        if not same_as:
            earlier = by_title.get(title)
            if earlier:
                problems.append(
                    _problem(
                        path,
                        row,
                        "same_as",
                        f"{code} has the same title as {earlier}; mark the repeat "
                        f"with same_as={earlier}",
                    )
                )
            else:
                by_title[title] = code
            primary_of[code] = code
            continue
        first = listings.get(same_as)
        if first is None:
            problems.append(
                _problem(
                    path,
                    row,
                    "same_as",
                    "names no indicator listed in this file",
                    value=same_as,
                    allowed="the earliest code of the repeated indicator, e.g. 1.5.1",
                )
            )
        elif first[1]["same_as"] or code_sort_key(same_as) >= code_sort_key(code):
            problems.append(
                _problem(
                    path,
                    row,
                    "same_as",
                    f"must name the earliest listing of the indicator, before {code}",
                    value=same_as,
                )
            )
        elif fold_typography(first[1]["title_en"]) != title:
            problems.append(
                _problem(
                    path,
                    row,
                    "title_en",
                    f"differs from the title of {same_as}, which same_as says it repeats",
                )
            )
        else:
            primary_of[code] = same_as

    groups: dict[str, list[str]] = {}
    for code, primary in primary_of.items():
        groups.setdefault(primary, []).append(code)
    indicators = []
    for primary, codes in groups.items():
        codes.sort(key=code_sort_key)
        recs = [listings[c][1] for c in codes]
        # The Japanese title (and its provenance) of the first listing that has one.
        ja = next((r for r in recs if r["title_ja"]), recs[0])
        indicators.append(
            Indicator(
                code=primary,
                codes=tuple(codes),
                targets=tuple(r["target"] for r in recs),
                title_en=recs[0]["title_en"],
                title_ja=ja["title_ja"],
                footnote=recs[0].get(FOOTNOTE_COLUMN, ""),
                ja_source=ja["ja_source"],
                ja_agreement=ja["ja_agreement"],
                ja_older_wording=ja["ja_older_wording"] == "yes",
                listings_ja=tuple((r["title_ja"], r["ja_older_wording"] == "yes") for r in recs),
            )
        )
    return indicators


def _load_hlpf(
    path: Path, goals: dict[int, Goal], problems: list[Problem]
) -> tuple[dict[int, tuple[int, ...]], dict[int, str]]:
    sets: dict[int, tuple[int, ...]] = {}
    notes: dict[int, str] = {}
    for row, rec in read_rows(path, HLPF_COLUMNS, problems):
        year = _int_in(rec["year"], 2015, 2100)
        if year is None:
            problems.append(
                _problem(path, row, "year", "not a year", value=rec["year"], allowed="e.g. 2026")
            )
            continue
        if year in sets:
            problems.append(_problem(path, row, "year", f"{year} is listed twice"))
            continue
        numbers = [_int_in(p, 1, 17) for p in rec["goals"].split(";") if p.strip()]
        if not numbers or None in numbers:
            problems.append(
                _problem(
                    path,
                    row,
                    "goals",
                    "not a list of goal numbers",
                    value=rec["goals"],
                    allowed="numbers 1 to 17 separated by ';', e.g. 6;7;9;11;17",
                )
            )
            continue
        unknown = [n for n in numbers if n not in goals]
        if goals and unknown:
            problems.append(
                _problem(path, row, "goals", f"goal(s) {unknown} are not in {GOALS_FILE}")
            )
            continue
        sets[year] = tuple(sorted({n for n in numbers if n is not None}))
        notes[year] = rec["note"]
    return sets, notes


def _int_in(text: str, low: int, high: int) -> int | None:
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if low <= value <= high else None
