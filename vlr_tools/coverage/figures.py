"""Plotly figures of coverage: the goal overview and the sections x goals heatmap."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._shared import clip
from ..charts import base_layout, goal_label, plain_text
from ..framework import get_framework
from ..i18n import check_lang, t
from .decisions import Decision, effective_matches
from .view import mapping_view

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go


_DEPTH_OPACITY = {"none": 0.25, "mentioned": 0.45, "covered": 0.8, "measured": 1.0}
_INK = "#222222"


def coverage_figure(
    frame: pd.DataFrame, lang: str | None = None, *, title: str | None = None
) -> go.Figure:
    """Goal overview: paragraphs per goal, 17 bars in the official goal colours.

    Bars are paler the shallower the coverage (mentioned < covered <
    measured); each bar is labelled with its depth, and the HLPF in-depth
    goals of the frame's year get a dark outline and a marker above. Text
    is in ``lang`` (default: the frame's language).
    """
    import plotly.graph_objects as go

    lang = check_lang(lang or frame.attrs.get("lang", "en"))
    fw = get_framework()
    year = frame.attrs.get("hlpf_year")
    by_goal = {int(r.goal): r for r in frame.itertuples(index=False)}
    goals = fw.goals
    x = [str(g.number) for g in goals]
    y = [int(by_goal[g.number].paragraphs) for g in goals]
    depth = [str(by_goal[g.number].depth) for g in goals]
    hlpf = [bool(by_goal[g.number].in_hlpf) for g in goals]
    # The template's <br> is markup; only the filled-in values are escaped.
    hover = [
        t(
            "coverage.chart.hover",
            lang,
            goal=plain_text(goal_label(g.number, lang)),
            paragraphs=y[i],
            pages=int(by_goal[g.number].page_count),
            targets=int(by_goal[g.number].target_count),
            indicators=int(by_goal[g.number].indicators_with_trend),
            depth=plain_text(t(f"coverage.depth.{depth[i]}", lang)),
        )
        for i, g in enumerate(goals)
    ]
    top = max(y + [1])
    fig = go.Figure(
        go.Bar(
            x=x,
            y=y,
            marker={
                "color": [g.colour for g in goals],
                "opacity": None,
                "line": {
                    "color": [_INK if h else "rgba(0,0,0,0)" for h in hlpf],
                    "width": [2.5 if h else 0 for h in hlpf],
                },
            },
            text=[t(f"coverage.depth_short.{d}", lang) if d != "none" else "" for d in depth],
            textposition="outside",
            textfont={"size": 10, "color": "#444444"},
            cliponaxis=False,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            name=t("coverage.chart.paragraphs", lang),
            showlegend=False,
        )
    )
    # Paler bars for shallower coverage: plotly takes one opacity per trace, so
    # the colour itself carries it (rgba with the depth's alpha).
    fig.data[0].marker.color = [
        _rgba(g.colour, _DEPTH_OPACITY[d]) for g, d in zip(goals, depth, strict=True)
    ]
    annotations: list[dict[str, Any]] = []
    if year is not None:
        for i in range(len(goals)):
            if hlpf[i]:
                missing = depth[i] in ("none", "mentioned")
                # x is the category's position: plotly.js would read "3" as
                # position 3 (the fourth bar) on a category axis.
                annotations.append(
                    {
                        "x": i,
                        "y": y[i],
                        "yshift": 16,
                        "text": "▲" if not missing else "▲!",
                        "showarrow": False,
                        "yanchor": "bottom",
                        "font": {"size": 13, "color": "#C00000" if missing else _INK},
                    }
                )
        annotations.append(
            {
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1.02,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                # Fixed text from the i18n file (its <span> is intended markup).
                "text": t("coverage.chart.hlpf_marker", lang, year=int(year)),
                "font": {"size": 12, "color": _INK},
            }
        )
    heading = title if title is not None else t("coverage.chart.title", lang)
    fig.update_layout(
        title={"text": plain_text(heading), "x": 0.01, "xanchor": "left"},
        xaxis={"title": {"text": t("common.goal", lang)}, "type": "category"},
        uniformtext={"minsize": 10, "mode": "show"},
        yaxis={"title": {"text": t("coverage.chart.paragraphs", lang)}, "range": [0, top * 1.25]},
        annotations=annotations,
        bargap=0.25,
        height=460,
        width=900,
    )
    fig = base_layout(fig, lang)
    fig.update_layout(margin={"t": 80})
    return fig


def _rgba(colour: str, alpha: float) -> str:
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def heatmap_figure(
    draft_mapping: Any,
    lang: str = "en",
    *,
    decisions: Iterable[Decision] | None = None,
    keep_empty: bool = False,
    title: str | None = None,
) -> go.Figure:
    """Sections x goals: how many paragraphs of each chapter map to each goal.

    Rows are the draft's chapters in reading order (see :func:`_chapters`);
    columns the 17 goals, headed by a strip in the official goal colours.
    Chapters mapped to no goal are left out unless ``keep_empty``.
    """
    import plotly.graph_objects as go

    check_lang(lang)
    fw = get_framework()
    view = mapping_view(draft_mapping)
    decisions = list(decisions or ())  # a generator must serve twice
    matches = effective_matches(view, decisions)
    chapters: list[str] = []
    for para in view.paragraphs:
        name = para.chapter or t("coverage.chart.front_matter", lang)
        if name not in chapters:
            chapters.append(name)
    counts: dict[tuple[str, int], set[str]] = {}
    for row in matches.itertuples(index=False):
        info = view.paragraph(row.ref)
        name = (info.chapter if info else row.section) or t("coverage.chart.front_matter", lang)
        counts.setdefault((name, int(row.goal)), set()).add(row.ref)
    if not keep_empty:
        chapters = [c for c in chapters if any((c, g.number) in counts for g in fw.goals)]
    z = [[len(counts.get((c, g.number), ())) for g in fw.goals] for c in chapters]
    labels = [plain_text(clip(str(c), 48)) for c in chapters]
    x = [str(g.number) for g in fw.goals]
    hover = [
        [
            t(
                "coverage.chart.heat_hover",
                lang,
                section=plain_text(clip(str(c), 80)),
                goal=plain_text(goal_label(g.number, lang)),
                n=z[i][j],
            )
            for j, g in enumerate(fw.goals)
        ]
        for i, c in enumerate(chapters)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=labels,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=[[0.0, "#FFFFFF"], [0.01, "#E8EEF4"], [1.0, "#19486A"]],
            zmin=0,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": t("coverage.chart.paragraphs", lang)}, "thickness": 12},
        )
    )
    # A strip of goal colours above the columns, so each column reads as its goal.
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": i - 0.45,
            "x1": i + 0.45,
            "y0": 1.005,
            "y1": 1.005 + 22 / max(300, 28 * len(chapters) + 160),
            "fillcolor": g.colour,
            "line": {"width": 0},
        }
        for i, g in enumerate(fw.goals)
    ]
    height = max(320, 26 * len(chapters) + 180)
    fig.update_layout(
        title={
            "text": plain_text(
                title if title is not None else t("coverage.chart.heat_title", lang)
            ),
            "x": 0.01,
            "xanchor": "left",
        },
        xaxis={"title": {"text": t("common.goal", lang)}, "type": "category", "side": "bottom"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        shapes=shapes,
        height=height,
        width=900,
    )
    fig = base_layout(fig, lang)
    fig.update_layout(margin={"l": 60, "r": 20, "t": 80, "b": 60})
    return fig
