"""Passage annotations: reviewers' remarks anchored to the draft's own words, carried across versions.

A reviewer points at the exact words of a draft VLR ("p. 14: this figure
has no source"), says what kind of remark it is, ties it to a checklist
criterion or an SDG goal/target/indicator, and finds the same remark again
when the city sends its next draft::

    from vlr_tools.annotations import annotate, reply, annotations_frame, carry_over
    a = annotate(ws, rid, draft, page=10, quote="city-wide totals",
                 comment="Show the figures by sex and barangay.",
                 kind="missing_evidence", criterion="C4", sdg="5.1")
    reply(ws, rid, a.id, "The CBMS has barangay figures.", reviewer="B. Reviewer")
    annotations_frame(ws, rid, kind="missing_evidence")
    carry_over(ws, rid, rid_v2, load_draft(v2_pdf))     # found / changed / not found

The package is split by job:

- :mod:`.model`: the records (Annotation, Reply, DraftRef), kinds and
  statuses from ``data/reference/annotations/kinds.yaml``, value checks
- :mod:`.text`: folded text and offsets; :func:`search`
- :mod:`.anchoring`: finding a passage again (exact, then fuzzy)
- :mod:`.store`: annotate, reply, set_status, list, the recorded draft
- :mod:`.carry`: carry-over to a new draft, re-anchoring in a re-read draft
- :mod:`.annex`: the memo annex "Comments by page"
- :mod:`.exchange`: CSV/XLSX and W3C Web Annotation JSON-LD export/import
- :mod:`.scripted`: the scripted demo annotations of the sample cities
"""

from __future__ import annotations

from .anchoring import FUZZY_THRESHOLD, Anchor, Located, locate
from .annex import CommentItem, CommentReply, PageGroup, comments_by_page
from .carry import REPORT_COLUMNS, carry_over, carryover_counts, reanchor, relocate
from .exchange import (
    COLUMNS,
    ImportResult,
    export_annotations,
    import_annotations,
    to_csv,
    to_jsonld,
)
from .model import (
    ANNOTATION_KIND,
    OUTCOMES,
    REPLY_KIND,
    Annotation,
    DraftRef,
    Reply,
    kind_label,
    status_label,
    vocabulary,
)
from .scripted import ScriptedAnnotations, apply_scripted, demo_annotations_path
from .store import (
    FRAME_COLUMNS,
    DraftCheck,
    anchor_quote,
    annotate,
    annotations_frame,
    check_draft,
    draft_for_review,
    edit_annotation,
    get_annotation,
    list_annotations,
    recorded_draft,
    reply,
    set_status,
)
from .text import SearchHit, search

__all__ = [
    "ANNOTATION_KIND",
    "COLUMNS",
    "FRAME_COLUMNS",
    "FUZZY_THRESHOLD",
    "OUTCOMES",
    "REPLY_KIND",
    "REPORT_COLUMNS",
    "Anchor",
    "Annotation",
    "CommentItem",
    "CommentReply",
    "DraftCheck",
    "DraftRef",
    "ImportResult",
    "Located",
    "PageGroup",
    "Reply",
    "ScriptedAnnotations",
    "SearchHit",
    "anchor_quote",
    "annotate",
    "annotations_frame",
    "apply_scripted",
    "carry_over",
    "carryover_counts",
    "check_draft",
    "comments_by_page",
    "demo_annotations_path",
    "draft_for_review",
    "edit_annotation",
    "export_annotations",
    "get_annotation",
    "import_annotations",
    "kind_label",
    "list_annotations",
    "locate",
    "reanchor",
    "recorded_draft",
    "relocate",
    "reply",
    "search",
    "set_status",
    "status_label",
    "to_csv",
    "to_jsonld",
    "vocabulary",
]
