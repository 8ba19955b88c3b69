"""Stakeholder consultation logs: import, validation, analysis, privacy-safe export.

A city keeps its consultation record in a spreadsheet; this package reads it
as the office keeps it (:func:`read_consultation_log`), reports every problem
at once, stores the valid records in the review workspace
(:func:`save_consultations`), analyses who was heard and what came of it
(:mod:`.analysis`) and exports it without participants' personal data unless
asked (:func:`export_consultations`, RA 10173).

Layout: ``model`` (records and personal-data marks), ``vocab`` (controlled
values and column headings from ``data/reference/stakeholders``),
``parsing`` (cell values as typed), (workbooks are read by :mod:`vlr_tools.workbook`, with file
sniffing), ``reader`` (import and validation), ``store`` (workspace),
``export`` (XLSX/CSV, pseudonyms, formula-injection safety), ``analysis``.
"""

from __future__ import annotations

from .analysis import (
    Finding,
    coverage_figure,
    coverage_matrix,
    coverage_summary,
    disaggregation_gaps,
    draft_dates,
    draft_dates_for_city,
    engagement_findings,
    engagement_summary,
    findings_frame,
    groups_not_consulted,
    iap2_distribution,
    iap2_figure,
    inputs_without_response,
    is_validation,
    lnob_not_consulted,
    participation,
    participation_figure,
    sdg_comparison,
    sdg_figure,
    timeline,
    timeline_figure,
    validation_status,
)
from .export import export_consultations, neutralise, pseudonym, records_frame
from .model import PERSONAL_FIELDS, Consultation, Participant, personal_fields, sensitive_fields
from .reader import ImportResult, RejectedRow, read_consultation_log, validate_consultation
from .store import (
    CONSULTATION_KIND,
    PARTICIPANT_KIND,
    ImportSummary,
    load_consultations,
    load_participants,
    save_consultations,
)

__all__ = [
    "CONSULTATION_KIND",
    "PARTICIPANT_KIND",
    "PERSONAL_FIELDS",
    "Consultation",
    "Finding",
    "ImportResult",
    "ImportSummary",
    "Participant",
    "RejectedRow",
    "coverage_figure",
    "coverage_matrix",
    "coverage_summary",
    "disaggregation_gaps",
    "draft_dates",
    "draft_dates_for_city",
    "engagement_findings",
    "engagement_summary",
    "export_consultations",
    "findings_frame",
    "groups_not_consulted",
    "iap2_distribution",
    "iap2_figure",
    "inputs_without_response",
    "is_validation",
    "lnob_not_consulted",
    "load_consultations",
    "load_participants",
    "neutralise",
    "participation",
    "participation_figure",
    "personal_fields",
    "pseudonym",
    "read_consultation_log",
    "records_frame",
    "save_consultations",
    "sdg_comparison",
    "sdg_figure",
    "sensitive_fields",
    "timeline",
    "timeline_figure",
    "validate_consultation",
    "validation_status",
]
