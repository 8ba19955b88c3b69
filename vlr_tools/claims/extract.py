"""Read the claims of a draft: sentences and table rows that state a value, a change or a status.

:func:`extract_claims` walks a :class:`~vlr_tools.documents.Draft` in reading
order. Text paragraphs and list items are split into sentences (English and
Japanese) and sentences into clauses (at semicolons); each clause that states
a figure (:mod:`.numbers`), a trend word ("rose", 「上昇」) or a status ("on
track", 「順調」) with a subject becomes a :class:`~.model.Claim`. Table rows
are claims too: a row giving "71 (2023)" for an indicator, a row under year
headings ("| 2019 | 2023 |"), or a row with a status ("On track"). Headings
and contents pages are skipped.

>>> from vlr_tools.documents import draft_from_text
>>> d = draft_from_text("Households with piped water rose from 64% in 2018 to 82% in 2023.")
>>> [(c.kind, [f.value for f in c.figures]) for c in extract_claims(d)]
[('change', [64.0, 82.0])]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .model import Claim, Figure
from .numbers import _DOT_LEADER, _NUMBER, _Text, bind_years, folded, masked_spans, read_clause
from .settings import Settings, claim_settings

if TYPE_CHECKING:
    from ..documents import Draft, Paragraph

_ABBREVIATIONS = frozenset(
    """no nos p pp e.g i.e vs st dr mr mrs ms brgy govt approx fig figs ra sec art inc co
    ltd jan feb mar apr jun jul aug sep sept oct nov dec u.s etc al cf ch vol est tel fax
    mob""".split()
)
_SENTENCE_END = re.compile(r"([.!?])([\"”’)\]]*)\s+(?=[\"“(\[]?[A-Z0-9])|([。！？])")
_CLAUSE_SPLIT = re.compile(r";\s+|；")
_CONJUNCTION = re.compile(r",\s+(?:and|while|whereas|but)\s+")
_GOAL_AT_START = re.compile(r"^\s*(?:sdg|goal|目標)\s*(\d{1,2})(?![\d.]\d)", re.I)
_SECTION_GOAL = re.compile(r"(?:\bsdg|\bgoal|目標)\s*(\d{1,2})(?![\d.]\d)", re.I)
_VALUE_YEAR = re.compile(
    r"(?<![\w.])(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|％)?\s*[(（]\s*(?P<year>(?:19|20)\d\d)"
    r"\s*(?:年度|年)?\s*(?P<flag>[*†pe]|\w{1,3}\.?)?\s*[)）]"
)
_YEAR_CELL = re.compile(
    r"^\s*(?:fy|cy)?\s*((?:19|20)\d\d)\s*(?:年度|年)?\s*(?:\(\s*\w{1,4}\s*\))?\s*$", re.I
)
_YEAR_HEADING = re.compile(r"\byears?\b|年|\btaon\b")
_YEAR_THEN_VALUE = re.compile(
    r"(?<![\d.,])(?P<year>(?:19|20)\d\d)\s*(?:\|\s*)?"
    r"(?P<num>(?!(?:19|20)\d\d(?![\d.,]))\d[\d,]*(?:\.\d+)?)(?![\d])\s*(?P<unit>%|％)?"
)
_BLANK_CELLS = frozenset(["—", "–", "-", "n/a", "na", "..", "…", "", "－", "―", "ー"])


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``text``, English and Japanese.

    A full stop after an abbreviation ("No. 5", "Brgy. Dita") or inside a
    number ("9.8") does not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group(1) == ".":
            word = re.search(r"([\w.]+)\.$", text[start : m.start() + 1])
            if word and word[1].lower() in _ABBREVIATIONS:
                continue
            if word and len(word[1]) == 1 and word[1].isupper():
                continue  # an initial: "A. Reviewer"
        end = m.end() if m.group(3) else m.start(1) + 1 + len(m.group(2) or "")
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def split_clauses(text: str) -> list[tuple[int, int]]:
    """The clauses of ``text`` as (start, end) spans: its sentences split at semicolons, and at
    ", and" / ", while" / ", but" between two figures."""
    return [part for a, b in split_sentences(text) for part in _parts(text, a, b)]


@dataclass(frozen=True)
class _Found:
    kind: str
    words: str
    start: int
    end: int


def find_trend(settings: Settings, text: str) -> tuple[_Found | None, bool]:
    """The first trend word of ``text`` and whether it is negated ("have not gone down")."""
    t = folded(text)
    low = t.text
    hit = settings.trend_any.find(low)
    best: _Found | None = None
    if hit is not None:
        kind, start, end = hit
        a, b = t.original_span(start, end)
        best = _Found(kind, text[a:b], start, end)
    if best is None or settings.negation is None:
        return best, False
    before = low[max(0, best.start - 18) : best.start]
    after = low[best.end : best.end + 8]
    negated = bool(
        re.search(r"(?:\bnot|n't|\bno longer|\bnever|\bhardly)\s+(?:\w+\s+){0,2}$", before)
        or settings.negation.match(after)
        or re.match(r"[^\s]{0,3}(?:ていない|ていません|なかった|しない|せず|ず|なし|ない)", after)
    )
    return best, negated


def find_status(settings: Settings, text: str) -> _Found | None:
    """The first status phrase of ``text`` ("on track", 「順調」), or None."""
    t = folded(text)
    hit = settings.status_any.find(t.text)
    if hit is None:
        return None
    kind, start, end = hit
    a, b = t.original_span(start, end)
    return _Found(kind, text[a:b], start, end)


def _status_line(settings: Settings, text: str) -> bool:
    """ "Status: Progressing." or 「評価：前進」: a status label before the status."""
    if settings.status_label is None:
        return False
    low = folded(text).text.strip(" *_")
    m = settings.status_label.match(low)
    return m is not None and bool(re.match(r"\s*[:：]", low[m.end() :]))


class _Sections:
    """The goal a heading introduces ("5.1 SDG 1: No Poverty"), kept until a heading at its level."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, int | None]] = []

    def heading(self, para: Paragraph) -> None:
        level = para.level or 1
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        goals = {int(g) for g in _SECTION_GOAL.findall(para.text) if 1 <= int(g) <= 17}
        self.stack.append((level, goals.pop() if len(goals) == 1 else None))

    @property
    def goal(self) -> int | None:
        for _level, goal in reversed(self.stack):
            if goal is not None:
                return goal
        return None


def extract_claims(
    draft: Draft,
    *,
    known_ids: Iterable[str] = (),
    settings: Settings | None = None,
) -> list[Claim]:
    """Every claim of ``draft`` in reading order (see the module docs).

    ``known_ids`` are the indicator ids of the review's table ("SR-IND-12"):
    a sentence or row naming one is about that indicator.
    """
    s = settings or claim_settings()
    ids = {k.lower(): k for k in known_ids}
    claims: list[Claim] = []
    sections = _Sections()
    table: list[Paragraph] = []
    lang = draft.lang or "en"
    for para in draft.paragraphs():
        if para.kind == "table":
            table.append(para)
            continue
        if table:
            claims.extend(_table_claims(table, s, ids, sections.goal, lang))
            table = []
        if para.kind == "heading":
            sections.heading(para)
            continue
        claims.extend(_text_claims(para, s, ids, sections.goal, lang))
    if table:
        claims.extend(_table_claims(table, s, ids, sections.goal, lang))
    return claims


def _parts(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A sentence split at semicolons, and at ", and" / ", while" / ", but" when both sides
    hold a number ("fell by a quarter between 2018 and 2023, and the protected area ...")."""
    pieces: list[tuple[int, int]] = []
    pos = a
    for m in _CLAUSE_SPLIT.finditer(text, a, b):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, b))
    out: list[tuple[int, int]] = []
    for x, y in pieces:
        cut = x
        for m in _CONJUNCTION.finditer(text, x, y):
            left, right = text[cut : m.start()], text[m.end() : y]
            if re.search(r"\d", left) and re.search(r"\d", right):
                out.append((cut, m.start()))
                cut = m.start() + 1
        out.append((cut, y))
    return [(x, y) for x, y in out if text[x:y].strip(" ,")]


def _text_claims(
    para: Paragraph, s: Settings, ids: Mapping[str, str], section_goal: int | None, lang: str
) -> Iterator[Claim]:
    text = para.text
    if _DOT_LEADER.search(text):
        return  # a contents line: "Introduction ........ 4"
    n = 0
    before = ""
    for a, b in split_sentences(text):
        sentence_trend: _Found | None = None
        sentence_years: list[int] = []
        for x, y in _parts(text, a, b):
            n += 1
            raw = text[x:y]
            clause = raw.strip(" ,")
            found = read_clause(clause, settings=s, known_ids=ids)
            trend, negated = find_trend(s, clause)
            figures = list(found.figures)
            years = list(found.years)
            if trend is None and sentence_trend is not None and any(f.role for f in figures):
                trend = sentence_trend  # "..., and the share with toilets from 88.0 to 92.4"
            if not years and sentence_years and any(f.year is None for f in figures):
                figures = bind_years(figures, [(yr, 0, 0) for yr in sentence_years])
                years = list(sentence_years)
            sentence_trend = sentence_trend or trend
            sentence_years = sentence_years or list(found.years)
            claim = _text_claim(
                para, n, clause, found, figures, years, trend, negated, s, section_goal, lang
            )
            if claim is not None:
                yield replace(claim, before=before)
        before = text[a:b]


def _text_claim(
    para: Paragraph,
    n: int,
    clause: str,
    found: Any,
    figures: list[Figure],
    years: list[int],
    trend: _Found | None,
    negated: bool,
    s: Settings,
    section_goal: int | None,
    lang: str,
) -> Claim | None:
    status = find_status(s, clause)
    goals = sorted(set(found.goals))
    goal = goals[0] if len(goals) == 1 else None
    if status is not None:
        status_line = _status_line(s, clause)
        if status_line and goal is None:
            goal = section_goal
        subject = goal is not None or found.ids or found.codes
        # A status with no subject ("the SDGs can only be achieved together") is no claim;
        # one about an indicator is kept and linked by its words.
        if not subject and not status_line and not figures and not _could_be_indicator(clause):
            status = None
    if not figures and trend is None and status is None:
        return None
    if not figures and status is None and not years and not found.ids and not found.codes:
        return None  # "Growth has brought jobs": a trend word with no figure and no period
    return _claim(
        para,
        f"{para.ref}#{n}",
        clause,
        "text",
        None,
        section_goal,
        figures,
        years,
        trend,
        negated,
        status,
        goal,
        found,
        lang,
    )


def _claim(
    para: Paragraph,
    claim_id: str,
    text: str,
    source: str,
    row: int | None,
    section_goal: int | None,
    figures: list[Figure],
    years: list[int],
    trend: _Found | None,
    negated: bool,
    status: _Found | None,
    goal: int | None,
    found: Any,
    lang: str,
) -> Claim:
    return Claim(
        id=claim_id,
        page=para.page,
        ref=para.ref,
        text=text,
        source=source,
        row=row,
        section=para.section,
        section_goal=section_goal,
        figures=tuple(figures),
        years=tuple(years),
        trend=trend.kind if trend else "",
        trend_words=trend.words if trend else "",
        negated=negated,
        status=status.kind if status else "",
        status_words=status.words if status else "",
        goal=goal,
        codes=tuple(dict.fromkeys(found.codes)),
        ids=tuple(dict.fromkeys(found.ids)),
        targets=tuple(dict.fromkeys(found.targets)),
        lang=lang,
    )


def _could_be_indicator(clause: str) -> bool:
    """A status sentence with a noun phrase before it may be about an indicator: link it."""
    return len(clause.split()) >= 3 or len(clause) >= 8


# -- tables ------------------------------------------------------------------------------


def _cells(text: str) -> list[str]:
    """A table row's cells: " | " separates them in Word and Markdown drafts; a PDF row is one cell."""
    if " | " in text:
        return [c.strip() for c in text.split(" | ")]
    return [text.strip()]


def _year_columns(cells: list[str]) -> list[tuple[int | None, int]]:
    """The year columns of a heading row as (column, year): "Indicator | 2019 | 2023 | Status".

    A PDF row is one run of text: its years must close it ("Indicator 2019 2020
    2023"), and the column is None.
    """
    if len(cells) > 1:
        found: list[tuple[int | None, int]] = []
        for i, c in enumerate(cells):
            m = _YEAR_CELL.match(c)
            if m:
                found.append((i, int(m[1])))
        return found if len(found) >= 2 else []
    m = re.search(r"((?:\s+(?:19|20)\d\d){2,})\s*$", " " + cells[0])
    if not m:
        return []
    years = [int(y) for y in m[1].split()]
    if years != sorted(set(years)):
        return []
    return [(None, y) for y in years]


def _is_heading_row(text: str) -> bool:
    """A row with no figure (only words, or only years): the table's heading row."""
    low = folded(text).text
    if _VALUE_YEAR.search(low):
        return False
    for m in _NUMBER.finditer(low):
        if not re.fullmatch(r"(?:19|20)\d\d", m[0]):
            return False
    return True


def _table_claims(
    rows: list[Paragraph],
    s: Settings,
    ids: Mapping[str, str],
    section_goal: int | None,
    lang: str,
) -> Iterator[Claim]:
    header_text = ""
    header_cells = 0
    years: list[tuple[int | None, int]] = []
    paired = False
    n = 0
    for para in rows:
        text = para.text
        if header_text and text.strip() == header_text:
            continue  # the heading row repeated on the next page
        if _is_heading_row(text):
            header_text = text.strip()
            header_cells = len(_cells(text))
            years = _year_columns(_cells(text))
            paired = not years and bool(_YEAR_HEADING.search(folded(text).text))
            n = 0
            continue
        n += 1
        claim = _row_claim(para, n, text, years, s, ids, section_goal, lang, paired, header_cells)
        if claim is not None:
            yield claim


def _row_claim(
    para: Paragraph,
    n: int,
    text: str,
    years: list[tuple[int | None, int]],
    s: Settings,
    ids: Mapping[str, str],
    section_goal: int | None,
    lang: str,
    paired: bool = False,
    header_cells: int = 0,
) -> Claim | None:
    t = folded(text)
    low = t.text
    found = read_clause(text, settings=s, known_ids=ids)
    if found.contents_line:
        return None
    spans = masked_spans(low)
    figures: list[Figure] = []
    row_unit = ""
    for kind, pattern in s.units:
        # currency words in a row are usually names ("PESO job placements"): signs only
        if kind == "money" and not re.search(r"[₱$¥]|\bphp\b", low):
            continue
        if pattern.search(low):
            row_unit = kind
            break
    for m in _VALUE_YEAR.finditer(low):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        a, b = t.original_span(m.start(), m.end())
        fig = _cell_figure(m["num"], bool(m["unit"]), int(m["year"]), text[a:b], a, b, row_unit)
        if fig is not None:
            figures.append(fig)
    if not figures and years:
        figures = _year_column_figures(text, years, row_unit, header_cells)
    if not figures and paired:
        figures = _paired_figures(t, spans, row_unit)
    elif not figures and not years:
        # a cell that holds prose: 「漁獲量 1,120トン（2018年）→ 865トン（2023年）」
        figures = list(found.figures)
    trend, negated = find_trend(s, text)
    status = find_status(s, text)
    goal_m = _GOAL_AT_START.match(low)
    goal = int(goal_m[1]) if goal_m and 1 <= int(goal_m[1]) <= 17 else None
    if not figures and status is None and trend is None:
        return None
    if not figures and not found.ids and not found.codes and goal is None:
        return None  # a status or trend row with no subject ("On track | The latest value ...")
    return _claim(
        para,
        f"{para.ref}#1",
        text,
        "table",
        n,
        section_goal,
        figures,
        sorted({f.year for f in figures if f.year}),
        trend,
        negated,
        status,
        goal,
        found,
        lang,
    )


def _cell_figure(
    raw: str, percent: bool, year: int, text: str, start: int, end: int, row_unit: str
) -> Figure | None:
    """A table cell's value as a figure: the number, "%" when written, the year it stands for."""
    digits = raw.replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    return Figure(
        value=value,
        text=text,
        unit="%" if percent else "",
        unit_kind="percent" if percent else row_unit,
        year=year,
        decimals=len(digits.split(".", 1)[1]) if "." in digits else 0,
        start=start,
        end=end,
    )


def _paired_figures(t: _Text, spans: list[tuple[int, int]], row_unit: str) -> list[Figure]:
    """Values under a "Baseline year | Baseline" heading: each year cell and the value after it."""
    out: list[Figure] = []
    for m in _YEAR_THEN_VALUE.finditer(t.text):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        a, b = t.original_span(m.start("num"), m.end("num"))
        fig = _cell_figure(
            m["num"], bool(m["unit"]), int(m["year"]), t.original[a:b], a, b, row_unit
        )
        if fig is not None:
            out.append(fig)
    return out


def _year_column_figures(
    text: str, years: list[tuple[int | None, int]], row_unit: str, header_cells: int
) -> list[Figure]:
    """Values under year headings, one per year (blank cells kept).

    In a Word or Markdown row the cells line up with the heading's; a PDF row
    ends in one value or blank per year. When they do not line up (a cell was
    left empty and dropped), nothing is read rather than a wrong year.
    """
    cells = _cells(text)
    picked: list[tuple[str, int, int]] = []  # (cell, year, start)
    if len(cells) > 1:
        if len(cells) != header_cells or any(col is None for col, _y in years):
            return []
        starts = []
        pos = 0
        for c in cells:
            pos = text.index(c, pos) if c else pos
            starts.append(pos)
        picked = [(cells[col], year, starts[col]) for col, year in years if col is not None]
    else:
        tokens = list(re.finditer(r"\S+", text))
        if len(tokens) <= len(years):
            return []
        tail = tokens[-len(years) :]
        picked = [(m[0], year, m.start()) for m, (_c, year) in zip(tail, years, strict=True)]
    out: list[Figure] = []
    for cell, year, start in picked:
        value_text = cell.strip()
        cell_low = folded(value_text).text.strip()
        if cell_low in _BLANK_CELLS:
            continue
        m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)\s*(%|％)?", cell_low)
        fig = None
        if m is not None:
            end = start + len(value_text)
            fig = _cell_figure(m[1], bool(m[2]), year, value_text, start, end, row_unit)
        if fig is None:
            return []
        out.append(fig)
    return out


__all__ = ["extract_claims", "find_status", "find_trend", "split_clauses", "split_sentences"]
