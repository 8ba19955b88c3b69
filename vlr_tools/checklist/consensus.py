"""Several reviewers: compare independent ratings, let the lead reviewer decide.

Each reviewer rates on their own (:func:`~vlr_tools.checklist.ratings.rate`).
:func:`consolidate` lines the ratings up per criterion with an agreement flag
and a spread; the lead reviewer settles a criterion with :func:`set_final`
(kind ``"final_rating"``, key = criterion id, with a note); and
:func:`final_ratings` gives what a memo reports: the final rating if set,
else the rating all reviewers agree on, else ``"disputed"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ChecklistError
from ..i18n import check_lang, t
from .ratings import (
    PRIORITIES,
    Rating,
    _who,
    check_rating,
    list_ratings,
    rating_label,
    resolve_criterion,
    review_template,
)

if TYPE_CHECKING:
    import pandas as pd

FINAL_KIND = "final_rating"
#: Ordinal position of each rating, for the spread between reviewers.
#: "not_applicable" is off the scale: a reviewer who finds a criterion does
#: not apply disagrees with one who rates it, but by no measurable distance.
RATING_SCALE = {"met": 2, "partly_met": 1, "not_met": 0}
#: Severity order used when ranking recommendations (worst first).
SEVERITY = {"not_met": 0, "partly_met": 1, "met": 2, "not_applicable": 3, "disputed": 0}
STATUSES = ("final", "agreed", "single", "disputed")
#: How the memo and the city's response sheet order recommendations of one
#: priority: furthest from met first.
RECOMMENDATION_RATING_ORDER = ("not_met", "partly_met", "disputed", "met", "not_applicable")


def recommendation_rank(priority: str | None, rating: str | None, position: int) -> tuple[int, ...]:
    """Sort key of a criterion's recommendation: priority (high first), then how far
    the criterion is from met, then ``position`` (the template's order).

    The review memo's table of recommendations and the response sheet a city
    fills in list recommendations in this order, so their rows line up.
    """
    return (
        PRIORITIES.index(priority) if priority in PRIORITIES else 1,
        RECOMMENDATION_RATING_ORDER.index(rating)
        if rating in RECOMMENDATION_RATING_ORDER
        else len(RECOMMENDATION_RATING_ORDER),
        position,
    )


@dataclass(frozen=True)
class Recommendation:
    """One reviewer's recommendation on a criterion."""

    reviewer: str
    text: str
    priority: str


@dataclass(frozen=True)
class FinalRating:
    """What the review concludes on one criterion.

    ``status`` says where ``rating`` comes from: ``"final"`` (set by the lead
    reviewer, with ``note``), ``"agreed"`` (all reviewers gave it),
    ``"single"`` (only one reviewer rated) or ``"disputed"`` (reviewers
    differ and no final rating is set; ``rating`` is then ``"disputed"``).
    ``priority`` is the highest priority any reviewer gave; ``pages`` the
    union of the pages cited; ``recommendations`` every non-empty one.
    """

    criterion_id: str
    area: str
    rating: str
    status: str
    reviewers: dict[str, str] = field(default_factory=dict)
    note: str = ""
    decided_by: str = ""
    priority: str = "medium"
    pages: tuple[int, ...] = ()
    comments: tuple[tuple[str, str], ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    orphaned: bool = False

    @property
    def disputed(self) -> bool:
        return self.status == "disputed"

    @property
    def recommendation_text(self) -> str:
        """Every reviewer's recommendation on the criterion, each different text once,
        one per line: what the memo prints and the city answers."""
        texts = (r.text.strip() for r in self.recommendations if r.text.strip())
        return "\n".join(dict.fromkeys(texts))

    def label(self, lang: str = "en") -> str:
        return rating_label(self.rating, lang)


def _lead(review: Any) -> str | None:
    settings = getattr(review, "settings", None) or {}
    if settings.get("lead"):
        return str(settings["lead"])
    reviewers = tuple(getattr(review, "reviewers", None) or ())
    return str(reviewers[0]) if reviewers else None


def lead_reviewer(ws: Any, review_id: str) -> str | None:
    """The lead reviewer: settings ``lead``, else the first reviewer listed on the review."""
    return _lead(ws.review(review_id))


def set_final(
    ws: Any,
    review_id: str,
    criterion_id: str,
    rating: str,
    *,
    note: str = "",
    reviewer: str | None = None,
    expected_version: int | None = None,
) -> FinalRating:
    """The lead reviewer settles a criterion's rating, with a note saying why.

    Only the lead reviewer (see :func:`lead_reviewer`) may set a final rating
    when the review names its reviewers.
    """
    cid = resolve_criterion(ws, review_id, criterion_id)
    value = check_rating(rating)
    who = _who(ws, reviewer)
    lead = lead_reviewer(ws, review_id)
    if lead and who != lead:
        raise ChecklistError(
            f"only the lead reviewer ({lead}) sets final ratings; {who} can rate with rate() instead"
        )
    by_reviewer = {
        r.reviewer: r.rating for r in list_ratings(ws, review_id) if r.criterion_id == cid
    }
    data = {
        "criterion_id": cid,
        "rating": value,
        "note": str(note or "").strip(),
        "decided_by": who,
        "ratings_seen": by_reviewer,
    }
    ws.put(review_id, FINAL_KIND, cid, data, expected_version=expected_version, reviewer=who)
    return final_ratings(ws, review_id)[cid]


def clear_final(ws: Any, review_id: str, criterion_id: str, *, reviewer: str | None = None) -> None:
    """Withdraw a final rating (the reviewers' own ratings are untouched)."""
    cid = str(criterion_id).strip().upper()
    if ws.get(review_id, FINAL_KIND, cid) is None:
        raise ChecklistError(f"criterion {cid} has no final rating to withdraw")
    ws.delete(review_id, FINAL_KIND, cid, reviewer=_who(ws, reviewer))


def spread(ratings: list[str]) -> float:
    """Distance between the highest and lowest rating on met/partly/not met (0 = same).

    ``not_applicable`` is off the scale; NaN when fewer than two on-scale ratings.
    """
    scale = [RATING_SCALE[r] for r in ratings if r in RATING_SCALE]
    if len(scale) < 2:
        return float("nan")
    return float(max(scale) - min(scale))


def final_ratings(ws: Any, review_id: str) -> dict[str, FinalRating]:
    """Per criterion rated: the final rating if set, else the agreed one, else disputed.

    Keys are criterion ids in template order (orphaned criteria last).
    """
    tpl = review_template(ws, review_id)
    grouped: dict[str, list[Rating]] = {}
    for r in list_ratings(ws, review_id):
        grouped.setdefault(r.criterion_id, []).append(r)
    finals = {rec.key: rec.data for rec in ws.records(review_id, FINAL_KIND)}
    ids = [c for c in tpl.ids if c in grouped or c in finals]
    ids += sorted(c for c in {*grouped, *finals} if c not in tpl)
    out: dict[str, FinalRating] = {}
    for cid in ids:
        rs = grouped.get(cid, [])
        by_reviewer = {r.reviewer: r.rating for r in rs}
        final = finals.get(cid)
        distinct = set(by_reviewer.values())
        if final:
            rating, status = str(final.get("rating")), "final"
        elif len(distinct) == 1:
            rating, status = next(iter(distinct)), ("agreed" if len(rs) > 1 else "single")
        else:
            rating, status = "disputed", "disputed"
        prios = [r.priority for r in rs if r.priority in PRIORITIES]
        out[cid] = FinalRating(
            criterion_id=cid,
            area=cid[:1],
            rating=rating,
            status=status,
            reviewers=by_reviewer,
            note=str(final.get("note", "")) if final else "",
            decided_by=str(final.get("decided_by", "")) if final else "",
            priority=min(prios, key=PRIORITIES.index) if prios else "medium",
            pages=tuple(sorted({p for r in rs for p in r.pages})),
            comments=tuple((r.reviewer, r.comment) for r in rs if r.comment),
            recommendations=tuple(
                Recommendation(r.reviewer, r.recommendation, r.priority)
                for r in rs
                if r.recommendation
            ),
            orphaned=cid not in tpl,
        )
    return out


def consolidate(ws: Any, review_id: str, lang: str = "en") -> pd.DataFrame:
    """One row per criterion of the template: each reviewer's rating side by side.

    Columns: ``criterion_id``, ``area``, ``question``, one column per reviewer
    (their rating, empty if not rated), ``n_ratings``, ``agreement`` (True
    when every reviewer who rated gave the same rating; False when they
    differ; NA when fewer than two rated), ``spread`` (see :func:`spread`),
    ``final`` (the lead reviewer's rating, if set), ``note``, ``result`` (what
    :func:`final_ratings` reports) and ``status``.
    """
    import pandas as pd

    check_lang(lang)
    tpl = review_template(ws, review_id)
    review = ws.review(review_id)
    ratings = list_ratings(ws, review_id)
    reviewers = list(
        dict.fromkeys([*(getattr(review, "reviewers", None) or ()), *(r.reviewer for r in ratings)])
    )
    results = final_ratings(ws, review_id)
    finals = {rec.key: rec.data for rec in ws.records(review_id, FINAL_KIND)}
    ids = list(tpl.ids) + sorted({r.criterion_id for r in ratings if r.criterion_id not in tpl})
    rows = []
    for cid in ids:
        given = {r.reviewer: r.rating for r in ratings if r.criterion_id == cid}
        values = list(given.values())
        result = results.get(cid)
        question = (
            tpl.criterion(cid).question(lang) if cid in tpl else t("checklist.orphaned", lang)
        )
        rows.append(
            {
                "criterion_id": cid,
                "area": cid[:1],
                "question": question,
                **{name: given.get(name, "") for name in reviewers},
                "n_ratings": len(values),
                "agreement": (len(set(values)) == 1) if len(values) >= 2 else pd.NA,
                "spread": spread(values),
                "final": str(finals.get(cid, {}).get("rating", "")),
                "note": str(finals.get(cid, {}).get("note", "")),
                "result": result.rating if result else "",
                "status": result.status if result else "unrated",
            }
        )
    columns = ["criterion_id", "area", "question", *reviewers, "n_ratings", "agreement", "spread"]
    columns += ["final", "note", "result", "status"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["agreement"] = frame["agreement"].astype("boolean")
    return frame


def disputed(ws: Any, review_id: str) -> list[str]:
    """Criterion ids on which reviewers differ and no final rating is set yet."""
    return [cid for cid, f in final_ratings(ws, review_id).items() if f.status == "disputed"]
