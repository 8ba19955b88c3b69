"""Gather what a memo reports from a workspace review.

Each ``*_facts`` function reads one part of the review through the feature
module that owns it (checklist, coverage/mapping, consultations, indicators,
annotations) and returns plain records from :mod:`vlr_tools.memo.facts`, or
``None`` when the review holds nothing for that part, so the memo can say
so. Nothing here invents content: a number in the memo is a number the review
recorded or a count of what it recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from ..errors import CityError, VlrError
from .facts import (
    AreaFacts,
    ChangeFacts,
    ChangeItem,
    ChecklistFacts,
    CriterionFacts,
    IndicatorFacts,
    IndicatorRow,
    ReviewData,
    ReviewFacts,
)

_VERSION_NUMBER = re.compile(r"^v(\d+)$")


def gather(
    ws: Any,
    review_id: str,
    *,
    hlpf_year: int | None = None,
    include_personal: bool = False,
    on_note: Callable[[str], None] | None = None,
) -> ReviewData:
    """Read everything the memo needs for ``review_id`` from ``ws``."""
    review = review_facts(ws, review_id, hlpf_year=hlpf_year)
    rv = ws.review(review_id)
    indicators = indicator_facts(rv)
    return ReviewData(
        review=review,
        checklist=checklist_facts(ws, review_id),
        indicators=indicators,
        changes=change_facts(ws, review_id, review.previous_version),
    )


# -- the review and the draft --------------------------------------------------


def review_facts(ws: Any, review_id: str, *, hlpf_year: int | None = None) -> ReviewFacts:
    """The review's city, draft, reviewers and dates."""
    rv = ws.review(review_id)
    city = _city(rv.city)
    settings = dict(getattr(rv, "settings", None) or {})
    year = hlpf_year or _int(settings.get("hlpf_year")) or (city.hlpf_year if city else None)
    year = year or dt.date.today().year
    draft_date = None
    draft_pages = None
    if city is not None:
        try:
            draft = city.draft(rv.version)
            draft_date = draft.date
            draft_pages = _page_count(draft.pdf)
        except CityError:
            pass
    records = ws.records(review_id)
    stamps = [r.updated_at for r in records] + [rv.updated_at]
    review_date = max(stamps).date() if stamps else None
    return ReviewFacts(
        review_id=rv.id,
        city_slug=rv.city,
        city_name=city.name if city else str(settings.get("city_name") or rv.city),
        city_place=city.province if city else str(settings.get("city_place") or ""),
        illustrative=bool(city.illustrative) if city else bool(settings.get("illustrative")),
        illustrative_note=city.illustrative_note if city else "",
        version=rv.version,
        document=rv.document,
        draft_title=rv.title or "",
        draft_pages=draft_pages,
        draft_date=draft_date,
        reviewers=tuple(rv.reviewers),
        template=_template_label(rv.template),
        status=rv.status,
        review_date=review_date,
        hlpf_year=int(year),
        previous_version=previous_version(ws, rv),
    )


def previous_version(ws: Any, rv: Any) -> str | None:
    """The latest earlier draft version of the same city that has a review."""
    number = _version_number(rv.version)
    if number is None:
        return None
    earlier = [
        r.version
        for r in ws.reviews(rv.city)
        if r.id != rv.id and (n := _version_number(r.version)) is not None and n < number
    ]
    return max(earlier, key=lambda v: _version_number(v) or 0) if earlier else None


def _city(slug: str) -> Any:
    from ..cities import load_city

    try:
        return load_city(slug)
    except VlrError:
        return None


def _page_count(path: Any) -> int | None:
    try:
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 - a missing or broken sample PDF only loses the count
        return None


def _template_label(name: str) -> str:
    try:
        from ..checklist.templates import load_template

        return str(load_template(name.split()[0]).label)
    except (VlrError, ImportError, IndexError):
        return name


def _version_number(version: str) -> int | None:
    match = _VERSION_NUMBER.match(version or "")
    return int(match.group(1)) if match else None


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return None


# -- checklist -------------------------------------------------------------------


def _checklist_api() -> Any:
    """The checklist module's functions the memo uses (package API when present)."""
    try:
        from .. import checklist as api

        api.final_ratings  # noqa: B018 - the package re-exports the submodules' names
        return api
    except (ImportError, AttributeError):
        from types import SimpleNamespace

        from ..checklist import consensus, ratings, versions

        return SimpleNamespace(
            final_ratings=consensus.final_ratings,
            review_template=ratings.review_template,
            carried_items=versions.carried_items,
        )


def checklist_facts(ws: Any, review_id: str) -> ChecklistFacts | None:
    """Every criterion of the review's template with its final/agreed rating.

    None when nobody rated anything. Reviewers who disagree without a final
    rating from the lead reviewer leave the criterion "disputed".
    """
    if not ws.records(review_id, "rating") and not ws.records(review_id, "final_rating"):
        return None
    api = _checklist_api()
    template = api.review_template(ws, review_id)
    finals = api.final_ratings(ws, review_id)
    criteria = []
    for c in template.criteria:
        fr = finals.get(c.id)
        if fr is None:
            criteria.append(CriterionFacts(c.id, c.area, c.question_en, c.question_ja, c.source))
            continue
        recs = list(dict.fromkeys(r.text.strip() for r in fr.recommendations if r.text.strip()))
        criteria.append(
            CriterionFacts(
                id=c.id,
                area=c.area,
                question_en=c.question_en,
                question_ja=c.question_ja,
                source=c.source,
                rating=fr.rating,
                pages=tuple(fr.pages),
                comments=tuple((str(who), str(text)) for who, text in fr.comments),
                recommendation="\n".join(recs),
                priority=fr.priority if recs else None,
                note=fr.note,
                agreed=fr.status != "disputed",
                reviewer_ratings=tuple((str(k), str(v)) for k, v in fr.reviewers.items()),
            )
        )
    return ChecklistFacts(
        template_label=template.label,
        title_en=template.title("en"),
        title_ja=template.title("ja"),
        areas=tuple(AreaFacts(a.code, a.name_en, a.name_ja) for a in template.areas),
        criteria=tuple(criteria),
    )


def change_facts(ws: Any, review_id: str, previous: str | None) -> ChangeFacts | None:
    """Earlier recommendations carried into this review and how the new draft answers them."""
    if not ws.records(review_id, "carryover"):
        return None
    api = _checklist_api()
    items = api.carried_items(ws, review_id)
    from_version = previous or ""
    out = []
    for item in items:
        rec = ws.get(review_id, "carryover", item.criterion_id)
        if rec is not None and rec.data.get("from_version"):
            from_version = str(rec.data["from_version"])
        out.append(
            ChangeItem(
                criterion_id=item.criterion_id,
                recommendation=item.text,
                status=item.status
                if item.status in ("addressed", "partly", "not_addressed")
                else "unassessed",
                pages=tuple(int(p) for p in item.pages),
                note=item.note,
                reviewer=item.checked_by,
            )
        )
    return ChangeFacts(previous_version=from_version or "?", items=tuple(out))


# -- indicators ----------------------------------------------------------------------


def indicator_path(rv: Any) -> Any:
    """The indicator table of a review: its ``indicators`` setting, else the sample city's."""
    from pathlib import Path

    settings = dict(getattr(rv, "settings", None) or {})
    given = settings.get("indicators") or settings.get("indicators_path")
    if given:
        return Path(str(given))
    city = _city(rv.city)
    if city is not None and city.indicators_path.is_file():
        return city.indicators_path
    return None


def indicator_facts(rv: Any, covered_goals: tuple[int, ...] = ()) -> IndicatorFacts | None:
    """The city's local indicators, their data gaps and their global counterparts."""
    path = indicator_path(rv)
    if path is None:
        return None
    from ..indicators import align_indicators, gap_kinds, load_indicators

    table = load_indicators(path)
    aligned = {
        str(row["id"]): (str(row["status"] or ""), str(row["suggested_code"] or ""))
        for _, row in align_indicators(table, lang="en").iterrows()
    }
    rows = []
    for ind in table:
        status, suggested = aligned.get(ind.id, ("", ""))
        rows.append(
            IndicatorRow(
                id=ind.id,
                name=ind.name,
                goal=ind.goal,
                global_code=", ".join(ind.global_codes),
                proxy=ind.proxy,
                unit=ind.unit,
                baseline=_value(ind.baseline_year, ind.baseline_value),
                latest=_value(ind.latest_year, ind.latest_value),
                target_2030=_number(ind.target_2030),
                source=ind.source,
                problems=tuple(gap_kinds(ind)),
                alignment=status,
                suggested=suggested if suggested != ind.global_code else "",
            )
        )
    measured = {g for ind in table if ind.has_data for g in ind.goals}
    without = tuple(sorted(g for g in covered_goals if g not in measured))
    return IndicatorFacts(rows=tuple(rows), goals_without_indicators=without, source_file=path.name)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _value(year: int | None, value: float | None) -> str:
    if value is None:
        return ""
    return f"{year}: {_number(value)}" if year else _number(value)
