"""One call for the memo and the CLI: map a city's draft and build every coverage view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import MappingError
from ..i18n import check_lang, t
from .decisions import load_decisions
from .figures import coverage_figure, heatmap_figure
from .tables import coverage_findings, coverage_frame, hlpf_gaps, target_frame, unmeasured_goals
from .view import mapping_view

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

    from ..workspace import Workspace


@dataclass(frozen=True)
class CoverageSummary:
    """Everything the memo's "SDG coverage" and "Indicator alignment and data gaps" need.

    Frames are pandas DataFrames (see the functions that make them);
    ``figure`` and ``heatmap`` are plotly figures; ``illustrative`` is the
    city's flag (memos must say the data are illustrative).
    """

    city: str
    version: str
    hlpf_year: int
    lang: str
    goals: pd.DataFrame
    targets: pd.DataFrame
    hlpf: pd.DataFrame
    findings: pd.DataFrame
    unmeasured: pd.DataFrame
    indicators: pd.DataFrame | None
    gaps: pd.DataFrame | None
    alignment: pd.DataFrame | None
    figure: go.Figure
    heatmap: go.Figure
    decisions: int
    paragraphs_total: int
    vocabulary_version: str = ""
    illustrative: bool = True

    @property
    def hlpf_goals(self) -> tuple[int, ...]:
        return tuple(self.goals.attrs.get("hlpf_goals", ()))

    @property
    def covered(self) -> tuple[int, ...]:
        """Goals covered or measured (depth rule in :mod:`vlr_tools.coverage`)."""
        frame = self.goals
        return tuple(
            int(g) for g in frame.loc[frame["depth"].isin(["covered", "measured"]), "goal"]
        )

    @property
    def mapped(self) -> tuple[int, ...]:
        """Goals with at least one paragraph mapped to them."""
        return tuple(int(g) for g in self.goals.loc[self.goals["paragraphs"] > 0, "goal"])


def coverage_summary(
    ws: Workspace | None,
    review_id: str | None,
    city: str | None = None,
    version: str | None = None,
    hlpf_year: int | None = None,
    lang: str = "en",
    *,
    draft_mapping: Any = None,
) -> CoverageSummary:
    """Map a review's stored draft, apply its decisions and build every coverage view.

    Give the review (``ws``, ``review_id``); ``city``/``version`` are the
    shortcut for a sample city without a workspace (taken in through the
    intake into a scratch workspace). ``hlpf_year`` defaults to the review's
    or city's. Pass ``draft_mapping`` to reuse a mapping already made.
    """
    from ..indicators import align_indicators, indicator_gaps

    check_lang(lang)
    rv = _review(ws, review_id, city, version)
    year = hlpf_year if hlpf_year is not None else (rv.hlpf_year or dt.date.today().year)
    if draft_mapping is None:
        draft_mapping = rv.mapping()
    decisions = load_decisions(rv.ws, rv.id) if ws is not None and review_id else []
    table = rv.indicators
    view = mapping_view(draft_mapping)
    goals = coverage_frame(view, table, decisions, year, lang)
    return CoverageSummary(
        city=rv.slug,
        version=rv.version,
        hlpf_year=year,
        lang=lang,
        goals=goals,
        targets=target_frame(view, table, decisions, year, lang),
        hlpf=hlpf_gaps(goals, year, lang),
        findings=coverage_findings(goals, hlpf_year=year, coastal=rv.coastal, lang=lang),
        unmeasured=unmeasured_goals(view, table, decisions, lang, frame=goals),
        indicators=table.to_frame() if table is not None else None,
        gaps=indicator_gaps(table, lang) if table is not None else None,
        alignment=align_indicators(table, lang=lang) if table is not None else None,
        figure=coverage_figure(
            goals, lang, title=_title("coverage.chart.title_city", rv, rv.version, lang)
        ),
        heatmap=heatmap_figure(
            view,
            lang,
            decisions=decisions,
            title=_title("coverage.chart.heat_title_city", rv, rv.version, lang),
        ),
        decisions=len(decisions),
        paragraphs_total=len(view.paragraphs),
        vocabulary_version=view.vocabulary_version,
        illustrative=rv.illustrative,
    )


def _review(ws: Any, review_id: str | None, city: str | None, version: str | None) -> Any:
    from ..review import open_review

    if ws is not None and review_id:
        return open_review(ws, review_id)
    if not city:
        raise MappingError("give the review (ws and review_id) or a sample city")
    from ..intake import require_sample, scratch_sample_review

    require_sample(city, version)
    return scratch_sample_review(city, version)


def _title(key: str, rv: Any, version: str, lang: str) -> str:
    text = t(key, lang, city=rv.city_name, version=version)
    if rv.illustrative:
        text += " · " + t("common.illustrative", lang)
    return text


def map_city_draft(
    city: str | None = None,
    version: str | None = None,
    *,
    ws: Workspace | None = None,
    review_id: str | None = None,
) -> Any:
    """Map a review's stored draft (or a sample city's, without a workspace).

    The city's local terms apply, and with ``ws``/``review_id`` also the
    terms a reviewer added to that review. The mapping is not saved; use
    :meth:`vlr_tools.review.OpenReview.map` to keep it.
    """
    return _review(ws, review_id, city, version).map(save=False)
