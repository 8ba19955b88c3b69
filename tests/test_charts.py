"""Chart basics: official goal colours, labels, fonts and escaped user text."""

from __future__ import annotations

import pytest

from vlr_tools.charts import (
    FONT_FAMILY,
    base_layout,
    goal_colour,
    goal_label,
    goal_overview_figure,
)
from vlr_tools.errors import UnknownCodeError


def test_goal_colour_and_label_come_from_the_framework_data():
    assert goal_colour(11) == "#FD9D24"
    assert goal_colour(1) == "#E5243B"
    assert goal_label(11) == "11 Sustainable cities and communities"
    assert goal_label(11, "ja") == "11 住み続けられるまちづくりを"
    assert goal_label(1, short=False) == "1 End poverty in all its forms everywhere"
    with pytest.raises(UnknownCodeError):
        goal_colour(18)
    with pytest.raises(ValueError):
        goal_label(11, "fr")


def test_overview_has_17_bars_in_official_colours_and_a_cjk_font():
    fig = goal_overview_figure({11: 3.0, 6: 1.5}, "Paragraphs per goal", "ja")
    bar = fig.data[0]
    assert list(bar.x) == [str(n) for n in range(1, 18)]
    assert bar.y[10] == 3.0 and bar.y[5] == 1.5 and bar.y[0] is None
    assert bar.marker.color[10] == "#FD9D24" and bar.marker.color[16] == "#19486A"
    assert "Noto Sans CJK JP" in fig.layout.font.family
    assert fig.layout.xaxis.title.text == "目標"
    with pytest.raises(UnknownCodeError):
        goal_overview_figure({18: 1.0}, "x")


def test_user_text_cannot_inject_markup():
    fig = goal_overview_figure({1: 1.0}, '<a href="http://x">click</a> & <b>bold</b>')
    title = fig.layout.title.text
    assert "<" not in title and ">" not in title
    assert "&lt;a href" in title and "&amp;" in title


def test_base_layout_sets_font_per_language():
    import plotly.graph_objects as go

    fig = base_layout(go.Figure(), "en")
    assert fig.layout.font.family == FONT_FAMILY["en"]
