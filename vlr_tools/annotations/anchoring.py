"""Finding an annotated passage again in another draft (or another reading of the same one).

:func:`locate` takes the old anchor (quote, prefix, suffix, position in the
draft) and the new draft's :class:`~.text.TextIndex` and says where the
passage is now:

1. **Exact**: every occurrence of the folded quote in the folded new text
   (case, width, quotes/dashes and spacing ignored, see :mod:`.text`). If
   there are several, the one whose context (the 32 characters before and
   after) looks most like the old context wins, then the one nearest the
   old relative position in the document. Found this way the passage is
   ``found_unchanged``.
2. **Fuzzy**: otherwise the paragraphs sharing the most rare words with the
   quote (plus those near the old position) are scored with rapidfuzz's
   ``partial_ratio`` (best-matching substring); the best one is then trimmed
   to word boundaries that maximise ``fuzz.ratio`` with the quote. It counts
   as the same passage, ``found_changed``, when that similarity is at least
   :data:`FUZZY_THRESHOLD` (75 of 100), and for a short quote (fewer than
   :data:`SHORT_QUOTE` = 40 characters, where a few letters change the
   score a lot) also when quote *with* context is at least
   :data:`SHORT_CONTEXT_THRESHOLD` (70) similar. Ties are broken by
   context similarity and closeness to the old position.
3. Otherwise the passage is ``not_found`` (removed or rewritten beyond
   recognition).

Why 75: on the San Fernando sample drafts, edited passages ("progressing
well. Trade, services and tourism" -> "progressing. Trade and services";
"nine goals" -> "ten goals"; an inserted "fisherfolk,") score 87-94, while
the best match for a removed one scores at most 67 (benchmarks/bench_annotations.py
measures the same on a synthetic 300-page revision).

An exact match more than :data:`FAR` (a tenth of the document) away from
where the passage was is also compared with the best fuzzy match: a
sentence repeated elsewhere must not win over the edited passage itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from .text import CONTEXT_CHARS, TextIndex, fold

#: Minimum fuzz.ratio (0-100) between old quote and new wording to count as found.
FUZZY_THRESHOLD = 75.0
#: Quotes shorter than this (folded characters) must also match with their context.
SHORT_QUOTE = 40
#: Minimum similarity of prefix+quote+suffix for a short quote.
SHORT_CONTEXT_THRESHOLD = 70.0
#: Weight of context similarity (0-100) when ranking candidate places.
CONTEXT_WEIGHT = 0.15
#: Points taken off per whole-document distance from the expected position.
DISTANCE_PENALTY = 30.0
#: An exact match further than this (share of the document) from where the
#: passage was is compared with the best fuzzy match near it.
FAR = 0.1

_WORD_START = re.compile(r"(?:^|(?<=\s))\S")


@dataclass(frozen=True)
class Anchor:
    """The words an annotation points at, and their context (as stored with it)."""

    quote: str
    prefix: str = ""
    suffix: str = ""
    position: float | None = None


@dataclass(frozen=True)
class Located:
    """Where a passage was found: outcome, new span and wording, how similar.

    ``start``/``end`` are offsets into the new :attr:`Draft.text` (None when
    not found); ``similarity`` is 100 for an exact match; ``method`` is
    ``"exact"``, ``"fuzzy"`` or ``"none"``.
    """

    outcome: str
    method: str
    similarity: float
    start: int | None = None
    end: int | None = None
    page: int | None = None
    paragraph: str | None = None
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    position: float | None = None
    page_label: str = ""

    def anchor_fields(self) -> dict[str, Any]:
        """The anchor as an annotation's stored fields, to move an annotation here."""
        return {
            "page": self.page,
            "page_label": self.page_label,
            "paragraph": self.paragraph,
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
            "position": self.position,
        }


def _ctx_score(index: TextIndex, fstart: int, fend: int, fprefix: str, fsuffix: str) -> float:
    """How alike (0-100) the folded context around ``[fstart, fend)`` is to the old one."""
    scores = []
    if fprefix:
        before = index.folded[max(0, fstart - len(fprefix) - 1) : fstart].strip()
        scores.append(fuzz.ratio(fprefix.strip(), before[-len(fprefix.strip()) :]))
    if fsuffix:
        after = index.folded[fend : fend + len(fsuffix) + 1].strip()
        scores.append(fuzz.ratio(fsuffix.strip(), after[: len(fsuffix.strip())]))
    return sum(scores) / len(scores) if scores else 50.0


def _distance(index: TextIndex, fstart: int, position: float | None) -> float:
    if position is None:
        return 0.0
    return abs(fstart / max(1, len(index.folded)) - position)


def _result(index: TextIndex, outcome: str, method: str, score: float, fs: int, fe: int) -> Located:
    start, end = index.to_raw(fs, fe)
    # Never end inside white space or start on it: trim the raw span.
    text = index.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    page = index.page_of(start)
    para = index.paragraph_at(start)
    prefix, suffix = index.context(start, end)
    return Located(
        outcome=outcome,
        method=method,
        similarity=round(score, 1),
        start=start,
        end=end,
        page=page,
        paragraph=para.ref if para else None,
        quote=text[start:end],
        prefix=prefix,
        suffix=suffix,
        position=index.position(start),
        page_label=index.page_labels[page - 1],
    )


NOT_FOUND = Located(outcome="not_found", method="none", similarity=0.0)


def locate(anchor: Anchor, index: TextIndex) -> Located:
    """Find ``anchor``'s passage in the draft behind ``index`` (see the module docstring)."""
    fquote = fold(anchor.quote)
    if not fquote:
        return NOT_FOUND
    fprefix = fold(anchor.prefix)[-CONTEXT_CHARS:]
    fsuffix = fold(anchor.suffix)[:CONTEXT_CHARS]
    hits = index.find_all(fquote)
    if hits:

        def rank(f: int) -> float:
            ctx = _ctx_score(index, f, f + len(fquote), fprefix, fsuffix)
            return (
                100.0
                + CONTEXT_WEIGHT * ctx
                - DISTANCE_PENALTY * _distance(index, f, anchor.position)
            )

        best = max(hits, key=lambda f: (rank(f), -f))
        exact = _result(index, "found_unchanged", "exact", 100.0, best, best + len(fquote))
        if _distance(index, best, anchor.position) <= FAR:
            return exact
        # The only identical words are far from where the passage was: it may
        # be a repeated sentence elsewhere while the passage itself was edited.
        edited = _fuzzy(anchor, index, fquote, fprefix, fsuffix, beat=rank(best))
        return edited if edited.outcome != "not_found" else exact
    return _fuzzy(anchor, index, fquote, fprefix, fsuffix)


def _fuzzy(
    anchor: Anchor,
    index: TextIndex,
    fquote: str,
    fprefix: str,
    fsuffix: str,
    beat: float | None = None,
) -> Located:
    """The best fuzzy match (see the module docstring); with ``beat``, only one ranked higher."""
    n_paras = len(index.paragraphs)
    if not n_paras:
        return NOT_FOUND
    cands = set(index.candidates(fquote))
    if anchor.position is not None:
        # Also look right where the passage was, in case its words all changed form.
        centre = index.paragraph_index(int(anchor.position * len(index.text)))
        cands.update(range(max(0, centre - 3), min(n_paras, centre + 4)))
    fstarts, fends = index.folded_para_starts, index.folded_para_ends
    best: tuple[float, float, int, int] | None = None  # rank, quote score, fs, fe
    cutoff = FUZZY_THRESHOLD - 15
    for i in sorted(cands):
        # The window spans the paragraph and the next, for passages across a break.
        ws = fstarts[i]
        we = fends[min(i + 1, n_paras - 1)]
        window = index.folded[ws:we]
        if not window.strip():
            continue
        al = fuzz.partial_ratio_alignment(fquote, window, score_cutoff=cutoff)
        if al is None:
            continue
        if len(fquote) <= len(window):
            s, e = ws + al.dest_start, ws + al.dest_end
        else:
            s, e = ws, we
        s, e, score = _refine(index, fquote, s, e, ws, we)
        if score < cutoff:
            continue
        ctx = _ctx_score(index, s, e, fprefix, fsuffix)
        rank = (
            score + CONTEXT_WEIGHT * ctx - DISTANCE_PENALTY * _distance(index, s, anchor.position)
        )
        if best is None or rank > best[0]:
            best = (rank, score, s, e)
    if best is None:
        return NOT_FOUND
    rank_, score, s, e = best
    if score < FUZZY_THRESHOLD or (beat is not None and rank_ <= beat):
        return NOT_FOUND
    if len(fquote) < SHORT_QUOTE:
        old = f"{fprefix} {fquote} {fsuffix}".strip()
        new = index.folded[max(0, s - len(fprefix) - 1) : e + len(fsuffix) + 1].strip()
        if fuzz.ratio(old, new) < SHORT_CONTEXT_THRESHOLD:
            return NOT_FOUND
    # Word boundaries are white space: drop punctuation the quote does not have.
    while e - s > 1 and not index.folded[e - 1].isalnum() and fquote[-1].isalnum():
        e -= 1
    while e - s > 1 and not index.folded[s].isalnum() and fquote[0].isalnum():
        s += 1
    outcome = "found_unchanged" if index.folded[s:e] == fquote else "found_changed"
    return _result(index, outcome, "fuzzy", score, s, e)


def _refine(
    index: TextIndex, fquote: str, s: int, e: int, lo: int, hi: int
) -> tuple[int, int, float]:
    """Move ``[s, e)`` to the word boundaries (within a few words) most like the quote."""
    slack = max(12, len(fquote) // 3)
    region_start = max(lo, s - slack)
    region = index.folded[region_start : min(hi, e + slack)]
    starts = [m.start() + region_start for m in _WORD_START.finditer(region)]
    if not starts:
        return s, e, fuzz.ratio(fquote, index.folded[s:e])
    ends = [m.end() + region_start for m in re.finditer(r"\S+", region)]
    near_s = sorted(starts, key=lambda x: abs(x - s))[:9]
    near_e = sorted(ends, key=lambda x: abs(x - e))[:9]
    best = (-1.0, s, e)
    for a in near_s:
        for b in near_e:
            if b <= a:
                continue
            score = fuzz.ratio(fquote, index.folded[a:b])
            if score > best[0]:
                best = (score, a, b)
    if best[0] < 0:
        return s, e, fuzz.ratio(fquote, index.folded[s:e])
    return best[1], best[2], best[0]
