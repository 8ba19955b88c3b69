"""Draft versions: carry a review over to the city's next draft.

When a city sends draft 2, the reviewer wants a quick answer to "did they do
what we asked?". :func:`carry_over` copies every recommendation of the earlier
review into the new review as an item to check (kind ``"carryover"``, key =
criterion id); :func:`mark_addressed` records, per item, whether the new
draft addressed it, with pages in the new draft as evidence; and
:func:`compare_drafts` helps by lining up the two drafts section by section.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ChecklistError
from ..i18n import check_lang, t
from .consensus import final_ratings
from .ratings import _who, check_pages, review_template

if TYPE_CHECKING:
    import pandas as pd

    from ..documents import Draft

CARRYOVER_KIND = "carryover"
CARRY_STATUSES: tuple[str, ...] = ("addressed", "partly", "not_addressed")
#: Status of an item carried over and not yet checked against the new draft.
TO_CHECK = "to_check"
#: Headings at least this similar (rapidfuzz 0-100) are taken as the same section.
HEADING_MATCH = 70.0
#: Bodies at least this similar (0-1) count as unchanged.
UNCHANGED = 0.98


@dataclass(frozen=True)
class CarryItem:
    """An earlier recommendation carried into a new review, and what became of it."""

    criterion_id: str
    from_review: str
    old_rating: str
    old_pages: tuple[int, ...]
    recommendations: tuple[dict[str, str], ...]
    status: str = TO_CHECK
    pages: tuple[int, ...] = ()
    note: str = ""
    checked_by: str = ""
    version: int = 0

    @property
    def text(self) -> str:
        """The recommendation: the lead reviewer's when they wrote one (stored first)."""
        return next((r["text"] for r in self.recommendations if r.get("text")), "")

    @property
    def other_texts(self) -> tuple[str, ...]:
        """The other reviewers' recommendations on the same criterion, if different."""
        first = " ".join(self.text.casefold().split())
        seen = {first}
        out = []
        for r in self.recommendations:
            key = " ".join(str(r.get("text", "")).casefold().split())
            if key and key not in seen:
                seen.add(key)
                out.append(str(r["text"]))
        return tuple(out)

    @property
    def priority(self) -> str:
        prios = [r.get("priority", "medium") for r in self.recommendations]
        order = ("high", "medium", "low")
        return min(prios, key=lambda p: order.index(p) if p in order else 1) if prios else "medium"

    def status_label(self, lang: str = "en") -> str:
        return t(f"checklist.carry.{self.status}", lang)


def _item(rec: Any) -> CarryItem:
    d = rec.data
    return CarryItem(
        criterion_id=rec.key,
        from_review=str(d.get("from_review", "")),
        old_rating=str(d.get("old_rating", "")),
        old_pages=tuple(d.get("old_pages") or ()),
        recommendations=tuple(d.get("recommendations") or ()),
        status=str(d.get("status", TO_CHECK)),
        pages=tuple(d.get("pages") or ()),
        note=str(d.get("note", "")),
        checked_by=str(d.get("checked_by", "")),
        version=int(rec.version),
    )


def carry_over(
    ws: Any, old_review_id: str, new_review_id: str, *, reviewer: str | None = None
) -> list[CarryItem]:
    """Copy the earlier review's recommendations into the new review as items to check.

    One item per criterion that has at least one recommendation (all
    reviewers' recommendations together, with the earlier final rating and
    pages). Running it again adds new items but never resets an item that was
    already marked.
    """
    if old_review_id == new_review_id:
        raise ChecklistError(
            "carry_over needs two different reviews (the earlier and the new draft)"
        )
    old = ws.review(old_review_id)
    new = ws.review(new_review_id)
    if old.city != new.city:
        raise ChecklistError(
            f"review {old_review_id} is of {old.city!r} but {new_review_id} is of {new.city!r}: "
            "carry a review over only between drafts of the same city"
        )
    who = _who(ws, reviewer)
    from .consensus import lead_reviewer

    lead = lead_reviewer(ws, old_review_id)
    existing = {rec.key: rec for rec in ws.records(new_review_id, CARRYOVER_KIND)}
    items: list[CarryItem] = []
    for cid, fr in final_ratings(ws, old_review_id).items():
        if not fr.recommendations:
            continue
        data = {
            "criterion_id": cid,
            "from_review": old_review_id,
            "from_version": old.version,
            "old_rating": fr.rating,
            "old_status": fr.status,
            "old_pages": list(fr.pages),
            # Lead reviewer first: their text is the one a memo shows.
            "recommendations": [
                {"reviewer": r.reviewer, "text": r.text, "priority": r.priority}
                for r in sorted(fr.recommendations, key=lambda r: r.reviewer != lead)
            ],
            "status": TO_CHECK,
            "pages": [],
            "note": "",
            "checked_by": "",
        }
        rec = existing.get(cid)
        if rec is not None and rec.data.get("status", TO_CHECK) != TO_CHECK:
            items.append(_item(rec))  # already checked: keep the reviewer's mark
            continue
        if rec is not None and rec.data == data:
            items.append(_item(rec))
            continue
        items.append(_item(ws.put(new_review_id, CARRYOVER_KIND, cid, data, reviewer=who)))
    return items


def carried_items(ws: Any, review_id: str) -> list[CarryItem]:
    """The carried-over items of a review in template order."""
    tpl = review_template(ws, review_id)
    order = {cid: n for n, cid in enumerate(tpl.ids)}
    items = [_item(r) for r in ws.records(review_id, CARRYOVER_KIND)]
    return sorted(items, key=lambda i: (order.get(i.criterion_id, len(order)), i.criterion_id))


def mark_addressed(
    ws: Any,
    new_review_id: str,
    criterion_id: str,
    status: str,
    *,
    pages: object = (),
    note: str = "",
    reviewer: str | None = None,
    expected_version: int | None = None,
) -> CarryItem:
    """Record whether the new draft addressed an earlier recommendation.

    ``status`` is one of ``addressed``, ``partly``, ``not_addressed``;
    ``pages`` cite the *new* draft and are checked against its page count.
    """
    value = str(status or "").strip().lower().replace(" ", "_").replace("-", "_")
    value = {"partly_addressed": "partly", "partial": "partly"}.get(value, value)
    if value not in CARRY_STATUSES:
        raise ChecklistError(f"unknown status {status!r}; allowed: {', '.join(CARRY_STATUSES)}")
    cid = str(criterion_id).strip().upper()
    rec = ws.get(new_review_id, CARRYOVER_KIND, cid)
    if rec is None:
        carried = [r.key for r in ws.records(new_review_id, CARRYOVER_KIND)]
        hint = f"items carried over: {', '.join(carried)}" if carried else "run carry_over() first"
        raise ChecklistError(
            f"no earlier recommendation on criterion {cid} in review {new_review_id}; {hint}"
        )
    page_list = check_pages(ws, new_review_id, pages)
    who = _who(ws, reviewer)
    data = dict(rec.data)
    data.update(status=value, pages=list(page_list), note=str(note or "").strip(), checked_by=who)
    saved = ws.put(
        new_review_id,
        CARRYOVER_KIND,
        cid,
        data,
        expected_version=expected_version if expected_version is not None else rec.version,
        reviewer=who,
    )
    return _item(saved)


def carryover_frame(ws: Any, review_id: str, lang: str = "en") -> pd.DataFrame:
    """One row per carried-over recommendation: what the city answered to it, and its
    status in the new draft.

    ``city_response``, ``planned_action``, ``office`` and ``target_date`` come
    from the response sheet the city sent back on the earlier review (empty
    when it sent none; see :mod:`vlr_tools.responses`).
    """
    import pandas as pd

    from ..responses import load_responses

    check_lang(lang)
    tpl = review_template(ws, review_id)
    rows = []
    answers: dict[str, Any] = {}
    for item in carried_items(ws, review_id):
        if item.from_review not in answers:
            answers[item.from_review] = load_responses(ws, item.from_review)
        answer = answers[item.from_review].get(item.criterion_id)
        rows.append(
            {
                "criterion_id": item.criterion_id,
                "area": item.criterion_id[:1],
                "question": tpl.criterion(item.criterion_id).question(lang)
                if item.criterion_id in tpl
                else "",
                "recommendation": item.text,
                "other": " / ".join(item.other_texts),
                "priority": item.priority,
                "old_rating": item.old_rating,
                "old_pages": ", ".join(str(p) for p in item.old_pages),
                "city_response": answer.label(lang) if answer else "",
                "planned_action": answer.planned_action if answer else "",
                "office": answer.office if answer else "",
                "target_date": answer.target_date.isoformat()
                if answer and answer.target_date
                else "",
                "status": item.status,
                "status_label": item.status_label(lang),
                "pages": ", ".join(str(p) for p in item.pages),
                "note": item.note,
                "checked_by": item.checked_by,
            }
        )
    columns = [
        "criterion_id",
        "area",
        "question",
        "recommendation",
        "other",
        "priority",
        "old_rating",
        "old_pages",
        "city_response",
        "planned_action",
        "office",
        "target_date",
        "status",
        "status_label",
        "pages",
        "note",
        "checked_by",
    ]
    return pd.DataFrame(rows, columns=columns)


def carryover_status(ws: Any, review_id: str) -> dict[str, int]:
    """Counts of carried-over items by status (``to_check`` included), for a memo line."""
    counts = {s: 0 for s in (*CARRY_STATUSES, TO_CHECK)}
    for item in carried_items(ws, review_id):
        counts[item.status] = counts.get(item.status, 0) + 1
    return counts


# ---------------------------------------------------------------------------
# Section-by-section comparison
# ---------------------------------------------------------------------------

_NUMBERING = re.compile(
    r"^\s*(?:chapter|section|part|annex)?\s*[0-9ivxlc]+(?:[.)][0-9]+)*[.):]?\s+", re.I
)


def _heading_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    text = _NUMBERING.sub("", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [s.strip() for s in re.split(r"(?<=[.!?。])\s+", flat) if s.strip()]


def _short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _short_diff(old: str, new: str, limit: int = 3) -> str:
    """A few sentences added (+) and removed (-), for a reviewer to skim."""
    old_s, new_s = _sentences(old), _sentences(new)
    added: list[str] = []
    removed: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_s, b=new_s, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("replace", "delete"):
            removed += old_s[i1:i2]
        if op in ("replace", "insert"):
            added += new_s[j1:j2]
    parts = [f"+ {_short(s)}" for s in added[:limit]]
    if len(added) > limit:
        parts.append(f"+ ... ({len(added) - limit} more added)")
    parts += [f"- {_short(s)}" for s in removed[:limit]]
    if len(removed) > limit:
        parts.append(f"- ... ({len(removed) - limit} more removed)")
    return "\n".join(parts)


def _body(section: Any) -> str:
    return "\n".join(p.text for p in section.paragraphs[1:])


def _as_draft(value: Draft | str | Path) -> Draft:
    from ..documents import Draft, load_draft

    if isinstance(value, Draft):
        return value
    return load_draft(value)


def compare_drafts(
    old: Draft | str | Path, new: Draft | str | Path, *, lang: str = "en"
) -> pd.DataFrame:
    """Compare two drafts section by section.

    Sections are matched one-to-one by heading similarity (rapidfuzz, after
    dropping chapter numbers); the best pairs are taken first. Each row is
    ``unchanged``, ``changed``, ``added`` (only in the new draft) or
    ``removed`` (only in the old one), with pages in each draft, the heading
    score (0-100), a body ``similarity`` (0-1) and a short sentence diff.
    Rows follow the new draft's order; removed sections come after the
    section that preceded them in the old draft.
    """
    from rapidfuzz import fuzz

    check_lang(lang)
    from .context import outline

    old_d, new_d = _as_draft(old), _as_draft(new)
    old_s = outline(old_d)
    new_s = outline(new_d)
    old_keys = [_heading_key(s.title) for s in old_s]
    new_keys = [_heading_key(s.title) for s in new_s]
    pairs: list[tuple[float, int, int]] = []
    for i, ok in enumerate(old_keys):
        for j, nk in enumerate(new_keys):
            score = 100.0 if ok == nk else float(fuzz.token_sort_ratio(ok, nk))
            if score >= HEADING_MATCH:
                # Prefer same-position pairs on ties: drafts mostly keep their order.
                pairs.append((score - abs(i / max(len(old_s), 1) - j / max(len(new_s), 1)), i, j))
    pairs.sort(reverse=True)
    match_old: dict[int, int] = {}
    match_new: dict[int, int] = {}
    for _score, i, j in pairs:
        if i not in match_old and j not in match_new:
            match_old[i], match_new[j] = j, i

    def row(
        status: str, o: Any, n: Any, heading_score: float, similarity: float, diff: str
    ) -> dict[str, Any]:
        return {
            "status": status,
            "status_label": t(f"checklist.compare.{status}", lang),
            "old_heading": o.title if o is not None else "",
            "new_heading": n.title if n is not None else "",
            "old_pages": _pages(o),
            "new_pages": _pages(n),
            "heading_score": round(heading_score, 1),
            "similarity": round(similarity, 3),
            "diff": diff,
        }

    rows: list[dict[str, Any]] = []
    removed_after: dict[int, list[int]] = {}
    last_new = -1
    for i in range(len(old_s)):
        if i in match_old:
            last_new = match_old[i]
        else:
            removed_after.setdefault(last_new, []).append(i)
    for i in removed_after.get(-1, []):
        rows.append(row("removed", old_s[i], None, 0.0, 0.0, _short_diff(_body(old_s[i]), "")))
    for j, n in enumerate(new_s):
        if j in match_new:
            o = old_s[match_new[j]]
            ob, nb = _body(o), _body(n)
            sim = fuzz.ratio(" ".join(ob.split()), " ".join(nb.split())) / 100.0
            hs = (
                100.0
                if old_keys[match_new[j]] == new_keys[j]
                else float(fuzz.token_sort_ratio(old_keys[match_new[j]], new_keys[j]))
            )
            # A renumbered heading ("5.9" -> "5.10") over the same text is not a change.
            status = "unchanged" if sim >= UNCHANGED and hs == 100.0 else "changed"
            rows.append(
                row(status, o, n, hs, sim, "" if status == "unchanged" else _short_diff(ob, nb))
            )
        else:
            rows.append(row("added", None, n, 0.0, 0.0, _short_diff("", _body(n))))
        for i in removed_after.get(j, []):
            rows.append(row("removed", old_s[i], None, 0.0, 0.0, _short_diff(_body(old_s[i]), "")))
    import pandas as pd

    columns = [
        "status",
        "status_label",
        "old_heading",
        "new_heading",
        "old_pages",
        "new_pages",
        "heading_score",
        "similarity",
        "diff",
    ]
    return pd.DataFrame(rows, columns=columns)


def _pages(section: Any) -> str:
    if section is None:
        return ""
    pages = section.pages
    if not pages:
        return ""
    return str(pages[0]) if pages[0] == pages[-1] else f"{pages[0]}-{pages[-1]}"


def review_draft(ws: Any, review_id: str) -> Draft | None:
    """The stored draft of a review (for :func:`compare_drafts` between two reviews)."""
    from ..review import open_review

    rv = open_review(ws, review_id)
    return rv.draft if rv.has_draft else None


def compare_reviews(
    ws: Any, old_review_id: str, new_review_id: str, *, lang: str = "en"
) -> pd.DataFrame:
    """:func:`compare_drafts` on the stored drafts of two reviews of the same city."""
    drafts = [review_draft(ws, rid) for rid in (old_review_id, new_review_id)]
    if drafts[0] is None or drafts[1] is None:
        missing = old_review_id if drafts[0] is None else new_review_id
        raise ChecklistError(
            f"review {missing} has no stored draft; add it with `vlr draft add CITY FILE "
            "--version V`"
        )
    return compare_drafts(drafts[0], drafts[1], lang=lang)
