"""VLR Review Workbench: review a city's Voluntary Local Review (VLR).

The public face of the library. Notebooks and the CLI import from here::

    import vlr_tools as vlr
    fw = vlr.get_framework()
    ws = vlr.open_workspace("data/workspace", reviewer="Reviewer A")
    matches = vlr.map_text("Flooding in coastal barangays ...")

Names are loaded on first use (PEP 562), so ``import vlr_tools`` stays quick
for the command line: plotting, PDF and database libraries load only when a
feature that needs them is used.
"""

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    AccessError,
    AnnotationError,
    BundleError,
    ChecklistError,
    ConflictError,
    ConsultationLogError,
    DataFileError,
    DocumentError,
    FrameworkError,
    MappingError,
    MemoError,
    MissingComponentError,
    Problem,
    ResponseSheetError,
    UnknownCodeError,
    VlrError,
    WorkspaceError,
)
from .i18n import t

__version__ = "0.1.0"

# public name -> (module, attribute). Two features each have a carry_over;
# the public names say which is which.
_LAZY: dict[str, tuple[str, str]] = {}


def _expose(module: str, *names: str, **aliases: str) -> None:
    for name in names:
        _LAZY[name] = (module, name)
    for public, attr in aliases.items():
        _LAZY[public] = (module, attr)


_expose(
    "framework",
    "get_framework",
    "load_framework",
    "normalise_code",
    "Framework",
    "Goal",
    "Target",
    "Indicator",
)
_expose("charts", "goal_colour", "goal_label", "goal_overview_figure")
_expose("cities", "load_city", "list_cities", "load_review_key", "City")
_expose("workspace", "open_workspace", "Workspace", "Review", "Record", "describe_conflict")
_expose("documents", "load_draft", "Draft", "Paragraph")
_expose("vocabulary", "load_vocabulary", "add_local_term", "vocabulary_version")
_expose("mapping", "map_text", "map_draft", "Match", "Evidence", "DraftMapping")
_expose("indicators", "load_indicators", "indicator_gaps", "align_indicators")
_expose(
    "coverage",
    "decide",
    "effective_matches",
    "coverage_frame",
    "target_frame",
    "hlpf_gaps",
    "coverage_figure",
    "heatmap_figure",
    "coverage_summary",
    "map_city_draft",
)
_expose(
    "checklist",
    "load_template",
    "copy_template",
    "rate",
    "ratings_frame",
    "consolidate",
    "set_final",
    "final_ratings",
    "precheck",
    "score_prechecks",
    "mark_addressed",
    "compare_drafts",
    "summary_frame",
    "top_recommendations",
    "progress_figure",
    "ratings_figure",
    "apply_scripted_review",
    "confirm_suggestion",
    "suggestions_frame",
    carry_over_recommendations="carry_over",
)
_expose(
    "consultations",
    "read_consultation_log",
    "save_consultations",
    "load_consultations",
    "export_consultations",
    "engagement_summary",
    "coverage_matrix",
    "lnob_not_consulted",
    "draft_dates",
    "draft_dates_for_city",
    "findings_frame",
    "Consultation",
    "Participant",
)
_expose("stakeholders", "get_stakeholders")
_expose(
    "intake",
    "add_city",
    "add_draft",
    "start_review",
    "import_indicators",
    "import_consultations",
)
_expose("review", "open_review", "OpenReview")
_expose(
    "annotations",
    "annotate",
    "reply",
    "set_status",
    "annotations_frame",
    "comments_by_page",
    "export_annotations",
    "import_annotations",
    carry_over_annotations="carry_over",
    search_draft="search",
)
_expose("memo", "build_memo", "render_memo", "memo_bytes", "Memo", "export_notebook_report")
_expose(
    "responses",
    "export_sheet",
    "import_responses",
    "load_responses",
    "responses_frame",
    "response_sheet_name",
    "write_response_sheet",
    "CityResponse",
)
_expose("demo", "run_demo")
_expose(
    "widgets",
    "workshop_tour",
    "mapping_review",
    "ChecklistPanel",
    "ChecklistSummary",
    "show_table",
    "consultation_form",
    "annotation_panel",
    "page_view",
    "PageView",
    "WorkshopTour",
    "setup_notebook",
    "open_session",
    "show_figure",
    "ProgressBar",
    "problems_frame",
    "written_frame",
    "warm_up_charts",
    "start_review_form",
    "StartReviewForm",
    "indicator_table_form",
    "IndicatorTableForm",
    "FiguresPanel",
)
_expose(
    "claims",
    "read_claims",
    "decide_claim",
    "link_claim",
    "confirmed_checks",
    "extract_claims",
    "ClaimCheck",
)

__all__ = sorted(
    [
        "AccessError",
        "AnnotationError",
        "BundleError",
        "ChecklistError",
        "ConflictError",
        "ConsultationLogError",
        "DataFileError",
        "DocumentError",
        "FrameworkError",
        "MappingError",
        "MemoError",
        "MissingComponentError",
        "Problem",
        "ResponseSheetError",
        "UnknownCodeError",
        "VlrError",
        "WorkspaceError",
        "t",
        "__version__",
        *_LAZY,
    ]
)


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'vlr_tools' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # let type checkers and editors see the lazy names
    from .framework import get_framework, load_framework, normalise_code  # noqa: F401
    from .mapping import map_text  # noqa: F401
    from .workspace import open_workspace  # noqa: F401
