"""Notebook widgets (ipywidgets) built from importable modules, one per feature.

The names below are re-exported lazily, so ``from vlr_tools.widgets import
workshop_tour`` imports the tour only, not every feature's widgets.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    # shared helpers
    "MessageArea": "common",
    "NotebookSession": "common",
    "ProgressBar": "common",
    "error_html": "common",
    "figure_bundle": "common",
    "guard": "common",
    "open_session": "common",
    "problems_frame": "common",
    "setup_notebook": "common",
    "show_error": "common",
    "show_figure": "common",
    "show_table": "common",
    "table_html": "common",
    "warm_up_charts": "common",
    "written_frame": "common",
    # one module per feature
    "WorkshopTour": "tour",
    "workshop_tour": "tour",
    "MappingReview": "mapping",
    "mapping_review": "mapping",
    "ChecklistPanel": "checklist",
    "ChecklistSummary": "checklist",
    "FiguresPanel": "claims",
    "figures_panel": "claims",
    "AnnotationPanel": "annotations",
    "annotation_panel": "annotations",
    "PageView": "pageview",
    "page_view": "pageview",
    "ConsultationForm": "consultations",
    "consultation_form": "consultations",
    "StartReviewForm": "intake",
    "start_review_form": "intake",
    "IndicatorTableForm": "indicators",
    "indicator_table_form": "indicators",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
