"""Rating a criterion: rating, page evidence, comment, recommendation, priority.

Each reviewer's rating of a criterion is one workspace record of kind
``"rating"`` under the key ``"<criterion id>/<reviewer>"``, written at once
(with history) by :func:`rate`. Page references are checked against the real
page count of the draft under review. The review also keeps a record of the
checklist template and version it is rated against (kind ``"checklist"``,
key ``"template"``), so an edited template that drops a criterion cannot make
earlier ratings vanish: they stay stored and are reported as *orphaned*.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ChecklistError, ConflictError, DocumentError
from ..i18n import check_lang, t
from .templates import Template, load_template

if TYPE_CHECKING:
    import pandas as pd

RATINGS: tuple[str, ...] = ("met", "partly_met", "not_met", "not_applicable")
PRIORITIES: tuple[str, ...] = ("high", "medium", "low")

RATING_KIND = "rating"
TEMPLATE_KIND = "checklist"
TEMPLATE_KEY = "template"
#: Other spellings a person may type for a rating (CLI, YAML, widgets).
_RATING_ALIASES = {
    "partly met": "partly_met",
    "partly-met": "partly_met",
    "partly": "partly_met",
    "not met": "not_met",
    "not-met": "not_met",
    "n/a": "not_applicable",
    "na": "not_applicable",
    "not applicable": "not_applicable",
    "not-applicable": "not_applicable",
}


@dataclass(frozen=True)
class Rating:
    """One reviewer's rating of one criterion, as stored in the workspace.

    ``version`` is the record version to pass back as ``expected_version``
    when editing it; ``suggested`` is the pre-check's rating when the rating
    confirmed or overrode a suggestion; ``orphaned`` is True when the review's
    current template no longer has the criterion.
    """

    review_id: str
    criterion_id: str
    reviewer: str
    rating: str
    pages: tuple[int, ...] = ()
    comment: str = ""
    recommendation: str = ""
    priority: str = "medium"
    version: int = 0
    updated_at: Any = None
    template: str = ""
    template_version: str = ""
    suggested: str | None = None
    orphaned: bool = False

    def label(self, lang: str = "en") -> str:
        return rating_label(self.rating, lang)


# ---------------------------------------------------------------------------
# Checking values
# ---------------------------------------------------------------------------


def check_rating(value: object, *, allow_unrated: bool = False) -> str:
    """Return the canonical rating for ``value`` or raise ChecklistError listing the allowed values."""
    text = str(value if value is not None else "").strip().lower()
    text = _RATING_ALIASES.get(text, text).replace(" ", "_")
    if text in RATINGS:
        return text
    if allow_unrated and text in ("", "unrated"):
        return ""
    raise ChecklistError(f"unknown rating {value!r}; allowed: {', '.join(RATINGS)}")


def check_priority(value: object) -> str:
    """Return the priority or raise ChecklistError listing the allowed values."""
    text = str(value if value is not None else "").strip().lower()
    if text in PRIORITIES:
        return text
    raise ChecklistError(f"unknown priority {value!r}; allowed: {', '.join(PRIORITIES)}")


def rating_label(rating: str, lang: str = "en") -> str:
    """The display label of a rating (``"partly_met"`` -> ``"Partly met"`` / ``"一部満たしている"``)."""
    check_lang(lang)
    if not rating:
        return t("checklist.rating.unrated", lang)
    try:
        return t(f"checklist.rating.{rating}", lang)
    except KeyError:
        return rating


def priority_label(priority: str, lang: str = "en") -> str:
    try:
        return t(f"checklist.priority.{priority}", lang)
    except KeyError:
        return priority


_PAGE_TOKEN = re.compile(r"^(?:pp?\.?\s*|pages?\s*)?(\d+)(?:\s*[-\u2013\u2014~]\s*(\d+))?$", re.I)


def parse_pages(value: object) -> tuple[int, ...]:
    """Read page references as typed by a reviewer: ``12``, ``"12, 14-16"``, ``["p. 3", 5]``.

    Returns sorted unique page numbers. Raises ChecklistError naming the
    piece that is not a page reference.
    """
    if value is None or value == "":
        return ()
    if isinstance(value, bool):
        raise ChecklistError(f"page reference {value!r} is not a page number; write e.g. 12, 14-16")
    if isinstance(value, int):
        items: list[object] = [value]
    elif isinstance(value, str):
        items = [p for p in re.split(r"[,;、，\s]+(?=\d|p)", value.strip()) if p.strip()]
    elif isinstance(value, Iterable):
        items = list(value)
    else:
        raise ChecklistError(f"page reference {value!r} is not a page number; write e.g. 12, 14-16")
    pages: set[int] = set()
    for item in items:
        if isinstance(item, bool):
            raise ChecklistError(
                f"page reference {item!r} is not a page number; write e.g. 12, 14-16"
            )
        if isinstance(item, int):
            if item < 1:
                raise ChecklistError(f"page {item} is not a page number: pages start at 1")
            pages.add(item)
            continue
        text = str(item).strip().strip(",;")
        match = _PAGE_TOKEN.match(text)
        if not match:
            raise ChecklistError(
                f"page reference {text!r} is not a page number; write e.g. 12, 14-16"
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1 or last < first:
            raise ChecklistError(
                f"page range {text!r} is not valid; write e.g. 14-16 (pages start at 1)"
            )
        if last - first > 500:
            raise ChecklistError(
                f"page range {text!r} is too long to be evidence; cite the pages that matter"
            )
        pages.update(range(first, last + 1))
    return tuple(sorted(pages))


@lru_cache(maxsize=16)
def _page_count_cached(path: str, _mtime: int, _size: int) -> int:
    from ..documents import load_draft

    return load_draft(path).page_count


def draft_page_count(path: str | Path) -> int:
    """The real page count of a draft file, read once per file version (cached)."""
    p = Path(path).resolve()
    try:
        stat = p.stat()
    except OSError as exc:
        raise ChecklistError(f"cannot check pages: draft {p} cannot be read ({exc})") from exc
    return _page_count_cached(str(p), stat.st_mtime_ns, stat.st_size)


def check_pages(ws: Any, review_id: str, pages: object) -> tuple[int, ...]:
    """Parse ``pages`` and check each lies within the review's draft.

    When the draft cannot be found (a review not tied to a file) the numbers
    are only checked to be positive.
    """
    parsed = parse_pages(pages)
    if not parsed:
        return parsed
    from ..review import open_review

    rv = open_review(ws, review_id)
    if not rv.has_draft:
        return parsed
    try:
        count = rv.page_count() or 0
    except DocumentError as exc:
        raise ChecklistError(f"cannot check pages against the draft: {exc}") from exc
    beyond = [p for p in parsed if p > count]
    if beyond:
        listed = ", ".join(str(p) for p in beyond)
        raise ChecklistError(
            f"page {listed} is beyond the draft: {rv.draft.name} has {count} pages "
            f"(allowed: 1-{count})"
        )
    return parsed


# ---------------------------------------------------------------------------
# The review's template
# ---------------------------------------------------------------------------


def review_template(ws: Any, review_id: str) -> Template:
    """The checklist template a review is rated against.

    The first call records the template name, version and criterion ids in
    the workspace (kind ``"checklist"``, key ``"template"``); later calls load
    the template named there. If the template file has since been edited to
    a new version, the new version is used and :func:`orphaned_ratings`
    reports ratings of criteria it dropped.
    """
    rec = ws.get(review_id, TEMPLATE_KIND, TEMPLATE_KEY)
    if rec is not None:
        name = rec.data.get("path") or rec.data.get("name") or "full"
        try:
            return load_template(name)
        except ChecklistError:
            return load_template(rec.data.get("name") or "full")
    review = ws.review(review_id)
    tpl = load_template(getattr(review, "template", None) or "full")
    use_template(ws, review_id, tpl)
    return tpl


def use_template(
    ws: Any, review_id: str, template: Template | str, *, reviewer: str | None = None
) -> Template:
    """Record that a review is rated against ``template`` (name, path or Template)."""
    tpl = template if isinstance(template, Template) else load_template(template)
    builtin = tpl.path is not None and tpl.path.parent.resolve() == _builtin_dir().resolve()
    data = {
        "name": tpl.name,
        "version": tpl.version,
        "path": None if builtin or tpl.path is None else str(tpl.path),
        "criteria": list(tpl.ids),
        "based_on": tpl.based_on,
    }
    rec = ws.get(review_id, TEMPLATE_KIND, TEMPLATE_KEY)
    if rec is None or rec.data != data:
        ws.put(review_id, TEMPLATE_KIND, TEMPLATE_KEY, data, reviewer=reviewer or _who(ws, None))
    return tpl


def _builtin_dir() -> Path:
    from .templates import checklists_dir

    return checklists_dir()


def template_info(ws: Any, review_id: str) -> dict[str, Any]:
    """Which template and version the review records, and whether the file changed since.

    Returns ``{"name", "version", "current_version", "changed", "dropped"}``
    where ``dropped`` lists criteria ids recorded earlier that the current
    template no longer has.
    """
    tpl = review_template(ws, review_id)
    rec = ws.get(review_id, TEMPLATE_KIND, TEMPLATE_KEY)
    recorded = rec.data if rec is not None else {}
    dropped = [c for c in recorded.get("criteria", []) if c not in tpl]
    return {
        "name": recorded.get("name", tpl.name),
        "version": recorded.get("version", tpl.version),
        "current_version": tpl.version,
        "changed": recorded.get("version", tpl.version) != tpl.version,
        "dropped": dropped,
    }


# ---------------------------------------------------------------------------
# Rating
# ---------------------------------------------------------------------------


def _who(ws: Any, reviewer: str | None) -> str:
    name = reviewer or getattr(ws, "reviewer", None)
    if not name or not str(name).strip():
        raise ChecklistError(
            "say who is rating: pass reviewer='Your Name' or open the workspace with reviewer=..."
        )
    name = " ".join(str(name).split())
    if "/" in name:
        raise ChecklistError(f"reviewer name {name!r} must not contain '/'")
    return name


def rating_key(criterion_id: str, reviewer: str) -> str:
    """The workspace key of one reviewer's rating: ``"C4/Reviewer A"``."""
    return f"{criterion_id}/{reviewer}"


def resolve_criterion(ws: Any, review_id: str, criterion_id: str) -> str:
    """Check ``criterion_id`` against the review's template; return its canonical id.

    An id the template dropped after it was rated gets its own message (the
    earlier ratings are kept and reported as orphaned); any other unknown id
    gets a ChecklistError listing close ids.
    """
    tpl = review_template(ws, review_id)
    wanted = str(criterion_id).strip().upper()
    if wanted in tpl:
        return wanted
    stored = [r for r in ws.records(review_id, RATING_KIND) if r.key.split("/", 1)[0] == wanted]
    if stored:
        raise ChecklistError(
            f"criterion {wanted} is no longer in template {tpl.label!r} (it was edited); "
            f"its {len(stored)} earlier rating(s) are kept and listed as orphaned, nothing was deleted. "
            f"Rate a criterion of the current template ({', '.join(tpl.close_ids(wanted))}, ...) "
            "or restore the criterion in the template file"
        )
    return tpl.criterion(wanted).id  # raises with close ids


def rate(
    ws: Any,
    review_id: str,
    criterion_id: str,
    rating: str,
    *,
    pages: object = (),
    comment: str = "",
    recommendation: str = "",
    priority: str = "medium",
    reviewer: str | None = None,
    expected_version: int | None = None,
    suggested: str | None = None,
) -> Rating:
    """Record one reviewer's rating of a criterion, saved at once in the workspace.

    ``pages`` cite the draft (``"12, 14-16"`` or a list) and are checked
    against its real page count. Passing ``expected_version`` (the version
    you read) makes the save fail with :class:`~vlr_tools.errors.ConflictError`
    when someone changed the rating meanwhile, instead of overwriting it.

    >>> rate(ws, rid, "C4", "partly_met", pages="12, 14", comment="...",
    ...      recommendation="...", priority="high", reviewer="Reviewer A")  # doctest: +SKIP
    """
    cid = resolve_criterion(ws, review_id, criterion_id)
    value = check_rating(rating)
    prio = check_priority(priority)
    who = _who(ws, reviewer)
    page_list = check_pages(ws, review_id, pages)
    tpl = review_template(ws, review_id)
    data = {
        "criterion_id": cid,
        "reviewer": who,
        "rating": value,
        "pages": list(page_list),
        "comment": str(comment or "").strip(),
        "recommendation": str(recommendation or "").strip(),
        "priority": prio,
        "template": tpl.name,
        "template_version": tpl.version,
    }
    if suggested:
        data["suggested"] = check_rating(suggested)
    key = rating_key(cid, who)
    try:
        rec = ws.put(
            review_id, RATING_KIND, key, data, expected_version=expected_version, reviewer=who
        )
    except ConflictError as exc:
        current = exc.current
        cur_data = getattr(current, "data", None) or {}
        raise ConflictError(
            f"rating {cid} by {who} was changed by {getattr(current, 'updated_by', 'someone')} "
            f"(now {cur_data.get('rating', '?')}, record version {getattr(current, 'version', '?')}) "
            f"since you read version {expected_version}; your rating {value!r} was not saved. "
            "Reload it and try again",
            current=current,
            attempted=data,
        ) from exc
    return _from_record(rec, tpl)


def get_rating(
    ws: Any, review_id: str, criterion_id: str, reviewer: str | None = None
) -> Rating | None:
    """One reviewer's stored rating of a criterion, or None."""
    who = _who(ws, reviewer)
    rec = ws.get(review_id, RATING_KIND, rating_key(str(criterion_id).strip().upper(), who))
    return _from_record(rec, review_template(ws, review_id)) if rec is not None else None


def _from_record(rec: Any, tpl: Template | None) -> Rating:
    d = rec.data
    cid = str(d.get("criterion_id") or rec.key.split("/", 1)[0])
    return Rating(
        review_id=str(rec.review_id),
        criterion_id=cid,
        reviewer=str(d.get("reviewer") or rec.key.split("/", 1)[-1]),
        rating=str(d.get("rating", "")),
        pages=tuple(int(p) for p in d.get("pages") or ()),
        comment=str(d.get("comment", "")),
        recommendation=str(d.get("recommendation", "")),
        priority=str(d.get("priority", "medium")),
        version=int(rec.version),
        updated_at=getattr(rec, "updated_at", None),
        template=str(d.get("template", "")),
        template_version=str(d.get("template_version", "")),
        suggested=d.get("suggested"),
        orphaned=tpl is not None and cid not in tpl,
    )


def list_ratings(ws: Any, review_id: str, *, include_orphaned: bool = True) -> list[Rating]:
    """Every reviewer's rating in the review, in template order then reviewer name."""
    tpl = review_template(ws, review_id)
    order = {cid: n for n, cid in enumerate(tpl.ids)}
    out = [_from_record(r, tpl) for r in ws.records(review_id, RATING_KIND)]
    if not include_orphaned:
        out = [r for r in out if not r.orphaned]
    return sorted(
        out, key=lambda r: (order.get(r.criterion_id, len(order)), r.criterion_id, r.reviewer)
    )


def orphaned_ratings(ws: Any, review_id: str) -> list[Rating]:
    """Ratings of criteria the review's current template no longer has (kept, never deleted)."""
    return [r for r in list_ratings(ws, review_id) if r.orphaned]


RATING_COLUMNS = (
    "criterion_id",
    "area",
    "reviewer",
    "rating",
    "rating_label",
    "pages",
    "comment",
    "recommendation",
    "priority",
    "suggested",
    "orphaned",
    "version",
)


def ratings_frame(ws: Any, review_id: str, lang: str = "en") -> pd.DataFrame:
    """One row per reviewer per criterion with every field of the rating.

    Orphaned ratings are included with ``orphaned=True`` so nothing rated is
    hidden.
    """
    import pandas as pd

    check_lang(lang)
    rows = [
        {
            "criterion_id": r.criterion_id,
            "area": r.criterion_id[:1],
            "reviewer": r.reviewer,
            "rating": r.rating,
            "rating_label": rating_label(r.rating, lang),
            "pages": ", ".join(str(p) for p in r.pages),
            "comment": r.comment,
            "recommendation": r.recommendation,
            "priority": r.priority,
            "suggested": r.suggested or "",
            "orphaned": r.orphaned,
            "version": r.version,
        }
        for r in list_ratings(ws, review_id)
    ]
    return pd.DataFrame(rows, columns=list(RATING_COLUMNS))
