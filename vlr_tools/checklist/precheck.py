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
    "precheck_review",
    "review_context",
    "run_checks",
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
    """Gather what the checks read: from a review, or from files given explicitly.

    With a workspace and ``review_id`` (and no files), the review hands over
    its stored draft, indicator table and consultations. With ``draft`` (and
    optionally ``indicators``/``consultations``) files, those are read: a
    draft looked at outside any review.
    """
    if draft is None and ws is not None and review_id is not None:
        from ..review import open_review

        return review_context(open_review(ws, review_id), hlpf_year=hlpf_year)
    if draft is None:
        raise ChecklistError(
            f"no draft to pre-check for {city!r} {version or ''}: give a review "
            "(review_id=..., `--review ID`) or the draft file (draft=...)"
        )
    draft_path = Path(draft)
    if not draft_path.is_file():
        raise ChecklistError(f"draft file {draft_path} not found")
    return Context(
        city=None,
        version=version,
        hlpf_year=hlpf_year,
        draft_path=draft_path,
        indicators_path=Path(indicators) if indicators else None,
        consultations_path=Path(consultations) if consultations else None,
        ws=ws,
        review_id=review_id,
    )


def review_context(rv: Any, *, hlpf_year: int | None = None) -> Context:
    """The pre-check context of an :class:`~vlr_tools.review.OpenReview`."""
    table = rv.indicators
    return Context(
        city=rv.city,
        version=rv.version,
        hlpf_year=hlpf_year or rv.hlpf_year,
        draft_date=rv.draft_date,
        coastal=bool(rv.coastal),
        ws=rv.ws,
        review_id=rv.id,
        loaded_draft=rv.draft,
        indicator_rows=list(table) if table is not None else [],
        review_consultations=list(rv.consultations),
    )


def run_checks(ctx: Context) -> list[Suggestion]:
    """Every check on one context."""
    ctx.consultations  # noqa: B018 - load first so notes about the log reach every reason
    out: list[Suggestion] = []
    for check in CHECKS:
        out.extend(check(ctx))
    return out


#: Record kind under which a review keeps its last pre-check suggestions.
SUGGESTION_KIND = "precheck"


def precheck_review(
    rv: Any, *, hlpf_year: int | None = None, save: bool = False, reviewer: str | None = None
) -> list[Suggestion]:
    """Suggest ratings for a review (an :class:`~vlr_tools.review.OpenReview`).

    With ``save``, the suggestions are kept in the review (kind ``precheck``,
    one record per criterion) so a notebook or the memo shows what the
    reviewer was offered; they stay suggestions until confirmed.
    """
    found = run_checks(review_context(rv, hlpf_year=hlpf_year))
    if save:
        import dataclasses

        by_criterion: dict[str, list[dict[str, Any]]] = {}
        for s in found:
            by_criterion.setdefault(s.criterion_id, []).append(dataclasses.asdict(s))
        # Suggestions are the workbench's, not a reviewer's: with nobody's name
        # set they are recorded as made by the pre-checks.
        rv.ws.put_many(
            rv.id,
            SUGGESTION_KIND,
            {cid: {"suggestions": items} for cid, items in by_criterion.items()},
            reviewer=reviewer or (None if rv.ws.reviewer else "vlr (pre-checks)"),
        )
    return found


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

    Give a review (``ws`` and ``review_id``): the checks read its stored
    draft, indicator table and consultations. Or give files (``draft``,
    ``indicators``, ``consultations``) for a draft outside any review. A
    sample city's slug with no workspace is taken in through the intake into
    a throw-away workspace first (one path for every city). ``hlpf_year``
    defaults to the review's or city's. Every suggestion is labelled
    ``"suggested"`` and must be confirmed.
    """
    if draft is None and review_id is None and city is not None:
        return _sample_precheck(str(getattr(city, "slug", city)), version, hlpf_year)
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
    return run_checks(ctx)


def _sample_precheck(slug: str, version: str | None, hlpf_year: int | None) -> list[Suggestion]:
    from ..intake import scratch_sample_review

    return precheck_review(scratch_sample_review(slug, version), hlpf_year=hlpf_year)


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
