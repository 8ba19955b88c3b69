"""Scripted demo reviews: replay a review of a sample city from a YAML file.

Trainers show the whole flow (ratings by two reviewers, a disagreement the
lead reviewer settles, a memo, the carry-over to draft 2) without typing it
live. A sample city's ``demo_review.yaml`` holds, per draft version, the
reviewers and their ratings; :func:`apply_scripted_review` writes them into a
review through the same functions a reviewer uses (so every page is checked
against the draft and every change has history).

File layout::

    city: san-fernando
    illustrative: true
    reviewers: {A: "Reviewer A (CYO, illustrative)", B: "Reviewer B (CYO, illustrative)"}
    lead: A
    reviews:
      v1:
        template: full
        criteria:
          C4:
            A: {rating: not_met, pages: [10], comment: "...", recommendation: "...", priority: high}
            B: {rating: partly_met, pages: [10, 19], comment: "..."}
            final: {rating: not_met, note: "..."}
      v2:
        carry_over:
          from: v1
          marks:
            D3: {status: addressed, pages: [9, 25], note: "..."}
        criteria: {...}
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import ChecklistError, DataFileError, Problem
from .consensus import set_final
from .ratings import PRIORITIES, RATINGS, rate, use_template
from .versions import CARRY_STATUSES, carry_over, mark_addressed

DEMO_FILE = "demo_review.yaml"
_RATING_FIELDS = {"rating", "pages", "comment", "recommendation", "priority"}


def demo_review_path(city: str) -> Path:
    """The ``demo_review.yaml`` of a sample city (found by the sample-city loader)."""
    from ..cities import sample_file

    return sample_file(city, DEMO_FILE)


def start_review(
    ws: Any,
    city: str,
    version: str = "v1",
    *,
    template: str = "full",
    reviewers: tuple[str, ...] = (),
    title: str | None = None,
    lead: str | None = None,
    reviewer: str | None = None,
) -> Any:
    """Create a checklist review of a city's draft and record its template version.

    The review works on the city's stored draft: a sample city is taken in
    through the intake first (profile and drafts), so its pages are checked.
    A city with no stored draft of ``version`` gets a review without a draft
    (pages are then only checked to be positive). ``lead`` (default: the
    first reviewer) is the reviewer who sets final ratings. To start a review
    with its tables, mapping and pre-checks, use :func:`vlr_tools.intake.start_review`.
    """
    from ..intake import is_sample_city, require_city

    if is_sample_city(city):
        require_city(ws, city)
    settings: dict[str, Any] = {}
    if lead:
        settings["lead"] = lead
    review = ws.create_review(
        city=city,
        document="draft",
        version=version,
        reviewers=tuple(reviewers),
        template=template,
        title=title,
        settings=settings or None,
        reviewer=reviewer,
    )
    use_template(ws, review.id, template, reviewer=reviewer)
    return review


def read_demo_review(path: str | Path) -> dict[str, Any]:
    """Read and check a scripted review file; DataFileError lists every problem."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from exc
    problems: list[Problem] = []
    file = str(path)

    def bad(message: str, value: object = None, allowed: str | None = None) -> None:
        problems.append(Problem(message, file=file, value=value, allowed=allowed))

    if not isinstance(data, Mapping):
        raise DataFileError(f"{path}: expected a mapping at the top level")
    if data.get("illustrative") is not True:
        bad(
            "key 'illustrative' must be true: scripted reviews are illustrative",
            data.get("illustrative"),
        )
    reviewers = data.get("reviewers")
    if not isinstance(reviewers, Mapping) or not reviewers:
        bad("key 'reviewers' must map a short alias to a reviewer's name", reviewers)
        reviewers = {}
    lead = data.get("lead")
    if lead not in reviewers:
        bad("key 'lead' must be one of the reviewer aliases", lead, ", ".join(map(str, reviewers)))
    reviews = data.get("reviews")
    if not isinstance(reviews, Mapping) or not reviews:
        bad("key 'reviews' must map a draft version (v1, v2...) to its scripted review", reviews)
        reviews = {}
    for version, spec in reviews.items():
        where = f"reviews.{version}"
        if not isinstance(spec, Mapping):
            bad(f"{where}: must be a mapping", spec)
            continue
        criteria = spec.get("criteria") or {}
        if not isinstance(criteria, Mapping):
            bad(f"{where}.criteria: must map criterion id -> reviewer ratings", criteria)
            continue
        for cid, entry in criteria.items():
            cwhere = f"{where}.criteria.{cid}"
            if not isinstance(entry, Mapping):
                bad(f"{cwhere}: must map reviewer alias -> rating", entry)
                continue
            for alias, rating in entry.items():
                if alias == "final":
                    if not isinstance(rating, Mapping) or rating.get("rating") not in RATINGS:
                        bad(f"{cwhere}.final: needs a rating", rating, ", ".join(RATINGS))
                    continue
                if alias not in reviewers:
                    bad(f"{cwhere}: unknown reviewer alias", alias, ", ".join(map(str, reviewers)))
                    continue
                if not isinstance(rating, Mapping):
                    bad(
                        f"{cwhere}.{alias}: must be a mapping with rating, pages, comment...",
                        rating,
                    )
                    continue
                for key in sorted(set(rating) - _RATING_FIELDS):
                    bad(
                        f"{cwhere}.{alias}: unknown field {key!r}",
                        allowed=", ".join(sorted(_RATING_FIELDS)),
                    )
                if rating.get("rating") not in RATINGS:
                    bad(
                        f"{cwhere}.{alias}.rating: unknown rating",
                        rating.get("rating"),
                        ", ".join(RATINGS),
                    )
                if rating.get("priority", "medium") not in PRIORITIES:
                    bad(
                        f"{cwhere}.{alias}.priority: unknown priority",
                        rating.get("priority"),
                        ", ".join(PRIORITIES),
                    )
        carry = spec.get("carry_over")
        if carry is not None:
            if not isinstance(carry, Mapping) or not isinstance(carry.get("marks", {}), Mapping):
                bad(f"{where}.carry_over: must have 'from' (a version) and 'marks'", carry)
                continue
            for cid, mark in (carry.get("marks") or {}).items():
                if not isinstance(mark, Mapping) or mark.get("status") not in CARRY_STATUSES:
                    bad(
                        f"{where}.carry_over.marks.{cid}: needs a status",
                        mark,
                        ", ".join(CARRY_STATUSES),
                    )
    if problems:
        raise DataFileError(f"scripted review {path.name} is malformed", problems)
    return dict(data)


def apply_scripted_review(
    ws: Any, review_id: str, path: str | Path | None = None, *, old_review_id: str | None = None
) -> dict[str, int]:
    """Write a scripted demo review into ``review_id`` (ratings, final ratings, carry-over marks).

    ``path`` defaults to the review city's ``demo_review.yaml``; the section
    for the review's draft version is applied. A version with ``carry_over``
    needs the earlier version's review: ``old_review_id``, else the newest
    review of that version of the city in the workspace. Returns counts of
    what was written. Applying the same script twice writes nothing new.
    """
    review = ws.review(review_id)
    path = Path(path) if path is not None else demo_review_path(review.city)
    data = read_demo_review(path)
    if data.get("city") and data["city"] != review.city:
        raise ChecklistError(
            f"{path.name} is a scripted review of {data['city']!r}, but review {review_id} is of {review.city!r}"
        )
    spec = (data.get("reviews") or {}).get(review.version)
    if spec is None:
        allowed = ", ".join(map(str, data.get("reviews") or {}))
        raise ChecklistError(
            f"{path.name} has no scripted review of draft {review.version!r}; allowed: {allowed}"
        )
    names: dict[str, str] = {str(k): str(v) for k, v in data["reviewers"].items()}
    lead = names[str(data["lead"])]
    # The script defines who rated: make them the review's reviewers, lead first.
    reviewers = list(dict.fromkeys([lead, *names.values(), *review.reviewers]))
    settings = {**(review.settings or {}), "lead": lead}
    if list(review.reviewers) != reviewers or (review.settings or {}).get("lead") != lead:
        ws.update_review(review_id, reviewers=reviewers, settings=settings, reviewer=lead)
    template = spec.get("template") or review.template or "full"
    use_template(ws, review_id, template, reviewer=lead)
    counts = {"ratings": 0, "finals": 0, "carried": 0, "marked": 0}

    carry = spec.get("carry_over")
    if carry:
        old_id = old_review_id
        if old_id is None:
            old = ws.find_review(review.city, str(carry.get("from") or "v1"))
            if old is None or old.id == review_id:
                raise ChecklistError(
                    f"the scripted review of {review.version} carries over from {carry.get('from')}: "
                    "create and script that review first, or pass old_review_id"
                )
            old_id = old.id
        items = carry_over(ws, old_id, review_id, reviewer=lead)
        counts["carried"] = len(items)
        carried = {i.criterion_id: i for i in items}
        for cid, mark in (carry.get("marks") or {}).items():
            item = carried.get(str(cid))
            if item is None:
                raise ChecklistError(
                    f"{path.name}: reviews.{review.version}.carry_over.marks.{cid}: the earlier review has "
                    f"no recommendation on {cid}; carried: {', '.join(carried) or '(none)'}"
                )
            if (item.status, list(item.pages), item.note) == (
                mark["status"],
                sorted(mark.get("pages") or []),
                str(mark.get("note") or "").strip(),
            ):
                continue
            mark_addressed(
                ws,
                review_id,
                str(cid),
                mark["status"],
                pages=mark.get("pages") or (),
                note=str(mark.get("note") or ""),
                reviewer=lead,
            )
            counts["marked"] += 1

    for cid, entry in (spec.get("criteria") or {}).items():
        for alias, r in entry.items():
            if alias == "final":
                continue
            who = names[str(alias)]
            current = ws.get(review_id, "rating", f"{str(cid).upper()}/{who}")
            wanted = {
                "rating": r["rating"],
                "pages": sorted(int(p) for p in r.get("pages") or []),
                "comment": " ".join(str(r.get("comment") or "").split()),
                "recommendation": " ".join(str(r.get("recommendation") or "").split()),
                "priority": r.get("priority", "medium"),
            }
            if current is not None and all(current.data.get(k) == v for k, v in wanted.items()):
                continue
            rate(ws, review_id, str(cid), reviewer=who, **wanted)
            counts["ratings"] += 1
        final = entry.get("final")
        if final:
            current = ws.get(review_id, "final_rating", str(cid).upper())
            note = " ".join(str(final.get("note") or "").split())
            if current is not None and (current.data.get("rating"), current.data.get("note")) == (
                final["rating"],
                note,
            ):
                continue
            set_final(ws, review_id, str(cid), final["rating"], note=note, reviewer=lead)
            counts["finals"] += 1
    return counts
