"""Plotly figures in the official SDG goal colours, in English or Japanese.

The basics every chart shares: the colour and label of a goal, a layout with
fonts that render Japanese, and a 17-goal bar chart. Colours and names come
from the framework data (``data/reference/sdg/goals.csv``), not from code.

Text given by a user (a chart title, a city name) is escaped before it goes
into a figure: plotly renders a few HTML tags (``<b>``, ``<a href>``) in
titles and labels, so raw text could inject markup.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from .framework import get_framework
from .i18n import check_lang, t

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = [
    "FONT_FAMILY",
    "base_layout",
    "goal_colour",
    "goal_label",
    "goal_overview_figure",
    "plain_text",
]

#: Font stacks: Japanese needs a CJK font (fonts-noto-cjk on Debian).
FONT_FAMILY = {
    "en": "Noto Sans, Arial, Helvetica, Noto Sans CJK JP, sans-serif",
    "ja": "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif",
}


def plain_text(text: object) -> str:
    """``text`` escaped so that plotly shows it literally instead of as markup."""
    return html.escape(str(text), quote=False)


def goal_colour(number: int) -> str:
    """The official colour of a goal, e.g. ``goal_colour(11) == "#FD9D24"``."""
    return get_framework().goal(number).colour


def goal_label(number: int, lang: str = "en", *, short: bool = True) -> str:
    """``"11 Sustainable cities and communities"`` or ``"11 住み続けられるまちづくりを"``.

    With ``short=False`` the official goal title is used instead of the short name.
    """
    check_lang(lang)
    goal = get_framework().goal(number)
    return f"{goal.number} {goal.short(lang) if short else goal.title(lang)}"


def base_layout(fig: go.Figure, lang: str = "en") -> go.Figure:
    """Apply the workbench's common layout (fonts, white background) to ``fig``."""
    check_lang(lang)
    fig.update_layout(
        font={"family": FONT_FAMILY[lang], "size": 13, "color": "#222222"},
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        hoverlabel={"font": {"family": FONT_FAMILY[lang]}},
    )
    return fig


def goal_overview_figure(
    values: dict[int, float], title: str = "", lang: str = "en", *, value_label: str = ""
) -> go.Figure:
    """A bar chart of the 17 goals in their official colours.

    Goals missing from ``values`` are shown with no bar, so the chart always
    has 17 slots and gaps are visible.

    >>> fig = goal_overview_figure({11: 3, 6: 1}, "Paragraphs per goal")  # doctest: +SKIP
    """
    import plotly.graph_objects as go

    check_lang(lang)
    fw = get_framework()
    unknown = sorted(set(values) - {g.number for g in fw.goals})
    if unknown:
        fw.goal(unknown[0])  # raises UnknownCodeError with the allowed range
    goals = fw.goals
    labels = [str(g.number) for g in goals]
    names = [plain_text(goal_label(g.number, lang)) for g in goals]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=[values.get(g.number) for g in goals],
            marker_color=[g.colour for g in goals],
            customdata=names,
            hovertemplate="%{customdata}: %{y}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": plain_text(title)},
        xaxis={"title": {"text": t("common.goal", lang)}, "type": "category"},
        yaxis={"title": {"text": plain_text(value_label)}},
        showlegend=False,
    )
    return base_layout(fig, lang)
