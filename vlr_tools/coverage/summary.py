"""One call for the memo and the CLI: map a city's draft and build every coverage view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    city: str,
    version: str | None = None,
    hlpf_year: int | None = None,
    lang: str = "en",
    *,
    draft_mapping: Any = None,
) -> CoverageSummary:
    """Map a sample city's draft, apply the review's decisions and build every coverage view.

    ``ws``/``review_id`` may be None (no decisions yet). ``hlpf_year``
    defaults to the city's (``city.yaml``); ``version`` to its latest draft.
    Pass ``draft_mapping`` to reuse a mapping already made.
    """
    from ..cities import load_city
    from ..indicators import align_indicators, indicator_gaps, load_indicators

    check_lang(lang)
    c = load_city(city)
    files = c.draft(version)
    year = hlpf_year if hlpf_year is not None else c.hlpf_year
    if draft_mapping is None:
        draft_mapping = map_city_draft(c.slug, files.version, ws=ws, review_id=review_id)
    decisions = load_decisions(ws, review_id) if ws is not None and review_id else []
    table = load_indicators(c.indicators_path) if c.indicators_path.is_file() else None
    view = mapping_view(draft_mapping)
    goals = coverage_frame(view, table, decisions, year, lang)
    return CoverageSummary(
        city=c.slug,
        version=files.version,
        hlpf_year=year,
        lang=lang,
        goals=goals,
        targets=target_frame(view, table, decisions, year, lang),
        hlpf=hlpf_gaps(goals, year, lang),
        findings=coverage_findings(goals, hlpf_year=year, coastal=c.coastal, lang=lang),
        unmeasured=unmeasured_goals(view, table, decisions, lang, frame=goals),
        indicators=table.to_frame() if table is not None else None,
        gaps=indicator_gaps(table, lang) if table is not None else None,
        alignment=align_indicators(table, lang=lang) if table is not None else None,
        figure=coverage_figure(
            goals, lang, title=_title("coverage.chart.title_city", c, files.version, lang)
        ),
        heatmap=heatmap_figure(
            view,
            lang,
            decisions=decisions,
            title=_title("coverage.chart.heat_title_city", c, files.version, lang),
        ),
        decisions=len(decisions),
        paragraphs_total=len(view.paragraphs),
        vocabulary_version=view.vocabulary_version,
        illustrative=c.illustrative,
    )


def _title(key: str, city: Any, version: str, lang: str) -> str:
    text = t(key, lang, city=city.name, version=version)
    if city.illustrative:
        text += " · " + t("common.illustrative", lang)
    return text


def map_city_draft(
    city: str,
    version: str | None = None,
    *,
    ws: Workspace | None = None,
    review_id: str | None = None,
) -> Any:
    """Load and map a sample city's draft PDF (the pages the answer keys and memos cite).

    The city's local terms apply, and with ``ws``/``review_id`` also the
    terms a reviewer added to that review.
    """
    from ..cities import load_city
    from ..documents import load_draft
    from ..mapping import map_draft
    from ..vocabulary import load_vocabulary

    c = load_city(city)
    files = c.draft(version)
    path = files.pdf if files.pdf.is_file() else files.source
    use_ws = ws is not None and bool(review_id)
    vocabulary = load_vocabulary(
        city=c.slug, workspace=ws if use_ws else None, review_id=review_id if use_ws else None
    )
    return map_draft(load_draft(path), city=c.slug, vocabulary=vocabulary)
