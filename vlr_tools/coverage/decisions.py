"""Reviewer decisions on the mapping (accept, reject, add) and the matches they leave."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import MappingError, UnknownCodeError
from ..framework import code_sort_key, get_framework, normalise_code
from .view import _REF, MATCH_COLUMNS, _ref_key, _typed, mapping_view

if TYPE_CHECKING:
    import pandas as pd

    from ..workspace import Workspace


#: Workspace record kind of a reviewer's mapping decision.
DECISION_KIND = "mapping_decision"
#: What a reviewer can decide about a goal or target for a paragraph.
ACTIONS = ("accept", "reject", "add")
#: Longest note a reviewer can attach to a decision.
MAX_NOTE = 2000


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on one goal (or target) for one paragraph."""

    paragraph_ref: str
    goal: int
    target: str | None
    action: str
    note: str = ""
    reviewer: str = ""
    version: int = 0
    updated_at: dt.datetime | None = None

    @property
    def key(self) -> str:
        """The workspace key: ``p12.3/11/11.6`` (``p12.3/11/`` for the goal itself)."""
        return decision_key(self.paragraph_ref, self.goal, self.target)


def decision_key(paragraph_ref: str, goal: int, target: str | None = None) -> str:
    """The workspace key of a decision: ``f"{paragraph_ref}/{goal}/{target or ''}"``."""
    return f"{paragraph_ref}/{goal}/{target or ''}"


def _check_decision(
    paragraph_ref: object, goal: object, target: object, action: object, note: object
) -> tuple[str, int, str | None, str, str]:
    ref = str(paragraph_ref or "").strip()
    if not _REF.match(ref):
        raise MappingError(
            f"{paragraph_ref!r} is not a paragraph reference; write p<page>.<paragraph>, e.g. p12.3"
        )
    if action not in ACTIONS:
        raise MappingError(f"unknown decision {action!r}; allowed: {', '.join(ACTIONS)}")
    fw = get_framework()
    try:
        number = fw.goal(goal).number  # type: ignore[arg-type]
    except (UnknownCodeError, TypeError, ValueError):
        raise MappingError(f"{goal!r} is not an SDG goal; allowed: 1 to 17") from None
    code: str | None = None
    if target not in (None, ""):
        try:
            code = fw.target(normalise_code(str(target))).code
        except UnknownCodeError:
            raise MappingError(
                f"{target!r} is not an SDG target; write a target code such as {number}.1 "
                f"(see `vlr framework show {number}`)"
            ) from None
        if fw.target(code).goal != number:
            raise MappingError(
                f"target {code} belongs to goal {fw.target(code).goal}, not goal {number}"
            )
    if not isinstance(note, str):
        raise MappingError("a decision note must be text")
    if len(note) > MAX_NOTE:
        raise MappingError(f"the note is {len(note)} characters long; allowed: up to {MAX_NOTE}")
    return ref, number, code, str(action), note


def decide(
    ws: Workspace,
    review_id: str,
    paragraph_ref: str,
    goal: int,
    target: str | None = None,
    action: str = "accept",
    reviewer: str | None = None,
    note: str = "",
    *,
    expected_version: int | None = None,
) -> Decision:
    """Record a reviewer's decision on a goal or target for one paragraph.

    ``action`` is ``"accept"`` (the suggestion is right), ``"reject"`` (it is
    wrong: it disappears from every later view and memo) or ``"add"`` (the
    mapping missed it). A decision on a goal (``target=None``) applies to the
    goal and its targets in that paragraph; a decision on a target wins over
    the goal's for that target. Deciding again replaces the earlier decision
    (the workspace keeps the history). Stored as ``ws.put(review_id,
    "mapping_decision", "p12.3/11/11.6", {...})``.

    >>> decide(ws, rv.id, "p12.3", 11, "11.6", "accept", reviewer="A. Reviewer")  # doctest: +SKIP
    """
    ref, number, code, act, text = _check_decision(paragraph_ref, goal, target, action, note)
    data = {"paragraph": ref, "goal": number, "target": code, "action": act, "note": text}
    record = ws.put(
        review_id,
        DECISION_KIND,
        decision_key(ref, number, code),
        data,
        expected_version=expected_version,
        reviewer=reviewer,
    )
    return _decision_from_record(record)


def undo_decision(
    ws: Workspace,
    review_id: str,
    paragraph_ref: str,
    goal: int,
    target: str | None = None,
    reviewer: str | None = None,
) -> bool:
    """Remove a decision, so that the suggestion shows again. False if there was none."""
    ref, number, code, _, _ = _check_decision(paragraph_ref, goal, target, "accept", "")
    key = decision_key(ref, number, code)
    if ws.get(review_id, DECISION_KIND, key) is None:
        return False
    ws.delete(review_id, DECISION_KIND, key, reviewer=reviewer)
    return True


def _decision_from_record(record: Any) -> Decision:
    data = record.data
    ref, number, code, act, note = _check_decision(
        data.get("paragraph"),
        data.get("goal"),
        data.get("target"),
        data.get("action"),
        data.get("note", "") or "",
    )
    return Decision(
        paragraph_ref=ref,
        goal=number,
        target=code,
        action=act,
        note=note,
        reviewer=str(getattr(record, "updated_by", "") or ""),
        version=int(getattr(record, "version", 0) or 0),
        updated_at=getattr(record, "updated_at", None),
    )


def load_decisions(ws: Workspace, review_id: str) -> list[Decision]:
    """Every mapping decision of a review, in paragraph order.

    A stored record that is not a valid decision (e.g. from a hand-edited
    bundle) is skipped with a warning naming its key; it stays in the
    workspace untouched.
    """
    out: list[Decision] = []
    for record in ws.records(review_id, DECISION_KIND):
        try:
            out.append(_decision_from_record(record))
        except MappingError as exc:
            warnings.warn(
                f"mapping decision {record.key!r} of review {review_id} ignored: {exc}",
                stacklevel=2,
            )
    out.sort(
        key=lambda d: (
            _ref_key(d.paragraph_ref),
            d.goal,
            code_sort_key(d.target) if d.target else (),
        )
    )
    return out


def effective_matches(
    draft_mapping: Any, decisions: Iterable[Decision] | None = None
) -> pd.DataFrame:
    """The matches a reviewer sees: suggestions with the decisions applied.

    - ``reject`` of a goal removes the goal and all its targets in that
      paragraph (unless a target has its own accept/add); ``reject`` of a
      target removes only that target's match.
    - ``accept`` keeps a suggestion and marks it (``decision="accept"``); an
      accepted match the mapping no longer suggests is kept as the reviewer's.
    - ``add`` includes the match with ``source="reviewer"`` and score 1.

    Columns: :data:`MATCH_COLUMNS` (``source`` is "suggested" or "reviewer").
    """
    import pandas as pd

    view = mapping_view(draft_mapping)
    frame = view.matches
    if not decisions:
        return frame.copy()
    chosen: dict[tuple[str, int, str | None], Decision] = {}
    for d in decisions:
        chosen[(d.paragraph_ref, d.goal, d.target)] = d
    keep: list[bool] = []
    decided: list[str] = []
    notes: list[str] = []
    present: set[tuple[str, int, str | None]] = set()
    for row in frame.itertuples(index=False):
        target = row.target or None
        own = chosen.get((row.ref, row.goal, target))
        goal_level = chosen.get((row.ref, row.goal, None))
        decision = own or goal_level
        if decision is not None and decision.action == "reject":
            keep.append(False)
        else:
            keep.append(True)
            present.add((row.ref, row.goal, target))
        decided.append(
            decision.action
            if decision is not None and decision.action != "reject"
            else row.decision
        )
        notes.append(decision.note if decision is not None else row.note)
    result = frame.copy()
    result["decision"] = decided
    result["note"] = notes
    result = result[keep]
    added = []
    for (ref, goal, target), d in chosen.items():
        if d.action == "reject" or (ref, goal, target) in present:
            continue
        info = view.paragraph(ref)
        if info is None and view.complete:
            # A decision on a paragraph this draft does not have (e.g. made on
            # another file): kept in the workspace, left out of this view.
            warnings.warn(
                f"mapping decision on {ref} ignored: the draft has no such paragraph",
                stacklevel=2,
            )
            continue
        added.append(
            {
                "ref": ref,
                "page": info.page if info else _ref_key(ref)[0],
                "section": info.section if info else "",
                "kind": info.kind if info else "text",
                "goal": goal,
                "target": target,
                "score": 1.0,
                "evidence": [],
                "spans": [],
                "source": "reviewer",
                "decision": d.action,
                "note": d.note,
            }
        )
    if added:
        result = pd.concat([result, pd.DataFrame(added, columns=list(MATCH_COLUMNS))])
    result = result.assign(_order=[_ref_key(r) for r in result["ref"]])
    result = result.sort_values(["_order", "goal"], kind="stable").drop(columns="_order")
    return _typed(result)
