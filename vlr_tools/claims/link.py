"""Tie each claim to the indicator of the review's table it is about, with a score and the reason.

In order of strength:

1. the claim names the indicator's id ("SR-IND-12") or its global code
   ("6.1.1"): score 1.0 / 0.95;
2. otherwise the words of the indicator's name (and, less, its definition;
   for a coded indicator also the SDG framework's Japanese title) found in
   the sentence, weighted by how rare each word is among the table's
   indicators; plus small bonuses when the units agree, when the sentence
   sits in the indicator's goal section, when it names the indicator's
   target ("target 6.1"), and when it uses the mapping vocabulary's words
   for that target;
3. a sentence that starts "It ..." or 「この…」 continues the one before it.

When a second indicator scores within the margin of the best, the claim is
*ambiguous*: nothing is chosen and the reviewer is asked (a
``which_indicator`` suggestion). The thresholds are data (``link`` in
``data/reference/claims/claims.yaml``).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .model import Claim, Link
from .settings import Settings, claim_settings, fold

#: How many indicators (those sharing the rarest words) are scored fully for one claim.
MAX_CANDIDATES = 15
_LATIN = re.compile(r"[a-z][a-z0-9.'’-]*[a-z0-9]|[a-z]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]+")


def _stem(word: str) -> str:
    word = word.strip(".'’-")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(
    text: str,
    stopwords: frozenset[str] = frozenset(),
    synonyms: Mapping[str, str] | None = None,
) -> set[str]:
    """The words of ``text`` as the linker compares them: stems of Latin words, Japanese bigrams."""
    low = fold(text)
    out: set[str] = set()
    same = synonyms or {}
    for m in _LATIN.finditer(low):
        for part in re.split(r"[-’']", m[0]):
            if part and part not in stopwords and len(part) > 1 and not part.isdigit():
                word = _stem(part)
                out.add(same.get(word, word))
    for m in _CJK.finditer(low):
        run = m[0]
        for w in stopwords:
            if len(w) > 1 and _CJK.fullmatch(w):
                run = run.replace(w, " ")
        for piece in run.split():
            if len(piece) == 1:
                continue
            out.update(piece[i : i + 2] for i in range(len(piece) - 1))
    return out


@dataclass
class _Doc:
    id: str
    goal: int | None
    codes: tuple[str, ...]
    targets: tuple[str, ...]
    unit_kind: str
    name: set[str] = field(default_factory=set)
    alt_names: list[set[str]] = field(default_factory=list)
    definition: set[str] = field(default_factory=set)
    terms: tuple[str, ...] = ()


class Linker:
    """Links claims to the indicators of one table (see the module docs)."""

    def __init__(
        self,
        indicators: Sequence[Any],
        *,
        settings: Settings | None = None,
        vocabulary: Any = None,
        framework: Any = None,
    ) -> None:
        self.s = settings or claim_settings()
        self.indicators = {i.id: i for i in indicators}
        stop = self.s.stopwords
        syn = self.s.synonyms
        fw = framework
        if fw is None:
            from ..framework import get_framework

            fw = get_framework()
        terms_by_target = _terms_by_target(vocabulary)
        self.docs: dict[str, _Doc] = {}
        self.by_code: dict[str, list[str]] = defaultdict(list)
        self.by_target: dict[str, list[str]] = defaultdict(list)
        index: dict[str, set[str]] = defaultdict(set)
        for ind in indicators:
            targets = set(ind.targets)
            alt: list[set[str]] = []
            for code in ind.global_codes:
                self.by_code[code].append(ind.id)
                try:
                    item = fw.indicator(code)
                except Exception:  # an unknown code was reported at import; nothing to add
                    continue
                targets.add(item.target_of(code))
                if item.title_ja:
                    alt.append(tokens(item.title_ja, stop, syn))
            for target in targets:
                self.by_target[target].append(ind.id)
            doc = _Doc(
                id=ind.id,
                goal=ind.goal,
                codes=tuple(ind.global_codes),
                targets=tuple(sorted(targets)),
                unit_kind=self.s.unit_kind_anywhere(ind.unit) if ind.unit else "",
                name=tokens(ind.name, stop, syn),
                alt_names=alt,
                definition=tokens(ind.definition, stop, syn),
                terms=tuple(
                    t for target in sorted(targets) for t in terms_by_target.get(target, ())
                ),
            )
            self.docs[ind.id] = doc
            for tok in doc.name | doc.definition | {t for a in alt for t in a}:
                index[tok].add(ind.id)
        n = max(1, len(self.docs))
        self.idf = {tok: math.log(1 + n / len(ids)) for tok, ids in index.items()}
        self.index = index

    # -- one claim --------------------------------------------------------------------

    def link(self, claim: Claim, previous: Link | None = None) -> Link:
        """The indicator ``claim`` is about (``previous``: the link of the clause before it)."""
        named = [i for i in claim.ids if i in self.docs]
        if len(set(named)) == 1:
            return Link(claim.id, named[0], 1.0, (f"names {named[0]}",))
        words = tokens(claim.text, self.s.stopwords, self.s.synonyms)
        if len(set(named)) > 1:
            scored = sorted(
                ((i, self._score(self.docs[i], words, claim)[0]) for i in set(named)),
                key=lambda x: -x[1],
            )
            return self._decide(claim, [(i, 1.0 + sc / 10, ("names " + i,)) for i, sc in scored])
        coded = [i for code in claim.codes for i in self.by_code.get(code, ())]
        results: list[tuple[str, float, tuple[str, ...]]] = []
        if coded:
            for i in dict.fromkeys(coded):
                sc, _why = self._score(self.docs[i], words, claim)
                code = next(c for c in claim.codes if i in self.by_code.get(c, ()))
                results.append((i, 0.95 + sc / 20, (f"names indicator {code}",)))
            return self._decide(claim, sorted(results, key=lambda r: -r[1]))
        # Score fully only the indicators sharing the rarest words with the sentence.
        weight: dict[str, float] = defaultdict(float)
        for tok in words:
            for i in self.index.get(tok, ()):
                weight[i] += self.idf.get(tok, 1.0)
        for target in claim.targets:
            for i in self.by_target.get(target, ()):
                weight[i] += 10.0
        candidates = sorted(weight, key=lambda i: -weight[i])[:MAX_CANDIDATES]
        for i in candidates:
            sc, why = self._score(self.docs[i], words, claim)
            results.append((i, sc, why))
        results.sort(key=lambda r: -r[1])
        found = self._decide(claim, results)
        if found.linked or found.ambiguous or not self._continues(claim.text):
            return found
        if previous is not None and previous.linked:
            return Link(
                claim.id,
                previous.indicator,
                round(previous.score * 0.9, 2),
                (f"continues the sentence before, about {previous.indicator}",),
                found.candidates,
            )
        if claim.before:
            # "It stood at 42.1 in 2023": what the sentence before names
            earlier = self.link(replace(claim, text=claim.before, before="", figures=claim.figures))
            if earlier.linked:
                return Link(
                    claim.id,
                    earlier.indicator,
                    round(earlier.score * 0.9, 2),
                    ("continues the sentence before: " + "; ".join(earlier.reasons),),
                    found.candidates,
                )
        return found

    def _continues(self, text: str) -> bool:
        if self.s.continues is None:
            return False
        return self.s.continues.match(fold(text).lstrip(' *"“')) is not None

    def _score(self, doc: _Doc, words: set[str], claim: Claim) -> tuple[float, tuple[str, ...]]:
        why: list[str] = []
        best_name, best_hits = _coverage(doc.name, words, self.idf)
        for alt in doc.alt_names:
            sc, hits = _coverage(alt, words, self.idf)
            if sc > best_name:
                best_name, best_hits = sc, hits
        if best_hits:
            why.append("words of the name: " + ", ".join(sorted(best_hits)[:6]))
        extra = doc.definition - doc.name
        def_score, def_hits = _coverage(extra, words, self.idf)
        if def_hits:
            why.append("of the definition: " + ", ".join(sorted(def_hits)[:4]))
        # A sentence may say what the indicator measures in the definition's words
        # ("business permits issued or renewed") rather than the name's.
        whole, _hits = _coverage(doc.definition, words, self.idf)
        score = max(0.75 * best_name + 0.15 * def_score, 0.6 * whole)
        kinds = {f.unit_kind for f in claim.figures if f.unit_kind}
        if doc.unit_kind and doc.unit_kind in kinds:
            score += 0.05
            why.append("same unit")
        goal = claim.goal or claim.section_goal
        if goal is not None and doc.goal is not None:
            if goal == doc.goal:
                score += 0.05
                why.append(f"in the SDG {goal} section")
            else:
                score -= 0.05
        named_targets = set(claim.targets) & set(doc.targets)
        if named_targets:
            score += 0.3
            why.append("names target " + ", ".join(sorted(named_targets)))
        if doc.terms and score > 0.2:
            low = fold(claim.text)
            terms = [t for t in doc.terms if t in low]
            if terms:
                score += 0.1
                why.append("mapping words: " + ", ".join(sorted(set(terms))[:3]))
        return round(min(score, 0.94), 3), tuple(why)

    def _decide(self, claim: Claim, results: Sequence[tuple[str, float, tuple[str, ...]]]) -> Link:
        cands = tuple((i, round(sc, 2)) for i, sc, _w in results[:5] if sc > 0)
        if not results or results[0][1] < self.s.min_score:
            return Link(claim.id, candidates=cands)
        best = results[0]
        if len(results) > 1 and results[1][1] >= self.s.min_score:
            if best[1] - results[1][1] < self.s.margin:
                return Link(claim.id, candidates=cands, ambiguous=True, score=round(best[1], 2))
        return Link(claim.id, best[0], round(min(best[1], 1.0), 2), best[2], cands)

    # -- many claims ---------------------------------------------------------------------

    def link_all(
        self, claims: Iterable[Claim], chosen: Mapping[str, tuple[str, str]] | None = None
    ) -> dict[str, Link]:
        """Links for ``claims`` in reading order; ``chosen`` maps claim id -> (indicator, who)."""
        chosen = chosen or {}
        out: dict[str, Link] = {}
        previous: Link | None = None
        previous_ref = ""
        for claim in claims:
            if claim.id in chosen:
                indicator, who = chosen[claim.id]
                link = Link(
                    claim.id,
                    indicator if indicator in self.docs else "",
                    1.0,
                    (f"chosen by {who}",) if indicator else (f"no indicator, said {who}",),
                    chosen_by=who,
                )
            else:
                link = self.link(claim, previous if claim.ref == previous_ref else None)
            out[claim.id] = link
            previous, previous_ref = link, claim.ref
        return out


def _coverage(name: set[str], words: set[str], idf: Mapping[str, float]) -> tuple[float, set[str]]:
    """The share of ``name``'s weight (rare words weigh more) found in ``words``."""
    if not name:
        return 0.0, set()
    total = sum(idf.get(t, 1.0) for t in name)
    hits = name & words
    return (sum(idf.get(t, 1.0) for t in hits) / total if total else 0.0), hits


def _terms_by_target(vocabulary: Any) -> dict[str, tuple[str, ...]]:
    """The mapping vocabulary's words per target (wildcards and stop phrases left out)."""
    if vocabulary is None:
        return {}
    out: dict[str, list[str]] = defaultdict(list)
    for term in getattr(vocabulary, "terms", ()):
        target = getattr(term, "target", None)
        word = str(getattr(term, "term", "")).rstrip("*")
        if target and word and len(word) > 2 and not getattr(term, "is_stop", False):
            out[str(target)].append(fold(word))
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


__all__ = ["Linker", "tokens"]
