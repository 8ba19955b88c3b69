"""Keep consultation and participant records in the review workspace.

Consultations are stored as kind ``"consultation"`` keyed by record id (the
Ref. No., else a content hash) and participants as kind ``"participant"``
(personal data: it stays in the workspace and leaves it only through
:func:`~.export.export_consultations` with explicit options). Importing the
same log again writes nothing for unchanged records, so records are never
duplicated, and records absent from the file are never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import ConsultationLogError
from .model import Consultation, Participant

CONSULTATION_KIND = "consultation"
PARTICIPANT_KIND = "participant"


@dataclass(frozen=True)
class ImportSummary:
    """What an import did to the workspace."""

    added: int
    updated: int
    unchanged: int
    participants_added: int
    participants_updated: int
    participants_unchanged: int
    rejected_rows: int

    def __str__(self) -> str:
        return (
            f"consultations: {self.added} added, {self.updated} updated, {self.unchanged} unchanged; "
            f"participants: {self.participants_added} added, {self.participants_updated} updated, "
            f"{self.participants_unchanged} unchanged; {self.rejected_rows} row(s) not imported"
        )


def _put_many(
    ws: Any,
    review_id: str,
    kind: str,
    records: dict[str, Consultation] | dict[str, Participant],
    reviewer: str | None,
) -> dict[str, int]:
    """Store records of one kind in one transaction; returns added/updated/unchanged counts.

    The one place that writes to the workspace (``ws.put_many``: all or
    nothing, one history row per added or changed record, none for an
    unchanged one), so that a change of store touches only this function.
    """
    if not records:
        return {"added": 0, "updated": 0, "unchanged": 0}
    # A generator: put_many turns the records into dicts as it checks them.
    items = ((key, record.to_dict()) for key, record in records.items())
    saved = ws.put_many(review_id, kind, items, reviewer=reviewer)
    return {
        "added": len(saved.created),
        "updated": len(saved.updated),
        "unchanged": len(saved.unchanged),
    }


def save_consultations(
    ws: Any,
    review_id: str,
    records: Iterable[Consultation | Participant] | Any,
    *,
    accept_valid: bool = False,
    reviewer: str | None = None,
) -> ImportSummary:
    """Save an import result (or records) into review ``review_id``.

    If the import had problems, nothing is written unless ``accept_valid`` is
    True (then the valid rows are saved and the rejected ones reported).
    Consultations, then participants, are each saved in one transaction
    (:meth:`~vlr_tools.workspace.Workspace.put_many`), so 50,000 rows take
    seconds; records already stored with the same value are left untouched.
    """
    problems = tuple(getattr(records, "problems", ()))
    rejected = len(getattr(records, "rejected", ()))
    if problems and not accept_valid:
        raise ConsultationLogError(
            f"{rejected} row(s) have problems; nothing was saved. Fix them (write_rejects gives "
            "a spreadsheet to fix) or save only the valid rows with accept_valid=True",
            problems,
        )
    if hasattr(records, "consultations"):
        result: Any = records
        consultations = list(result.consultations)
        participants = list(result.participants)
    else:
        items = list(records)
        consultations = [r for r in items if isinstance(r, Consultation)]
        participants = [r for r in items if isinstance(r, Participant)]
    ws.review(review_id)  # fail early, before any write, if the review does not exist
    # Keyed by id: a record given twice is saved once, with its last value.
    unique_consultations = {c.record_id: c for c in consultations}
    unique_participants = {p.participant_id: p for p in participants}
    # Consultations first: a participant refers to its consultation. Each
    # kind is one all-or-nothing transaction; after a failure in between,
    # importing again completes the import without duplicating anything.
    counts = _put_many(ws, review_id, CONSULTATION_KIND, unique_consultations, reviewer)
    p_counts = _put_many(ws, review_id, PARTICIPANT_KIND, unique_participants, reviewer)
    return ImportSummary(
        counts["added"],
        counts["updated"],
        counts["unchanged"],
        p_counts["added"],
        p_counts["updated"],
        p_counts["unchanged"],
        rejected,
    )


def load_consultations(ws: Any, review_id: str) -> list[Consultation]:
    """The consultations stored for a review, in date order."""
    out = [Consultation.from_dict(r.data) for r in ws.records(review_id, CONSULTATION_KIND)]
    return sorted(out, key=lambda c: (c.date is None, c.date or 0, c.record_id))


def load_participants(ws: Any, review_id: str) -> list[Participant]:
    """The participants stored for a review (personal data: handle with care)."""
    return [Participant.from_dict(r.data) for r in ws.records(review_id, PARTICIPANT_KIND)]
