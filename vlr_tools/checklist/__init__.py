"""The peer-review checklist: criteria, ratings with evidence, several reviewers, draft versions.

A CYO reviewer rates each criterion of a checklist template (areas A-H drawn
from the international VLR guidelines) with page evidence, a comment, a
recommendation and a priority; the workbench suggests ratings where it can
judge from data (pre-checks), lines up several reviewers' ratings for the
lead reviewer to settle, carries recommendations over to the city's next
draft, and summarises the review by area.

The subpackage is split by job:

- :mod:`.templates`: criteria templates as data (load, validate, copy)
- :mod:`.ratings`: rating a criterion, page evidence, orphaned ratings
- :mod:`.consensus`: several reviewers, final ratings
- :mod:`.precheck`: suggested ratings from data, measured against answer keys
- :mod:`.versions`: carry-over to a new draft, section-by-section comparison
- :mod:`.summary`: progress, ratings by area, top recommendations, charts
- :mod:`.scripted`: scripted demo reviews of the sample cities
"""

from __future__ import annotations

from .consensus import (
    FinalRating,
    Recommendation,
    clear_final,
    consolidate,
    disputed,
    final_ratings,
    lead_reviewer,
    set_final,
)
from .precheck import (
    Suggestion,
    active_weaknesses,
    combined_suggestion,
    confirm_suggestion,
    precheck,
    precheck_settings,
    score_prechecks,
    suggestions_for,
    suggestions_frame,
)
from .ratings import (
    PRIORITIES,
    RATINGS,
    Rating,
    check_pages,
    get_rating,
    list_ratings,
    orphaned_ratings,
    parse_pages,
    rate,
    rating_label,
    ratings_frame,
    review_template,
    template_info,
    use_template,
)
from .scripted import apply_scripted_review, demo_review_path, start_review
from .summary import (
    Finding,
    findings,
    findings_by_area,
    progress_figure,
    progress_frame,
    ratings_by_area,
    ratings_figure,
    summary_frame,
    top_recommendations,
)
from .templates import (
    Area,
    Criterion,
    Template,
    clear_template_cache,
    copy_template,
    list_templates,
    load_template,
)
from .versions import (
    CARRY_STATUSES,
    CarryItem,
    carried_items,
    carry_over,
    carryover_frame,
    carryover_status,
    compare_drafts,
    compare_reviews,
    mark_addressed,
)

__all__ = [
    "CARRY_STATUSES",
    "PRIORITIES",
    "RATINGS",
    "Area",
    "CarryItem",
    "Criterion",
    "FinalRating",
    "Finding",
    "Rating",
    "Recommendation",
    "Suggestion",
    "Template",
    "active_weaknesses",
    "apply_scripted_review",
    "carried_items",
    "carry_over",
    "carryover_frame",
    "carryover_status",
    "check_pages",
    "clear_final",
    "clear_template_cache",
    "combined_suggestion",
    "compare_drafts",
    "compare_reviews",
    "confirm_suggestion",
    "consolidate",
    "copy_template",
    "demo_review_path",
    "disputed",
    "final_ratings",
    "findings",
    "findings_by_area",
    "get_rating",
    "lead_reviewer",
    "list_ratings",
    "list_templates",
    "load_template",
    "mark_addressed",
    "orphaned_ratings",
    "parse_pages",
    "precheck",
    "precheck_settings",
    "progress_figure",
    "progress_frame",
    "rate",
    "rating_label",
    "ratings_by_area",
    "ratings_figure",
    "ratings_frame",
    "review_template",
    "score_prechecks",
    "set_final",
    "start_review",
    "suggestions_for",
    "suggestions_frame",
    "summary_frame",
    "template_info",
    "top_recommendations",
    "use_template",
]
