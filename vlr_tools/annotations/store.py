"""Annotating a draft: anchor a remark to its words, save it, answer it, list it.

Each annotation is one workspace record (kind ``"annotation"``, key = its
stable id ``an-…``), each reply another (kind ``"annotation_reply"``, key
``<annotation id>/<reply id>``), so every change lands in the workspace
history and two reviewers answering at once never overwrite each other.
The draft a review's annotations are anchored to is recorded once (kind
``"annotation_draft"``): page numbers only mean something for that file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from .._shared import clip
from ..errors import AnnotationError, ChecklistError, ConflictError
from .anchoring import Located, _refine, _result
from .model import (
    ANNOTATION_KIND,
    DRAFT_KEY,
    DRAFT_KIND,
    MAX_QUOTE,
    REPLY_KIND,
    Annotation,
    DraftRef,
    Reply,
    check_comment,
    check_criterion,
    check_kind,
    check_sdg,
    check_status,
    is_our_id,
    new_id,
)
from .text import fold, index_draft

if TYPE_CHECKING:
    import pandas as pd

    from ..documents import Draft

#: Columns of :func:`annotations_frame`, in order.
FRAME_COLUMNS = (
    "id",
    "page",
    "page_label",
    "paragraph",
    "kind",
    "status",
    "quote",
    "comment",
    "criterion",
    "sdg",
    "reviewer",
    "created",
    "updated",
    "replies",
    "carried_from",
    "carry_outcome",
)


def now_iso() -> str:
    """The current UTC time as ISO text (microseconds, so replies sort in the order written)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def who(ws: Any, reviewer: str | None) -> str:
    """The reviewer name to record: ``reviewer``, else the workspace's, else raise."""
    name = (reviewer or "").strip() or (ws.reviewer or "")
    if not name:
        raise AnnotationError(
            "no reviewer name: pass reviewer=..., set the VLR_REVIEWER environment variable, "
            "or save your name with `vlr workspace whoami --set NAME`"
        )
    return name


# -- the draft a review is anchored to ------------------------------------------


@dataclass(frozen=True)
class DraftCheck:
    """Whether a draft is the one a review's annotations are anchored to.

    ``status``: ``"new"`` (nothing recorded yet), ``"same"``, ``"reread"``
    (same file, read into different pages or paragraphs) or ``"other"`` (a
    different file). ``message`` explains a mismatch and what to do.
    """

    status: str
    given: DraftRef
    recorded: DraftRef | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("new", "same")


def recorded_draft(ws: Any, review_id: str) -> DraftRef | None:
    """The draft the review's annotations are anchored to, or None if none is recorded."""
    rec = ws.get(review_id, DRAFT_KIND, DRAFT_KEY)
    return DraftRef.from_dict(rec.data) if rec is not None else None


def check_draft(ws: Any, review_id: str, draft: Draft) -> DraftCheck:
    """Compare ``draft`` with the draft recorded for ``review_id`` (see :class:`DraftCheck`)."""
    given = DraftRef.of(draft)
    recorded = recorded_draft(ws, review_id)
    if recorded is None:
        return DraftCheck("new", given, None)
    same_layout = not recorded.layout or recorded.layout == given.layout
    if recorded.sha256 == given.sha256 and recorded.page_count == given.page_count and same_layout:
        return DraftCheck("same", given, recorded)
    count = len(ws.records(review_id, ANNOTATION_KIND))
    fix = (
        f"move the {count} existing annotation(s) onto it with "
        f"reanchor(ws, {review_id!r}, draft) (`vlr annotations reanchor {review_id} "
        f"--draft FILE`), which finds each quote again and reports what moved"
    )
    if recorded.sha256 == given.sha256:
        message = (
            f"{given.name} is the file review {review_id}'s annotations are anchored to, but "
            f"it was read into different pages or paragraphs this time ({recorded.page_count} "
            f"pages then, {given.page_count} now): page numbers and paragraph refs of the "
            f"saved annotations may point elsewhere. Nothing was saved; {fix}."
        )
        return DraftCheck("reread", given, recorded, message)
    message = (
        f"review {review_id}'s annotations are anchored to {recorded.describe()}, but the "
        f"draft given is {given.describe()}: its page numbers and passages may not line up, "
        "so nothing was saved. If it is the same draft in another file (the DOCX instead "
        f"of the PDF, a re-exported PDF), {fix}. If it is the city's next draft, start a "
        "new review for it and use carry_over()."
    )
    return DraftCheck("other", given, recorded, message)


def _record_draft(ws: Any, review_id: str, draft: Draft, reviewer: str) -> None:
    check = check_draft(ws, review_id, draft)
    if not check.ok:
        raise AnnotationError(check.message)
    if check.status == "new":
        try:
            ws.put(
                review_id,
                DRAFT_KIND,
                DRAFT_KEY,
                DraftRef.of(draft, with_path=True).to_dict(),
                expected_version=0,
                reviewer=reviewer,
            )
        except ConflictError:
            # Another reviewer recorded the draft meanwhile: fine if it is this one.
            again = check_draft(ws, review_id, draft)
            if not again.ok:
                raise AnnotationError(again.message) from None


def draft_for_review(ws: Any, review_id: str, path: str | Path | None = None) -> Draft:
    """The draft of a review: ``path`` if given, else the review's stored draft.

    Raises AnnotationError naming what to do when the review has no stored draft.
    """
    from ..documents import load_draft
    from ..review import open_review

    if path is not None:
        return load_draft(path)
    rv = open_review(ws, review_id)
    if rv.has_draft:
        return rv.draft
    raise AnnotationError(
        f"review {review_id} ({rv.slug} {rv.version}) has no stored draft; add it with "
        f"`vlr draft add {rv.slug} FILE --version {rv.version}` (or give --draft FILE)"
    )


# -- anchoring a new annotation ------------------------------------------------


def anchor_quote(
    draft: Draft,
    page: int,
    quote: str,
    paragraph: str | None = None,
    *,
    near: int | None = None,
) -> Located:
    """Find ``quote`` on ``page`` (in ``paragraph`` if given) of ``draft``, or raise.

    The quote is matched ignoring case, width and spacing (see
    :mod:`vlr_tools.annotations.text`) and may run on to the next page; the
    anchor keeps the draft's own wording. When the words as typed are not on
    the page, their variants are tried (a dash with a space after it, quote
    marks, another form of an English word: see
    :func:`~vlr_tools.annotations.text.loose_pattern`); the result's
    ``method`` is then ``"variant"`` and its ``quote`` says what the draft
    has. When the quote occurs more than once, the place nearest draft-text
    offset ``near`` is taken (the first one without it). The error says
    where the quote does occur, if anywhere, or the closest words on the page.
    """
    if isinstance(page, bool) or not isinstance(page, int):
        try:
            page = int(str(page).strip())
        except ValueError:
            raise AnnotationError(f"page must be a page number, found {page!r}") from None
    if not 1 <= page <= draft.page_count:
        raise AnnotationError(
            f"{draft.name} has no page {page}; its pages are 1-{draft.page_count}"
        )
    quote = str(quote or "").strip()
    if not quote:
        raise AnnotationError(
            "the quote is empty; copy the words of the passage you comment on (or pick a paragraph)"
        )
    if len(quote) > MAX_QUOTE:
        raise AnnotationError(
            f"the quote is {len(quote)} characters long; quote at most {MAX_QUOTE} "
            "(a sentence or two is enough to find the passage again)"
        )
    needle = fold(quote)
    index = index_draft(draft)
    ps, pe = index.page_span(page)
    fps, fpe = index.to_folded(ps), index.to_folded(pe)
    # A quote may start on the page and run on to the next one.
    spill = index.to_folded(index.page_ends[min(page, draft.page_count - 1)])
    spans = [(f, f + len(needle)) for f in index.find_all(needle, fps, max(spill, fpe)) if f < fpe]
    method = "exact"
    if not spans:
        spans = [(a, b) for a, b in index.find_loose(needle, fps, max(spill, fpe)) if a < fpe]
        method = "variant"
    hits = [a for a, _b in spans]
    ends = dict(spans)
    short = clip(quote, 60)
    if paragraph:
        ref = paragraph.strip()
        para = draft.get(ref)
        if para is None:
            raise AnnotationError(
                f"{draft.name} has no paragraph {ref!r}; paragraphs on page {page} are "
                f"{_refs(draft, page)}"
            )
        if para.page != page:
            raise AnnotationError(
                f"paragraph {ref} is on page {para.page}, not on page {page}; "
                "give the page the paragraph is on"
            )
        span = index.paragraph_span(ref)
        assert span is not None
        fa, fb = index.to_folded(span[0]), index.to_folded(span[1])
        inside = [f for f in hits if fa <= f < fb]
        if not inside and hits:
            where = sorted({index.paragraph_at(index.offsets[f]).ref for f in hits})  # type: ignore[union-attr]
            raise AnnotationError(
                f"the quote {short!r} is on page {page} but not in paragraph {ref}; "
                f"it is in {', '.join(where)}"
            )
        hits = inside
    if not hits:
        raise AnnotationError(_not_on_page(index, draft, page, needle, short))
    f = hits[0]
    if near is not None and len(hits) > 1:
        f = min(hits, key=lambda h: abs(index.offsets[h] - near))
    return _result(index, "found_unchanged", method, 100.0, f, ends[f])


def _refs(draft: Draft, page: int) -> str:
    refs = [p.ref for p in draft.page(page).paragraphs]
    if not refs:
        return "(none: the page has no text)"
    return f"{refs[0]}-{refs[-1]}" if len(refs) > 2 else ", ".join(refs)


def _not_on_page(index: Any, draft: Draft, page: int, needle: str, short: str) -> str:
    elsewhere = [(f, f + len(needle)) for f in index.find_all(needle)] or index.find_loose(needle)
    if elsewhere:
        places: list[str] = []
        for f, e in elsewhere:
            hit = index.hit(f, e)
            place = f"page {hit.page} ({hit.paragraph})"
            if place not in places:
                places.append(place)
        more = f" and {len(places) - 5} more places" if len(places) > 5 else ""
        return (
            f"the quote {short!r} is not on page {page} of {draft.name}; it occurs on "
            f"{', '.join(places[:5])}{more}. Give that page number"
        )
    message = (
        f"the quote {short!r} is not on page {page} of {draft.name}, nor anywhere else in it; "
        "copy the words exactly as the draft has them"
    )
    ps, pe = index.page_span(page)
    fps, fpe = index.to_folded(ps), index.to_folded(pe)
    page_text = index.folded[fps:fpe]
    if page_text:
        al = fuzz.partial_ratio_alignment(needle, page_text)
        if al is not None and al.score >= 60:
            fs, fe, _score = _refine(
                index, needle, fps + al.dest_start, fps + al.dest_end, fps, fpe
            )
            s, e = index.to_raw(fs, fe)
            message += f"; the closest words on page {page} are {clip(index.text[s:e], 60)!r}"
    return message


def _template(ws: Any, review_id: str) -> Any:
    from ..checklist import load_template, review_template
    from ..checklist.ratings import TEMPLATE_KEY, TEMPLATE_KIND

    try:
        if ws.get(review_id, TEMPLATE_KIND, TEMPLATE_KEY) is not None:
            return review_template(ws, review_id)
        return load_template(ws.review(review_id).template or "full")
    except ChecklistError:
        return load_template("full")


def annotate(
    ws: Any,
    review_id: str,
    draft: Draft,
    *,
    page: int,
    quote: str,
    comment: str,
    kind: str,
    paragraph: str | None = None,
    criterion: str | None = None,
    sdg: Any = (),
    reviewer: str | None = None,
    status: str = "open",
    annotation_id: str | None = None,
    near: int | None = None,
) -> Annotation:
    """Anchor a remark to a passage of ``draft`` and save it in review ``review_id``.

    ``quote`` must occur on ``page`` (in ``paragraph``, e.g. ``"p12.3"``, if
    given); ``kind`` is one of question, correction, missing_evidence,
    suggestion, good_practice; ``criterion`` a checklist criterion id of the
    review's template (``"C4"``); ``sdg`` goal/target/indicator codes
    (``("5", "11.6")`` or ``"5, 11.6"``). Everything is checked before
    anything is saved; a bad value raises :class:`AnnotationError` saying
    what is allowed. The annotation is committed at once, with history.
    ``annotation_id`` (normally generated) lets scripts use a stable id; an
    id already in use raises ConflictError. ``near`` (a draft-text offset,
    e.g. where a mouse selection started) picks among several places on the
    page that have the quote.

    >>> a = annotate(ws, rid, draft, page=10, quote="city-wide totals",
    ...              comment="Break these down by sex and barangay.",
    ...              kind="missing_evidence", criterion="C4", sdg="5.1")  # doctest: +SKIP
    """
    ws.review(review_id)  # unknown review -> clear error before anything else
    name = who(ws, reviewer)
    text = check_comment(comment)
    kind_id = check_kind(kind)
    status_id = check_status(status)
    codes = check_sdg(sdg)
    crit = check_criterion(criterion, _template(ws, review_id)) if criterion else None
    check = check_draft(ws, review_id, draft)
    if not check.ok:
        raise AnnotationError(check.message)
    found = anchor_quote(draft, page, quote, paragraph, near=near)
    _record_draft(ws, review_id, draft, name)
    if annotation_id is not None and not is_our_id(annotation_id):
        raise AnnotationError(
            f"annotation id {annotation_id!r} is not allowed; use 'an-' and 6-32 hex digits"
        )
    ann = Annotation(
        id=annotation_id or new_id("an"),
        review_id=review_id,
        page=found.page,
        paragraph=found.paragraph,
        quote=found.quote,
        prefix=found.prefix,
        suffix=found.suffix,
        start=found.start,
        end=found.end,
        kind=kind_id,
        comment=text,
        criterion=crit,
        sdg=codes,
        status=status_id,
        reviewer=name,
        created=now_iso(),
        page_label=found.page_label,
        position=found.position,
        draft=check.given,
    )
    rec = ws.put(
        review_id, ANNOTATION_KIND, ann.id, ann.to_data(), expected_version=0, reviewer=name
    )
    return Annotation.from_record(rec)


# -- threads and status ----------------------------------------------------------


def _replies(ws: Any, review_id: str) -> dict[str, list[Reply]]:
    out: dict[str, list[Reply]] = {}
    for rec in ws.records(review_id, REPLY_KIND):
        try:
            r = Reply.from_dict(rec.data)
        except (KeyError, TypeError):
            continue
        out.setdefault(r.annotation_id, []).append(r)
    for items in out.values():
        items.sort(key=lambda r: (r.created, r.id))
    return out


def get_annotation(ws: Any, review_id: str, annotation_id: str) -> Annotation:
    """One annotation with its replies; raises AnnotationError if the review has no such id."""
    key = str(annotation_id).strip()
    rec = ws.get(review_id, ANNOTATION_KIND, key) if key else None
    if rec is None:
        ids = [r.key for r in ws.records(review_id, ANNOTATION_KIND)]
        hint = f"; its annotations are {', '.join(ids[:8])}" + (" …" if len(ids) > 8 else "")
        raise AnnotationError(
            f"review {review_id} has no annotation {annotation_id!r}"
            + (hint if ids else " (it has none yet)")
        )
    replies = tuple(
        Reply.from_dict(r.data)
        for r in ws.records(review_id, REPLY_KIND)
        if r.key.startswith(f"{key}/")
    )
    return Annotation.from_record(rec, tuple(sorted(replies, key=lambda r: (r.created, r.id))))


def reply(
    ws: Any, review_id: str, annotation_id: str, comment: str, reviewer: str | None = None
) -> Reply:
    """Answer annotation ``annotation_id``: the reply joins its thread, saved at once."""
    name = who(ws, reviewer)
    text = check_comment(comment, "reply")
    ann = get_annotation(ws, review_id, annotation_id)
    r = Reply(id=new_id("re"), annotation_id=ann.id, reviewer=name, comment=text, created=now_iso())
    ws.put(
        review_id, REPLY_KIND, f"{ann.id}/{r.id}", r.to_dict(), expected_version=0, reviewer=name
    )
    return r


def _update(
    ws: Any,
    review_id: str,
    annotation_id: str,
    changes: dict[str, Any],
    name: str,
    expected_version: int | None,
) -> Annotation:
    ann = get_annotation(ws, review_id, annotation_id)
    version = ann.version if expected_version is None else expected_version
    rec = ws.get(review_id, ANNOTATION_KIND, ann.id)
    # Start from the stored value so keys this version does not know survive.
    data = {**(rec.data if rec is not None else ann.to_data()), **changes}
    # The version read above is compared on write: a colleague's change in
    # between raises ConflictError (with their value) instead of being overwritten.
    rec = ws.put(review_id, ANNOTATION_KIND, ann.id, data, expected_version=version, reviewer=name)
    return Annotation.from_record(rec, ann.replies)


def set_status(
    ws: Any,
    review_id: str,
    annotation_id: str,
    status: str,
    *,
    note: str = "",
    reviewer: str | None = None,
    expected_version: int | None = None,
) -> Annotation:
    """Mark an annotation open, resolved or withdrawn; ``note`` is added to its thread.

    With ``expected_version`` (the version you displayed) a change made
    meanwhile by someone else raises :class:`~vlr_tools.errors.ConflictError`.
    """
    name = who(ws, reviewer)
    status_id = check_status(status)
    ann = _update(ws, review_id, annotation_id, {"status": status_id}, name, expected_version)
    if note and note.strip():
        reply(ws, review_id, ann.id, note, name)
        ann = get_annotation(ws, review_id, ann.id)
    return ann


_UNSET: Any = object()


def edit_annotation(
    ws: Any,
    review_id: str,
    annotation_id: str,
    *,
    comment: str | None = None,
    kind: str | None = None,
    criterion: Any = _UNSET,
    sdg: Any = _UNSET,
    reviewer: str | None = None,
    expected_version: int | None = None,
) -> Annotation:
    """Change an annotation's comment, kind, criterion or SDG links (anchor unchanged).

    Pass ``criterion=None`` / ``sdg=()`` to remove a link. Checked like
    :func:`annotate`; the old value stays in the workspace history.
    """
    name = who(ws, reviewer)
    changes: dict[str, Any] = {}
    if comment is not None:
        changes["comment"] = check_comment(comment)
    if kind is not None:
        changes["kind"] = check_kind(kind)
    if criterion is not _UNSET:
        changes["criterion"] = (
            check_criterion(criterion, _template(ws, review_id)) if criterion else None
        )
    if sdg is not _UNSET:
        changes["sdg"] = list(check_sdg(sdg))
    return _update(ws, review_id, annotation_id, changes, name, expected_version)


# -- listing -------------------------------------------------------------------


def list_annotations(
    ws: Any,
    review_id: str,
    *,
    page: int | None = None,
    kind: str | None = None,
    criterion: str | None = None,
    sdg: str | None = None,
    reviewer: str | None = None,
    status: str | None = None,
) -> list[Annotation]:
    """The review's annotations with their replies, in page order, optionally filtered.

    ``criterion`` may be an area letter (``"C"``: every C criterion);
    ``sdg`` a goal, target or indicator (``"11"`` also lists annotations
    linked to 11.6 or 11.6.2).
    """
    replies = _replies(ws, review_id)
    anns = [
        Annotation.from_record(rec, tuple(replies.get(rec.key, ())))
        for rec in ws.records(review_id, ANNOTATION_KIND)
    ]
    if kind is not None:
        k = check_kind(kind)
        anns = [a for a in anns if a.kind == k]
    if status is not None:
        s = check_status(status)
        anns = [a for a in anns if a.status == s]
    if page is not None:
        anns = [a for a in anns if a.page == int(page)]
    if criterion:
        c = str(criterion).strip().upper()
        anns = [
            a
            for a in anns
            if a.criterion and (a.criterion == c or (len(c) == 1 and a.criterion[0] == c))
        ]
    if sdg:
        codes = check_sdg(sdg)
        anns = [
            a for a in anns if any(x == c or x.startswith(c + ".") for x in a.sdg for c in codes)
        ]
    if reviewer:
        r = reviewer.strip().casefold()
        anns = [a for a in anns if a.reviewer.casefold() == r]
    return sorted(anns, key=_order)


def _order(a: Annotation) -> tuple[Any, ...]:
    return (a.page is None, a.page or 0, a.start if a.start is not None else 0, a.created, a.id)


def annotations_frame(
    ws: Any,
    review_id: str,
    *,
    page: int | None = None,
    kind: str | None = None,
    criterion: str | None = None,
    sdg: str | None = None,
    reviewer: str | None = None,
    status: str | None = None,
) -> pd.DataFrame:
    """The review's annotations as a DataFrame (columns :data:`FRAME_COLUMNS`), filtered.

    One row per annotation, in page order; ``sdg`` joined with "; ",
    ``replies`` counts the thread, ``carried_from``/``carry_outcome`` are set
    for annotations carried over from an earlier review.
    """
    import pandas as pd

    rows = []
    for a in list_annotations(
        ws,
        review_id,
        page=page,
        kind=kind,
        criterion=criterion,
        sdg=sdg,
        reviewer=reviewer,
        status=status,
    ):
        origin = a.origin or {}
        rows.append(
            {
                "id": a.id,
                "page": a.page,
                "page_label": a.page_label,
                "paragraph": a.paragraph or "",
                "kind": a.kind,
                "status": a.status,
                "quote": a.quote,
                "comment": a.comment,
                "criterion": a.criterion or "",
                "sdg": "; ".join(a.sdg),
                "reviewer": a.reviewer,
                "created": a.created,
                "updated": a.updated,
                "replies": len(a.replies),
                "carried_from": origin.get("annotation_id", ""),
                "carry_outcome": origin.get("outcome", ""),
            }
        )
    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    frame["page"] = frame["page"].astype("Int64")
    frame["replies"] = frame["replies"].astype("int64")
    return frame
