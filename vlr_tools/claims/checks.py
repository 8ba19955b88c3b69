"""The figure checks: each claim set against the indicator table, as suggestions with both sides.

:func:`check_claims` takes the claims, their links and the review's
indicator table and returns :class:`~.model.ClaimCheck` suggestions:

- ``value_differs``: a dated figure differs from the table's value for that
  indicator and year by more than the rounding of either figure as written
  (82 covers 81.5 to 82.5; 9.8 covers 9.75 to 9.85); bounds ("more than
  50%") and ranges ("70–75%") are checked as such; approximations ("about
  80%") never;
- ``trend_contradicts``: "rose", "fell", "improved", "unchanged" (or a
  table's "Improving"/"Progressing" mark) against the table's direction
  between the years named, else between its first and latest values;
  "improved"/"worsened" need a target or a known good direction;
- ``status_unsupported``: "on track", "achieved", "progressing" for a goal
  with no indicator, no indicator with two dated values, or none on course
  to its target; for an indicator with no target, a target not reached, or
  a pace that would not reach it by the target year;
- ``older_year``: a figure quoted as current for a year before the table's
  latest value;
- ``values_disagree``: two places of the draft give different values for
  the same indicator and year, and the table has no value for that year to
  say which is right (when it has one, ``value_differs`` names the wrong
  place and mentions the other);
- ``which_indicator``: a sentence with checkable figures that could be
  about two indicators: the reviewer says which.

Figures in units of another kind than the indicator's (per 1,000 against
per 100,000, % against a count) are not compared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..i18n import t
from .model import WHICH_INDICATOR, Claim, ClaimCheck, Figure, Link
from .settings import Settings, claim_settings, fold


@dataclass(frozen=True)
class Value:
    """One dated value of an indicator in the table."""

    year: int
    value: float
    text: str
    decimals: int


@dataclass
class Series:
    """An indicator's values as the checks read them: by year, first and latest, target."""

    indicator: Any
    by_year: dict[int, Value] = field(default_factory=dict)
    undated: list[float] = field(default_factory=list)
    target: float | None = None
    target_text: str = ""
    good: int = 0  # +1 higher is better, -1 lower is better, 0 unknown
    where: str = ""

    @property
    def first(self) -> Value | None:
        return self.by_year[min(self.by_year)] if self.by_year else None

    @property
    def last(self) -> Value | None:
        return self.by_year[max(self.by_year)] if self.by_year else None

    @property
    def name(self) -> str:
        return f"{self.indicator.id} {self.indicator.name}".strip()

    def near(self, year: int | None, *, after: bool) -> Value | None:
        """The value for ``year``, else the nearest one inside the period (None: nothing)."""
        if year is None:
            return self.last if after else self.first
        if year in self.by_year:
            return self.by_year[year]
        years = sorted(self.by_year)
        inside = [y for y in years if (y < year if after else y > year)]
        if not inside:
            return None
        return self.by_year[inside[-1] if after else inside[0]]


def _decimals(text: str, value: float) -> int:
    raw = str(text or "").strip()
    digits = "".join(ch for ch in raw if ch.isdigit() or ch == ".")
    if "." in digits:
        return len(digits.rsplit(".", 1)[1])
    if raw:
        return 0
    return 0 if float(value).is_integer() else len(repr(value).split(".")[1])


def series_of(ind: Any, s: Settings, table_name: str) -> Series:
    """The dated values, target and good direction of one indicator of the table."""
    out = Series(indicator=ind, where=f"{table_name}, {ind.where}")
    for obs in getattr(ind, "series", ()) or ():
        if obs.value is None:
            continue
        if obs.year is None:
            out.undated.append(float(obs.value))
            continue
        out.by_year.setdefault(
            int(obs.year),
            Value(int(obs.year), float(obs.value), obs.text or "", _decimals(obs.text, obs.value)),
        )
    for year, value in (
        (ind.baseline_year, ind.baseline_value),
        (ind.latest_year, ind.latest_value),
    ):
        if value is None:
            continue
        if year is None:
            if float(value) not in out.undated:
                out.undated.append(float(value))
            continue
        out.by_year.setdefault(int(year), Value(int(year), float(value), "", _decimals("", value)))
    if ind.target_2030 is not None:
        out.target = float(ind.target_2030)
        out.target_text = fmt(out.target)
    first = out.first
    ref = first.value if first else (out.undated[0] if out.undated else None)
    if out.target is not None and ref is not None and out.target != ref:
        out.good = 1 if out.target > ref else -1
    else:
        words = fold(f"{ind.name} {ind.definition}")
        low = s.lower_is_better.search(words) if s.lower_is_better else None
        high = s.higher_is_better.search(words) if s.higher_is_better else None
        if low and not high:
            out.good = -1
        elif high and not low:
            out.good = 1
    return out


def fmt(value: float, decimals: int | None = None) -> str:
    """A number as a reviewer reads it: "86", "9.8", "6,840", "1,480,000"."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else min(3, len(repr(value).split(".")[1]))
    text = f"{value:,.{decimals}f}"
    return text


def _shown(v: Value) -> str:
    """The table's value as its cell shows it ("45.2%", "1,234"), plain numbers with separators."""
    text = v.text.strip()
    if not text or re.fullmatch(r"[-+]?\d+(?:\.\d+)?", text):
        return fmt(v.value, v.decimals)
    return text


def _said(fig: Figure) -> str:
    """The figure's words without a year in brackets: "29 (2023)" -> "29"."""
    text = re.sub(r"\s*[(（]\s*(?:19|20)\d\d\s*(?:年度|年)?\s*[)）]\s*$", "", fig.text)
    return text or fig.text


def _where(claim: Claim, lang: str) -> str:
    if claim.source == "table" and claim.row:
        return t("claims.where.row", lang, page=claim.page, row=claim.row)
    return t("claims.where.page", lang, page=claim.page)


def _pages(claims: Sequence[Claim], lang: str) -> str:
    return ", ".join(dict.fromkeys(_where(c, lang) for c in claims))


class _Builder:
    """Collects the suggestions of one run, with the words in both languages."""

    def __init__(self, s: Settings, table_name: str) -> None:
        self.s = s
        self.table_name = table_name
        self.out: list[ClaimCheck] = []

    def add(
        self,
        kind: str,
        claim: Claim,
        key: str,
        *,
        quote: str = "",
        series: Series | None = None,
        table: str = "",
        tolerance: str = "",
        link: Link | None = None,
        other: Claim | None = None,
        other_quote: str = "",
        extra: Sequence[tuple[str, dict[str, Any]]] = (),
        also: tuple[tuple[int, str], ...] = (),
        goal: int | None = None,
        **fields: Any,
    ) -> ClaimCheck:
        reasons = {}
        if goal is not None:
            fields["goal"] = goal
        for lang in ("en", "ja"):
            values = {k: (v(lang) if callable(v) else v) for k, v in fields.items()}
            values.setdefault("where", _where(claim, lang))
            values.setdefault("table", table)
            values.setdefault("tolerance", tolerance)
            if series is not None:
                values.setdefault("indicator", series.name)
                values.setdefault("table_where", series.where)
            text = t(f"claims.check.{key}", lang, **values)
            for extra_key, extra_values in extra:
                text += t(
                    f"claims.check.{extra_key}",
                    lang,
                    **{k: (v(lang) if callable(v) else v) for k, v in extra_values.items()},
                )
            reasons[lang] = text
        check = ClaimCheck(
            kind=kind,
            claim_id=claim.id,
            page=claim.page,
            ref=claim.ref,
            quote=quote or claim.text,
            reason_en=reasons["en"],
            reason_ja=reasons["ja"],
            indicator=series.indicator.id if series else "",
            indicator_name=series.indicator.name if series else "",
            table=table,
            table_where=series.where if series else "",
            tolerance=tolerance,
            other_page=other.page if other else None,
            other_ref=other.ref if other else "",
            other_quote=other_quote,
            link=_link_words(link),
            also=also,
            goal=goal,
        )
        self.out.append(check)
        return check


def _link_words(link: Link | None) -> str:
    if link is None or not link.linked:
        return ""
    return f"{link.indicator} ({link.score:.2f}): " + "; ".join(link.reasons)


def _compatible(fig: Figure, series: Series, s: Settings) -> bool:
    """Same kind of unit, or one side gives none (a count is not a percentage)."""
    unit = series.indicator.unit or ""
    kind = s.unit_kind_anywhere(unit) if unit else ""
    if not fig.unit_kind or not kind:
        return True
    if fig.unit_kind == kind:
        return True
    return False


def _tolerance(fig: Figure, value: Value, s: Settings) -> float:
    return (
        max(fig.half_unit, 0.5 * 10 ** (-value.decimals))
        + s.relative_tolerance * abs(value.value)
        + 1e-9
    )


def check_claims(
    claims: Sequence[Claim],
    links: Mapping[str, Link],
    indicators: Iterable[Any] | None,
    *,
    table_name: str = "indicators",
    settings: Settings | None = None,
    review_id: str = "",
) -> list[ClaimCheck]:
    """Every suggestion for ``claims`` (see the module docs), in reading order of the draft."""
    s = settings or claim_settings()
    rows = list(indicators or ())
    series = {ind.id: series_of(ind, s, table_name) for ind in rows}
    b = _Builder(s, table_name)
    by_goal: dict[int, list[Series]] = defaultdict(list)
    for ser in series.values():
        for g in ser.indicator.goals:
            by_goal[g].append(ser)
    dated: dict[tuple[str, int], list[tuple[Claim, Figure]]] = defaultdict(list)
    goal_claims: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        link = links.get(claim.id)
        about_goal = bool(claim.status) and claim.goal is not None and not claim.ids
        if about_goal and not claim.codes:
            # "SDG 4 ... On track": the goal's status; its figures are still checked below
            if rows:
                goal_claims[int(claim.goal or 0)].append(claim)
            claim = replace(claim, status="", status_words="")
        if link is not None and link.ambiguous:
            _which(b, claim, link, series, review_id, s)
            continue
        linked = series.get(link.indicator) if link is not None and link.linked else None
        if linked is None:
            continue
        ser = linked
        for fig in claim.figures:
            if fig.year is not None and _compatible(fig, ser, s):
                dated[(ser.indicator.id, fig.year)].append((claim, fig))
        _trend(b, claim, ser, link)
        _status_of_indicator(b, claim, ser, link, s)
    for goal, found in goal_claims.items():
        _status_of_goal(b, found, by_goal.get(goal, []), s)
    _values(b, dated, series, s)
    order = {c.id: n for n, c in enumerate(claims)}
    return sorted(b.out, key=lambda c: (order.get(c.claim_id, 0), c.kind))


# -- which indicator ---------------------------------------------------------------------


def _which(
    b: _Builder,
    claim: Claim,
    link: Link,
    series: Mapping[str, Series],
    review_id: str,
    s: Settings,
) -> None:
    checkable = claim.status or claim.trend or any(f.year and f.exact for f in claim.figures)
    if not checkable:
        return
    close = [(i, sc) for i, sc in link.candidates[:3] if i in series and sc >= s.min_score]
    names = [series[i].name for i, _sc in close]
    if len(names) < 2:
        return
    check = b.add(
        WHICH_INDICATOR,
        claim,
        "which_indicator",
        candidates=lambda lang: (" / " if lang == "en" else "、").join(names),
        review=review_id or "REVIEW_ID",
        claim_ref=claim.id,
    )
    b.out[-1] = _with_candidates(check, tuple(i for i, _sc in close))


def _with_candidates(check: ClaimCheck, candidates: tuple[str, ...]) -> ClaimCheck:
    return replace(check, candidates=candidates)


# -- values --------------------------------------------------------------------------------


def _values(
    b: _Builder,
    dated: Mapping[tuple[str, int], list[tuple[Claim, Figure]]],
    series: Mapping[str, Series],
    s: Settings,
) -> None:
    # Paragraphs that give an indicator's value for a year: a paragraph that already
    # gives the newest year does not quote an older one "as current".
    newer: dict[tuple[str, str], int] = {}
    for (ind_id, year), found in dated.items():
        for claim, _fig in found:
            key = (ind_id, claim.ref)
            newer[key] = max(newer.get(key, year), year)
    for (ind_id, year), found in dated.items():
        ser = series[ind_id]
        table = ser.by_year.get(year)
        exact = [(c, f) for c, f in found if f.exact]
        if table is not None:
            _against_table(b, ser, year, table, found, s)
        elif _against_each_other(b, ser, year, exact):
            continue  # two values for one year: that is the finding, not their age
        _older(b, ser, year, table, found, s, newer)


def _against_table(
    b: _Builder,
    ser: Series,
    year: int,
    table: Value,
    found: list[tuple[Claim, Figure]],
    s: Settings,
) -> None:
    groups: dict[tuple[str, float, float | None], list[tuple[Claim, Figure]]] = defaultdict(list)
    for claim, fig in found:
        if fig.approximate:
            continue
        tol = _tolerance(fig, table, s)
        if fig.low is not None and fig.high is not None:
            if fig.low - tol <= table.value <= fig.high + tol:
                continue
            groups[("range", fig.low, fig.high)].append((claim, fig))
        elif fig.bound == "min":
            if table.value >= fig.value - tol:
                continue
            groups[("min", fig.value, None)].append((claim, fig))
        elif fig.bound == "max":
            if table.value <= fig.value + tol:
                continue
            groups[("max", fig.value, None)].append((claim, fig))
        elif abs(fig.value - table.value) > tol:
            groups[("value", fig.value, None)].append((claim, fig))
    agreeing = [
        (c, f)
        for c, f in found
        if f.exact and abs(f.value - table.value) <= _tolerance(f, table, s)
    ]
    for (how, value, high), items in groups.items():
        claim, fig = items[0]
        tol = _tolerance(fig, table, s)
        others = [c for c, _f in items[1:] if c.ref != claim.ref]
        extra: list[tuple[str, dict[str, Any]]] = []
        if others:
            extra.append(("also", {"pages": lambda lang, o=others: _pages(o, lang)}))
        if agreeing:
            extra.append(
                (
                    "elsewhere",
                    {
                        "values": lambda lang, a=agreeing: ", ".join(
                            dict.fromkeys(f"{f.text} ({_where(c, lang)})" for c, f in a)
                        )
                    },
                )
            )
        same = [
            v
            for y, v in sorted(ser.by_year.items())
            if y != year and abs(v.value - fig.value) <= _tolerance(fig, v, s) and how == "value"
        ]
        if same:
            extra.append(("other_year", {"other_year": same[0].year, "other": _shown(same[0])}))
        table_text = f"{_shown(table)} ({year})"
        words: dict[str, Any] = {"claimed": _said(fig)}
        if how != "value":
            limit = fmt(value) if how != "range" else f"{fmt(value)}–{fmt(high or value)}"
            words = {
                "claimed": fig.text,
                "bound": lambda lang, h=how: t(f"claims.bound.{h}", lang),
                "limit": limit,
            }
        b.add(
            "value_differs",
            claim,
            "value_differs" if how == "value" else "bound_differs",
            quote=fig.text,
            series=ser,
            table=table_text,
            tolerance=_tol_text(tol),
            year=year,
            extra=extra,
            also=tuple((c.page, c.ref) for c in others),
            **words,
        )


def _tol_text(tol: float) -> str:
    text = f"{tol:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _against_each_other(
    b: _Builder, ser: Series, year: int, exact: list[tuple[Claim, Figure]]
) -> bool:
    """Two places giving different values for a year the table lacks (True: one was found)."""
    if len(exact) < 2:
        return False
    first_claim, first = exact[0]
    for claim, fig in exact[1:]:
        if claim.ref == first_claim.ref:
            continue
        tol = max(first.half_unit, fig.half_unit) + 1e-9
        if abs(fig.value - first.value) <= tol:
            continue
        b.add(
            "values_disagree",
            first_claim,
            "values_disagree",
            quote=first.text,
            series=ser,
            table="—",
            tolerance=_tol_text(tol),
            other=claim,
            other_quote=fig.text,
            year=year,
            a=first.text,
            b=fig.text,
            where_a=lambda lang, c=first_claim: _where(c, lang),
            where_b=lambda lang, c=claim: _where(c, lang),
        )
        return True
    return False


def _is_current(claim: Claim, fig: Figure) -> bool:
    """A figure the text gives as the present state: not the start of a change or a baseline."""
    if claim.trend or fig.role == "from" or not fig.exact:
        return False
    years = [f.year for f in claim.figures if f.year is not None]
    if fig.year is None or (years and fig.year < max(years)):
        return False  # the earlier figure of a comparison or a table row's baseline
    return True


def _older(
    b: _Builder,
    ser: Series,
    year: int,
    table: Value | None,
    found: list[tuple[Claim, Figure]],
    s: Settings,
    newer: Mapping[tuple[str, str], int],
) -> None:
    last = ser.last
    if last is None or last.year <= year:
        return
    for claim, fig in found:
        if not _is_current(claim, fig):
            continue
        if newer.get((ser.indicator.id, claim.ref), year) >= last.year:
            continue  # the same paragraph gives the newest value too
        if table is not None and abs(fig.value - table.value) > _tolerance(fig, table, s):
            continue  # reported as a value that differs
        b.add(
            "older_year",
            claim,
            "older_year",
            quote=fig.text,
            series=ser,
            table=f"{_shown(last)} ({last.year})",
            claimed=fig.text,
            year=year,
            latest=_shown(last),
            latest_year=last.year,
        )
        return


# -- trends --------------------------------------------------------------------------------


def _period(claim: Claim, ser: Series) -> tuple[Value | None, Value | None]:
    """The table's values at the start and end of the period the claim speaks of."""
    years = sorted({f.year for f in claim.figures if f.year is not None} | set(claim.years))
    if len(years) >= 2:
        return ser.near(years[0], after=False), ser.near(years[-1], after=True)
    if len(years) == 1 and ser.last is not None:
        y = years[0]
        if y < ser.last.year:
            return ser.near(y, after=False), ser.last
        return ser.first, ser.near(y, after=True)
    return ser.first, ser.last


def _trend(b: _Builder, claim: Claim, ser: Series, link: Link | None) -> None:
    word = claim.trend
    if not word and claim.status == "progressing":
        word = "better"
    if not word:
        return
    start, end = _period(claim, ser)
    if start is None or end is None or start.year >= end.year:
        return
    delta = end.value - start.value
    tol = max(0.5 * 10 ** (-start.decimals), 0.5 * 10 ** (-end.decimals)) + 1e-9
    moved = 0 if abs(delta) <= tol else (1 if delta > 0 else -1)
    if word == "flat":
        flat_tol = max(tol, b.s.flat_share * abs(start.value))
        contradicts = abs(delta) > flat_tol
        direction = "up" if delta > 0 else "down"
    elif word in ("up", "down"):
        said = 1 if word == "up" else -1
        contradicts = moved == -said if claim.negated is False else moved == said
        if not claim.negated and moved == 0:
            contradicts = False
        direction = {1: "up", -1: "down", 0: "flat"}[moved]
    else:
        if ser.good == 0:
            return
        said = 1 if word == "better" else -1
        toward = moved * ser.good
        contradicts = toward == -said if not claim.negated else toward == said
        direction = {1: "better", -1: "worse", 0: "flat"}[toward]
    if not contradicts:
        return
    extra: list[tuple[str, dict[str, Any]]] = []
    if word in ("better", "worse"):
        if ser.target is not None:
            extra.append(("trend_goal", {"target": ser.target_text}))
        else:
            extra.append(
                (
                    "trend_good_way",
                    {
                        "way": lambda lang: t(
                            f"claims.way.{'higher' if ser.good > 0 else 'lower'}", lang
                        )
                    },
                )
            )
    words = claim.trend_words or claim.status_words
    b.add(
        "trend_contradicts",
        claim,
        "trend_negated" if claim.negated else "trend_contradicts",
        quote=claim.text if claim.source == "text" else words,
        series=ser,
        link=link,
        table=f"{_shown(start)} ({start.year}) → {_shown(end)} ({end.year})",
        words=words,
        v1=_shown(start),
        y1=start.year,
        v2=_shown(end),
        y2=end.year,
        direction=lambda lang: t(f"claims.direction.{direction}", lang),
        extra=extra,
    )


# -- statuses ------------------------------------------------------------------------------


def _projection(ser: Series, target_year: int) -> tuple[float, Value, Value] | None:
    first, last = ser.first, ser.last
    if first is None or last is None or first.year >= last.year:
        return None
    slope = (last.value - first.value) / (last.year - first.year)
    return last.value + slope * (target_year - last.year), first, last


def _reached(value: float, ser: Series, tol: float) -> bool:
    assert ser.target is not None
    if ser.good >= 0:
        return value >= ser.target - tol
    return value <= ser.target + tol


def _status_of_indicator(
    b: _Builder, claim: Claim, ser: Series, link: Link | None, s: Settings
) -> None:
    if claim.status not in ("on_track", "achieved"):
        return
    words = claim.status_words
    quote = claim.text if claim.source == "text" else words
    common: dict[str, Any] = {"quote": quote, "series": ser, "link": link, "words": words}
    if ser.target is None:
        b.add("status_unsupported", claim, "status_no_target", table="—", **common)
        return
    last = ser.last
    if last is None:
        return
    tol = 0.5 * 10 ** (-last.decimals) + 1e-9
    if _reached(last.value, ser, tol):
        return
    if claim.status == "achieved":
        b.add(
            "status_unsupported",
            claim,
            "status_not_reached",
            table=f"{_shown(last)} ({last.year}); {s.target_year}: {ser.target_text}",
            latest=_shown(last),
            year=last.year,
            target=ser.target_text,
            **common,
        )
        return
    projected = _projection(ser, s.target_year)
    if projected is None:
        b.add(
            "status_unsupported",
            claim,
            "status_no_trend",
            table=f"{_shown(last)} ({last.year}); {s.target_year}: {ser.target_text}",
            target=ser.target_text,
            **common,
        )
        return
    value, first, last = projected
    if _reached(value, ser, tol):
        return
    b.add(
        "status_unsupported",
        claim,
        "status_off_pace",
        table=f"{_shown(first)} ({first.year}) → {_shown(last)} ({last.year}); "
        f"{s.target_year}: {ser.target_text}",
        y1=first.year,
        y2=last.year,
        v1=_shown(first),
        v2=_shown(last),
        projected=fmt(value, max(first.decimals, last.decimals)),
        target_year=s.target_year,
        target=ser.target_text,
        **common,
    )


def _goal_verdict(
    claim: Claim, found: list[Series], s: Settings
) -> tuple[str, dict[str, Any]] | None:
    """Why a goal's status is not supported (reason key and its words), or None."""
    if not found:
        return "status_no_indicator", {"table": "—"}
    with_trend = [ser for ser in found if len(ser.by_year) >= 2]
    if not with_trend:
        return "status_no_data", {
            "table": "; ".join(
                f"{ser.indicator.id}: "
                + (", ".join(f"{_shown(v)} ({y})" for y, v in sorted(ser.by_year.items())) or "—")
                for ser in found
            ),
            "ids": ", ".join(ser.indicator.id for ser in found),
        }
    if claim.status not in ("on_track", "achieved"):
        return None
    judged = []
    for ser in with_trend:
        if ser.target is None or ser.last is None:
            continue
        tol = 0.5 * 10 ** (-ser.last.decimals) + 1e-9
        projected = _projection(ser, s.target_year)
        if projected is None:
            continue
        value = projected[0]
        judged.append((ser, value, _reached(ser.last.value, ser, tol) or _reached(value, ser, tol)))
    if not judged or any(ok for _ser, _v, ok in judged):
        return None

    def details(lang: str) -> str:
        return ("; " if lang == "en" else "、").join(
            t(
                "claims.check.goal_detail",
                lang,
                id=ser.indicator.id,
                projected=fmt(v, ser.last.decimals if ser.last else 0),
                year=s.target_year,
                target=ser.target_text,
            )
            for ser, v, _ok in judged
        )

    return "status_goal_off_pace", {
        "table": "; ".join(
            f"{ser.indicator.id}: {_shown(ser.first)} ({ser.first.year}) → "
            f"{_shown(ser.last)} ({ser.last.year}); {s.target_year}: {ser.target_text}"
            for ser, _v, _ok in judged
            if ser.first is not None and ser.last is not None
        ),
        "details": details,
    }


def _status_of_goal(b: _Builder, claims: list[Claim], found: list[Series], s: Settings) -> None:
    """One suggestion per goal and reason, citing every place that gives the status."""
    grouped: dict[str, list[tuple[Claim, dict[str, Any]]]] = defaultdict(list)
    for claim in claims:
        verdict = _goal_verdict(claim, found, s)
        if verdict is not None:
            grouped[verdict[0]].append((claim, verdict[1]))
    for key, items in grouped.items():
        claim, fields = items[0]
        others = [c for c, _f in items[1:]]
        extra: list[tuple[str, dict[str, Any]]] = []
        if others:
            extra.append(("also", {"pages": lambda lang, o=others: _pages(o, lang)}))
        values: dict[str, Any] = dict(fields)
        table = str(values.pop("table", "—"))
        b.add(
            "status_unsupported",
            claim,
            key,
            quote=claim.text if claim.source == "text" else claim.status_words,
            table=table,
            goal=claim.goal,
            words=claim.status_words,
            extra=extra,
            also=tuple((c.page, c.ref) for c in others),
            **values,
        )


__all__ = ["Series", "check_claims", "fmt", "series_of"]
