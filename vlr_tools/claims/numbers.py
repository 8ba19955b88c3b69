"""Find the figures in one sentence: values with units and years, not page or phone numbers.

:func:`read_clause` looks at one sentence (or clause) as written and returns
the :class:`~.model.Figure` values it states, the years it names, and the
codes, ids and goals it mentions. What is not a figure is left out on purpose:

- years alone ("in 2023"), periods ("2018–2026"), dates ("28 November 2024");
- page, section, chapter, law and phone numbers ("page 12", "RA 9003",
  "+63 900 000 0123"), contents lines with dot leaders, list numbers;
- SDG goals, targets and indicator codes ("SDG 11", "target 3.6", "11.6.2")
  and the table's indicator ids ("SR-IND-12"): these say what a claim is
  about, and are returned as such;
- age bands and numbers inside units ("aged 15–24", "per 100,000");
- numbers written in words or Japanese numerals ("two thirds", 「三割」).

Approximations ("about 80%"), bounds ("more than half" is words; "more than
50%" is a bound), ranges ("70–75%") and change amounts ("rose by 5
points") are kept but marked, so they are never compared as exact values.

>>> from vlr_tools.claims.numbers import read_clause
>>> found = read_clause("Piped water reached 82% of households in 2023 (page 14).")
>>> [(f.value, f.unit_kind, f.year) for f in found.figures]
[(82.0, 'percent', 2023)]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .model import Figure
from .settings import Settings, claim_settings

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MASKS = (
    # dates: "28 November 2024", "November 28, 2024", "2024-10-15", "10/15/2024", 「11月28日」
    re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTHS})\b\.?(?:\s*,?\s*\d{{4}})?"),
    re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b(?!\s*%)(?:\s*,\s*\d{{4}})?"),
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    re.compile(r"\d{1,2}月\d{1,2}日|\d{1,2}月(?!\d)|\d{1,2}日(?!本)"),
    # times, fractions and scores: "8:00", "24/7", "3/4"
    re.compile(r"\b\d{1,2}:\d{2}\b|\b\d+/\d+\b"),
    # phone numbers: "+63 900 000 0123", "tel. (072) 888 1234"
    re.compile(r"\+\d[\d\s().-]{6,}\d"),
    re.compile(r"\(\d{2,4}\)\s*\d{3,4}[\s-]\d{4}\b"),
    re.compile(r"(?:tel|phone|telephone|mobile|fax|hotline|contact|電話)[.:]?\s*[\d\s().+-]{7,}\d"),
    # age bands and ranges inside names: "aged 15-24", "(15–19)", "12–23 months", 「15〜24歳」
    re.compile(r"\b(?:aged?|ages)\s+\d{1,3}\s*(?:[-–—~〜]|to)\s*\d{1,3}\b"),
    re.compile(r"[(（]\s*\d{1,3}\s*[-–—~〜]\s*\d{1,3}\s*[)）]"),
    re.compile(r"\b\d{1,3}\s*[-–—~〜]\s*\d{1,3}\s*(?:months?|years? old|yrs|歳|か月|ヶ月)"),
    re.compile(r"\d{1,3}\s*(?:歳|か月|ヶ月)(?:以上|未満|以下)?"),
    # list markers: "(1)", "（2）", "①"
    re.compile(r"[(（]\s*\d{1,2}\s*[)）](?!\s*(?:%|％|percent))"),
)
#: Masks that need Japanese text (月, 日, 歳): skipped for a clause in ASCII.
_JA_ONLY = frozenset((_MASKS[3].pattern, _MASKS[11].pattern))
_ASCII_MASKS = tuple(m for m in _MASKS if m.pattern not in _JA_ONLY)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_ANY_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
_CODE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2}|[a-z])\.(\d{1,2})(?![\d])")
_TARGET = re.compile(
    r"(?:targets?|ターゲット|sdg)\s*(\d{1,2}\.(?:\d{1,2}|[a-z]))(?![\d.])(?:\s*(?:,|and|、|と)\s*"
    r"(\d{1,2}\.(?:\d{1,2}|[a-z]))(?![\d.]))*"
)
_GOALS = re.compile(
    r"(?:\bsdgs?|\bgoals?|目標)\s*(?:no\.?\s*)?(\d{1,2})(?![\d.]\d)"
    r"((?:\s*(?:,|and|&|、|と|及び|および|versus|vs\.?)\s*\d{1,2}(?![\d.]\d))*)"
)
_ID = re.compile(r"(?<![\w-])[a-z]{1,6}(?:-[a-z]{1,6})*-\d{1,4}[a-z]?(?![\w-])")
_LIST_LEAD = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})+)\s+")
_DOT_LEADER = re.compile(r"\.{4,}|…{2,}|・{4,}")
_RANGE_JOIN = re.compile(r"\s*(?:[-–—~〜]|to)\s*(?=\d)")
_CONNECT_YEAR = re.compile(
    r"\s*(?:[,)）]\s*)?(?:\(|（|in|as of|for|during|at end-?|by end-?|by the end of)?\s*"
    r"((?:19|20)\d\d)(?!\d)\s*(?:年度|年)?\s*[)）]?"
)
_YEAR_BEFORE_JA = re.compile(
    r"((?:19|20)\d\d)\s*(?:年度|年)\s*(?:末|時点)?\s*(?:の|に|には|は|で)?\s*$"
)
_JA_SCALE = {"億": 1e8, "万": 1e4, "千": 1e3}
_MONEY_BEFORE = re.compile(r"(?:₱|php|usd|us\$|\$|¥)\s*$")
#: Japanese particles: a counter word ends before them (「6つの指標」 -> 「つ」).
_PARTICLES = "のにはがをとでやへもかよ"
_WORD_AFTER = re.compile(r"\s*([^\W\d_][\w'’-]*)")
_CJK_WORD_AFTER = re.compile(r"\s*([\u3040-\u30ff\u3400-\u9fff]{1,4})")
_FROM = re.compile(r"(?:\bfrom|\bup from|\bdown from)\s+(?:a |an |the )?$")
_TO = re.compile(r"(?:\bto|\breached|\breaching)\s+(?:a |an |the )?$")
#: Words after a number that do not make it a count (they start the next phrase).
_NOT_UNITS = frozenset(
    """in to and or of the a an at for from by on with as than per between during since
    while when after before until up down also only each every this that these those
    its their our is are was were be been has have had will would can could may might
    should must not no yes ii iii iv v""".split()
)


@dataclass
class ReadClause:
    """What one clause states: its figures, the years it names, and what it is about."""

    figures: list[Figure] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    goals: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    contents_line: bool = False


class _Text:
    """A clause folded (NFKC, lower case) with a map back to the original characters."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.where: Sequence[int]
        if original.isascii():
            self.text = original.lower()
            self.where = range(len(original))
            return
        chars: list[str] = []
        where: list[int] = []
        for i, ch in enumerate(original):
            folded = unicodedata.normalize("NFKC", ch).lower() if not ch.isascii() else ch.lower()
            for f in folded:
                chars.append(f)
                where.append(i)
        self.text = "".join(chars)
        self.where = where

    def exact(self, start: int, end: int) -> str:
        """The original words of folded span ``start:end``."""
        if start >= end or not self.where:
            return ""
        a = self.where[min(start, len(self.where) - 1)]
        b = self.where[min(end, len(self.where)) - 1] + 1
        return self.original[a:b]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if not self.where:
            return 0, 0
        a = self.where[min(start, len(self.where) - 1)]
        b = self.where[min(end, len(self.where)) - 1] + 1
        return a, b


@lru_cache(maxsize=2048)
def folded(text: str) -> _Text:
    """``text`` folded, with its map back (cached: a clause is looked at several times)."""
    return _Text(text)


def _number(text: str) -> tuple[float, int] | None:
    raw = text.replace(",", "")
    if not raw or raw.count(".") > 1:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    decimals = len(raw.split(".", 1)[1]) if "." in raw else 0
    return value, decimals


def masked_spans(text: str, extra: Iterable[re.Pattern[str]] = ()) -> list[tuple[int, int]]:
    """Spans of folded ``text`` whose numbers are not figures (dates, phones, age bands...)."""
    spans: list[tuple[int, int]] = []
    for pattern in (*(_MASKS if not text.isascii() else _ASCII_MASKS), *extra):
        spans.extend(m.span() for m in pattern.finditer(text))
    return spans


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def read_clause(
    text: str,
    *,
    settings: Settings | None = None,
    known_ids: Iterable[str] | Mapping[str, str] = (),
) -> ReadClause:
    """The figures, years, codes, ids and goals of one clause (see the module docs).

    ``known_ids`` are the table's indicator ids (or a mapping of their lower-case
    form to the id, made once for a whole draft).
    """
    s = settings or claim_settings()
    out = ReadClause()
    if not _ANY_DIGIT.search(text):
        return out  # no figure, year, code or goal number without a digit
    t = folded(text)
    low = t.text
    if _DOT_LEADER.search(low):
        out.contents_line = True
        return out
    spans = masked_spans(low)
    # Units with digits in them ("per 100,000", 「10万人当たり」) are units, not figures.
    if s.digit_units is not None and ("per" in low or not low.isascii()):
        spans.extend(m.span() for m in s.digit_units.finditer(low))
    lead = _LIST_LEAD.match(low)
    if lead:
        spans.append(lead.span())
    known = known_ids if isinstance(known_ids, Mapping) else {k.lower(): k for k in known_ids}
    for m in _ID.finditer(low):
        spans.append(m.span())
        if m[0] in known:
            out.ids.append(known[m[0]])
    for m in _CODE.finditer(low):
        spans.append(m.span())
        out.codes.append(f"{int(m[1])}.{m[2]}.{int(m[3])}")
    for m in _TARGET.finditer(low):
        spans.append(m.span())
        for code in re.findall(r"\d{1,2}\.(?:\d{1,2}|[a-z])(?![\d.])", m[0]):
            out.targets.append(code)
    for m in _GOALS.finditer(low):
        spans.append(m.span())
        goals = [int(m[1])] + [int(g) for g in re.findall(r"\d{1,2}", m[2] or "")]
        out.goals.extend(g for g in goals if 1 <= g <= 17)

    figures: list[Figure] = []
    years: list[tuple[int, int, int]] = []  # (year, start, end)
    listing = False  # numbers listed after "SDGs", "pages"...: "pages 3, 5 and 7"
    last_end = 0
    matches = list(_NUMBER.finditer(low))
    skip_until = -1
    for m in matches:
        start, end = m.span()
        if start < skip_until:
            continue
        raw = m[0].rstrip(",")
        end = start + len(raw)
        between = low[last_end:start]
        if listing and not re.fullmatch(
            r"\s*(?:,|and|&|、|と|or|versus|vs\.?|to|[-–])?\s*", between
        ):
            listing = False
        last_end = end
        if listing:
            continue
        before = low[max(0, start - 40) : start]
        prev = low[start - 1] if start else ""
        # part of a word or code: "PM2.5", "CO2e", "SR-IND-12", "COVID-19", "4Ps"
        if prev and (prev.isascii() and (prev.isalnum() or prev in "._")):
            continue
        if prev == "-" and start >= 2 and low[start - 2].isalpha():
            continue
        if end < len(low) and low[end].isascii() and low[end].isalpha():
            following = re.match(r"[a-z]+", low[end:])
            word = following[0] if following else ""
            if word not in s.scales and word not in ("m", "t", "kg", "ha", "km", "pct"):
                continue
        if _inside(spans, start, end):
            continue
        parsed = _number(raw)
        if parsed is None:
            continue
        value, decimals = parsed
        if s.before_not_figure.ends(before):
            listing = True
            continue
        after = low[end : end + 40]
        if s.after_not_figure.starts(after) and not s.at_least_after.starts(after):
            continue
        # Japanese scales inside the number: 「1万2千」「3億6,200万」
        stop = end
        if stop < len(low) and low[stop] in _JA_SCALE:
            total = 0.0
            part = value
            pos = stop
            while pos < len(low) and low[pos] in _JA_SCALE:
                total += part * _JA_SCALE[low[pos]]
                pos += 1
                nxt = _NUMBER.match(low, pos)
                if nxt is None:
                    part = 0.0
                    break
                parsed_next = _number(nxt[0].rstrip(","))
                if parsed_next is None:
                    break
                part = parsed_next[0]
                pos = nxt.start() + len(nxt[0].rstrip(","))
            value = total + part
            decimals = 0
            stop = pos
            skip_until = stop
        is_year_like = (
            _YEAR.fullmatch(raw) is not None and stop == end and not _unit_follows(s, low, end)
        )
        if is_year_like:
            years.append((int(raw), start, end))
            continue
        # a range: "70–75%", "70 to 75 percent" (not "from 70 to 75")
        low_v: float | None = None
        high_v: float | None = None
        rng = _RANGE_JOIN.match(low, stop)
        if rng and not _FROM.search(before[-25:]):
            other = _NUMBER.match(low, rng.end())
            joined = low[stop : rng.end()]
            if other is not None and (joined.strip() != "to" or _unit_follows(s, low, other.end())):
                parsed_other = _number(other[0].rstrip(","))
                if parsed_other is not None:
                    low_v, high_v = value, parsed_other[0]
                    decimals = max(decimals, parsed_other[1])
                    stop = other.start() + len(other[0].rstrip(","))
                    skip_until = stop
        # scale words: "2.3 million"
        scale = re.match(r"\s*([a-z]+)\b", low[stop:])
        if scale and scale[1] in s.scales:
            factor = s.scales[scale[1]]
            value *= factor
            if low_v is not None and high_v is not None:
                low_v, high_v = low_v * factor, high_v * factor
            stop += scale.end()
            decimals = max(0, decimals - len(str(int(factor))) + 1)
        unit_kind, unit, unit_end = _unit(s, low, stop, before)
        tail = low[unit_end : unit_end + 30]
        if s.change_amount.ends(before) or s.change_amount_after.starts(tail):
            continue  # "rose by 5 points", "約3倍": a change, not a level
        if unit_kind == "ratio":
            continue
        approximate = (
            s.approximate.ends(before)
            or s.approximate_after.starts(low[stop : stop + 30])
            or s.approximate_after.starts(tail)
        )
        bound = ""
        if s.at_least.ends(before) or s.at_least_after.starts(tail):
            bound = "min"
        elif s.at_most.ends(before) or s.at_most_after.starts(tail):
            bound = "max"
        role = ""
        if _FROM.search(before[-20:]) or re.match(
            r"\s*(?:[(（][^)）]*[)）])?\s*から", low[unit_end:]
        ):
            role = "from"
        elif (
            _TO.search(before[-20:]) or re.search(r"(?:→|->)\s*$", before) or "から" in before[-16:]
        ):
            role = "to"
        elif re.match(r"\s*(?:[(（][^)）]*[)）])?\s*(?:→|->)", low[unit_end:]):
            role = "from"
        year = None
        bound_year = _CONNECT_YEAR.match(low, unit_end)
        if bound_year is not None:
            year = int(bound_year[1])
        else:
            ja = _YEAR_BEFORE_JA.search(before)
            if ja is not None:
                year = int(ja[1])
        fig_end = unit_end if unit_kind else stop
        a, b = t.original_span(start, fig_end)
        figures.append(
            Figure(
                value=value if low_v is None else low_v,
                text=t.exact(start, fig_end).strip(),
                unit=unit,
                unit_kind=unit_kind,
                year=year,
                approximate=approximate,
                bound=bound,
                role=role,
                decimals=decimals,
                low=low_v,
                high=high_v,
                start=a,
                end=b,
            )
        )
    # Years named next to a figure belong to it; the others are the clause's own years.
    out.years = sorted({y for y, _s, _e in years})
    figures = bind_years(figures, years)
    figures = _share_units(figures)
    out.figures = figures
    return out


def _unit_follows(s: Settings, low: str, end: int) -> bool:
    """True when a unit (not a count word) follows position ``end``: "2019 %" is no year."""
    after = low[end:]
    if re.match(r"\s*(?:年|年度)", after):
        return False
    kind = s.unit_kind(after)
    return bool(kind) and kind != "ratio"


def _unit(s: Settings, low: str, stop: int, before: str) -> tuple[str, str, int]:
    """(kind, words, end) of the unit after position ``stop`` (a currency sign before counts)."""
    after = low[stop:]
    for kind, pattern in s.units:
        m = pattern.match(after.lstrip())
        if m:
            offset = len(after) - len(after.lstrip())
            end = stop + offset + m.end()
            # "per 100,000 population": take the noun after a rate unit too
            if kind.startswith("per_"):
                more = re.match(r"\s+(?:live\s+)?[a-z]+", low[end:])
                if more and more[0].strip() not in _NOT_UNITS:
                    end += more.end()
            return kind, low[stop + offset : end], end
    if before[-6:].strip()[-1:] in ("₱", "$", "¥", "p", "d") and _MONEY_BEFORE.search(before):
        return "money", before.strip().split()[-1], stop
    word = _WORD_AFTER.match(after)
    if word and word[1] not in _NOT_UNITS and len(word[1]) > 1:
        return "count", word[1], stop + word.end()
    cjk = _CJK_WORD_AFTER.match(after)
    if cjk and cjk[1][0] not in _PARTICLES + "年":
        counter: str = cjk[1]
        for i, ch in enumerate(counter):
            if i and ch in _PARTICLES:
                counter = counter[:i]
                break
        return "count", counter, stop + (cjk.end() - len(cjk[1])) + len(counter)
    return "", "", stop


def bind_years(figures: list[Figure], years: list[tuple[int, int, int]]) -> list[Figure]:
    """Give figures without a year the clause's years: one year for all, or from/to in order.

    ``years`` are (year, start, end) of the years named that are not tied to a figure yet.
    """
    bound_years = {f.year for f in figures if f.year is not None}
    free = [y for y, _s, _e in years if y not in bound_years]
    unbound = [i for i, f in enumerate(figures) if f.year is None]
    if not unbound or not free:
        return figures
    out = list(figures)
    roles = [figures[i].role for i in unbound]
    if len(free) == 1 and len(unbound) == 1:
        i = unbound[0]
        out[i] = replace(out[i], year=free[0])
    elif len(free) == 1 and all(r != "from" for r in roles):
        for i in unbound:
            out[i] = replace(out[i], year=free[0])
    elif len(free) == 2 and len(unbound) == 2 and roles == ["from", "to"]:
        first, second = sorted(free)
        out[unbound[0]] = replace(out[unbound[0]], year=first)
        out[unbound[1]] = replace(out[unbound[1]], year=second)
    elif len(unbound) == 1 and roles == ["to"] and free:
        out[unbound[0]] = replace(out[unbound[0]], year=max(free))
    return out


def _share_units(figures: list[Figure]) -> list[Figure]:
    """ "from 82.5 to 86.0 percent": the first figure takes the unit of the second."""
    out = list(figures)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if not a.unit_kind and b.unit_kind and a.role == "from" and b.role == "to":
            out[i] = replace(a, unit=b.unit, unit_kind=b.unit_kind)
    return out


__all__ = ["ReadClause", "bind_years", "masked_spans", "read_clause"]
