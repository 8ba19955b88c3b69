"""SDG mapping: which goals and targets a text addresses, and the words that show it.

Public names (stable API; the coverage and widget modules build on them):

- :func:`map_text` ``(text, lang=None, *, city=None, vocabulary=None, meaning=None) -> list[Match]``
  the suggestions a reviewer sees for one text: thresholded, sorted by score
  (highest first), **one Match per goal**, carrying the goal's best-supported
  target in ``target`` (None when only goal-level words were found) and every
  target with evidence in ``targets``.
- :func:`map_draft` ``(draft, city=None, *, vocabulary=None, meaning=None) -> DraftMapping``
  per-paragraph matches (ref, page, section, kind) and per-section and
  per-goal aggregation; ``DraftMapping.to_frame(level="goal"|"target")``.
- :func:`find_evidence` ``(text, ...) -> list[Evidence]``: every vocabulary hit
  and explicit reference before thresholding (for highlighting).
- :func:`goal_scores` ``(text, ...) -> dict[int, float]``: raw evidence weight
  per goal before thresholding (for tuning and benchmarks).
- :func:`score_of` ``(weight) -> float``: the 0..1 score shown for an evidence
  weight (used to score a target from its own evidence).
- Records: :class:`Match`, :class:`Evidence`, :class:`ParagraphMapping`,
  :class:`SectionMapping`, :class:`DraftMapping`.
- Constants: :data:`MIN_WEIGHT`, :data:`RELATIVE_CUTOFF`, :data:`REFERENCE_WEIGHT`.

``Evidence.start``/``end`` are offsets into the text given to
:func:`map_text` (for a draft, into ``Paragraph.text``), so
``text[e.start:e.end]`` is exactly the highlighted words.

How it works. The vocabulary (:mod:`vlr_tools.vocabulary`) is compiled once
per version into a few regular expressions (terms starting with a Latin
letter, Japanese terms, terms in capitals) whose alternatives are folded into
a prefix tree, so a position in the text is tested only against the terms
that start with its character and the longest term wins. The text is NFKC-folded
first (full-width letters, half-width katakana), with offsets mapped back to
the original. English words match their plurals, hyphens equal spaces, and
``flood*`` matches words starting with "flood"; Japanese terms match as
substrings, longest first. Explicit references ("SDG 11", "Goal 14",
"target 11.6", "indicator 6.1.1", 「目標14」, 「ターゲット11.5」) are strong
evidence on their own. A goal is suggested when its evidence weight reaches
:data:`MIN_WEIGHT` and at least :data:`RELATIVE_CUTOFF` of the strongest
goal's weight in the same text (incidental mentions in a paragraph about
something else are dropped). Generic words ("sustainable", "development",
"city") are in no term list, and stop phrases ("Sustainable Development
Goals") hide the terms inside them. Each distinct term adds its weight to its
goal (a repeat adds 30 % more, twice at most); the score shown is
``1 - exp(-weight / 1.5)``: one weight-1 term gives 0.49, an explicit
reference 0.86.

The main subject. A city describes a programme by its name, a sentence
that says what it does and for whom, and context: who it works with, how it
is funded, where it happens. So where a word stands counts (:class:`Evidence`
``place``): words in the title, the lead sentence and purpose clauses ("so
that ...", "to help ...", 「…ため」) weigh more (:data:`TITLE_FACTOR`,
:data:`LEAD_FACTOR`, :data:`PURPOSE_FACTOR`) when goals are ranked, and
context words (``data/reference/vocabulary/context.csv``: partnership, open
data, the pandemic; school, housing, park) weigh less
(:data:`CONTEXT_FACTOR`) in a text of several sentences that has a subject of
its own. Whether a goal is suggested still needs :data:`MIN_WEIGHT` without
the place bonus, except for a term that is the programme's whole name, and in
a structured text where nothing reaches it, for a goal that clearly leads
(:data:`CLEAR_LEAD`); in any text where nothing reaches it, a clearly leading
goal whose subject words in the title, lead or a purpose clause weigh
:data:`WEAK_MIN` is suggested with its (low) score. :meth:`Match.why` says in
one line which words made a goal and where they stand. The last word of an
English term also matches its -ed, -ing and -er(s) forms, and the kinds of
category words generated from WordNet (``kinds_en.csv``: "tilapia", a kind
of fish) are looked up word by word.

Reading by meaning (:mod:`vlr_tools.meaning`). A subject said in everyday
words that no term list holds is caught by a multilingual sentence model: a
text of ten words or more is compared with the target titles and labelled
example passages, and the goal that stands out becomes one more piece of
evidence (``kind`` and ``place`` "meaning", over the title and lead sentence,
weight :data:`MEANING_WEIGHT` per standard deviation beyond
:data:`~vlr_tools.meaning.STANDOUT`). It adds to a goal the words found, adds
a goal of its own only from :data:`MEANING_NEW_GOAL`, and when no goal
reaches the threshold it suggests its goal with the low weight
:data:`MEANING_FLOOR`. Targets come from the words when they name one. In a
programme description (a title sentence, then text; or, in English, a text
that opens with its problem, purpose or start: "Because ...", "To cut ...",
"Since 2019 ...") the reading's goal and its second reading are offered after
the suggestions, with :data:`MEANING_FLOOR`, up to :data:`MAX_OFFERED` goals.
``meaning=False`` (or ``VLR_MEANING=off``) leaves it out.

Front matter (:mod:`vlr_tools.front_matter`): :func:`map_draft` skips the
contents, lists of acronyms and glossaries with a reason
(:attr:`ParagraphMapping.skipped`, :meth:`DraftMapping.skipped`).

>>> [(m.goal, m.target) for m in map_text("Households connected to piped water rose to 82%.")]  # doctest: +SKIP
[(6, '6.1')]
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from .documents import Draft, detect_lang, load_draft
from .errors import MappingError
from .front_matter import REASONS as SKIP_REASONS
from .front_matter import skip_reasons
from .meaning import STANDOUT, Reading, meaning_model, readable
from .vocabulary import KINDS_FILE, Term, Vocabulary, is_case_sensitive, load_vocabulary

if TYPE_CHECKING:
    import pandas as pd

    from .framework import Framework

__all__ = [
    "MIN_WEIGHT",
    "REFERENCE_WEIGHT",
    "RELATIVE_CUTOFF",
    "DraftMapping",
    "Evidence",
    "Match",
    "ParagraphMapping",
    "SectionMapping",
    "find_evidence",
    "goal_scores",
    "map_draft",
    "map_text",
    "score_of",
    "skip_label",
]

#: Evidence weight a goal needs before it is suggested (one weight-1 term suffices).
MIN_WEIGHT = 1.0
#: A goal must also reach this share of the strongest goal's weight in the same text.
RELATIVE_CUTOFF = 0.3
#: Weight of an explicit reference ("SDG 14", "target 11.6", 「目標14」).
REFERENCE_WEIGHT = 3.0
#: Weight of a bare global indicator code ("6.1.1" in an indicator table).
CODE_WEIGHT = 2.0
#: Scale of the score: score = 1 - exp(-weight / SCORE_SCALE), so 1 -> 0.49, 3 -> 0.86.
SCORE_SCALE = 1.5
#: Extra weight for each repeat of the same term (up to two repeats count).
REPEAT_BONUS = 0.3

Level = Literal["goal", "target"]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: a vocabulary term or explicit reference found in the text.

    ``text[start:end] == self.text`` for the text that was mapped. ``kind``
    is "term" (shared vocabulary), "local" (a city or review term) or
    "reference" (an explicit SDG/goal/target/indicator reference).

    ``weight`` is what the evidence counted for in this text: the term's
    weight times ``factor``. ``place`` says where the words stand: "title"
    (a programme's name before its description; "name" when the words are
    the whole name; "heading" when the name stands on the line above the
    paragraph, see :func:`map_draft`, and the offsets are in that line's
    text), "lead" (the first
    sentence, which states the subject), "purpose" (a clause saying what the
    programme is for: "so that ...", "to help ...", 「…ため」) or "" (elsewhere;
    those count as written). ``context`` is "means" or "setting" for a word
    that names how or where a city acts (``context.csv``); ``factor`` below 1
    means it was weighed as context because the text has a subject of its own.
    """

    term: str
    text: str
    start: int
    end: int
    goal: int
    target: str | None = None
    weight: float = 1.0
    kind: str = "term"
    source: str = ""
    place: str = ""
    context: str = ""
    factor: float = 1.0

    @property
    def term_weight(self) -> float:
        """The term's own weight, before its place and role in the text were counted."""
        return round(self.weight / self.factor, 3) if self.factor else self.weight


@dataclass(frozen=True)
class Match:
    """A suggested goal for a text: score in 0..1 and the evidence behind it.

    ``target`` is the best-supported target of the goal (None if the
    evidence is only goal-level); ``targets`` lists every target with
    evidence, best first. ``level`` is "target" when ``target`` is set.
    """

    goal: int
    target: str | None
    score: float
    evidence: tuple[Evidence, ...]
    targets: tuple[str, ...] = ()
    title: str = ""
    weight: float = 0.0

    @property
    def level(self) -> Level:
        return "target" if self.target else "goal"

    @property
    def code(self) -> str:
        """The most specific code: the target if there is one, else the goal number."""
        return self.target or str(self.goal)

    @property
    def terms(self) -> tuple[str, ...]:
        """The distinct matched words, in order of appearance."""
        seen: dict[str, None] = {}
        for e in self.evidence:
            if e.kind != "meaning":
                seen.setdefault(e.text, None)
        return tuple(seen)

    def evidence_for(self, target: str) -> tuple[Evidence, ...]:
        """The evidence that names ``target``."""
        return tuple(e for e in self.evidence if e.target == target)

    def why(self, limit: int = 4) -> str:
        """Why this goal is suggested, in one line: its strongest words and where they stand.

        >>> map_text("Safe Parking. People who live in their cars can park overnight.")[0].why()  # doctest: +SKIP
        "'Safe Parking' (title, 1.6); 'live in their cars' (lead, 1.4); weighed as context: 'park'"
        """
        best: dict[str, Evidence] = {}
        meaning = [e for e in self.evidence if e.kind == "meaning"]
        for e in self.evidence:
            if e.kind == "meaning":
                continue
            if e.factor >= 1 or not e.context:
                if e.text.lower() not in best or e.weight > best[e.text.lower()].weight:
                    best[e.text.lower()] = e
        ranked = sorted(best.values(), key=lambda e: (-e.weight, e.start))[:limit]
        parts = [f"'{e.text}' ({e.place + ', ' if e.place else ''}{e.weight:g})" for e in ranked]
        context = dict.fromkeys(e.text for e in self.evidence if e.context and e.factor < 1)
        if context:
            parts.append("weighed as context: " + ", ".join(f"'{w}'" for w in context))
        parts += [f"{e.source}, weight {e.weight:g}" if e.weight else e.source for e in meaning]
        return "; ".join(parts)


# --------------------------------------------------------------------------- text folding

# One-to-one replacements after NFKC, so offsets stay aligned.
_FOLD_1TO1 = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2212": "-",
        "\u00ad": "-",
        "\ufffe": "-",
    }
)


def _fold(text: str) -> tuple[str, list[int] | None]:
    """NFKC-fold ``text``; return the folded text and, if lengths differ, an offset map.

    The map has one entry per folded character plus one: the offset in the
    original text where that character's source begins.
    """
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text.translate(_FOLD_1TO1), None
    out: list[str] = []
    index: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        # keep combining marks (and half-width voiced marks) with their base character
        while j < n and (unicodedata.combining(text[j]) or text[j] in "\uff9e\uff9f"):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j])
        out.append(piece)
        index.extend([i] * len(piece))
        i = j
    index.append(n)
    folded = "".join(out).translate(_FOLD_1TO1)
    if len(folded) == n and index == list(range(n + 1)):
        return folded, None
    return folded, index


def _span(index: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Map a folded-text span back to the original text (see :func:`_fold`)."""
    if index is None:
        return start, end
    last = len(index) - 1
    s = index[min(start, last)]
    k = min(end, last)
    # a match ending inside a multi-character expansion ("ﬁ" -> "fi") takes the
    # whole source character
    while 0 < k < last and index[k] == index[k - 1]:
        k += 1
    return s, max(index[k], s + 1) if end > start else s


# --------------------------------------------------------------------------- compiling

_LATIN = "0-9A-Za-z\u00c0-\u024f"
_LATIN_CHAR = re.compile(f"[{_LATIN}]")
_SEP = r"[\s\-/]+"
_WILD = f"[{_LATIN}'-]*"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


_VOWELS = "aeiou"
# a term of plain lower-case words (the kinds generated from WordNet qualify)
_PLAIN_NOUN = re.compile(r"^[a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2}$")
# a word of the lower-cased text, and what may stand between the words of a term
_TOKEN = re.compile(r"[a-z][a-z']*")
_GAP = re.compile(r"[\s\-/]+")


def _is_kind(term: Term) -> bool:
    """True for a term of the generated kinds file (``kinds_en.csv``)."""
    return term.source.endswith(KINDS_FILE) and Path(term.source).name == KINDS_FILE


def _noun_forms(word: str) -> tuple[str, ...]:
    """A noun as written and in the plural and possessive (as :func:`_atoms` matches)."""
    if len(word) > 2 and word[-1] == "y" and word[-2] not in _VOWELS:
        return (word, word[:-1] + "ies", word + "'s")
    return (word, word + "s", word + "es", word + "'s", word + "s'")


def _inflected(word: str) -> list[tuple[str, str]]:
    """Atoms for a term's last word (four letters or more) and its inflections.

    Plural and possessive as for every word, and the -ed, -ing and -er(s) forms,
    so that "rent" finds "renters", "rented" and "renting", "nurse" finds
    "nursing" and "plan" finds "planning". A city describes its programmes in
    verbs and in the names of the people they serve, not in the nouns of the
    term lists.
    """
    if word.endswith("e") and word[-2] not in _VOWELS:
        stem = word[:-1]
        tail = "(?:e(?:s|'s|s'|d|rs?)?|ing)"
    elif word[-1] not in _VOWELS + "wxy" and word[-2] in _VOWELS and word[-3] not in _VOWELS:
        stem = word
        last = re.escape(word[-1])
        tail = f"(?:s|es|'s|s'|ed|ing|ers?|{last}(?:ed|ing|ers?))?"
    else:
        stem = word
        tail = "(?:s|es|'s|s'|ed|ing|ers?)?"
    return [*(("c", ch) for ch in stem), ("r", tail)]


def _atoms(key: str, *, inflect: bool = True) -> list[tuple[str, str]]:
    """A term as a sequence of atoms: ("c", literal char) or ("r", regex piece).

    ``inflect`` lets the last English word match its -ed, -ing and -er(s) forms
    (:func:`_inflected`); its plural matches in any case.
    """
    atoms: list[tuple[str, str]] = []
    if _CJK.search(key):
        for ch in key:
            atoms.append(("r", r"\s*") if ch == " " else ("c", ch))
    else:
        words = key.split(" ")
        for w, word in enumerate(words):
            if w:
                atoms.append(("r", _SEP))
            last = w == len(words) - 1
            if word.endswith("*"):
                atoms.extend(("c", ch) for ch in word[:-1])
                atoms.append(("r", _WILD))
            elif (
                last
                and len(word) > 2
                and word[-1] == "y"
                and word[-2] not in "aeiou"
                and word.isalpha()
            ):
                atoms.extend(("c", ch) for ch in word[:-1])
                atoms.append(("r", "(?:y|ies|y's)"))
            elif last and len(word) >= 4 and word.isalpha() and not is_case_sensitive(word):
                atoms.extend(_inflected(word))
            elif last and word[-1:].isalpha() and not is_case_sensitive(word):
                atoms.extend(("c", ch) for ch in word)
                atoms.append(("r", "(?:s|es|'s|s')?"))
            elif last and word[-1:].isalpha():
                atoms.extend(("c", ch) for ch in word)
                atoms.append(("r", "s?"))  # MRFs, BHSs
            else:
                atoms.extend(("c", ch) for ch in word)
    if _LATIN_CHAR.match(key[-1:]) or key.endswith("*"):
        atoms.append(("r", f"(?![{_LATIN}])"))
    return atoms


class _Node:
    __slots__ = ("children", "depth", "ends")

    def __init__(self) -> None:
        self.children: dict[tuple[str, str], _Node] = {}
        self.ends: list[int] = []
        self.depth = 0  # atoms on the longest path below this node


def _emit(node: _Node, groups: list[int]) -> str:
    """The regex for a trie node; appends the term index of each capturing group in order."""
    alts: list[str] = []
    # The regex engine takes the first alternative that succeeds, so the branch
    # leading to the longest terms goes first and "the term ends here" last.
    for (kind, value), child in sorted(
        node.children.items(), key=lambda kv: (-kv[1].depth, kv[0][0] != "c", kv[0][1])
    ):
        piece = re.escape(value) if kind == "c" else value
        alts.append(piece + _emit(child, groups))
    if node.ends:
        groups.append(node.ends[0])
        alts.append("()")
    if not alts:
        return ""
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


class _Matcher:
    """A vocabulary compiled into prefix-tree regexes, built once per vocabulary version.

    Case-insensitive terms are matched on the lower-cased text (plain literal
    alternatives let the regex engine skip quickly to candidate positions);
    terms in capitals are matched on the text as written. Terms starting with
    a Latin letter or digit and the others (Japanese) get separate regexes:
    one alternation of both is several times slower.
    """

    def __init__(self, vocab: Vocabulary) -> None:
        self.version = vocab.version
        # identical match keys share one entry: several rows (goals) per pattern
        self.entries: list[tuple[str, list[Term]]] = []
        by_key: dict[str, int] = {}
        for t in vocab.terms:
            key = t.key
            if key in by_key:
                self.entries[by_key[key]][1].append(t)
            else:
                by_key[key] = len(self.entries)
                self.entries.append((key, [t]))
        # The kinds generated from WordNet (thousands of plain nouns: "tilapia") are looked
        # up word by word; compiled into the regexes they would cost seconds per version.
        self.nouns: dict[str, int] = {}
        self._first_words: set[str] = set()
        regex = []
        for i, (key, terms) in enumerate(self.entries):
            if _PLAIN_NOUN.match(key) and all(_is_kind(t) for t in terms):
                words = key.replace("-", " ").split()
                for form in _noun_forms(words[-1]):
                    self.nouns.setdefault(" ".join([*words[:-1], form]), i)
                self._first_words.add(words[0])
            else:
                regex.append(i)
        folded = [i for i in regex if not is_case_sensitive(self.entries[i][0])]
        exact = [i for i in regex if is_case_sensitive(self.entries[i][0])]
        # (pattern, groups) for the lower-cased text, and for the text as written
        self._lower = self._patterns(folded)
        self._exact = [(re.compile(p), g) for p, g in self._patterns(exact)]
        self._lower_compiled = [(re.compile(p), g) for p, g in self._lower]
        self._ignorecase: list[tuple[re.Pattern[str], list[int]]] | None = None
        # per entry, the evidence fields of each of its rows (stop phrases carry none)
        self.rows: list[list[tuple[str, int, str | None, float, str, str]]] = []
        # per entry, its context role ("means", "setting") or ""
        self.context: list[str] = [vocab.context.get(key, "") for key, _ in self.entries]
        self._fill_rows()

    def _patterns(self, indices: list[int]) -> list[tuple[str, list[int]]]:
        latin, other = _Node(), _Node()
        for i in indices:
            key = self.entries[i][0]
            node = latin if _LATIN_CHAR.match(key[0]) else other
            # the kinds generated from WordNet are nouns: they match as written or plural
            inflect = not all(_is_kind(t) for t in self.entries[i][1])
            atoms = _atoms(key, inflect=inflect)
            for pos, atom in enumerate(atoms):
                node.depth = max(node.depth, len(atoms) - pos)
                node = node.children.setdefault(atom, _Node())
            if node.ends:
                # two spellings with the same pattern: one group carries both terms
                self.entries[node.ends[0]][1].extend(self.entries[i][1])
            else:
                node.ends.append(i)
        out: list[tuple[str, list[int]]] = []
        if latin.children:
            groups: list[int] = []
            out.append((f"(?<![{_LATIN}])" + _wrap(_emit(latin, groups)), groups))
        if other.children:
            groups = []
            out.append((_wrap(_emit(other, groups)), groups))
        return out

    def _fill_rows(self) -> None:
        for _key, terms in self.entries:
            self.rows.append(
                [
                    (
                        t.term,
                        t.goal,
                        t.target,
                        t.weight,
                        "local" if (t.city or t.source == "workspace") else "term",
                        f"{Path(t.source).name}:{t.row}" if t.source else "",
                    )
                    for t in terms
                    if t.goal is not None
                ]
            )

    def _noun_hits(self, lower: str) -> list[tuple[int, int, int]]:
        """(start, end, entry) of the listed nouns of one to three words, longest first."""
        words = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(lower)]
        out: list[tuple[int, int, int]] = []
        skip_to = 0
        for n, (start, _end, word) in enumerate(words):
            if start < skip_to or word not in self._first_words:
                continue
            for size in (3, 2, 1):
                if n + size > len(words):
                    continue
                span = words[n : n + size]
                gaps = zip(span, span[1:], strict=False)
                if any(not _GAP.fullmatch(lower, a[1], b[0]) for a, b in gaps):
                    continue
                entry = self.nouns.get(" ".join(w[2] for w in span))
                if entry is not None:
                    out.append((start, span[-1][1], entry))
                    skip_to = span[-1][1]
                    break
        return out

    def hits(self, folded: str) -> list[tuple[int, int, int]]:
        """(start, end, entry index) of every non-overlapping term, longest first."""
        lower = folded.lower()
        runs: list[tuple[str, list[tuple[re.Pattern[str], list[int]]]]] = []
        if len(lower) == len(folded):
            runs.append((lower, self._lower_compiled))
        else:
            # a few characters (e.g. "İ") grow when lower-cased: offsets would shift
            if self._ignorecase is None:
                self._ignorecase = [(re.compile(p, re.IGNORECASE), g) for p, g in self._lower]
            runs.append((folded, self._ignorecase))
        runs.append((folded, self._exact))
        found: list[tuple[int, int, int]] = []
        sources = 0
        for text, compiled in runs:
            for regex, groups in compiled:
                before = len(found)
                for m in regex.finditer(text):
                    if m.lastindex is not None and m.end() > m.start():
                        found.append((m.start(), m.end(), groups[m.lastindex - 1]))
                sources += len(found) > before
        if self.nouns and len(lower) == len(folded):
            before = len(found)
            found.extend(self._noun_hits(lower))
            sources += len(found) > before
        if sources > 1:
            found = _non_overlapping(found)
        return found


def _wrap(pattern: str) -> str:
    return pattern if pattern.startswith("(?:") and _balanced_outer(pattern) else f"(?:{pattern})"


def _balanced_outer(pattern: str) -> bool:
    """True if the outermost (?:...) of ``pattern`` spans all of it."""
    depth = 0
    escaped = False
    for pos, ch in enumerate(pattern):
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "[":
            # skip a character class
            end = pattern.find("]", pos + 2)
            if end == -1:
                return False
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and pos != len(pattern) - 1:
                return False
    return True


def _non_overlapping(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    found.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple[int, int, int]] = []
    end = -1
    for hit in found:
        if hit[0] >= end:
            kept.append(hit)
            end = hit[1]
        elif hit[1] - hit[0] > kept[-1][1] - kept[-1][0] and hit[0] < kept[-1][1]:
            # a longer term overlapping the previous one replaces it
            kept[-1] = hit
            end = hit[1]
    return kept


_MATCHERS: dict[str, _Matcher] = {}


def _matcher(vocab: Vocabulary) -> _Matcher:
    m = _MATCHERS.get(vocab.version)
    if m is None:
        m = _Matcher(vocab)
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        _MATCHERS[vocab.version] = m
    return m


# --------------------------------------------------------------------------- explicit references

_CODE = r"\d{1,2}(?:\.(?:\d{1,2}|[a-z]))?(?:\.\d{1,2})?"
_LIST_SEP = r"\s*(?:,|、|，|・|&|/|and|or|to|-|~|〜|と|及び|および|から)\s*"
_REFERENCE = re.compile(
    r"(?:(?<![A-Za-z])(?P<en>SDGs?|Goals?|Targets?|Indicators?)(?:\s+No\.?)?\s*#?\s*"
    r"|(?P<ja>目標|ゴール|ターゲット|指標)\s*(?:第\s*)?)"
    rf"(?P<codes>{_CODE}(?![\d%]|\.\d)(?:{_LIST_SEP}(?:(?:SDGs?|Goals?|目標)\s*)?{_CODE}(?![\d%]|\.\d))*)",
    re.IGNORECASE,
)
_ONE_CODE = re.compile(rf"{_CODE}(?![\d%]|\.\d)")
_NOT_A_CODE_BEFORE = re.compile(
    r"(?:section|chapter|table|figure|fig\.|annex|appendix|box|paragraph|para\.|page|p\.|pp\.|"
    r"step|item|version|ver\.|v|§|no\.|第|表|図|章|節)\s*$",
    re.IGNORECASE,
)
_BARE_INDICATOR = re.compile(r"(?<![\d.])\d{1,2}\.(?:\d{1,2}|[a-z])\.\d{1,2}(?![\d.%])")


class _Codes(NamedTuple):
    """What the mapping needs from the framework, looked up once per framework."""

    goals: frozenset[int]
    targets: frozenset[str]
    indicators: dict[str, str | None]  # every listed indicator code -> its target
    titles: dict[tuple[int, str], str]  # (goal, lang) -> short title


@lru_cache(maxsize=4)
def _codes_of(fw: Framework) -> _Codes:
    targets = frozenset(t.code for t in fw.targets)
    indicators: dict[str, str | None] = {}
    for ind in fw.indicators:
        for code in (ind.code, *ind.codes):
            target = code.rsplit(".", 1)[0]
            indicators.setdefault(code, target if target in targets else None)
    titles = {(g.number, lang): g.short(lang) for g in fw.goals for lang in ("en", "ja")}
    return _Codes(frozenset(g.number for g in fw.goals), targets, indicators, titles)


def _codes() -> _Codes:
    from .framework import get_framework

    return _codes_of(get_framework())


def _references(folded: str, codes: _Codes) -> list[tuple[int, int, int, str | None, str, float]]:
    """Explicit references: (start, end, goal, target, label, weight)."""
    goals, targets, indicators = codes.goals, codes.targets, codes.indicators
    out: list[tuple[int, int, int, str | None, str, float]] = []
    taken: list[tuple[int, int]] = []
    for m in _REFERENCE.finditer(folded):
        word = (m.group("en") or m.group("ja") or "").lower()
        first = True
        for c in _ONE_CODE.finditer(m.group("codes")):
            code = c.group(0).lower()
            parts = code.split(".")
            # the first code's evidence includes its keyword ("SDG 14"); later ones are bare
            s = m.start() if first else m.start("codes") + c.start()
            e = m.start("codes") + c.end()
            first = False
            if len(parts) == 1:
                if word.startswith(("target", "indicator", "ターゲット", "指標")):
                    continue
                goal = int(parts[0])
                if goal in goals:
                    out.append((s, e, goal, None, f"SDG {goal}", REFERENCE_WEIGHT))
            elif len(parts) == 2:
                if word.startswith(("indicator", "指標")) or code not in targets:
                    continue
                out.append((s, e, int(parts[0]), code, f"target {code}", REFERENCE_WEIGHT))
            else:
                if code not in indicators:
                    continue
                out.append(
                    (s, e, int(parts[0]), indicators[code], f"indicator {code}", REFERENCE_WEIGHT)
                )
            taken.append((s, e))
    for m in _BARE_INDICATOR.finditer(folded):
        if any(s <= m.start() < e for s, e in taken):
            continue
        if _NOT_A_CODE_BEFORE.search(folded, max(0, m.start() - 16), m.start()):
            continue  # "Section 3.2.1", "Table 6.1.1": a document's own numbering
        code = m.group(0).lower()
        if code not in indicators:
            continue
        out.append(
            (
                m.start(),
                m.end(),
                int(code.split(".")[0]),
                indicators[code],
                f"indicator {code}",
                CODE_WEIGHT,
            )
        )
    return out


# --------------------------------------------------------------------------- mapping text


def _vocabulary(vocabulary: Vocabulary | None, city: str | None) -> Vocabulary:
    if vocabulary is not None:
        if not isinstance(vocabulary, Vocabulary):
            raise MappingError(
                f"vocabulary must be a Vocabulary (from load_vocabulary), not {type(vocabulary).__name__}"
            )
        return vocabulary
    return load_vocabulary(city=city)


def _check_text(text: object) -> str:
    if isinstance(text, bytes | bytearray):
        raise MappingError(
            "text must be str, not bytes; decode it first (e.g. data.decode('utf-8'))"
        )
    if not isinstance(text, str):
        raise MappingError(f"text must be str, not {type(text).__name__}")
    return text


def find_evidence(
    text: str, *, city: str | None = None, vocabulary: Vocabulary | None = None
) -> list[Evidence]:
    """Every vocabulary hit and explicit reference in ``text``, in order, before thresholding.

    A term listed for several goals gives one Evidence per goal.
    """
    text = _check_text(text)
    if not text.strip():
        return []
    return _evidence(text, _matcher(_vocabulary(vocabulary, city)), _codes())


def _evidence(text: str, matcher: _Matcher, codes: _Codes) -> list[Evidence]:
    """The evidence in ``text``, each piece weighed by its place and role (:class:`Evidence`)."""
    return _analyse(text, matcher, codes)[0]


def _analyse(text: str, matcher: _Matcher, codes: _Codes) -> tuple[list[Evidence], bool]:
    """The weighed evidence in ``text`` and whether the text is structured.

    Structured: it has a title, several sentences or a purpose clause, so it
    says its subject apart from its context (see :func:`_places`), as a
    programme description does.
    """
    folded, index = _fold(text)
    evidence: list[Evidence] = []
    refs = _references(folded, codes)
    ref_spans = [(r[0], r[1]) for r in refs]
    for s, e, goal, target, label, weight in refs:
        o_s, o_e = _span(index, s, e)
        evidence.append(Evidence(label, text[o_s:o_e], o_s, o_e, goal, target, weight, "reference"))
    hits = matcher.hits(folded)
    places, several = _places(folded) if hits else ([], False)
    found: list[tuple[int, int, str, str, str, tuple[str, int, str | None, float, str, str]]] = []
    for s, e, entry in hits:
        if ref_spans and any(rs < e and s < re_ for rs, re_ in ref_spans):
            continue  # "Goal 14" is a reference, not the term "goal"
        o_s, o_e = _span(index, s, e)
        words = text[o_s:o_e]
        place = _place_at(places, folded, s, e)
        context = matcher.context[entry]
        for row in matcher.rows[entry]:
            found.append((o_s, o_e, words, place, context, row))
    factors = _subject_factors([(r[1], r[3], p, c) for _s, _e, _w, p, c, r in found], several)
    for (o_s, o_e, words, place, context, row), factor in zip(found, factors, strict=True):
        term, goal, target, weight, kind, source = row
        if factor != 1.0:
            weight = round(weight * factor, 3)
        evidence.append(
            Evidence(
                term, words, o_s, o_e, goal, target, weight, kind, source, place, context, factor
            )
        )
    evidence.sort(key=lambda ev: (ev.start, ev.goal))
    return evidence, several


# --------------------------------------------------------------------------- the main subject

#: Factor for the words of a programme's name (a short first sentence before its description).
TITLE_FACTOR = 1.6
#: Factor for the words of the first sentence, which states what the text is about.
LEAD_FACTOR = 1.4
#: Factor for the words of a purpose clause ("so that ...", "to help ...", 「…ため」).
PURPOSE_FACTOR = 1.4
#: Factor for a context word (``context.csv``) when the text has a subject of its own.
CONTEXT_FACTOR = 0.4
#: Subject weight (non-context words) a text needs before its context words are weighed less.
SUBJECT_MIN = 1.0
#: When no goal reaches MIN_WEIGHT in a structured text (a programme description: a title,
#: several sentences or a purpose clause), the leading goal is still suggested if its
#: place-weighted evidence reaches MIN_WEIGHT and is this many times the runner-up's.
CLEAR_LEAD = 1.5
#: When no goal reaches MIN_WEIGHT in any text, the leading goal is still suggested if its
#: subject words (not context words) in the title, lead or a purpose clause weigh this much
#: with their place ("women" in the lead sentence: 0.5 x 1.4) and it leads by CLEAR_LEAD.
WEAK_MIN = 0.7

_PLACE_FACTORS = {
    "name": TITLE_FACTOR,
    "title": TITLE_FACTOR,
    "lead": LEAD_FACTOR,
    "purpose": PURPOSE_FACTOR,
}
# ends of sentences: "." before a space and a non-lower-case letter; 。！？; line breaks
_SENTENCE_END = re.compile(r"[.!?]+[\"')\u201d]*(?=\s+[^a-z\s])|[。！？]+[」』）)]*|\n\s*")
# words whose full stop does not end a sentence ("Dr. Cruz", "No. 5", "e.g. parks", "U.S. Navy")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Za-z]|Dr|Mr|Mrs|Ms|No|St|Sr|Jr|vs|etc|e\.g|i\.e))$")
# a programme's name before its description, ended by a colon or a dash
_NAME_SEP = re.compile(r"^[^.!?。:：\n]{2,60}?(?::|：|\s[-\u2013\u2014]\s)")
_PURPOSE_EN = re.compile(
    r"\b(?:so (?:that|no|they|it)|in order to|aim(?:s|ed)? (?:to|at)|help(?:s|ing)?"
    r"|to (?:help|ensure|make sure|prevent|protect|keep|stop|end|reduce|improve|support|give"
    r"|provide|bring)|for (?:people|residents|families) who)\b"
)  # matched on the lower-cased text
_PURPOSE_JA = re.compile(r"(?:ため|ように|よう、|を目指|を目的|を支え|を守)")


def _sentences(folded: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the (folded) text, spaces trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(folded):
        if m.group(0)[:1] == "." and _ABBREVIATION.search(folded, max(0, m.start() - 4), m.start()):
            continue
        if m.end() > start:
            spans.append((start, m.end()))
        start = m.end()
    if start < len(folded):
        spans.append((start, len(folded)))
    out = []
    for s, e in spans:
        chunk = folded[s:e]
        stripped = chunk.strip()
        if stripped:
            s += len(chunk) - len(chunk.lstrip())
            out.append((s, s + len(stripped)))
    return out


def _is_title(sentence: str) -> bool:
    """A programme's name: a short sentence without a verb-like length ("Safe Parking.")."""
    body = sentence.rstrip(".。!！:：")
    if _CJK.search(body):
        return 1 < len(body) <= 20 and "、" not in body and not body.endswith(("る", "た", "い"))
    words = body.split()
    return 0 < len(words) <= 7 and not body[:1].isdigit() and not body[:1].islower()


def _places(folded: str) -> tuple[list[tuple[int, int, str]], bool]:
    """Spans of the text that state its subject: title, lead sentence and purpose clauses.

    A title is a short first sentence (or a name before a colon or a dash)
    followed by more text; the lead is the first sentence after it. Purpose
    clauses run from "so that", "to help" ... to the end of their sentence;
    in Japanese from the start of the sentence to 「ため」「ように」 (in the lead
    sentence too). The flag is True when the text has a title, more than one
    sentence or a purpose clause: it then says its subject apart from its means.
    """
    sentences = _sentences(folded)
    if not sentences:
        return [], False
    places: list[tuple[int, int, str]] = []
    first = 0
    s0, e0 = sentences[0]
    name = _NAME_SEP.match(folded, s0)
    if len(sentences) > 1 and _is_title(folded[s0:e0]):
        places.append((s0, e0, "title"))
        first = 1
    elif name and name.end() < e0 and len(folded[s0 : name.end()].split()) <= 7:
        places.append((s0, name.end(), "title"))
        sentences[0] = (name.end(), e0)
        sentences.insert(0, (s0, name.end()))
        first = 1
    purposeful = False
    for n, (s, e) in enumerate(sentences[first:]):
        span = _purpose(folded, s, e)
        if n == 0:
            # the lead; a purpose clause inside it is marked as such
            if span is None:
                places.append((s, e, "lead"))
                continue
            if span[0] > s:
                places.append((s, span[0], "lead"))
            if span[1] < e:
                places.append((span[1], e, "lead"))
        if span is not None:
            places.append((span[0], span[1], "purpose"))
            purposeful = True
    places.sort()
    return places, len(sentences) > 1 or purposeful


def _purpose(folded: str, s: int, e: int) -> tuple[int, int] | None:
    """The purpose clause of the sentence ``folded[s:e]``, if it has one."""
    sentence = folded[s:e]
    lower = sentence.lower()
    # lower-cased, not IGNORECASE: several times faster; skip the rare text that grows
    m = _PURPOSE_EN.search(lower) if len(lower) == len(sentence) else None
    if m:
        return s + m.start(), e
    ends = [m.end() for m in _PURPOSE_JA.finditer(sentence)]
    if ends:
        return s, s + ends[-1]  # the purpose runs up to the last 「ため」「ように」
    return None


def _place_at(places: list[tuple[int, int, str]], folded: str, pos: int, end: int) -> str:
    """The place of the words at ``pos:end``; "name" when they are (nearly) the whole title."""
    for s, e, place in places:
        if s <= pos < e:
            if place == "title" and end - pos >= 0.75 * len(folded[s:e].strip(" .。:：-")):
                return "name"
            return place
        if s > pos:
            break
    return ""


def _subject_factors(found: list[tuple[int, float, str, str]], several: bool) -> list[float]:
    """The factor of each vocabulary hit ``(goal, weight, place, context)`` (see :class:`Evidence`).

    Words in the title, lead sentence or a purpose clause count more. Context
    words (how or where a city acts) count less when the text has a subject
    of its own, i.e. other words reaching :data:`SUBJECT_MIN`, unless they
    are in the title (the text is about them) or their goal has subject words
    of its own (they support it). ``several`` is False for a text of one
    sentence without a title or purpose clause: it states its subject and its
    means together ("The City partnered with two universities on health research").
    """
    subject: dict[int, float] = {}
    for goal, weight, place, context in found:
        if not context:
            subject[goal] = subject.get(goal, 0.0) + weight * _PLACE_FACTORS.get(place, 1.0)
    has_subject = several and max(subject.values(), default=0.0) >= SUBJECT_MIN
    factors: list[float] = []
    for goal, _weight, place, context in found:
        factor = _PLACE_FACTORS.get(place, 1.0)
        if (
            context
            and has_subject
            and place not in ("title", "name")
            and subject.get(goal, 0.0) < 0.5
        ):
            factor = CONTEXT_FACTOR
        factors.append(factor)
    return factors


def _weigh(
    evidence: Iterable[Evidence], *, boosted: bool = True
) -> tuple[dict[int, float], dict[str, float]]:
    """Evidence weight per goal and per target, with diminishing returns for repeats.

    ``boosted=False`` leaves out the extra weight of the title, lead and purpose
    clauses (context words still count less): a goal must reach
    :data:`MIN_WEIGHT` on that weight, so that where a word stands decides
    which goal ranks first. Exceptions: a term that is the programme's whole
    name ("Open data.") counts with its place, and when no goal reaches the
    threshold in a structured text, :func:`_select` still suggests a goal that
    clearly leads on the place-weighted evidence (see :data:`CLEAR_LEAD`).
    """
    per_term: dict[tuple[int, str | None, str], list[float]] = {}
    for e in evidence:
        # The reading by meaning counts for its goal; its target stands in only where
        # no word names one (see _select).
        target = None if e.kind == "meaning" else e.target
        key = (e.goal, target, e.term.lower() if e.kind != "reference" else e.term)
        w = e.weight if boosted or e.factor <= 1 or e.place == "name" else e.weight / e.factor
        per_term.setdefault(key, []).append(w)
    goals: dict[int, float] = {}
    targets: dict[str, float] = {}
    for (goal, target, _term), weights in per_term.items():
        w = max(weights) * (1 + REPEAT_BONUS * min(len(weights) - 1, 2))
        goals[goal] = goals.get(goal, 0.0) + w
        if target:
            targets[target] = targets.get(target, 0.0) + w
    return goals, targets


def goal_scores(
    text: str, *, city: str | None = None, vocabulary: Vocabulary | None = None
) -> dict[int, float]:
    """Raw evidence weight per goal in ``text``, before any threshold."""
    return _weigh(find_evidence(text, city=city, vocabulary=vocabulary))[0]


def score_of(weight: float) -> float:
    """The 0..1 score shown for an evidence weight."""
    return round(1.0 - math.exp(-max(weight, 0.0) / SCORE_SCALE), 3)


class _Reading(NamedTuple):
    """The reading as evidence (see :func:`_meaning_evidence`)."""

    first: Evidence | None = None
    offered: tuple[Evidence, ...] = ()
    last: Evidence | None = None


#: Words alone: nothing read by meaning.
_NO_READING = _Reading()


def _select(
    evidence: list[Evidence],
    lang: str,
    min_weight: float = MIN_WEIGHT,
    relative: float = RELATIVE_CUTOFF,
    codes: _Codes | None = None,
    structured: bool = False,
    reading: _Reading = _NO_READING,
) -> list[Match]:
    meaning, offered, last = reading
    fallback = meaning
    if meaning is not None and (
        not evidence
        or meaning.weight >= MEANING_NEW_GOAL
        or any(e.goal == meaning.goal for e in evidence)
    ):
        # after the words: the reviewer reads what the words say first, then the reading
        evidence = [*evidence, meaning]
    else:
        meaning = None
    goals, targets = _weigh(evidence)
    if not goals and last is None:
        return []
    plain = _weigh(evidence, boosted=False)[0]
    top = max(goals.values(), default=0.0)
    titles = (codes or _codes()).titles

    def match(goal: int, weight: float) -> Match:
        tw = sorted(
            ((code, w) for code, w in targets.items() if code.split(".")[0] == str(goal)),
            key=lambda cw: (-cw[1], _target_order(cw[0])),
        )
        if not tw:
            tw = [
                (e.target, e.weight)
                for e in evidence
                if e.goal == goal and e.kind == "meaning" and e.target
            ]
        return Match(
            goal=goal,
            target=tw[0][0] if tw else None,
            score=score_of(weight),
            evidence=tuple(e for e in evidence if e.goal == goal),
            targets=tuple(code for code, _ in tw),
            title=titles.get((goal, lang), ""),
            weight=round(weight, 3),
        )

    matches = [
        match(goal, weight)
        for goal, weight in goals.items()
        if plain[goal] >= min_weight - 1e-9 and weight >= relative * top
    ]
    if not matches and goals:
        matches = _weak_subject(evidence, goals, structured, min_weight, match)
    if not matches and fallback is not None:
        # Nothing the words say reaches the threshold, not even a clearly leading weak
        # subject: the reading by meaning decides, with its own (low) weight so that the
        # score shows how sure it is.
        floor = dataclasses.replace(fallback, weight=max(fallback.weight, MEANING_FLOOR))
        evidence = [e for e in evidence if e is not meaning] + [floor]
        words = goals.get(fallback.goal, 0.0) - (meaning.weight if meaning is not None else 0.0)
        matches = [match(fallback.goal, words + floor.weight)]
    if not matches and last is not None:
        # A programme description that nothing else points to, read as clearly about one
        # goal although closer still to the examples about no goal: that goal, with the
        # reading's low weight, rather than no suggestion (its evidence says both).
        evidence = [*evidence, last]
        matches = [match(last.goal, last.weight)]
    matches.sort(key=lambda m: (-m.weight, m.goal))
    for extra in offered:
        # A programme description is often read as close to a second goal beside the one
        # it is filed under: the reading's goals are offered too (when something else is
        # suggested), after the suggestions and with the low weight that shows what they are.
        if matches and len(matches) < MAX_OFFERED and all(m.goal != extra.goal for m in matches):
            evidence = [*evidence, extra]
            matches.append(match(extra.goal, extra.weight))
    return matches


def _weak_subject(
    evidence: list[Evidence],
    goals: dict[int, float],
    structured: bool,
    min_weight: float,
    match: Callable[[int, float], Match],
) -> list[Match]:
    """The one goal suggested for a text where no goal reaches the threshold, if any.

    A programme description often says its subject in a few everyday words that
    count for little alone ("women", "police", 「二酸化炭素」). When the goal they
    point to clearly leads (:data:`CLEAR_LEAD` times the runner-up), it is still
    suggested if its weight, counted with the place of its words, reaches
    :data:`MIN_WEIGHT` in a structured text, or :data:`WEAK_MIN` on its subject
    words alone (context words left out) where they stand in the title, the lead
    sentence or a purpose clause. The suggestion's weight is what it is, so its
    score shows how weak it is; :meth:`Match.why` lists its words and places.
    """
    ranked = sorted(goals.items(), key=lambda gw: (-gw[1], gw[0]))
    goal, weight = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if weight < CLEAR_LEAD * second:
        return []
    if structured and weight >= min_weight:
        return [match(goal, weight)]
    subject = _weigh(e for e in evidence if e.goal == goal and e.place and not e.context)[0]
    if subject.get(goal, 0.0) >= WEAK_MIN - 1e-9:
        return [match(goal, weight)]
    return []


def _target_order(code: str) -> tuple[int, int]:
    part = code.split(".")[1]
    return (1, ord(part)) if part.isalpha() else (0, int(part))


def map_text(
    text: str,
    lang: str | None = None,
    *,
    city: str | None = None,
    vocabulary: Vocabulary | None = None,
    meaning: bool | None = None,
) -> list[Match]:
    """The SDG suggestions for ``text``: one Match per goal, best first.

    ``lang`` ("en"/"ja", default: detected) sets the language of the goal
    titles; the English and Japanese terms are always both applied, so
    mixed text works. ``city`` adds that city's local terms; ``vocabulary``
    (from :func:`~vlr_tools.vocabulary.load_vocabulary`) replaces the
    default one, e.g. to include a review's local terms. Empty or
    whitespace-only text gives ``[]``. ``meaning`` (default: on unless
    ``VLR_MEANING=off``) adds the reading by meaning (:mod:`vlr_tools.meaning`) to a
    text of :data:`~vlr_tools.meaning.MIN_WORDS` words or more; ``True`` requires it
    (:class:`MappingError` when the model cannot load), ``False`` leaves it out.

    >>> [m.goal for m in map_text("Fish catch of municipal fisherfolk fell.")]  # doctest: +SKIP
    [14]
    """
    text = _check_text(text)
    if lang is not None and lang not in ("en", "ja"):
        raise MappingError(f"unknown language {lang!r}; allowed: en, ja")
    if not text.strip():
        return []
    codes = _codes()
    lang = lang or detect_lang(text)
    evidence, structured = _analyse(text, _matcher(_vocabulary(vocabulary, city)), codes)
    read = _meaning_evidence(text, _readings([text], meaning)[0], lang)
    return _select(evidence, lang, codes=codes, structured=structured, reading=read)


# --------------------------------------------------------------------------- reading by meaning

#: Weight of the reading by meaning for each standard deviation its goal stands out
#: beyond :data:`~vlr_tools.meaning.STANDOUT` (added to the goal's evidence).
MEANING_WEIGHT = 2.0
#: Weight of a suggestion made by the reading alone (no word reached the threshold).
MEANING_FLOOR = 0.5
#: Weight the reading needs to add a goal no word points to, when words suggest others.
MEANING_NEW_GOAL = 2.0
#: In a programme description (a title sentence, then text), the reading's goal and its
#: second reading (:attr:`~vlr_tools.meaning.Reading.second`) are offered with
#: :data:`MEANING_FLOOR` when not suggested already, up to this many suggestions.
MAX_OFFERED = 3


def _readings(texts: Sequence[str], meaning: bool | None) -> list[Reading | None]:
    """The model's reading of each text long enough to read, None for the others."""
    model = meaning_model(required=bool(meaning)) if meaning is not False else None
    if model is None:
        return [None] * len(texts)
    which = [i for i, t in enumerate(texts) if readable(t)]
    read = model.read([texts[i] for i in which])
    out: list[Reading | None] = [None] * len(texts)
    for i, r in zip(which, read, strict=True):
        out[i] = r
    return out


#: How an English programme description opens when it has no name: with the problem or
#: the purpose ("Because ...", "To cut ...", "After ...") or with when it began ("Since
#: 2019 ...", "In 2022 ..."). The Japanese openings (「…ため、」「令和3年度から」) were tried
#: and left out: they cost the Japanese paragraph sets and held-out 6 and gained nothing there.
_PROGRAMME_OPENING = re.compile(
    r"(?i)(?:because|to [a-z]+|after|since (?:19|20)\d\d|in (?:19|20)\d\d)\b"
)


def _meaning_evidence(text: str, reading: Reading | None, lang: str) -> _Reading:
    """The reading as evidence over the sentence(s) that state the subject, and, for a
    programme description (a title sentence, then text, or an opening of
    :data:`_PROGRAMME_OPENING`), what is offered: the reading's goal and its second
    reading, each with :data:`MEANING_FLOOR` (see :func:`_select`), or, when the
    examples about no goal overrode a goal that stands out, that goal as the last
    resort (``last``: suggested only when nothing else is)."""
    if reading is None:
        return _Reading()
    folded, index = _fold(text)
    spans = _sentences(folded) or [(0, len(folded))]
    start, end = spans[0]
    titled = len(spans) > 1 and _is_title(folded[start:end])
    # a greeting ("Mabuhay!") is not a programme's name
    programme = (titled and not folded[start:end].rstrip().endswith(("!", "！"))) or bool(
        _PROGRAMME_OPENING.match(folded)
    )
    if titled:
        end = spans[1][1]
    o_s, o_e = _span(index, start, end)

    def evidence(read: Reading, weight: float) -> Evidence:
        return Evidence(
            term=f"meaning {read.target}",
            text=text[o_s:o_e],
            start=o_s,
            end=o_e,
            goal=read.goal,
            target=read.target,
            weight=round(weight, 3),
            kind="meaning",
            source=read.explain(lang),
            place="meaning",
        )

    if not reading.goal:
        if programme and reading.no_goal and reading.standout >= STANDOUT:
            vetoed = dataclasses.replace(reading, goal=reading.best)
            return _Reading(last=evidence(vetoed, MEANING_FLOOR))
        return _Reading()
    first = evidence(reading, MEANING_WEIGHT * max(0.0, reading.standout - STANDOUT))
    if not titled and not _PROGRAMME_OPENING.match(folded):
        return _Reading(first)
    offered = [evidence(reading, MEANING_FLOOR)]
    if reading.second is not None:
        offered.append(evidence(reading.second, MEANING_FLOOR))
    return _Reading(first, tuple(offered))


# --------------------------------------------------------------------------- drafts


def card_title(before: Any, para: Any, codes: _Codes | None = None) -> str:
    """The programme name ``before`` gives ``para``, or "".

    ``before`` is the paragraph just above ``para`` (a text paragraph): a
    heading, or a text line without closing punctuation (a name in bold body
    type, as Word drafts set them), that is short enough to be a name
    (:func:`_is_title`: up to seven words or twenty characters, not starting
    with a number) and names no goal or target itself ("SDG 3: Good Health"
    is a chapter, not a programme).
    """
    if para.kind != "text" or before.kind not in ("heading", "text"):
        return ""
    name = before.text
    if not name or not _is_title(name):
        return ""
    if before.kind == "text" and name[-1:] in ".。!！?？:：;；,、":
        return ""
    if _references(_fold(name)[0], codes or _codes()):
        return ""
    return name


def _titled(text: str, title: str, lang: str) -> str:
    """``title`` and ``text`` as one titled description: "Name. Text"."""
    bare = title.rstrip(".。!！:：")
    return f"{bare}。{text}" if lang == "ja" or _CJK.search(bare[-1:]) else f"{bare}. {text}"


def _onto_paragraph(matches: tuple[Match, ...], shift: int, text: str) -> tuple[Match, ...]:
    """Matches found in "Name. Text" with their evidence placed in ``text`` or its heading.

    Evidence within the name keeps its offsets (they are the heading's own: the
    name starts it) and gets ``place="heading"``; the rest moves back by
    ``shift``; the reading's span is cut to the paragraph.
    """
    out = []
    for m in matches:
        evidence = []
        for e in m.evidence:
            if e.kind == "meaning" or e.end > shift:
                start, end = max(0, e.start - shift), max(0, e.end - shift)
                evidence.append(dataclasses.replace(e, start=start, end=end, text=text[start:end]))
            else:
                evidence.append(dataclasses.replace(e, place="heading"))
        out.append(dataclasses.replace(m, evidence=tuple(evidence)))
    return tuple(out)


@dataclass(frozen=True)
class ParagraphMapping:
    """The suggestions for one paragraph of a draft; ``skipped`` says why none were sought.

    ``skipped`` is "" for a mapped paragraph, else "toc", "acronyms" or
    "glossary" (front matter, see :mod:`vlr_tools.front_matter`).
    """

    ref: str
    page: int
    section: str
    section_ref: str
    kind: str
    text: str
    matches: tuple[Match, ...] = ()
    skipped: str = ""

    def goals(self) -> tuple[int, ...]:
        return tuple(m.goal for m in self.matches)


@dataclass(frozen=True)
class SectionMapping:
    """A section (heading and its paragraphs) with its goals aggregated over its paragraphs.

    A section's goal score combines its paragraphs' scores as independent
    signals: ``1 - prod(1 - score)``.
    """

    title: str
    ref: str
    level: int
    pages: tuple[int, ...]
    paragraphs: tuple[str, ...]
    matches: tuple[Match, ...]


def _combine(found: Sequence[tuple[str, Match]], lang: str) -> list[Match]:
    """Aggregate per-paragraph matches into one Match per goal (noisy-or of scores)."""
    by_goal: dict[int, list[Match]] = {}
    for _ref, m in found:
        by_goal.setdefault(m.goal, []).append(m)
    out: list[Match] = []
    for goal, ms in by_goal.items():
        miss = 1.0
        for m in ms:
            miss *= 1.0 - m.score
        target_weight: dict[str, float] = {}
        for m in ms:
            for code in m.targets:
                target_weight[code] = target_weight.get(code, 0.0) + sum(
                    e.weight for e in m.evidence if e.target == code
                )
        ranked = sorted(target_weight, key=lambda c: (-target_weight[c], _target_order(c)))
        out.append(
            Match(
                goal=goal,
                target=ranked[0] if ranked else None,
                score=round(1.0 - miss, 3),
                evidence=tuple(e for m in ms for e in m.evidence),
                targets=tuple(ranked),
                title=ms[0].title,
                weight=round(sum(m.weight for m in ms), 3),
            )
        )
    out.sort(key=lambda m: (-m.score, -m.weight, m.goal))
    return out


@dataclass(frozen=True)
class DraftMapping:
    """The SDG mapping of a whole draft: per paragraph, per section and per goal."""

    draft: Draft
    paragraphs: tuple[ParagraphMapping, ...]
    vocabulary_version: str
    lang: str
    city: str | None = None
    #: The reading by meaning's version (:attr:`vlr_tools.meaning.MeaningModel.version`),
    #: "" when the draft was mapped by the word lists alone.
    meaning_version: str = ""
    _index: dict[str, ParagraphMapping] = field(default_factory=dict, compare=False, repr=False)

    def paragraph(self, ref: str) -> ParagraphMapping | None:
        """The mapping of paragraph ``ref`` ("p12.3"), or None."""
        if not self._index:
            self._index.update({p.ref: p for p in self.paragraphs})
        return self._index.get(ref)

    def mapped(self) -> list[ParagraphMapping]:
        """Paragraphs with at least one suggestion."""
        return [p for p in self.paragraphs if p.matches]

    def skipped(self, reason: str | None = None) -> list[ParagraphMapping]:
        """Paragraphs left out of the mapping as front matter (``reason``: only that kind).

        Their ``skipped`` says why ("toc", "acronyms", "glossary");
        :func:`skip_label` gives the words shown to a reviewer.
        """
        return [p for p in self.paragraphs if p.skipped and reason in (None, p.skipped)]

    def paragraphs_for(self, goal: int, target: str | None = None) -> list[ParagraphMapping]:
        """Paragraphs suggesting ``goal`` (and ``target``, if given, among its targets)."""
        return [
            p
            for p in self.paragraphs
            if any(m.goal == goal and (target is None or target in m.targets) for m in p.matches)
        ]

    def pages_for(self, goal: int, target: str | None = None) -> tuple[int, ...]:
        """The pages with paragraphs suggesting ``goal`` (or ``target``)."""
        return tuple(sorted({p.page for p in self.paragraphs_for(goal, target)}))

    def goals(self) -> list[Match]:
        """One Match per goal for the whole draft (noisy-or of its paragraphs), best first."""
        return _combine([(p.ref, m) for p in self.paragraphs for m in p.matches], self.lang)

    def sections(self) -> list[SectionMapping]:
        """Per section (nearest heading), the goals of its paragraphs combined."""
        order: list[str] = []
        groups: dict[str, list[ParagraphMapping]] = {}
        for p in self.paragraphs:
            key = p.section_ref or "(start)"
            if key not in groups:
                order.append(key)
                groups[key] = []
            groups[key].append(p)
        heads = {p.ref: p for p in self.draft.paragraphs("heading")}
        out: list[SectionMapping] = []
        for key in order:
            paras = groups[key]
            head = heads.get(key)
            out.append(
                SectionMapping(
                    title=head.text if head else "",
                    ref=key if head else (paras[0].ref if paras else ""),
                    level=head.level if head else 0,
                    pages=tuple(sorted({p.page for p in paras})),
                    paragraphs=tuple(p.ref for p in paras),
                    matches=tuple(
                        _combine([(p.ref, m) for p in paras for m in p.matches], self.lang)
                    ),
                )
            )
        return out

    def to_frame(self, level: Level = "goal") -> pd.DataFrame:
        """One row per paragraph and goal (``level="goal"``) or paragraph and target.

        Columns: ref, page, page_label, section, kind, goal, target, score,
        terms (matched words, "; "-separated), evidence (count). At target
        level, goal-only matches keep one row with an empty target.
        """
        import pandas as pd

        if level not in ("goal", "target"):
            raise MappingError(f"unknown level {level!r}; allowed: goal, target")
        rows: list[dict[str, Any]] = []
        for p in self.paragraphs:
            label = (
                self.draft.page_label(p.page) if p.page <= self.draft.page_count else str(p.page)
            )
            for m in p.matches:
                base = {
                    "ref": p.ref,
                    "page": p.page,
                    "page_label": label,
                    "section": p.section,
                    "kind": p.kind,
                    "goal": m.goal,
                }
                if level == "goal" or not m.targets:
                    rows.append(
                        base
                        | {
                            "target": m.target or "",
                            "score": m.score,
                            "terms": "; ".join(m.terms) or _meaning_note(m),
                            "evidence": len(m.evidence),
                        }
                    )
                    continue
                for code in m.targets:
                    ev = [e for e in m.evidence if e.target == code]
                    rows.append(
                        base
                        | {
                            "target": code,
                            "score": score_of(sum(e.weight for e in ev)),
                            "terms": "; ".join(dict.fromkeys(e.text for e in ev)),
                            "evidence": len(ev),
                        }
                    )
        columns = [
            "ref",
            "page",
            "page_label",
            "section",
            "kind",
            "goal",
            "target",
            "score",
            "terms",
            "evidence",
        ]
        return pd.DataFrame(rows, columns=columns)

    def section_frame(self) -> pd.DataFrame:
        """One row per section and goal: section, ref, level, pages, goal, target, score, paragraphs."""
        import pandas as pd

        rows = []
        for s in self.sections():
            for m in s.matches:
                rows.append(
                    {
                        "section": s.title,
                        "section_ref": s.ref,
                        "level": s.level,
                        "pages": ", ".join(str(n) for n in s.pages),
                        "goal": m.goal,
                        "target": m.target or "",
                        "score": m.score,
                        "paragraphs": sum(
                            1
                            for ref in s.paragraphs
                            if (pm := self.paragraph(ref)) and m.goal in pm.goals()
                        ),
                    }
                )
        columns = [
            "section",
            "section_ref",
            "level",
            "pages",
            "goal",
            "target",
            "score",
            "paragraphs",
        ]
        return pd.DataFrame(rows, columns=columns)

    def goal_frame(self) -> pd.DataFrame:
        """One row per goal found: goal, title, score, paragraphs, pages, targets."""
        import pandas as pd

        rows = []
        for m in self.goals():
            paras = self.paragraphs_for(m.goal)
            rows.append(
                {
                    "goal": m.goal,
                    "title": m.title,
                    "score": m.score,
                    "paragraphs": len(paras),
                    "pages": ", ".join(str(n) for n in sorted({p.page for p in paras})),
                    "targets": ", ".join(m.targets),
                }
            )
        return pd.DataFrame(
            rows, columns=["goal", "title", "score", "paragraphs", "pages", "targets"]
        )


def _meaning_note(m: Match) -> str:
    """What stands for the words of a goal suggested by the reading by meaning alone."""
    found = [e for e in m.evidence if e.kind == "meaning"]
    return f"[meaning: target {found[0].target}]" if found else ""


def skip_label(reason: str) -> str:
    """The words shown to a reviewer for a skip reason ("toc" -> "table of contents")."""
    return SKIP_REASONS.get(reason, reason)


def map_draft(
    draft: Draft | str | Path,
    city: str | None = None,
    *,
    vocabulary: Vocabulary | None = None,
    lang: str | None = None,
    meaning: bool | None = None,
) -> DraftMapping:
    """Map every paragraph of a draft (a :class:`Draft` or a path to one).

    Front matter (:mod:`vlr_tools.front_matter`) is kept with a reason and
    no matches, so a goal named in it does not count as covered:
    ``skipped="toc"`` for the contents, ``"acronyms"`` for a list of acronyms
    and abbreviations, ``"glossary"`` for a glossary;
    :meth:`DraftMapping.skipped` lists them for the reviewer. Running headers
    and footers were already removed when the draft was read.

    A programme's name set on a line of its own above its description (a
    heading, or a short line in bold body type: "Youth Sports Leagues") is
    read with the description's first paragraph, as "Name. Description", the
    way :func:`map_text` reads a titled description (see :func:`card_title`).
    The name's words are then evidence with ``place="heading"`` and offsets
    into the heading's text; all other offsets stay in the paragraph's own.
    """
    if isinstance(draft, str | Path):
        draft = load_draft(draft)
    if not isinstance(draft, Draft):
        raise MappingError(f"map_draft needs a Draft or a file path, not {type(draft).__name__}")
    vocab = _vocabulary(vocabulary, city)
    lang = lang or draft.lang
    if lang not in ("en", "ja"):
        raise MappingError(f"unknown language {lang!r}; allowed: en, ja")
    matcher, codes = _matcher(vocab), _codes()
    out: list[ParagraphMapping] = []
    paragraphs = draft.paragraphs()
    reasons = skip_reasons(paragraphs)
    titles: dict[int, str] = {}
    for i, (para, reason) in enumerate(zip(paragraphs, reasons, strict=True)):
        if i and not reason and not reasons[i - 1]:
            name = card_title(paragraphs[i - 1], para, codes)
            if name:
                titles[i] = name
    texts = {
        i: _titled(p.text, titles[i], lang) if i in titles else p.text
        for i, (p, reason) in enumerate(zip(paragraphs, reasons, strict=True))
        if not reason
    }
    readable = [i for i in texts if paragraphs[i].kind in ("text", "list")]
    read = dict(zip(readable, _readings([texts[i] for i in readable], meaning), strict=True))
    model = meaning_model() if meaning is not False else None
    for i, (para, reason) in enumerate(zip(paragraphs, reasons, strict=True)):
        matches: tuple[Match, ...] = ()
        if not reason:
            text = texts[i]
            evidence, structured = _analyse(text, matcher, codes)
            reading = _meaning_evidence(text, read.get(i), lang)
            matches = tuple(
                _select(evidence, lang, codes=codes, structured=structured, reading=reading)
            )
            if i in titles:
                matches = _onto_paragraph(matches, len(text) - len(para.text), para.text)
        out.append(
            ParagraphMapping(
                ref=para.ref,
                page=para.page,
                section=para.section,
                section_ref=para.section_ref,
                kind=para.kind,
                text=para.text,
                matches=matches,
                skipped=reason,
            )
        )
    return DraftMapping(
        draft=draft,
        paragraphs=tuple(out),
        vocabulary_version=vocab.version,
        lang=lang,
        city=city if city is not None else vocab.city,
        meaning_version=model.version if model is not None and read else "",
    )
