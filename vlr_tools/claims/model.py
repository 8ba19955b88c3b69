"""What the claim reader finds: figures, claims, links to indicators, and the checks offered.

All records are frozen. A :class:`Claim` keeps where it was read (page,
paragraph reference, table row) and its exact words; a :class:`Link` says
which indicator of the review's table it is about, with the score and the
reason; a :class:`ClaimCheck` is a suggestion the reviewer confirms or
dismisses, with the evidence on both sides (the draft's page, the table's row).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ..i18n import check_lang

#: The checks, in the order they are listed.
CHECK_KINDS = (
    "value_differs",
    "trend_contradicts",
    "status_unsupported",
    "older_year",
    "values_disagree",
)
#: A claim that could be about two indicators: the reviewer says which.
WHICH_INDICATOR = "which_indicator"
SUGGESTED = "suggested"
CONFIRMED = "confirmed"
DISMISSED = "dismissed"
DECISIONS = (CONFIRMED, DISMISSED)


@dataclass(frozen=True)
class Figure:
    """One number of a claim as written.

    ``value`` is the number read (``low``/``high`` for a range such as
    "70–75%"), ``unit`` the words that follow it and ``unit_kind`` their kind
    ("percent", "per_100000", "count"...; "" when the text gives none).
    ``year`` is the year the text ties it to. ``approximate`` ("about 80%"),
    ``bound`` ("min" for "more than", "max" for "less than") and ``role``
    ("from"/"to" of a change) say how far it can be compared. ``decimals``
    is how many digits follow the decimal point (the rounding written).
    """

    value: float
    text: str
    unit: str = ""
    unit_kind: str = ""
    year: int | None = None
    approximate: bool = False
    bound: str = ""
    role: str = ""
    decimals: int = 0
    low: float | None = None
    high: float | None = None
    start: int = 0
    end: int = 0

    @property
    def exact(self) -> bool:
        """True when the figure can be compared as a value (not approximate, a range or a bound)."""
        return not self.approximate and not self.bound and self.low is None

    @property
    def half_unit(self) -> float:
        """Half a unit of the last digit written: 82 -> 0.5, 9.8 -> 0.05."""
        return 0.5 * 10 ** (-self.decimals)

    def shown(self) -> str:
        return self.text


@dataclass(frozen=True)
class Claim:
    """A sentence (or table row) of the draft that states a value, a change or a status.

    ``id`` is stable for the draft: the paragraph reference and the clause
    number (``p12.3#1``). ``source`` is "text" or "table"; for a table row
    ``row`` counts the rows under the table's heading row. ``text`` is the
    exact words of the sentence or row. ``trend`` is "up", "down", "better",
    "worse" or "flat" (``negated`` when the text says it did *not* happen),
    ``status`` "on_track", "achieved" or "progressing". ``goal`` is the goal
    the claim names (or the goal section a "Status:" line sits in); ``codes``
    the global indicator codes and ``ids`` the table's indicator ids named;
    ``targets`` the target codes named; ``years`` every year named.
    ``before`` is the sentence before it in the same paragraph ("It stood
    at 42.1 in 2023" is about what that sentence names).
    """

    id: str
    page: int
    ref: str
    text: str
    source: str = "text"
    row: int | None = None
    section: str = ""
    section_goal: int | None = None
    figures: tuple[Figure, ...] = ()
    years: tuple[int, ...] = ()
    trend: str = ""
    trend_words: str = ""
    negated: bool = False
    status: str = ""
    status_words: str = ""
    goal: int | None = None
    codes: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    lang: str = "en"
    before: str = ""

    @property
    def kind(self) -> str:
        """ "status", "change" or "value": what the claim mostly states."""
        if self.status:
            return "status"
        if self.trend:
            return "change"
        return "value"

    @property
    def where(self) -> str:
        """ "p. 12 (p12.3)" or "p. 26, table row 4 (p26.7)"."""
        row = f", table row {self.row}" if self.source == "table" and self.row else ""
        return f"p. {self.page}{row} ({self.ref})"


@dataclass(frozen=True)
class Link:
    """Which indicator a claim is about, how sure the reader is, and why.

    ``indicator`` is the table's id ("" when no indicator scored enough);
    ``score`` is 0-1; ``reasons`` the evidence ("names SR-IND-12", "words of
    the name: piped, water"); ``candidates`` the other indicators that
    scored, best first, as (id, score). ``ambiguous`` is True when a second
    indicator scored within the margin: then ``indicator`` is empty and the
    reviewer chooses. ``chosen_by`` names the reviewer who chose.
    """

    claim_id: str
    indicator: str = ""
    score: float = 0.0
    reasons: tuple[str, ...] = ()
    candidates: tuple[tuple[str, float], ...] = ()
    ambiguous: bool = False
    chosen_by: str = ""

    @property
    def linked(self) -> bool:
        return bool(self.indicator)


@dataclass(frozen=True)
class ClaimCheck:
    """A suggestion about a claim, for the reviewer to confirm or dismiss.

    ``kind`` is one of :data:`CHECK_KINDS` (or :data:`WHICH_INDICATOR`).
    The draft's side: ``page``, ``ref``, ``quote`` (the exact words) and,
    for two places that disagree, ``other_page``/``other_ref``/``other_quote``;
    ``also`` lists (page, ref) of other places that say the same.
    The table's side: ``indicator`` (id and ``indicator_name``; ``goal`` for
    a goal's status), ``table``
    (what the table says: "86 (2023)") and ``table_where`` (file, sheet,
    row). ``tolerance`` is the difference allowed, as words. ``reason_en``
    and ``reason_ja`` say it all in a sentence; ``link`` why the claim was
    tied to that indicator. ``status`` is "suggested" until a reviewer
    confirms or dismisses it (``reason`` then holds the reviewer's words).
    """

    kind: str
    claim_id: str
    page: int
    ref: str
    quote: str
    reason_en: str
    reason_ja: str
    indicator: str = ""
    indicator_name: str = ""
    goal: int | None = None
    table: str = ""
    table_where: str = ""
    tolerance: str = ""
    other_page: int | None = None
    other_ref: str = ""
    other_quote: str = ""
    link: str = ""
    candidates: tuple[str, ...] = ()
    also: tuple[tuple[int, str], ...] = ()
    status: str = SUGGESTED
    decided_by: str = ""
    decided_at: str = ""
    note: str = ""

    @property
    def id(self) -> str:
        """A short id that stays the same for the same finding in the same draft."""
        basis = "|".join(
            (self.kind, self.claim_id, self.indicator, self.other_ref, self.quote[:200])
        )
        return "F" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:6]

    @property
    def pages(self) -> tuple[int, ...]:
        """The draft's pages the check cites."""
        found = [self.page] + ([self.other_page] if self.other_page else [])
        found += [page for page, _ref in self.also]
        return tuple(sorted(set(found)))

    def reason(self, lang: str = "en") -> str:
        return self.reason_ja if check_lang(lang) == "ja" and self.reason_ja else self.reason_en

    def to_record(self) -> dict[str, Any]:
        data = asdict(self)
        data["candidates"] = list(self.candidates)
        data["also"] = [list(a) for a in self.also]
        data["id"] = self.id
        return data

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> ClaimCheck:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["candidates"] = tuple(values.get("candidates") or ())
        values["also"] = tuple((int(p), str(r)) for p, r in values.get("also") or ())
        return cls(**values)


@dataclass(frozen=True)
class ClaimsReport:
    """Everything the claim reader found in one review's draft.

    ``claims`` in reading order, ``links`` by claim id, ``checks`` (the
    suggestions, with the reviewers' decisions applied), and ``notes``:
    things the reviewer should know about the run (no indicator table, a
    table with no years...).
    """

    review_id: str
    claims: tuple[Claim, ...]
    links: dict[str, Link] = field(default_factory=dict)
    checks: tuple[ClaimCheck, ...] = ()
    notes: tuple[str, ...] = ()
    draft_sha256: str = ""
    indicators: int = 0
    seconds: float = 0.0

    def claim(self, claim_id: str) -> Claim | None:
        for c in self.claims:
            if c.id == claim_id:
                return c
        return None

    def check(self, check_id: str) -> ClaimCheck | None:
        wanted = check_id.strip().upper()
        for c in self.checks:
            if c.id.upper() == wanted:
                return c
        return None

    @property
    def open_checks(self) -> tuple[ClaimCheck, ...]:
        return tuple(c for c in self.checks if c.status == SUGGESTED)

    @property
    def linked(self) -> int:
        return sum(1 for link in self.links.values() if link.linked)


__all__ = [
    "CHECK_KINDS",
    "CONFIRMED",
    "DECISIONS",
    "DISMISSED",
    "SUGGESTED",
    "WHICH_INDICATOR",
    "Claim",
    "ClaimCheck",
    "ClaimsReport",
    "Figure",
    "Link",
]
