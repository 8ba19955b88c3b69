"""Automatic pre-checks: suggest a rating for criteria the workbench can judge from data.

A pre-check reads what the workbench already has about a draft (its text and
headings, the indicator table, the consultation log, the HLPF set of the year)
and returns :class:`Suggestion` records: a criterion, a suggested rating, the
reason in English and Japanese, and the evidence (pages, indicator ids,
consultation refs, goals, groups). Every suggestion is labelled
``"suggested"``: a reviewer confirms it (:func:`confirm_suggestion`) or rates
otherwise. The phrases and thresholds the checks use are data
(``data/reference/checklists/prechecks.yaml``).

:func:`score_prechecks` measures the checks against a sample city's answer
key: planted weaknesses found and missed, and false alarms (suggestions of
"not met" or "partly met" that match no planted weakness).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ChecklistError
from ..i18n import check_lang, t
from .checks import CHECKS
from .context import Context
from .ratings import check_rating, rate, rating_label
from .scoring import active_weaknesses, score_prechecks
from .suggestion import FLAGS, SUGGESTED, Suggestion, precheck_settings

__all__ = [
    "CHECKS",
    "FLAGS",
    "SUGGESTED",
    "Suggestion",
    "active_weaknesses",
    "build_context",
    "combined_suggestion",
    "confirm_suggestion",
    "precheck",
    "precheck_settings",
    "score_prechecks",
    "suggestions_for",
    "suggestions_frame",
]


def build_context(
    ws: Any,
    city: Any,
    version: str | None = None,
    *,
    hlpf_year: int | None = None,
    review_id: str | None = None,
    draft: str | Path | None = None,
    indicators: str | Path | None = None,
    consultations: str | Path | None = None,
) -> Context:
    """Gather what the checks read for a sample city (or explicit files).

    With a workspace and ``review_id``, the review's settings fill in what is
    not given: ``draft`` (file), ``indicators`` (file), ``consultations``
    (file) and ``hlpf_year``.
    """
    from ..cities import City, load_city
    from ..errors import CityError

    settings: dict[str, Any] = {}
    if ws is not None and review_id is not None:
        settings = dict(getattr(ws.review(review_id), "settings", None) or {})
    draft = draft or settings.get("draft") or settings.get("draft_path")
    indicators = indicators or settings.get("indicators") or settings.get("indicators_path")
    consultations = consultations or settings.get("consultations")
    if hlpf_year is None and str(settings.get("hlpf_year") or "").isdigit():
        hlpf_year = int(settings["hlpf_year"])
    c: Any = None
    if isinstance(city, City):
        c = city
    elif city is not None:
        try:
            c = load_city(str(city))
        except CityError:
            if not draft:
                raise
    draft_files = c.draft(version) if c is not None else None
    draft_path = Path(draft) if draft else None
    if draft_path is None and draft_files is not None:
        draft_path = next(
            (p for p in (draft_files.pdf, draft_files.docx, draft_files.source) if p.is_file()),
            None,
        )
    if draft_path is None or not draft_path.is_file():
        raise ChecklistError(
            f"no draft file found for {getattr(c, 'slug', city)!r} {version or ''}: "
            "give the draft file (draft=... or the review setting 'draft')"
        )
    return Context(
        city=c,
        version=draft_files.version if draft_files is not None else version,
        hlpf_year=hlpf_year or (getattr(c, "hlpf_year", None) if c is not None else None),
        draft_path=draft_path,
        indicators_path=Path(indicators)
        if indicators
        else (c.indicators_path if c is not None else None),
        consultations_path=Path(consultations)
        if consultations
        else (c.consultations_path if c is not None else None),
        draft_date=draft_files.date if draft_files is not None else None,
        coastal=bool(getattr(c, "coastal", False)),
        ws=ws,
        review_id=review_id,
    )


def precheck(
    ws: Any,
    city: Any,
    version: str | None = None,
    *,
    hlpf_year: int | None = None,
    review_id: str | None = None,
    draft: str | Path | None = None,
    indicators: str | Path | None = None,
    consultations: str | Path | None = None,
) -> list[Suggestion]:
    """Suggest ratings for the criteria the workbench can judge from data.

    ``city`` is a sample-city slug (or City); ``version`` its draft version
    (latest when None). ``hlpf_year`` defaults to the city's VLR cycle year.
    With a workspace and ``review_id``, consultations saved in the review are
    used instead of the log file. ``draft``, ``indicators`` and
    ``consultations`` point at other files (a city that is not a sample).
    Every suggestion is labelled ``"suggested"`` and must be confirmed.
    """
    ctx = build_context(
        ws,
        city,
        version,
        hlpf_year=hlpf_year,
        review_id=review_id,
        draft=draft,
        indicators=indicators,
        consultations=consultations,
    )
    ctx.consultations  # noqa: B018 - load first so notes about the log reach every reason
    out: list[Suggestion] = []
    for check in CHECKS:
        out.extend(check(ctx))
    return out


def suggestions_for(suggestions: Iterable[Suggestion], criterion_id: str) -> list[Suggestion]:
    """The suggestions about one criterion, worst rating first."""
    order = {"not_met": 0, "partly_met": 1, "met": 2, "not_applicable": 3}
    wanted = str(criterion_id).strip().upper()
    return sorted(
        (s for s in suggestions if s.criterion_id == wanted), key=lambda s: order.get(s.rating, 9)
    )


def combined_suggestion(suggestions: Iterable[Suggestion], criterion_id: str) -> Suggestion | None:
    """One suggestion per criterion: the worst rating, with every reason and piece of evidence."""
    found = suggestions_for(suggestions, criterion_id)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    flagged = [s for s in found if s.flags_problem] or found
    return Suggestion(
        criterion_id=found[0].criterion_id,
        rating=found[0].rating,
        reason_en=" ".join(s.reason_en for s in flagged),
        reason_ja="".join(s.reason_ja for s in flagged),
        evidence=tuple(dict.fromkeys(e for s in flagged for e in s.evidence)),
        kind="+".join(s.kind for s in flagged),
        pages=tuple(sorted({p for s in flagged for p in s.pages})),
        items=tuple(dict.fromkeys(i for s in flagged for i in s.items)),
    )


def suggestions_frame(suggestions: Iterable[Suggestion], lang: str = "en") -> Any:
    """Suggestions as a DataFrame (criterion, suggested rating, reason, evidence, status)."""
    import pandas as pd

    check_lang(lang)
    rows = [
        {
            "criterion_id": s.criterion_id,
            "rating": s.rating,
            "rating_label": rating_label(s.rating, lang),
            "status": t("checklist.suggested_short", lang),
            "kind": s.kind,
            "reason": s.reason(lang),
            "evidence": ", ".join(s.evidence),
        }
        for s in suggestions
    ]
    return pd.DataFrame(
        rows,
        columns=["criterion_id", "rating", "rating_label", "status", "kind", "reason", "evidence"],
    )


def confirm_suggestion(
    ws: Any,
    review_id: str,
    suggestion: Suggestion,
    *,
    rating: str | None = None,
    comment: str | None = None,
    recommendation: str = "",
    priority: str = "medium",
    reviewer: str | None = None,
    lang: str = "en",
    expected_version: int | None = None,
) -> Any:
    """A reviewer confirms a suggestion (or overrides it with ``rating``) as their own rating.

    The stored rating records the suggested value (``suggested``) so the
    memo and history show whether the reviewer agreed with the pre-check.
    The suggestion's pages become the evidence and its reason the comment,
    unless the reviewer gives their own.
    """
    final = check_rating(rating) if rating else suggestion.rating
    return rate(
        ws,
        review_id,
        suggestion.criterion_id,
        final,
        pages=suggestion.pages,
        comment=suggestion.reason(lang) if comment is None else comment,
        recommendation=recommendation,
        priority=priority,
        reviewer=reviewer,
        expected_version=expected_version,
        suggested=suggestion.rating,
    )
