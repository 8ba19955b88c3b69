"""A review's decisions when its draft's file is replaced (``vlr draft add --replace``).

Mapping decisions, figure-check decisions and the indicators chosen for
ambiguous sentences name the draft's paragraphs by reference (``p12.3``). A
corrected file for the same draft version moves paragraphs: a paragraph added
on page 3 renumbers the rest of that page. So when a file is replaced, each
review of that version gets its decisions moved with their paragraphs:

- the old file's paragraphs are aligned with the new file's in reading order
  (unchanged paragraphs, and changed ones whose text is still at least
  :data:`SIMILAR` percent the same);
- a mapping decision follows its paragraph, changed or not;
- a figure-check decision follows its paragraph when the quoted words are still
  there, and a chosen indicator link when the paragraph is unchanged (its
  figures are numbered within the paragraph);
- a decision whose paragraph is gone, or no longer says what was decided, is
  set aside (record kind :data:`UNPLACED_KIND`, with the words it was about), so
  that it neither names other text nor is lost: :func:`unplaced_decisions`
  lists them and the intake report names them.

Annotations are re-anchored by their own quotes (``vlr annotations reanchor``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

if TYPE_CHECKING:
    from .documents import Draft, Paragraph
    from .workspace import Record, Workspace

__all__ = [
    "SIMILAR",
    "UNPLACED_KIND",
    "MovedDecisions",
    "move_decisions",
    "paragraph_moves",
    "unplaced_decisions",
]

#: Record kind of a decision set aside because its paragraph is not in the new file.
UNPLACED_KIND = "decision_unplaced"
#: How alike (rapidfuzz ratio, 0-100) a changed paragraph must be to count as the same one.
SIMILAR = 85.0
#: Largest run of changed paragraphs compared pairwise (beyond it only equal text aligns).
_PAIRWISE = 400


@dataclass(frozen=True)
class MovedDecisions:
    """What :func:`move_decisions` did for one review."""

    review_id: str
    #: Decisions whose paragraph now has another reference.
    moved: int = 0
    #: Decisions whose paragraph kept its reference.
    kept: int = 0
    #: ``kind/key`` of each decision set aside (see :data:`UNPLACED_KIND`).
    unplaced: tuple[str, ...] = ()

    def line(self) -> str:
        """One line for the intake report."""
        text = (
            f"review {self.review_id}: {self.moved} decision(s) moved with their paragraphs, "
            f"{self.kept} kept their references"
        )
        if self.unplaced:
            text += (
                f"; {len(self.unplaced)} set aside because their paragraph is not in the new "
                f"file ({', '.join(self.unplaced[:5])}{' …' if len(self.unplaced) > 5 else ''}): "
                f"see `vlr map --review {self.review_id}`"
            )
        return text


def _norm(text: str) -> str:
    return " ".join(text.split())


def paragraph_moves(old: Draft, new: Draft) -> dict[str, tuple[str, bool]]:
    """Old paragraph reference -> (new reference, text unchanged) for the paragraphs found again.

    The two readings are aligned in reading order; within a run of changed
    paragraphs each old one pairs with the most similar new one of the same
    kind, at least :data:`SIMILAR` alike. Paragraphs not found are left out.
    """
    a, b = old.paragraphs(), new.paragraphs()
    keys_a = [(p.kind, _norm(p.text)) for p in a]
    keys_b = [(p.kind, _norm(p.text)) for p in b]
    out: dict[str, tuple[str, bool]] = {}
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                out[a[i1 + k].ref] = (b[j1 + k].ref, True)
        elif op == "replace" and (i2 - i1) * (j2 - j1) <= _PAIRWISE * _PAIRWISE:
            out.update(_pair_changed(a[i1:i2], b[j1:j2]))
    return out


def _pair_changed(olds: list[Paragraph], news: list[Paragraph]) -> dict[str, tuple[str, bool]]:
    scored = sorted(
        (
            (fuzz.ratio(_norm(p.text), _norm(q.text)), -abs(i - j), i, j)
            for i, p in enumerate(olds)
            for j, q in enumerate(news)
            if p.kind == q.kind
        ),
        reverse=True,
    )
    out: dict[str, tuple[str, bool]] = {}
    taken: set[int] = set()
    for ratio, _dist, i, j in scored:
        if ratio < SIMILAR:
            break
        if olds[i].ref in out or j in taken:
            continue
        out[olds[i].ref] = (news[j].ref, _norm(olds[i].text) == _norm(news[j].text))
        taken.add(j)
    return out


def move_decisions(
    ws: Workspace, review_id: str, old: Draft, new: Draft, *, reviewer: str | None = None
) -> MovedDecisions:
    """Move a review's paragraph decisions from ``old`` (the replaced file) to ``new``.

    See the module doc for what moves and what is set aside. New records are
    written before the old ones are deleted, so a crash in between leaves a
    decision twice, never not at all.
    """
    from .claims.store import DECISION_KIND as CLAIM_KIND
    from .claims.store import LINK_KIND
    from .coverage.decisions import DECISION_KIND as MAPPING_KIND
    from .coverage.decisions import decision_key

    moves = paragraph_moves(old, new)
    result = MovedDecisions(review_id)

    def mapping(rec: Record) -> tuple[str, dict[str, Any]] | None:
        found = moves.get(str(rec.data.get("paragraph") or ""))
        if found is None:
            return None
        data = {**rec.data, "paragraph": found[0]}
        return decision_key(found[0], int(data["goal"]), data.get("target")), data

    def claim(rec: Record) -> tuple[str, dict[str, Any]] | None:
        from .claims.model import ClaimCheck

        check = dict(rec.data.get("check") or {})
        moved = _moved_check(check, moves, new)
        if moved is None:
            return None
        data = {**rec.data, "check": moved}
        return ClaimCheck.from_record(moved).id, data

    def link(rec: Record) -> tuple[str, dict[str, Any]] | None:
        ref, _, number = rec.key.partition("#")
        found = moves.get(ref)
        if found is None or not found[1]:
            return None
        return f"{found[0]}#{number}", dict(rec.data)

    rules: list[tuple[str, Callable[[Record], tuple[str, dict[str, Any]] | None]]] = [
        (MAPPING_KIND, mapping),
        (CLAIM_KIND, claim),
        (LINK_KIND, link),
    ]
    for kind, rule in rules:
        records = ws.records(review_id, kind)
        if not records:
            continue
        placed: dict[str, dict[str, Any]] = {}
        aside: list[Record] = []
        for rec in records:
            target = rule(rec)
            if target is None:
                aside.append(rec)
                continue
            key, data = target
            placed[key] = data
            if key == rec.key:
                result = replace(result, kept=result.kept + 1)
            else:
                result = replace(result, moved=result.moved + 1)
        if aside:
            ws.put_many(
                review_id,
                UNPLACED_KIND,
                {
                    f"{kind}/{rec.key}": {
                        "kind": kind,
                        "key": rec.key,
                        "data": dict(rec.data),
                        "words": _words(rec, old),
                        "file_sha256": old.sha256,
                        "decided_by": rec.updated_by,
                    }
                    for rec in aside
                },
                reviewer=reviewer,
            )
            aside_keys = tuple(f"{kind}/{rec.key}" for rec in aside)
            result = replace(result, unplaced=result.unplaced + aside_keys)
        stored = {rec.key: rec.data for rec in records}
        changed = {k: d for k, d in placed.items() if stored.get(k) != d}
        if changed:
            ws.put_many(review_id, kind, changed, reviewer=reviewer)
        for rec in records:
            if rec.key not in placed:
                ws.delete(review_id, kind, rec.key, reviewer=reviewer)
    return result


def _moved_check(
    check: dict[str, Any], moves: dict[str, tuple[str, bool]], new: Draft
) -> dict[str, Any] | None:
    """A figure check's record with its paragraphs' new references and pages, or None."""
    out = dict(check)
    for ref_key, page_key, quote_key in (
        ("ref", "page", "quote"),
        ("other_ref", "other_page", "other_quote"),
    ):
        ref = str(check.get(ref_key) or "")
        if not ref:
            continue
        found = moves.get(ref)
        para = new.get(found[0]) if found else None
        quote = str(check.get(quote_key) or "")
        if para is None or (quote and _norm(quote) not in _norm(para.text)):
            return None
        out[ref_key], out[page_key] = para.ref, para.page
    claim_ref, _, number = str(check.get("claim_id") or "").partition("#")
    if claim_ref and claim_ref == check.get("ref"):
        out["claim_id"] = f"{out['ref']}#{number}"
    # other places saying the same: kept where they are found again, dropped where not
    also = [moves.get(str(ref)) for _page, ref in check.get("also") or ()]
    out["also"] = [[p.page, p.ref] for f in also if f and (p := new.get(f[0])) is not None]
    return out


def _words(rec: Record, old: Draft) -> str:
    """The words of the old file a set-aside decision was about (for the reviewer)."""
    ref = str(rec.data.get("paragraph") or (rec.data.get("check") or {}).get("ref") or "")
    if not ref:
        ref = rec.key.partition("#")[0]
    para = old.get(ref)
    return para.text[:500] if para is not None else ""


def unplaced_decisions(ws: Workspace, review_id: str) -> list[Record]:
    """The decisions set aside when the review's draft file was replaced."""
    return ws.records(review_id, UNPLACED_KIND)
