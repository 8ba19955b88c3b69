"""Carrying annotations to the city's next draft, and re-anchoring them in a re-read draft.

:func:`carry_over` finds each open annotation of an earlier review in the new
draft (see :mod:`.anchoring` for how) and writes it into the new review
with a link to the original; :func:`reanchor` does the same in place, for a
review whose draft was re-ingested (another file of the same draft, or a
reader that splits pages differently). Both report, per annotation,
``found_unchanged``, ``found_changed`` (with old and new wording) or
``not_found`` (passage removed). Nothing is ever deleted: an annotation
whose passage is gone keeps its quote and comment, without a page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import AnnotationError, ConflictError
from .anchoring import Anchor, Located, locate
from .model import (
    ANNOTATION_KIND,
    CARRYOVER_KIND,
    DRAFT_KEY,
    DRAFT_KIND,
    OUTCOMES,
    REPLY_KIND,
    Annotation,
    DraftRef,
    derived_id,
)
from .store import _record_draft, check_draft, list_annotations, now_iso, who
from .text import index_draft

if TYPE_CHECKING:
    import pandas as pd

    from ..documents import Draft

#: Columns of the carry-over / re-anchoring report.
REPORT_COLUMNS = (
    "annotation_id",
    "new_id",
    "outcome",
    "method",
    "similarity",
    "old_page",
    "new_page",
    "old_paragraph",
    "new_paragraph",
    "old_quote",
    "new_quote",
    "kind",
    "comment",
    "written",
)


@dataclass(frozen=True)
class Relocated:
    """One annotation and where its passage is in the new draft."""

    annotation: Annotation
    located: Located


def relocate(annotations: Iterable[Annotation], draft: Draft) -> list[Relocated]:
    """Find every annotation's passage in ``draft`` (no workspace involved).

    The draft is indexed once; each annotation is then located by its quote,
    context and position (exact first, then fuzzy).
    """
    index = index_draft(draft)
    return [
        Relocated(a, locate(Anchor(a.quote, a.prefix, a.suffix, a.position), index))
        for a in annotations
    ]


def _moved(a: Annotation, loc: Located, draft_ref: DraftRef, **extra: Any) -> dict[str, Any]:
    """The annotation's data with the anchor moved to ``loc`` (or cleared if not found)."""
    data = a.to_data()
    if loc.outcome == "not_found":
        data.update(page=None, page_label="", paragraph=None, start=None, end=None)
    else:
        data.update(loc.anchor_fields())
    data["draft"] = draft_ref.to_dict()
    data.update(extra)
    return data


def _trail(a: Annotation, loc: Located, review_id: str) -> dict[str, Any]:
    return {
        "review_id": review_id,
        "annotation_id": a.id,
        "outcome": loc.outcome,
        "method": loc.method,
        "similarity": loc.similarity,
        "old_page": a.page,
        "old_page_label": a.page_label,
        "old_paragraph": a.paragraph,
        "old_quote": a.quote,
        "draft": a.draft.to_dict() if a.draft else None,
        "at": now_iso(),
    }


def _row(a: Annotation, loc: Located, new_id: str, written: bool) -> dict[str, Any]:
    return {
        "annotation_id": a.id,
        "new_id": new_id,
        "outcome": loc.outcome,
        "method": loc.method,
        "similarity": loc.similarity,
        "old_page": a.page,
        "new_page": loc.page,
        "old_paragraph": a.paragraph or "",
        "new_paragraph": loc.paragraph or "",
        "old_quote": a.quote,
        "new_quote": loc.quote,
        "kind": a.kind,
        "comment": a.comment,
        "written": written,
    }


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    for col in ("old_page", "new_page"):
        frame[col] = frame[col].astype("Int64")
    return frame


def carry_over(
    ws: Any,
    old_review_id: str,
    new_review_id: str,
    new_draft: Draft,
    *,
    statuses: Sequence[str] = ("open",),
    reviewer: str | None = None,
) -> pd.DataFrame:
    """Re-anchor the open annotations of ``old_review_id`` in ``new_draft``; save them in the new review.

    Returns one row per annotation (columns :data:`REPORT_COLUMNS`):
    ``outcome`` is found_unchanged, found_changed (``old_quote`` vs
    ``new_quote``) or not_found; ``similarity`` 0-100. Each carried
    annotation gets a stable id derived from the new review and the
    original, keeps its replies, and records ``origin`` (the original's
    review, id, page, quote and the outcome); one whose passage is gone is
    still carried, without a page, so the reviewer can resolve or withdraw
    it. Running it again skips annotations already carried (``written``
    False). A summary is saved as kind ``"annotation_carryover"``.

    >>> report = carry_over(ws, v1_review, v2_review, load_draft(v2_pdf))  # doctest: +SKIP
    >>> report["outcome"].value_counts()                                   # doctest: +SKIP
    """
    if old_review_id == new_review_id:
        raise AnnotationError(
            "carry_over needs two different reviews (the earlier draft's and the new one's); "
            "to move a review's annotations onto a re-read draft use reanchor()"
        )
    ws.review(old_review_id)
    ws.review(new_review_id)
    name = who(ws, reviewer)
    check = check_draft(ws, new_review_id, new_draft)
    if not check.ok:
        raise AnnotationError(check.message)
    old = [a for a in list_annotations(ws, old_review_id) if a.status in statuses]
    _record_draft(ws, new_review_id, new_draft, name)
    draft_ref = check.given
    existing = {r.key for r in ws.records(new_review_id, ANNOTATION_KIND)}
    rows: list[dict[str, Any]] = []
    for item in relocate(old, new_draft):
        a, loc = item.annotation, item.located
        nid = derived_id("an", new_review_id, a.id)
        written = nid not in existing
        if written:
            data = _moved(a, loc, draft_ref, id=nid, origin=_trail(a, loc, old_review_id))
            ws.put(new_review_id, ANNOTATION_KIND, nid, data, expected_version=0, reviewer=name)
            for r in a.replies:
                rid = derived_id("re", new_review_id, r.id)
                ws.put(
                    new_review_id,
                    REPLY_KIND,
                    f"{nid}/{rid}",
                    {**r.to_dict(), "id": rid, "annotation_id": nid, "carried_from": r.id},
                    reviewer=name,
                )
        rows.append(_row(a, loc, nid, written))
    counts = Counter(r["outcome"] for r in rows)
    ws.put(
        new_review_id,
        CARRYOVER_KIND,
        old_review_id,
        {
            "from_review": old_review_id,
            "from_draft": old[0].draft.to_dict() if old and old[0].draft else None,
            "to_draft": draft_ref.to_dict(),
            "counts": {o: counts.get(o, 0) for o in OUTCOMES},
            "rows": [
                {k: r[k] for k in ("annotation_id", "new_id", "outcome", "similarity")}
                for r in rows
            ],
            "at": now_iso(),
        },
        reviewer=name,
    )
    return _frame(rows)


def reanchor(ws: Any, review_id: str, draft: Draft, *, reviewer: str | None = None) -> pd.DataFrame:
    """Move all of a review's annotations onto ``draft`` (a re-ingested copy of its draft).

    Use it when :func:`annotate` refuses a draft whose file or page layout
    differs from the one recorded. Each annotation is found again by its
    quote and context and updated in place (the old anchor stays in the
    history and in ``reanchored``); one whose passage is not found keeps its
    quote and comment without a page. A colleague's change made meanwhile
    is never overwritten: that annotation is reported with outcome
    ``conflict`` and left as it was. Then ``draft`` becomes the recorded
    draft. Returns the report (columns :data:`REPORT_COLUMNS`).
    """
    ws.review(review_id)
    name = who(ws, reviewer)
    draft_ref = DraftRef.of(draft)
    rows: list[dict[str, Any]] = []
    for item in relocate(list_annotations(ws, review_id), draft):
        a, loc = item.annotation, item.located
        data = _moved(a, loc, draft_ref, reanchored=_trail(a, loc, review_id))
        try:
            ws.put(
                review_id, ANNOTATION_KIND, a.id, data, expected_version=a.version, reviewer=name
            )
            rows.append(_row(a, loc, a.id, True))
        except ConflictError:
            row = _row(a, loc, a.id, False)
            row["outcome"] = "conflict"
            rows.append(row)
    ws.put(
        review_id,
        DRAFT_KIND,
        DRAFT_KEY,
        DraftRef.of(draft, with_path=True).to_dict(),
        reviewer=name,
    )
    return _frame(rows)


def carryover_counts(ws: Any, review_id: str) -> dict[str, int]:
    """How many annotations carried into ``review_id`` were found unchanged, changed, not found.

    Counts the carried annotations still in the review (all statuses), by
    the outcome recorded when they were carried. Empty when none were carried.
    """
    counts: Counter[str] = Counter()
    for rec in ws.records(review_id, ANNOTATION_KIND):
        origin = rec.data.get("origin") or {}
        if origin.get("outcome") in OUTCOMES:
            counts[origin["outcome"]] += 1
    return {o: counts[o] for o in OUTCOMES} if counts else {}
