"""Run the figure checks on a review and keep the reviewers' decisions.

:func:`read_claims` reads the review's stored draft and indicator table
(:class:`~vlr_tools.review.OpenReview`), extracts the claims, links them and
checks them. The reviewers' decisions are records of the review:

- ``claim_decision`` (key: the check's id): "confirmed" or "dismissed", the
  reviewer's note or reason, and the suggestion as it was shown, so the memo
  lists exactly what was confirmed;
- ``claim_link`` (key: the claim's id): the indicator a reviewer said an
  ambiguous sentence is about (or none);
- ``claim_run`` (key ``latest``): what the last run found (counts and the
  suggestions), for the memo and the notebook.

A dismissed suggestion stays recorded with the reason and is not offered
again; a confirmed one goes into the memo with the draft's page and the
table's row.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from ..errors import ClaimError
from ..i18n import t
from .checks import check_claims
from .extract import extract_claims
from .link import Linker
from .model import (
    CONFIRMED,
    DECISIONS,
    DISMISSED,
    SUGGESTED,
    WHICH_INDICATOR,
    ClaimCheck,
    ClaimsReport,
)
from .settings import claim_settings

DECISION_KIND = "claim_decision"
LINK_KIND = "claim_link"
RUN_KIND = "claim_run"
RUN_KEY = "latest"
#: What ``claim_link`` stores for "none of these indicators".
NO_INDICATOR = "none"


def chosen_links(ws: Any, review_id: str) -> dict[str, tuple[str, str]]:
    """claim id -> (indicator id or "", reviewer) chosen by reviewers for ambiguous sentences."""
    out = {}
    for rec in ws.records(review_id, LINK_KIND):
        indicator = str(rec.data.get("indicator") or "")
        out[rec.key] = ("" if indicator == NO_INDICATOR else indicator, rec.updated_by)
    return out


def decisions(ws: Any, review_id: str) -> dict[str, dict[str, Any]]:
    """check id -> the stored decision (status, note, the check, who and when)."""
    out = {}
    for rec in ws.records(review_id, DECISION_KIND):
        data = dict(rec.data)
        data.setdefault("decided_by", rec.updated_by)
        data.setdefault("decided_at", rec.updated_at.isoformat(timespec="seconds"))
        out[rec.key] = data
    return out


def read_claims(rv: Any, *, save: bool = False, reviewer: str | None = None) -> ClaimsReport:
    """Extract, link and check the claims of an :class:`~vlr_tools.review.OpenReview`.

    The reviewers' decisions and chosen links are applied. With ``save`` the
    run's counts and suggestions are kept in the review (``claim_run``).
    """
    started = time.perf_counter()
    settings = claim_settings()
    notes: list[tuple[str, dict[str, Any]]] = []
    if not rv.has_draft:
        raise ClaimError(t("claims.note.no_draft", "en"))
    table = rv.indicators
    rows = list(table) if table is not None else []
    if table is None:
        notes.append(("no_table", {"review": rv.id}))
    undated = [i.id for i in rows if i.baseline_value is not None and i.baseline_year is None]
    if undated:
        notes.append(("undated_table", {"n": len(undated), "ids": ", ".join(undated[:8])}))
    claims = extract_claims(rv.draft, known_ids=[i.id for i in rows], settings=settings)
    linker = Linker(rows, settings=settings, vocabulary=_vocabulary(rv))
    links = linker.link_all(claims, chosen_links(rv.ws, rv.id))
    found = check_claims(
        claims,
        links,
        rows if table is not None else None,
        table_name=table.name if table is not None else "indicators",
        settings=settings,
        review_id=rv.id,
    )
    decided = decisions(rv.ws, rv.id)
    checks = tuple(_apply(c, decided.get(c.id)) for c in found)
    report = ClaimsReport(
        review_id=rv.id,
        claims=tuple(claims),
        links=links,
        checks=checks,
        notes=tuple(
            f"{t(f'claims.note.{k}', 'en', **v)}\n{t(f'claims.note.{k}', 'ja', **v)}"
            for k, v in notes
        ),
        draft_sha256=rv.draft_file.sha256 if rv.draft_file else "",
        indicators=len(rows),
        seconds=round(time.perf_counter() - started, 3),
    )
    if save:
        save_run(rv.ws, report, reviewer=reviewer)
    return report


def _vocabulary(rv: Any) -> Any:
    try:
        return rv.vocabulary
    except Exception:  # the mapping words only add to the score; the checks run without them
        return None


def _apply(check: ClaimCheck, decision: dict[str, Any] | None) -> ClaimCheck:
    if not decision:
        return check
    return replace(
        check,
        status=str(decision.get("status") or SUGGESTED),
        note=str(decision.get("note") or ""),
        decided_by=str(decision.get("decided_by") or ""),
        decided_at=str(decision.get("decided_at") or ""),
    )


def save_run(ws: Any, report: ClaimsReport, *, reviewer: str | None = None) -> None:
    """Keep what a run found in the review (``claim_run``/``latest``)."""
    ws.put(
        report.review_id,
        RUN_KIND,
        RUN_KEY,
        {
            "draft_sha256": report.draft_sha256,
            "claims": len(report.claims),
            "linked": report.linked,
            "indicators": report.indicators,
            "checks": [c.to_record() for c in report.checks],
            "notes": list(report.notes),
        },
        reviewer=reviewer or (None if ws.reviewer else "vlr (figure checks)"),
    )


def last_run(ws: Any, review_id: str) -> dict[str, Any] | None:
    """What the last saved run found, or None."""
    rec = ws.get(review_id, RUN_KIND, RUN_KEY)
    return dict(rec.data) if rec is not None else None


def _find(ws: Any, review_id: str, check_id: str, report: ClaimsReport | None) -> ClaimCheck:
    wanted = check_id.strip().upper()
    pool: list[ClaimCheck] = []
    if report is not None:
        pool = list(report.checks)
    else:
        run = last_run(ws, review_id)
        if run is not None:
            pool = [ClaimCheck.from_record(c) for c in run.get("checks") or ()]
    if not any(c.id.upper() == wanted for c in pool) and report is None:
        from ..review import open_review

        pool = list(read_claims(open_review(ws, review_id)).checks)
    for c in pool:
        if c.id.upper() == wanted:
            return c
    known = ", ".join(c.id for c in pool[:20]) or "(none)"
    raise ClaimError(
        f"no figure check {check_id!r} in review {review_id}; allowed: {known} "
        f"(list them with `vlr claims --review {review_id}`)"
    )


def decide_claim(
    ws: Any,
    review_id: str,
    check_id: str,
    decision: str,
    *,
    note: str = "",
    reviewer: str | None = None,
    report: ClaimsReport | None = None,
) -> ClaimCheck:
    """A reviewer confirms or dismisses a suggestion; a dismissal needs the reason.

    The decision is saved at once with the suggestion as it was shown. Returns
    the suggestion with its new status.
    """
    if decision not in DECISIONS:
        raise ClaimError(f"decision {decision!r} is not allowed; allowed: {', '.join(DECISIONS)}")
    note = " ".join(str(note or "").split())
    if decision == DISMISSED and not note:
        raise ClaimError(
            f"say why {check_id} is dismissed: a reason is required, and it is kept with the "
            "review (e.g. 'provincial figure, no city value exists')"
        )
    check = _find(ws, review_id, check_id, report)
    if check.kind == WHICH_INDICATOR:
        raise ClaimError(
            f"{check.id} asks which indicator the sentence is about: answer it with "
            f"`vlr claims link {review_id} {check.claim_id} INDICATOR_ID` (or `none`)"
        )
    record = check.to_record()
    for key in ("status", "note", "decided_by", "decided_at"):
        record.pop(key, None)
    rec = ws.put(
        review_id,
        DECISION_KIND,
        check.id,
        {"status": decision, "note": note, "check": record},
        reviewer=reviewer,
    )
    return replace(
        check,
        status=decision,
        note=note,
        decided_by=rec.updated_by,
        decided_at=rec.updated_at.isoformat(timespec="seconds"),
    )


def link_claim(
    ws: Any,
    review_id: str,
    claim_id: str,
    indicator: str,
    *,
    reviewer: str | None = None,
) -> str:
    """Say which indicator an ambiguous sentence is about ("none": no indicator of the table)."""
    from ..review import open_review

    rv = open_review(ws, review_id)
    rows = list(rv.indicators or ())
    ids = [i.id for i in rows]
    wanted = indicator.strip()
    if wanted.lower() == NO_INDICATOR:
        wanted = NO_INDICATOR
    elif wanted not in ids:
        match = [i for i in ids if i.lower() == wanted.lower()]
        if not match:
            raise ClaimError(
                f"no indicator {indicator!r} in the review's table; allowed: "
                f"{', '.join(ids[:30]) or '(the review has no indicator table)'}, or none"
            )
        wanted = match[0]
    claims = {c.id for c in extract_claims(rv.draft, known_ids=ids)}
    if claim_id not in claims:
        raise ClaimError(
            f"no claim {claim_id!r} in the draft of review {review_id}; claim ids look like "
            "p12.3#1 (page 12, paragraph 3, first sentence): see `vlr claims --review "
            f"{review_id} --claims`"
        )
    ws.put(review_id, LINK_KIND, claim_id, {"indicator": wanted}, reviewer=reviewer)
    return wanted


def confirmed_checks(ws: Any, review_id: str) -> tuple[list[ClaimCheck], list[ClaimCheck]]:
    """(confirmed, dismissed) suggestions as the reviewers decided them, in page order."""
    confirmed: list[ClaimCheck] = []
    dismissed: list[ClaimCheck] = []
    for _key, data in decisions(ws, review_id).items():
        base = dict(data.get("check") or {})
        if not base:
            continue
        check = replace(
            ClaimCheck.from_record(base),
            status=str(data.get("status") or ""),
            note=str(data.get("note") or ""),
            decided_by=str(data.get("decided_by") or ""),
            decided_at=str(data.get("decided_at") or ""),
        )
        (confirmed if check.status == CONFIRMED else dismissed).append(check)
    order = lambda c: (c.page, c.ref, c.kind)  # noqa: E731
    return sorted(confirmed, key=order), sorted(dismissed, key=order)


__all__ = [
    "DECISION_KIND",
    "LINK_KIND",
    "NO_INDICATOR",
    "RUN_KIND",
    "chosen_links",
    "confirmed_checks",
    "decide_claim",
    "decisions",
    "last_run",
    "link_claim",
    "read_claims",
    "save_run",
]
