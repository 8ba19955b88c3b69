"""Finding words in a draft: folded text, offsets back to pages and paragraphs, search.

Every annotation offset is a character offset into :attr:`Draft.text` (the
pages' text joined by blank lines, each page's paragraphs joined by blank
lines), the same text the W3C ``TextPositionSelector`` counts in. Matching,
however, runs on a *folded* copy of that text so that what a reviewer types
finds what the PDF holds:

- Unicode NFKC (full-width letters and digits, ligatures such as "ﬁ",
  half-width katakana all become their ordinary forms);
- case-folded (``"SDG"`` finds ``"sdg"``);
- curly quotes, dashes and the U+FFFE pdfium leaves at a line-end hyphen
  become their plain ASCII forms;
- every run of white space becomes one space, and white space next to a
  Japanese character is dropped (Japanese sets no spaces, and line wraps in a
  PDF put them in at random).

:class:`TextIndex` keeps, for each folded character, the offset of the
original character it came from, so a match in folded text maps back to an
exact span of the draft.
"""

from __future__ import annotations

import math
import re
import unicodedata
import weakref
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..documents import Draft, Paragraph

#: How many characters of context are kept before and after a quote.
CONTEXT_CHARS = 32

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\ufffe": "-",
        "\u00ad": "",
    }
)
_TOKEN = re.compile(r"\S+")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_WORD = re.compile(r"[^\W_]+")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+")


def _is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def _fold_token(token: str) -> str:
    if token.isascii():
        return token.lower()
    return unicodedata.normalize("NFKC", token).translate(_TRANSLATE).casefold()


def fold(text: str) -> str:
    """The folded form of ``text`` used for all matching (see the module docstring)."""
    return fold_with_map(text)[0]


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Folded ``text`` and, per folded character, the offset of its source character.

    The map has one extra entry at the end (``len(text)``) so that a folded
    end offset maps too.
    """
    parts: list[str] = []
    offsets: list[int] = []
    last = ""
    for m in _TOKEN.finditer(text):
        token = m.group()
        start = m.start()
        folded = _fold_token(token)
        if not folded:
            continue
        if last and not (_is_cjk(last) or _is_cjk(folded[0])):
            parts.append(" ")
            offsets.append(start - 1)
        n, k = len(folded), len(token)
        if n == k:
            offsets.extend(range(start, start + n))
        else:
            # NFKC/case folding changed the length ("ﬁ" -> "fi", "ß" -> "ss"):
            # spread the folded characters over the source token.
            offsets.extend(start + min(i * k // n, k - 1) for i in range(n))
        parts.append(folded)
        last = folded[-1]
    offsets.append(len(text))
    return "".join(parts), offsets


def terms(folded: str) -> list[str]:
    """Search terms of folded text: words, and character pairs inside Japanese runs."""
    out: list[str] = []
    for word in _WORD.findall(folded):
        if _CJK_RUN.search(word):
            for run in _CJK_RUN.split(word):
                if run:
                    out.append(run)
            for run in _CJK_RUN.findall(word):
                if len(run) == 1:
                    out.append(run)
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(word)
    return out


@dataclass(frozen=True)
class SearchHit:
    """One place where searched-for text occurs in a draft.

    ``start``/``end`` are offsets into :attr:`Draft.text`; ``page_start`` and
    ``page_end`` are offsets into the page's own text (:attr:`Page.text`).
    ``text`` is the matched text as the draft has it; ``before`` and
    ``after`` a little context.
    """

    page: int
    paragraph: str
    start: int
    end: int
    page_start: int
    page_end: int
    text: str
    before: str
    after: str
    #: "exact", or "variant" when only another form matched (see :func:`loose_pattern`).
    how: str = "exact"

    @property
    def snippet(self) -> str:
        """The hit with its context on one line, e.g. for a list of results."""
        return " ".join(f"…{self.before}[{self.text}]{self.after}…".split())


class TextIndex:
    """A draft's text prepared for matching: folded text, offset maps, pages, paragraphs.

    Build it with :func:`index_draft` (cached per draft object).
    """

    def __init__(self, draft: Draft) -> None:
        # No reference to the draft itself is kept, so the cache below can
        # drop the index as soon as the draft is no longer used.
        self.name = draft.name
        self.page_labels = [page.label or str(page.number) for page in draft.pages]
        self.text = draft.text
        self.folded, self.offsets = fold_with_map(self.text)
        self.page_starts: list[int] = []
        self.para_starts: list[int] = []
        self.para_ends: list[int] = []
        self.paragraphs: list[Paragraph] = []
        pos = 0
        for n, page in enumerate(draft.pages):
            if n:
                pos += 2
            self.page_starts.append(pos)
            p = pos
            for k, para in enumerate(page.paragraphs):
                if k:
                    p += 2
                self.paragraphs.append(para)
                self.para_starts.append(p)
                p += len(para.text)
                self.para_ends.append(p)
            pos += len(page.text)
        self.page_ends = [
            s + len(pg.text) for s, pg in zip(self.page_starts, draft.pages, strict=True)
        ]

    # -- offsets -----------------------------------------------------------------

    def to_folded(self, offset: int) -> int:
        """The folded offset of the first folded character at or after ``offset``."""
        return bisect_left(self.offsets, offset, 0, len(self.offsets) - 1)

    def to_raw(self, fstart: int, fend: int) -> tuple[int, int]:
        """The span of the draft text that folded span ``[fstart, fend)`` came from."""
        start = self.offsets[fstart]
        end = self.offsets[fend - 1] + 1 if fend > fstart else start
        # A folded character may stand for several source characters (NFKC):
        # end at the start of the next folded character's source if that is further.
        if fend < len(self.offsets) - 1:
            nxt = self.offsets[fend]
            gap = self.text[end:nxt]
            if gap and not gap.isspace() and not any(ch.isspace() for ch in gap):
                end = nxt
        return start, end

    def page_of(self, offset: int) -> int:
        """The page (1-based) holding draft-text ``offset``."""
        return max(1, bisect_right(self.page_starts, offset))

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph holding ``offset`` (or the next one, between paragraphs)."""
        i = bisect_right(self.para_starts, offset) - 1
        if i >= 0 and offset < self.para_ends[i]:
            return self.paragraphs[i]
        if i + 1 < len(self.paragraphs):
            return self.paragraphs[i + 1]
        return self.paragraphs[i] if i >= 0 else None

    def paragraph_index(self, offset: int) -> int:
        """Index (in reading order) of the paragraph at or after ``offset``."""
        i = bisect_right(self.para_starts, offset) - 1
        if i >= 0 and offset < self.para_ends[i]:
            return i
        return min(i + 1, len(self.paragraphs) - 1)

    def paragraph_span(self, ref: str) -> tuple[int, int] | None:
        """Draft-text span of paragraph ``ref``, or None."""
        for i, para in enumerate(self.paragraphs):
            if para.ref == ref:
                return self.para_starts[i], self.para_ends[i]
        return None

    def page_span(self, page: int) -> tuple[int, int]:
        """Draft-text span of ``page`` (1-based)."""
        return self.page_starts[page - 1], self.page_ends[page - 1]

    def context(self, start: int, end: int, chars: int = CONTEXT_CHARS) -> tuple[str, str]:
        """``chars`` characters of draft text before ``start`` and after ``end``."""
        return self.text[max(0, start - chars) : start], self.text[end : end + chars]

    def position(self, offset: int) -> float:
        """Where ``offset`` lies in the draft, from 0.0 (start) to 1.0 (end)."""
        return round(offset / max(1, len(self.text)), 6)

    # -- finding -----------------------------------------------------------------

    def find_all(self, needle: str, start: int = 0, end: int | None = None) -> list[int]:
        """Folded offsets of every occurrence of folded ``needle`` in folded ``[start, end)``."""
        if not needle:
            return []
        hay = self.folded
        stop = len(hay) if end is None else end
        found: list[int] = []
        i = hay.find(needle, start, stop)
        while i >= 0:
            found.append(i)
            i = hay.find(needle, i + 1, stop)
        return found

    def find_loose(
        self, needle: str, start: int = 0, end: int | None = None
    ) -> list[tuple[int, int]]:
        """Folded spans matching folded ``needle`` in any of its variants (see :func:`loose_pattern`)."""
        pattern = loose_pattern(needle)
        if pattern is None:
            return []
        stop = len(self.folded) if end is None else end
        out: list[tuple[int, int]] = []
        for m in pattern.finditer(self.folded, start, stop):
            a, b = m.start(), m.end()
            while a < b and self.folded[a] == " ":
                a += 1
            while b > a and self.folded[b - 1] == " ":
                b -= 1
            if b > a:
                out.append((a, b))
        return out

    def hit(self, fstart: int, fend: int, how: str = "exact") -> SearchHit:
        """A :class:`SearchHit` for the folded span ``[fstart, fend)``."""
        start, end = self.to_raw(fstart, fend)
        page = self.page_of(start)
        para = self.paragraph_at(start)
        before, after = self.context(start, end)
        base = self.page_starts[page - 1]
        return SearchHit(
            page=page,
            paragraph=para.ref if para else "",
            start=start,
            end=end,
            page_start=start - base,
            page_end=end - base,
            text=self.text[start:end],
            before=before,
            after=after,
            how=how,
        )

    # -- fuzzy candidates ----------------------------------------------------------

    @cached_property
    def folded_para_starts(self) -> list[int]:
        return [self.to_folded(s) for s in self.para_starts]

    @cached_property
    def folded_para_ends(self) -> list[int]:
        return [self.to_folded(e) for e in self.para_ends]

    @cached_property
    def _postings(self) -> dict[str, list[int]]:
        postings: dict[str, set[int]] = defaultdict(set)
        for i, (fs, fe) in enumerate(
            zip(self.folded_para_starts, self.folded_para_ends, strict=True)
        ):
            for term in terms(self.folded[fs:fe]):
                postings[term].add(i)
        return {term: sorted(ids) for term, ids in postings.items()}

    def candidates(self, folded_quote: str, limit: int = 12) -> list[int]:
        """Paragraph indexes sharing the most (rare) words with ``folded_quote``, best first."""
        postings = self._postings
        total = max(1, len(self.paragraphs))
        scores: dict[int, float] = defaultdict(float)
        for term in set(terms(folded_quote)):
            ids = postings.get(term)
            if not ids:
                continue
            weight = math.log((total + 1) / len(ids))
            if weight <= 0.05:
                continue
            for i in ids:
                scores[i] += weight
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [i for i, _s in ranked[:limit]]


_INDEX_CACHE: dict[int, tuple[weakref.ref[Draft], TextIndex]] = {}


def index_draft(draft: Draft) -> TextIndex:
    """The :class:`TextIndex` of ``draft`` (built once per draft object and kept while it lives)."""
    key = id(draft)
    cached = _INDEX_CACHE.get(key)
    if cached is not None and cached[0]() is draft:
        return cached[1]
    index = TextIndex(draft)

    def forget(_ref: weakref.ref[Draft]) -> None:
        _INDEX_CACHE.pop(key, None)

    _INDEX_CACHE[key] = (weakref.ref(draft, forget), index)
    return index


#: Endings an English word may have in another form (plural, past, -ing...).
_ENDINGS = ("ies", "ing", "es", "ed", "s", "e", "y", "d")
_ENDING_GROUP = "(?:ies|ing|ers|er|es|ed|s|e|y|d)?"
_LOOSE_TOKEN = re.compile(r"[a-z]+|[0-9]+|[^\sa-z0-9]")
#: Punctuation that may be missing or doubled in what someone types (quotes).
_OPTIONAL_MARKS = frozenset("'\"`")


def _stem(word: str) -> str:
    """``word`` without one common English ending, keeping at least four letters."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def loose_pattern(needle: str) -> re.Pattern[str] | None:
    """A pattern finding folded ``needle`` in folded text across the ways people type it.

    - dashes, hyphens and minus signs are one (folding already did that), and
      white space around them or any other punctuation may be there or not:
      "2018-2026" finds "2018– 2026";
    - straight and curly quote marks may be there or not;
    - an English word of five letters or more matches its other forms
      ("settlers" finds "settler", "policy" finds "policies", "managed" finds
      "managing"); shorter words and numbers match as typed;
    - Japanese is matched as typed (folding already ignores its spacing).

    None when the needle has nothing to match.
    """
    tokens = _LOOSE_TOKEN.findall(needle)
    if not tokens:
        return None
    parts: list[str] = []
    prev_word = False
    for tok in tokens:
        word = tok[0].isalnum() and tok.isascii()
        if parts:
            parts.append(r"\s+" if (word and prev_word) else r"\s*")
        if tok in _OPTIONAL_MARKS:
            parts.append("['\"`]?")
        elif word and tok.isalpha() and len(tok) >= 5:
            parts.append(re.escape(_stem(tok)) + _ENDING_GROUP)
        else:
            parts.append(re.escape(tok))
        prev_word = word
    body = "".join(parts)
    if tokens[0][0].isascii() and tokens[0][0].isalnum():
        body = r"(?<![a-z0-9])" + body
    if tokens[-1][-1].isascii() and tokens[-1][-1].isalnum():
        body += r"(?![a-z0-9])"
    return re.compile(body)


def search(
    draft: Draft, text: str, *, page: int | None = None, limit: int = 500
) -> list[SearchHit]:
    """Every place ``text`` occurs in ``draft`` (or on one ``page``), in reading order.

    English is matched ignoring case; Japanese after NFKC normalisation (so
    full-width and half-width forms match), and white space is ignored
    wherever a Japanese character is next to it. Places where only another
    form matches (a dash with a space after it, a plural, see
    :func:`loose_pattern`) are found too, with ``how == "variant"``: their
    ``text`` says what the draft has.

    >>> hits = search(draft, "city-wide totals")           # doctest: +SKIP
    >>> hits[0].page, hits[0].paragraph, hits[0].text      # doctest: +SKIP
    (10, 'p10.12', 'city-wide totals')
    """
    needle = fold(text)
    if not needle:
        return []
    index = index_draft(draft)
    start, end = 0, len(index.folded)
    if page is not None:
        s, e = index.page_span(page)
        start, end = index.to_folded(s), index.to_folded(e)
    exact = index.find_all(needle, start, end)  # in order
    hits = [(f, f + len(needle), "exact") for f in exact]
    for a, b in index.find_loose(needle, start, end):
        # an exact hit overlapping this one starts just before it or inside it
        k = bisect_right(exact, a) - 1
        near = exact[max(k, 0) : k + 2]
        if not any(a < x + len(needle) and b > x for x in near):
            hits.append((a, b, "variant"))
    hits.sort()
    return [index.hit(a, b, how) for a, b, how in hits[:limit]]
