"""SDG coverage of a draft: reviewer decisions, depth per goal and target, HLPF gaps, charts.

The mapping (:func:`vlr_tools.mapping.map_draft`) *suggests* goals and targets
for each paragraph. A reviewer accepts, rejects or adds mappings with
:func:`decide`; the decisions are stored in the workspace and win over the
suggestions in every view built here (:func:`effective_matches`).

How deeply a draft covers a goal (the ``depth`` column of
:func:`coverage_frame`) follows one documented rule:

``none``
    no paragraph is mapped to the goal.
``mentioned``
    some paragraphs are, but no part of the draft is devoted to it (passing
    mentions spread over the draft, a table row, a two-sentence "not
    applicable" section).
``covered``
    the draft devotes a section or part to the goal, either way:

    - a section whose own heading (level 1 or 2, not in an annex) is mapped
      to the goal ("SDG 5: Gender equality") has at least
      :data:`COVERED_MIN_PARAGRAPHS` body paragraphs with at least
      :data:`COVERED_MIN_WORDS` words;
    - or, in a part of the draft (a chapter; a long chapter's level-2
      sections), the goal is the main subject of at least
      :data:`COVERED_MIN_PARAGRAPHS` body paragraphs with at least
      :data:`COVERED_MIN_WORDS` words between them, making up at least
      :data:`PART_SHARE` of the part's paragraphs that map to any goal.

    A goal is a paragraph's main subject when its score there is at least
    :data:`MAIN_GOAL_SHARE` of the paragraph's top score, or when a reviewer
    accepted or added it. Words: Latin words, or two CJK characters.
``measured``
    covered, and at least one of the city's local indicators for the goal has
    two data points (a baseline and a latest value), so progress can be shown.

A goal is *claimed* when a heading of the draft is mapped to it (a chapter
"SDG 5: Gender equality"): the draft presents it as reviewed.

>>> from vlr_tools.mapping import map_draft  # doctest: +SKIP
>>> frame = coverage_frame(map_draft(load_draft(path)), indicators=table, hlpf_year=2025)  # doctest: +SKIP
>>> coverage_figure(frame).write_image("coverage.png")  # doctest: +SKIP

Layout: ``view`` (a draft mapping as a table of matches), ``decisions``
(reviewer decisions and the matches they leave), ``tables`` (coverage per
goal and target, HLPF gaps, findings; the depth rule's constants),
``figures`` (plotly charts) and ``summary`` (everything at once, for the
memo and the CLI).
"""

from __future__ import annotations

from .decisions import (
    ACTIONS,
    DECISION_KIND,
    MAX_NOTE,
    Decision,
    decide,
    decision_key,
    effective_matches,
    load_decisions,
    undo_decision,
)
from .figures import coverage_figure, heatmap_figure
from .summary import CoverageSummary, coverage_summary, map_city_draft
from .tables import (
    COVERED_MIN_PARAGRAPHS,
    COVERED_MIN_WORDS,
    DEPTHS,
    MAIN_GOAL_SHARE,
    PART_SHARE,
    coverage_findings,
    coverage_frame,
    hlpf_gaps,
    target_frame,
    unmeasured_goals,
)
from .view import MATCH_COLUMNS, MappingView, ParagraphInfo, mapping_view

__all__ = [
    "ACTIONS",
    "COVERED_MIN_PARAGRAPHS",
    "COVERED_MIN_WORDS",
    "DECISION_KIND",
    "DEPTHS",
    "MAIN_GOAL_SHARE",
    "MATCH_COLUMNS",
    "MAX_NOTE",
    "PART_SHARE",
    "CoverageSummary",
    "Decision",
    "MappingView",
    "ParagraphInfo",
    "coverage_figure",
    "coverage_findings",
    "coverage_frame",
    "coverage_summary",
    "decide",
    "decision_key",
    "effective_matches",
    "heatmap_figure",
    "hlpf_gaps",
    "load_decisions",
    "map_city_draft",
    "mapping_view",
    "target_frame",
    "undo_decision",
    "unmeasured_goals",
]
