"""Measure the pre-checks against a sample city's answer key.

:func:`score_prechecks` counts the planted weaknesses found and missed and the
false alarms: suggestions of "not met" or "partly met" that match no planted
weakness of that draft version. Nothing is hidden: a suggestion filed under
another criterion than the key's, and a "met" suggestion on a criterion the
key says is weak, are reported too.
"""

from __future__ import annotations

import re
from typing import Any

from .suggestion import Suggestion


def _version_no(version: str | None) -> int:
    m = re.match(r"v(\d+)$", str(version or ""))
    return int(m.group(1)) if m else 0


def active_weaknesses(city: Any, version: str | None = None) -> list[Any]:
    """The answer key's weaknesses still present in draft ``version``."""
    from ..cities import load_review_key, sample_city

    c = sample_city(city)
    v = version or c.latest.version
    key = load_review_key(c)
    return [w for w in key if w.fixed_in is None or _version_no(v) < _version_no(w.fixed_in)]


def _key_items(weakness: Any) -> set[str]:
    detail = weakness.detail or {}
    items: set[str] = set()
    for name, value in detail.items():
        if str(name).startswith(("indicators", "consultations")) and isinstance(
            value, (list, tuple)
        ):
            items.update(str(x) for x in value)
    if detail.get("group"):
        items.add(str(detail["group"]))
    if detail.get("goal") and weakness.kind in (
        "hlpf_goal_missing",
        "coastal_sdg14_silent",
        "goal_claimed_without_data",
    ):
        items.add(f"SDG {detail['goal']}")
    return items


def _matches(s: Suggestion, w: Any, *, strict: bool = True) -> bool:
    """Same kind of problem and (strictly) one of the weakness's criteria."""
    if not s.flags_problem or s.kind != w.kind:
        return False
    return s.criterion_id in w.criteria or not strict


def score_prechecks(
    city: Any, version: str | None = None, *, suggestions: list[Suggestion] | None = None
) -> dict[str, Any]:
    """Compare the pre-checks' suggestions on one draft with the city's answer key.

    A planted weakness (still present in ``version``) is *found* when a
    suggestion of "not met" or "partly met" names one of its criteria and
    the same kind. A *false alarm* is a "not met"/"partly met" suggestion
    that matches no planted weakness of that version (including weaknesses
    the draft has since fixed). Where the key lists ids (indicators,
    consultations, a group, a goal), item recall and precision are given too.
    ``met_on_weakness`` counts "met" suggestions on a criterion the key says
    is weak: wrong reassurance, reported, not hidden.
    """
    from ..cities import sample_city

    c = sample_city(city)
    v = version or c.latest.version
    if suggestions is None:
        from .precheck import precheck

        suggestions = precheck(None, c, v)
    found_s = suggestions
    weaknesses = active_weaknesses(c, v)
    found: list[str] = []
    missed: list[str] = []
    items: list[dict[str, Any]] = []
    other_criterion: list[dict[str, Any]] = []
    for w in weaknesses:
        hits = [s for s in found_s if _matches(s, w)]
        (found if hits else missed).append(w.id)
        if not hits:
            loose = [s for s in found_s if _matches(s, w, strict=False)]
            if loose:
                # Right problem, filed under another criterion than the key's: not counted as found.
                other_criterion.append(
                    {
                        "weakness": w.id,
                        "key_criteria": list(w.criteria),
                        "suggested": loose[0].criterion_id,
                    }
                )
                hits = loose
        expected = _key_items(w)
        if expected:
            got = {i for s in hits for i in s.items}
            items.append(
                {
                    "weakness": w.id,
                    "expected": sorted(expected),
                    "found": sorted(expected & got),
                    "extra": sorted(got - expected),
                }
            )
    flagged = [s for s in found_s if s.flags_problem]
    false_alarms = [s for s in flagged if not any(_matches(s, w, strict=False) for w in weaknesses)]
    weak_criteria = {cid for w in weaknesses for cid in w.criteria}
    met_on_weakness = [s for s in found_s if s.rating == "met" and s.criterion_id in weak_criteria]
    n_expected = sum(len(i["expected"]) for i in items)
    n_found_items = sum(len(i["found"]) for i in items)
    n_extra = sum(len(i["extra"]) for i in items)
    return {
        "city": c.slug,
        "version": v,
        "weaknesses": len(weaknesses),
        "found": found,
        "missed": missed,
        "hit_rate": len(found) / len(weaknesses) if weaknesses else 1.0,
        "other_criterion": other_criterion,
        "hit_rate_any_criterion": (len(found) + len(other_criterion)) / len(weaknesses)
        if weaknesses
        else 1.0,
        "suggestions": len(found_s),
        "flagged": len(flagged),
        "false_alarms": [
            {
                "criterion_id": s.criterion_id,
                "kind": s.kind,
                "rating": s.rating,
                "reason": s.reason_en,
            }
            for s in false_alarms
        ],
        "met_on_weakness": [
            {"criterion_id": s.criterion_id, "kind": s.kind, "reason": s.reason_en}
            for s in met_on_weakness
        ],
        "item_recall": n_found_items / n_expected if n_expected else 1.0,
        "item_precision": n_found_items / (n_found_items + n_extra)
        if (n_found_items + n_extra)
        else 1.0,
        "items": items,
    }
