"""The memo annex "Comments by page": a review's annotations grouped by page, ready to render.

:func:`comments_by_page` is what the memo renderers (HTML, PDF, DOCX,
Markdown) call. It returns plain frozen records holding text only (labels
already in the memo's language, reviewer names already replaced by roles
when the review hides names), so a renderer only lays them out; it must
still escape the text for its format, since quotes and comments are typed
by reviewers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..i18n import check_lang, t
from .model import vocabulary
from .store import list_annotations

#: Statuses shown in the annex by default (withdrawn remarks are left out).
ANNEX_STATUSES = ("open", "resolved")


@dataclass(frozen=True)
class CommentReply:
    """One reply under a comment: who (name or role) and what."""

    reviewer: str
    comment: str
    created: str


@dataclass(frozen=True)
class CommentItem:
    """One annotation as the memo annex shows it.

    ``kind``/``status`` are ids (question, open...), ``kind_label`` and
    ``status_label`` the labels in the annex language. ``criterion_text``
    is the criterion's question; ``sdg_titles`` the titles of the linked
    goals/targets/indicators (English when no Japanese title exists).
    ``reviewer`` is the name or a role ("Reviewer 1") as the review's
    settings say. ``carried`` says where a comment carried over from an
    earlier draft came from ("" otherwise); ``carry_outcome`` is the id
    (found_unchanged, found_changed, not_found) or "".
    """

    annotation_id: str
    page: int | None
    page_label: str
    paragraph: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    quote: str
    comment: str
    criterion: str
    criterion_text: str
    sdgs: tuple[str, ...]
    sdg_titles: tuple[str, ...]
    reviewer: str
    created: str
    replies: tuple[CommentReply, ...] = ()
    carried: str = ""
    carry_outcome: str = ""

    @property
    def links(self) -> str:
        """Criterion and SDG links on one line, e.g. ``"C4; SDG 5.1"``."""
        parts = [self.criterion] if self.criterion else []
        parts += [f"SDG {code}" for code in self.sdgs]
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PageGroup:
    """The comments on one page (``page`` None: passages not found in this draft)."""

    page: int | None
    label: str
    items: tuple[CommentItem, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "label": self.label, "items": [i.to_dict() for i in self.items]}


def reviewer_roles(ws: Any, review_id: str, names: list[str], lang: str = "en") -> dict[str, str]:
    """Map reviewer names to "Reviewer 1", "Reviewer 2"… in the order the review lists them.

    Reviewers not listed on the review (e.g. a colleague who only replied)
    follow, in the order they appear in ``names``.
    """
    order = list(ws.review(review_id).reviewers)
    for n in names:
        if n and n not in order:
            order.append(n)
    return {n: t("annotations.reviewer_n", lang, n=i) for i, n in enumerate(order, start=1)}


def comments_by_page(
    ws: Any,
    review_id: str,
    *,
    lang: str = "en",
    show_names: bool = True,
    statuses: tuple[str, ...] = ANNEX_STATUSES,
) -> list[PageGroup]:
    """The review's annotations grouped by page, in page order, for the memo annex.

    Reviewer names are shown only if ``show_names`` is true *and* the
    review's settings allow it (``settings["show_reviewer_names"]``, default
    true); otherwise each name becomes a role, "Reviewer 1" being the first
    reviewer listed on the review. Withdrawn annotations are left out (pass
    ``statuses`` to change that). Annotations whose passage was not found in
    this draft (carried from an earlier one) come last, in a group with
    ``page`` None. An empty list means the review has no such annotations.

    >>> for group in comments_by_page(ws, rid, lang="ja", show_names=False):  # doctest: +SKIP
    ...     print(group.label, [(i.kind_label, i.reviewer) for i in group.items])
    """
    check_lang(lang)
    rv = ws.review(review_id)
    names_ok = show_names and bool((rv.settings or {}).get("show_reviewer_names", True))
    anns = [a for a in list_annotations(ws, review_id) if a.status in statuses]
    authors = [a.reviewer for a in anns] + [r.reviewer for a in anns for r in a.replies]
    roles = {} if names_ok else reviewer_roles(ws, review_id, authors, lang)

    def shown(name: str) -> str:
        return name if names_ok else roles.get(name, name and t("annotations.reviewer", lang))

    vocab = vocabulary()
    template = _template_or_none(ws, review_id)
    groups: dict[int | None, list[CommentItem]] = {}
    for a in anns:
        kind = _label(vocab.kind, a.kind, lang)
        status = _label(vocab.status, a.status, lang)
        criterion_text = ""
        if a.criterion and template is not None and a.criterion in template.ids:
            criterion_text = template.criterion(a.criterion).question(lang)
        origin = a.origin or {}
        carried = ""
        if origin:
            carried = t(
                f"annotations.carried.{origin.get('outcome', 'found_unchanged')}",
                lang,
                page=origin.get("old_page_label") or origin.get("old_page") or "?",
                draft=(origin.get("draft") or {}).get("name", ""),
            )
        item = CommentItem(
            annotation_id=a.id,
            page=a.page,
            page_label=a.page_label or (str(a.page) if a.page else ""),
            paragraph=a.paragraph or "",
            kind=a.kind,
            kind_label=kind,
            status=a.status,
            status_label=status,
            quote=a.quote,
            comment=a.comment,
            criterion=a.criterion or "",
            criterion_text=criterion_text,
            sdgs=a.sdg,
            sdg_titles=tuple(_sdg_title(code, lang) for code in a.sdg),
            reviewer=shown(a.reviewer),
            created=a.created,
            replies=tuple(CommentReply(shown(r.reviewer), r.comment, r.created) for r in a.replies),
            carried=carried,
            carry_outcome=str(origin.get("outcome") or ""),
        )
        groups.setdefault(a.page, []).append(item)
    out = []
    for page in sorted(groups, key=lambda p: (p is None, p or 0)):
        label = (
            t("annotations.page", lang, page=page)
            if page is not None
            else t("annotations.no_page", lang)
        )
        out.append(PageGroup(page=page, label=label, items=tuple(groups[page])))
    return out


def _label(getter: Any, value: str, lang: str) -> str:
    try:
        return str(getter(value).label(lang))
    except Exception:  # an id the reference file no longer has: show the id itself
        return value


def _sdg_title(code: str, lang: str) -> str:
    from ..framework import get_framework

    try:
        return str(get_framework().title(code, lang))
    except Exception:
        return ""


def _template_or_none(ws: Any, review_id: str) -> Any:
    from .store import _template

    try:
        return _template(ws, review_id)
    except Exception:  # the annex must render even if the template file is broken
        return None
