"""Chart specifications for the memo: what each chart shows, and its plotly figure.

Each builder returns a :class:`~vlr_tools.memo.model.Chart` holding a
:class:`~vlr_tools.memo.model.Plot` (the bars, drawn as inline SVG by
:mod:`vlr_tools.memo.svg` for every memo a city reads), the plotly figure as
JSON (for the interactive HTML memo only), a text alternative and the same
numbers as a table. Figures are plain dicts (no plotly objects) so that
building a memo stays fast and the model stays renderer-independent. Labels
that come from data are escaped for plotly, which renders a few HTML tags in
text; the SVG renderer escapes for XML itself.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from ..charts import FONT_FAMILY
from ..framework import get_framework
from ..i18n import t
from .model import Cell, Chart, Plot, Series, Table

INK = "#1b1f24"
GRID = "#d5dbe2"
RATING_COLOURS = {
    "met": "#237a3f",
    "partly_met": "#e0a800",
    "not_met": "#c0392b",
    "not_applicable": "#8a94a3",
    "disputed": "#7b5ea7",
    "not_rated": "#d5dbe2",
}
BAR = "#2f6ea8"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def _layout(lang: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "font": {"family": FONT_FAMILY.get(lang, FONT_FAMILY["en"]), "size": 13, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 20, "t": 30, "b": 60},
        "showlegend": False,
        "hoverlabel": {"font": {"family": FONT_FAMILY.get(lang, FONT_FAMILY["en"])}},
    }
    layout.update(extra)
    return layout


def _chart(
    key: str,
    title: str,
    alt: str,
    fig: dict[str, Any],
    table: Table,
    *,
    width: int = 860,
    height: int = 420,
    plot: Plot | None = None,
    table_follows: bool = False,
) -> Chart:
    return Chart(
        key=key,
        title=title,
        alt=alt,
        figure=json.dumps(fig, ensure_ascii=False, sort_keys=True),
        table=table,
        width=width,
        height=height,
        plot=plot,
        table_follows=table_follows,
    )


def coverage_chart(
    counts: dict[int, int],
    hlpf_goals: Sequence[int],
    hlpf_year: int,
    lang: str,
    table: Table,
    alt: str,
    *,
    table_follows: bool = False,
) -> Chart:
    """Paragraphs per goal, 17 bars in the official colours; HLPF goals marked."""
    fw = get_framework()
    goals = fw.goals
    x = [str(g.number) for g in goals]
    y = [counts.get(g.number, 0) for g in goals]
    names = [_esc(f"{g.number} {g.short(lang)}") for g in goals]
    top = max(y + [1])
    hlpf_label = t("memo.chart.hlpf_marker", lang, year=hlpf_year)
    annotations: list[dict[str, Any]] = [
        {
            # On a category axis a numeric x is the category's index.
            "x": n - 1,
            "y": counts.get(n, 0),
            # Above the bar's value label when there is one.
            "yshift": 22 if counts.get(n, 0) else 4,
            "text": "▲",
            "showarrow": False,
            "yanchor": "bottom",
            "font": {"size": 13, "color": INK},
        }
        for n in hlpf_goals
        if 1 <= n <= 17
    ]
    annotations.append(
        {
            "xref": "paper",
            "yref": "paper",
            "x": 1,
            "y": 1.06,
            "xanchor": "right",
            "showarrow": False,
            "text": _esc(f"▲ {hlpf_label}"),
            "font": {"size": 12, "color": INK},
        }
    )
    fig = {
        "data": [
            {
                "type": "bar",
                "x": x,
                "y": y,
                "marker": {
                    "color": [g.colour for g in goals],
                    "line": {
                        "color": [
                            INK if g.number in hlpf_goals else "rgba(0,0,0,0)" for g in goals
                        ],
                        "width": [2 if g.number in hlpf_goals else 0 for g in goals],
                    },
                },
                "customdata": names,
                "hovertemplate": "%{customdata}: %{y}<extra></extra>",
                "text": [str(v) if v else "" for v in y],
                "textposition": "outside",
                "cliponaxis": False,
            }
        ],
        "layout": _layout(
            lang,
            xaxis={
                "title": {"text": _esc(t("memo.chart.goal_axis", lang))},
                "type": "category",
                "tickfont": {"size": 13},
                "tickvals": x,
                "ticktext": [f"<b>{v}</b>" if int(v) in hlpf_goals else v for v in x],
            },
            yaxis={
                "title": {"text": _esc(t("memo.chart.paragraphs_axis", lang))},
                "gridcolor": GRID,
                "rangemode": "tozero",
                "range": [0, top * 1.25],
            },
            annotations=annotations,
            margin={"l": 70, "r": 20, "t": 40, "b": 60},
        ),
    }
    plot = Plot(
        orientation="columns",
        categories=tuple(x),
        series=(Series("", tuple(float(v) for v in y), tuple(g.colour for g in goals)),),
        value_axis=t("memo.chart.paragraphs_axis", lang),
        category_axis=t("memo.chart.goal_axis", lang),
        marked=tuple(n - 1 for n in hlpf_goals if 1 <= n <= 17),
        marker_note=hlpf_label,
    )
    return _chart(
        "sdg-coverage",
        t("memo.chart.coverage_title", lang),
        alt,
        fig,
        table,
        plot=plot,
        table_follows=table_follows,
    )


def ratings_chart(
    rows: Sequence[tuple[str, dict[str, int]]],
    lang: str,
    table: Table,
    alt: str,
    *,
    table_follows: bool = False,
) -> Chart:
    """Stacked horizontal bars: ratings per checklist area."""
    order = ("met", "partly_met", "not_met", "not_applicable", "disputed", "not_rated")
    labels = [_esc(label) for label, _ in rows]
    data = []
    series = []
    for rating in order:
        values = [counts.get(rating, 0) for _, counts in rows]
        if not any(values):
            continue
        series.append(
            Series(
                t(f"memo.rating.{rating}", lang),
                tuple(float(v) for v in values),
                (RATING_COLOURS[rating],),
                "#ffffff" if rating in ("met", "not_met", "disputed") else INK,
            )
        )
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": _esc(t(f"memo.rating.{rating}", lang)),
                "y": labels,
                "x": values,
                "marker": {
                    "color": RATING_COLOURS[rating],
                    "line": {"color": "#ffffff", "width": 1},
                },
                "text": [str(v) if v else "" for v in values],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {
                    "color": "#ffffff" if rating in ("met", "not_met", "disputed") else INK
                },
                "hovertemplate": "%{y}: %{x}<extra>"
                + _esc(t(f"memo.rating.{rating}", lang))
                + "</extra>",
            }
        )
    height = 140 + 42 * len(rows)
    fig = {
        "data": data,
        "layout": _layout(
            lang,
            barmode="stack",
            showlegend=True,
            legend={
                "orientation": "h",
                "x": 0,
                "y": 1.02,
                "xanchor": "left",
                "yanchor": "bottom",
                "traceorder": "normal",
            },
            xaxis={
                "title": {"text": _esc(t("memo.chart.criteria_axis", lang))},
                "gridcolor": GRID,
                "dtick": 1,
            },
            yaxis={"autorange": "reversed", "automargin": True},
            margin={"l": 20, "r": 20, "t": 50, "b": 50},
        ),
    }
    plot = Plot(
        orientation="bars",
        categories=tuple(label for label, _ in rows),
        series=tuple(series),
        value_axis=t("memo.chart.criteria_axis", lang),
        stacked=True,
    )
    return _chart(
        "ratings-by-area",
        t("memo.chart.ratings_title", lang),
        alt,
        fig,
        table,
        height=height,
        plot=plot,
        table_follows=table_follows,
    )


def bar_chart(
    key: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    lang: str,
    table: Table,
    alt: str,
    axis: str,
    *,
    colours: Sequence[str] | None = None,
) -> Chart:
    """A plain horizontal bar chart (stakeholder groups, IAP2 levels...)."""
    fig = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [_esc(x) for x in labels],
                "x": list(values),
                "marker": {"color": list(colours) if colours else BAR},
                "text": [str(v) for v in values],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{x}<extra></extra>",
            }
        ],
        "layout": _layout(
            lang,
            xaxis={
                "title": {"text": _esc(axis)},
                "gridcolor": GRID,
                "rangemode": "tozero",
                "range": [0, max(list(values) + [1]) * 1.18],
            },
            yaxis={"autorange": "reversed", "automargin": True},
            margin={"l": 20, "r": 30, "t": 20, "b": 60},
        ),
    }
    height = max(260, 110 + 30 * len(labels))
    plot = Plot(
        orientation="bars",
        categories=tuple(labels),
        series=(Series("", tuple(float(v) for v in values), tuple(colours or (BAR,))),),
        value_axis=axis,
    )
    return _chart(key, title, alt, fig, table, height=height, plot=plot)


def table_of(
    columns: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[bool] = ()
) -> Table:
    """A simple table of plain values (helper for chart data tables)."""
    return Table(
        columns=tuple(columns),
        rows=tuple(tuple(Cell(str(v)) for v in row) for row in rows),
        numeric=tuple(numeric),
    )
