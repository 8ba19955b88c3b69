"""Progress and summary of a checklist review, as tables and plotly charts.

These are what the notebooks show while a review is under way and what the
memo reports at the end: the share of criteria rated per area, the ratings by
area, the findings per area and the top-priority recommendations. Every
function takes ``lang`` ("en" or "ja") for its labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..i18n import check_lang, t
from .consensus import SEVERITY, FinalRating, final_ratings
from .ratings import PRIORITIES, RATINGS, priority_label, rating_label, review_template

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

#: Colours of the ratings in charts (colour-blind-safe; disputed in grey).
RATING_COLOURS = {
    "met": "#1a9850",
    "partly_met": "#fdae61",
    "not_met": "#d73027",
    "not_applicable": "#bdbdbd",
    "disputed": "#7b3294",
}


@dataclass(frozen=True)
class Finding:
    """One criterion's outcome as a memo reports it."""

    criterion_id: str
    area: str
    question: str
    rating: str
    rating_label: str
    status: str
    priority: str
    pages: tuple[int, ...]
    comments: tuple[str, ...]
    recommendations: tuple[str, ...]
    note: str = ""


def progress_frame(ws: Any, review_id: str, lang: str = "en") -> pd.DataFrame:
    """Per area: criteria in the template, criteria rated by anyone, share rated (0-1).

    A last row ``"all"`` gives the totals.
    """
    import pandas as pd

    check_lang(lang)
    tpl = review_template(ws, review_id)
    rated = {cid for cid, f in final_ratings(ws, review_id).items() if not f.orphaned}
    rows = []
    for area in tpl.areas:
        ids = [c.id for c in tpl.criteria if c.area == area.code]
        if not ids:
            continue
        done = sum(1 for cid in ids if cid in rated)
        rows.append(
            {
                "area": area.code,
                "area_name": area.name(lang),
                "criteria": len(ids),
                "rated": done,
                "share_rated": done / len(ids),
            }
        )
    total = len(tpl.criteria)
    done = sum(1 for cid in tpl.ids if cid in rated)
    rows.append(
        {
            "area": "all",
            "area_name": "",
            "criteria": total,
            "rated": done,
            "share_rated": done / total if total else 0.0,
        }
    )
    return pd.DataFrame(rows, columns=["area", "area_name", "criteria", "rated", "share_rated"])


def ratings_by_area(ws: Any, review_id: str, lang: str = "en") -> pd.DataFrame:
    """Per area, how many criteria ended in each rating (final/agreed, disputed, unrated)."""
    import pandas as pd

    check_lang(lang)
    tpl = review_template(ws, review_id)
    finals = final_ratings(ws, review_id)
    columns = [*RATINGS, "disputed", "unrated"]
    rows = []
    for area in tpl.areas:
        ids = [c.id for c in tpl.criteria if c.area == area.code]
        if not ids:
            continue
        counts = {c: 0 for c in columns}
        for cid in ids:
            f = finals.get(cid)
            counts[f.rating if f else "unrated"] += 1
        rows.append({"area": area.code, "area_name": area.name(lang), **counts})
    return pd.DataFrame(rows, columns=["area", "area_name", *columns])


def summary_frame(ws: Any, review_id: str, lang: str = "en") -> pd.DataFrame:
    """One row per criterion of the template with the review's conclusion on it.

    Columns: ``criterion_id``, ``area``, ``question``, ``rating`` (code),
    ``rating_label``, ``status`` (final/agreed/single/disputed/unrated),
    ``priority``, ``pages``, ``comment``, ``recommendation``, ``note``.
    Criteria no longer in the template but rated earlier are added at the end
    with status ``orphaned``.
    """
    import pandas as pd

    check_lang(lang)
    rows = []
    for f in findings(ws, review_id, lang=lang, include_unrated=True):
        rows.append(
            {
                "criterion_id": f.criterion_id,
                "area": f.area,
                "question": f.question,
                "rating": f.rating,
                "rating_label": f.rating_label,
                "status": f.status,
                "priority": f.priority,
                "pages": ", ".join(str(p) for p in f.pages),
                "comment": " / ".join(f.comments),
                "recommendation": " / ".join(f.recommendations),
                "note": f.note,
            }
        )
    columns = [
        "criterion_id",
        "area",
        "question",
        "rating",
        "rating_label",
        "status",
        "priority",
        "pages",
        "comment",
        "recommendation",
        "note",
    ]
    return pd.DataFrame(rows, columns=columns)


def findings(
    ws: Any, review_id: str, *, lang: str = "en", include_unrated: bool = False
) -> list[Finding]:
    """Every criterion's outcome in template order (orphaned ones last)."""
    check_lang(lang)
    tpl = review_template(ws, review_id)
    finals = final_ratings(ws, review_id)
    out: list[Finding] = []
    for c in tpl.criteria:
        f = finals.get(c.id)
        if f is None and not include_unrated:
            continue
        out.append(_finding(c.id, c.question(lang), f, lang))
    for cid, f in finals.items():
        if f.orphaned:
            out.append(_finding(cid, t("checklist.orphaned", lang), f, lang, status="orphaned"))
    return out


def _finding(
    cid: str, question: str, f: FinalRating | None, lang: str, status: str | None = None
) -> Finding:
    if f is None:
        return Finding(
            cid, cid[:1], question, "", rating_label("", lang), "unrated", "", (), (), ()
        )
    return Finding(
        criterion_id=cid,
        area=cid[:1],
        question=question,
        rating=f.rating,
        rating_label=rating_label(f.rating, lang),
        status=status or f.status,
        priority=f.priority,
        pages=f.pages,
        comments=tuple(text for _who, text in f.comments),
        recommendations=tuple(r.text for r in f.recommendations),
        note=f.note,
    )


def findings_by_area(ws: Any, review_id: str, lang: str = "en") -> dict[str, list[Finding]]:
    """Rated criteria grouped by area code (areas in template order; empty areas omitted)."""
    tpl = review_template(ws, review_id)
    grouped: dict[str, list[Finding]] = {a.code: [] for a in tpl.areas}
    for f in findings(ws, review_id, lang=lang):
        grouped.setdefault(f.area, []).append(f)
    return {code: items for code, items in grouped.items() if items}


def top_recommendations(ws: Any, review_id: str, n: int = 10, lang: str = "en") -> pd.DataFrame:
    """The ``n`` most pressing recommendations, one per criterion.

    Ranked by priority (the highest any reviewer gave), then by how far the
    criterion falls short (not met, disputed, partly met, met), then template
    order. ``recommendation`` is the lead reviewer's text when they wrote
    one, else the first reviewer's; ``other`` holds the other reviewers'
    different texts, so nothing written is lost.
    """
    import pandas as pd

    from .consensus import lead_reviewer

    check_lang(lang)
    tpl = review_template(ws, review_id)
    order = {cid: k for k, cid in enumerate(tpl.ids)}
    lead = lead_reviewer(ws, review_id)
    rows = []
    for cid, f in final_ratings(ws, review_id).items():
        if not f.recommendations:
            continue
        recs = sorted(
            f.recommendations,
            key=lambda r: (
                r.reviewer != lead,
                PRIORITIES.index(r.priority) if r.priority in PRIORITIES else 1,
            ),
        )
        main = recs[0]
        seen = {" ".join(main.text.casefold().split())}
        others = []
        for r in recs[1:]:
            key = " ".join(r.text.casefold().split())
            if key not in seen:
                seen.add(key)
                others.append(r.text)
        prio = min(
            (r.priority for r in recs), key=lambda p: PRIORITIES.index(p) if p in PRIORITIES else 1
        )
        rows.append(
            {
                "criterion_id": cid,
                "area": cid[:1],
                "question": tpl.criterion(cid).question(lang)
                if cid in tpl
                else t("checklist.orphaned", lang),
                "rating": f.rating,
                "rating_label": rating_label(f.rating, lang),
                "priority": prio,
                "priority_label": priority_label(prio, lang),
                "recommendation": main.text,
                "reviewer": main.reviewer,
                "other": " / ".join(others),
                "pages": ", ".join(str(p) for p in f.pages),
                "_rank": (
                    PRIORITIES.index(prio) if prio in PRIORITIES else 1,
                    SEVERITY.get(f.rating, 3),
                    order.get(cid, len(order)),
                ),
            }
        )
    rows.sort(key=lambda r: tuple(r["_rank"]))  # type: ignore[arg-type]
    columns = [
        "criterion_id",
        "area",
        "question",
        "rating",
        "rating_label",
        "priority",
        "priority_label",
        "recommendation",
        "reviewer",
        "other",
        "pages",
    ]
    return pd.DataFrame(
        [{k: v for k, v in r.items() if k != "_rank"} for r in rows[:n]], columns=columns
    )


def progress_figure(ws: Any, review_id: str, lang: str = "en") -> go.Figure:
    """Horizontal bars: share of criteria rated in each area (0-100 %)."""
    import plotly.graph_objects as go

    frame = progress_frame(ws, review_id, lang)
    frame = frame[frame["area"] != "all"]
    labels = [f"{a}. {n}" for a, n in zip(frame["area"], frame["area_name"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=(frame["share_rated"] * 100).round(1),
            y=labels,
            orientation="h",
            marker_color="#00689D",
            text=[f"{r}/{c}" for r, c in zip(frame["rated"], frame["criteria"], strict=True)],
            textposition="auto",
            hovertemplate="%{y}: %{x:.0f}%<extra></extra>",
        )
    )
    fig.update_layout(
        title=t("checklist.chart.progress_title", lang),
        xaxis={"title": t("checklist.chart.share_axis", lang), "range": [0, 100]},
        yaxis={"title": t("checklist.chart.area_axis", lang), "autorange": "reversed"},
        template="plotly_white",
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        height=360,
    )
    return fig


def ratings_figure(ws: Any, review_id: str, lang: str = "en") -> go.Figure:
    """Stacked bars: number of criteria per rating in each area."""
    import plotly.graph_objects as go

    frame = ratings_by_area(ws, review_id, lang)
    labels = [f"{a}. {n}" for a, n in zip(frame["area"], frame["area_name"], strict=True)]
    kinds = (*RATINGS, "disputed")
    fig = go.Figure()
    # Areas down the side, bars across: area names stay horizontal and readable
    # (rotated labels overlapped, in Japanese too).
    for rating in kinds:
        fig.add_trace(
            go.Bar(
                name=rating_label(rating, lang),
                y=labels,
                x=frame[rating],
                orientation="h",
                marker_color=RATING_COLOURS[rating],
                hovertemplate="%{y}: %{x}<extra>" + rating_label(rating, lang) + "</extra>",
            )
        )
    totals = frame[list(kinds)].sum(axis=1) if len(frame) else []
    widest = max([int(n) for n in totals] + [1])
    # the axis runs to the most criteria an area has, so bars fill up as ratings come in
    most = int(frame[[*kinds, "unrated"]].sum(axis=1).max()) if len(frame) else widest
    fig.update_layout(
        barmode="stack",
        title=t("checklist.chart.ratings_title", lang),
        yaxis={"title": t("checklist.chart.area_axis", lang), "autorange": "reversed"},
        xaxis={
            "title": t("checklist.chart.count_axis", lang),
            "range": [0, max(most, widest)],
            "dtick": 1 if max(most, widest) <= 10 else None,
        },
        template="plotly_white",
        legend={"orientation": "h", "y": -0.2, "traceorder": "normal"},
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        height=max(360, 40 * len(labels) + 140),
    )
    if not sum(int(n) for n in totals):
        fig.add_annotation(
            # two short lines: a long sentence would run past the plot in Japanese
            text=t("checklist.chart.nothing_rated", lang).replace("\n", "<br>"),
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 15, "color": "#555"},
            bgcolor="rgba(255,255,255,0.9)",
        )
    return fig
