"""Measure the figure checks against a sample city's answer key (``claims`` in ``review_key.yaml``).

A planted inconsistency is *found* when a suggestion has its kind, is about
its indicator (or, for a goal's status, its goal) and cites one of its pages
in that draft version. A *false alarm* is a suggestion of one of the five
kinds that matches no inconsistency of that version. Questions about which
indicator a sentence means are counted apart: they are not alarms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .model import CHECK_KINDS, ClaimCheck


def _version_no(version: str | None) -> int:
    m = re.match(r"v(\d+)$", str(version or ""))
    return int(m.group(1)) if m else 0


def active_claims(city: Any, version: str | None = None) -> list[Any]:
    """The answer key's figure inconsistencies still present in draft ``version``."""
    from ..cities import load_claim_key, sample_city

    c = sample_city(city)
    v = version or c.latest.version
    return [
        k
        for k in load_claim_key(c)
        if k.fixed_in is None or _version_no(v) < _version_no(k.fixed_in)
    ]


def matches(check: ClaimCheck, planted: Any, version: str) -> bool:
    """True when ``check`` finds the answer key's inconsistency ``planted`` in draft ``version``."""
    if check.kind != planted.kind:
        return False
    if planted.indicator and check.indicator != planted.indicator:
        return False
    if not planted.indicator and (check.indicator or check.goal != planted.goal):
        return False
    ev = planted.evidence_for(version)
    if ev is None or not ev.pages:
        return True
    return bool(set(check.pages) & set(ev.pages))


def score_claims(
    city: Any, version: str | None = None, *, checks: Iterable[ClaimCheck]
) -> dict[str, Any]:
    """Found, missed and false alarms of ``checks`` on one sample draft (see the module docs)."""
    from ..cities import sample_city

    c = sample_city(city)
    v = version or c.latest.version
    planted = active_claims(c, v)
    all_checks = list(checks)
    alarms = [ch for ch in all_checks if ch.kind in CHECK_KINDS]
    found = [k.id for k in planted if any(matches(ch, k, v) for ch in alarms)]
    missed = [k.id for k in planted if k.id not in found]
    false = [ch for ch in alarms if not any(matches(ch, k, v) for k in planted)]
    by_planted = [k for k in planted if k.planted]
    return {
        "city": c.slug,
        "version": v,
        "inconsistencies": len(planted),
        "planted": len(by_planted),
        "found": found,
        "missed": missed,
        "planted_found": [k.id for k in by_planted if k.id in found],
        "hit_rate": len(found) / len(planted) if planted else 1.0,
        "suggestions": len(alarms),
        "questions": sum(1 for ch in all_checks if ch.kind not in CHECK_KINDS),
        "false_alarms": [
            {"id": ch.id, "kind": ch.kind, "page": ch.page, "reason": ch.reason_en} for ch in false
        ],
    }


__all__ = ["active_claims", "matches", "score_claims"]
