"""Suggest the global indicator each local indicator corresponds to, with the reason."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import UnknownCodeError, VlrError
from ..framework import Framework, Indicator, code_sort_key, get_framework, normalise_code
from ..i18n import check_lang, t
from .table import IndicatorTable, LocalIndicator

if TYPE_CHECKING:
    import pandas as pd

_STOPWORDS = frozenset(
    """a an and are as at be by for from in into is it its of on or per the their this to
    with within which who whose that than all any each other out over under up
    number proportion share percentage percent rate ratio total level levels annual
    year years yearly per cent city city's local residents households household
    population people persons person e g i ie eg""".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+")
_CODE_IN_TEXT = re.compile(r"(?<![\w.])(\d{1,2}\.(?:\d{1,2}|[a-z])\.\d{1,2})(?![\w.])")
# A target code in a note ("proxy for 3.8", "(3.8)"); only after such words,
# since a bare "12.4" in a note is more often a value than a target.
_TARGET_IN_TEXT = re.compile(
    r"(?:\b(?:for|to|target|sdg)\s+|\()(\d{1,2}\.(?:\d{1,2}|[a-z]))(?![\w.])", re.IGNORECASE
)


def _stem(word: str) -> str:
    """A light English stemmer: enough to match 'deaths' with 'death', 'managed' with 'manage'."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ied", "y")):
        if word.endswith(suffix):
            return word[: -len(suffix)] + repl
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed", "ion", "ment"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _tokens(text: str) -> list[tuple[str, str]]:
    """(stem, surface word) pairs of the content words of ``text`` (English and Japanese)."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    out: list[tuple[str, str]] = []
    for match in _WORD.finditer(folded):
        word = match.group(0).replace("'", "")
        if word in _STOPWORDS or (word.isdigit() and len(word) < 2):
            continue
        out.append((_stem(word), match.group(0)))
    # Japanese has no spaces: character bigrams of each CJK run match well enough
    # between a local definition and the provisional translation of a title.
    for run in _CJK_RUN.findall(folded):
        if len(run) == 1:
            out.append((run, run))
        out += [(run[i : i + 2], run[i : i + 2]) for i in range(len(run) - 1)]
    return out


@dataclass(frozen=True)
class _Candidate:
    indicator: Indicator
    vector: dict[str, float]
    #: One (vector, norm) per language the titles are in: a local indicator
    #: named in English is compared with the English titles only, so that the
    #: Japanese words of a title do not dilute the match, and vice versa.
    languages: tuple[tuple[dict[str, float], float], ...]
    title: str


class _Index:
    """TF-IDF vectors of every global indicator title (with its targets' titles)."""

    def __init__(self, fw: Framework) -> None:
        self.fw = fw
        docs: list[tuple[Indicator, list[Counter[str]]]] = []
        for ind in fw.indicators:
            targets = [fw.target(t) for t in dict.fromkeys(ind.targets)]
            japanese = [ind.title_ja, *(t for t, _ in ind.listings_ja if t != ind.title_ja)]
            bags: list[Counter[str]] = []
            for titles, target_titles in (
                ([ind.title_en], [tg.title_en for tg in targets]),
                (japanese, [tg.title_ja for tg in targets]),
            ):
                bag: Counter[str] = Counter()
                for text in titles:
                    for stem, _ in _tokens(text):
                        bag[stem] += 1.0  # type: ignore[assignment]
                if bag:
                    for text in target_titles:
                        for stem, _ in _tokens(text):
                            bag[stem] += 0.3  # type: ignore[assignment]
                    bags.append(bag)
            docs.append((ind, bags))
        df: Counter[str] = Counter()
        for _, bags in docs:
            df.update(set().union(*bags))
        n = len(docs)
        self.idf = {term: math.log((n + 1) / (count + 0.5)) for term, count in df.items()}
        self.default_idf = math.log((n + 1) / 0.5)
        self.candidates: list[_Candidate] = []
        for ind, bags in docs:
            languages = []
            union: dict[str, float] = {}
            for bag in bags:
                vec = {term: weight * self.idf[term] for term, weight in bag.items()}
                languages.append((vec, math.sqrt(sum(v * v for v in vec.values())) or 1.0))
                union.update(vec)
            self.candidates.append(_Candidate(ind, union, tuple(languages), ind.title_en))
        self.by_code = {c: cand for cand in self.candidates for c in cand.indicator.codes}

    def vector(
        self, parts: Sequence[tuple[str, float]]
    ) -> tuple[dict[str, float], float, dict[str, str]]:
        vec: dict[str, float] = {}
        surface: dict[str, str] = {}
        for text, weight in parts:
            for stem, word in _tokens(text):
                vec[stem] = vec.get(stem, 0.0) + weight * self.idf.get(stem, self.default_idf)
                surface.setdefault(stem, word)
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return vec, norm, surface

    @staticmethod
    def cosine(a: dict[str, float], an: float, cand: _Candidate) -> float:
        best = 0.0
        for vector, norm in cand.languages:
            if len(a) > len(vector):
                dot = sum(w * a.get(term, 0.0) for term, w in vector.items())
            else:
                dot = sum(w * vector.get(term, 0.0) for term, w in a.items())
            best = max(best, dot / (an * norm))
        return best


@lru_cache(maxsize=4)
def _index(fw: Framework) -> _Index:
    return _Index(fw)


#: How much better another global indicator must fit before the given code is questioned.
QUESTION_MARGIN = 0.12
#: Similarity below which a local proxy is said to have no global counterpart.
PROXY_MATCH_MIN = 0.30
#: Similarity below which another global indicator is not worth listing as an alternative.
ALTERNATIVE_MIN = 0.15


def _vocabulary_hints(text: str) -> tuple[set[str], set[int]]:
    """Targets and goals the mapping vocabulary finds in ``text``."""
    from ..mapping import map_text

    try:
        matches = map_text(text, lang=None)
    except VlrError:  # e.g. a broken vocabulary file: a hint only, alignment works without
        return set(), set()
    targets = {
        str(code) for m in matches for code in (m.targets or ((m.target,) if m.target else ()))
    }
    goals = {int(m.goal) for m in matches}
    return targets, goals


def _score_candidates(
    ind: LocalIndicator, index: _Index, hints: Callable[[str], tuple[set[str], set[int]]]
) -> list[tuple[float, _Candidate, list[str]]]:
    vec, norm, surface = index.vector([(ind.name, 1.0), (ind.definition, 0.7), (ind.unit, 0.3)])
    if not vec:
        return []
    from rapidfuzz import fuzz

    hint_targets, hint_goals = hints(ind.text)
    name = unicodedata.normalize("NFKC", ind.name).lower()
    scored: list[tuple[float, _Candidate, list[str]]] = []
    for cand in index.candidates:
        sim = index.cosine(vec, norm, cand)
        if sim <= 0.02:
            continue
        fuzzy = fuzz.token_set_ratio(name, cand.title.lower()) / 100.0
        score = 0.8 * sim + 0.2 * fuzzy * sim**0.5
        goals = set(cand.indicator.goals)
        if ind.goal and ind.goal in goals:
            score += 0.08
        if hint_targets & set(cand.indicator.targets):
            score += 0.08
        elif hint_goals & goals:
            score += 0.03
        shared = [surface[s] for s in vec if s in cand.vector]
        scored.append((min(score, 1.0), cand, shared))
    scored.sort(key=lambda x: (-x[0], code_sort_key(x[1].indicator.code)))
    return scored


def align_indicators(
    table: IndicatorTable | Iterable[LocalIndicator],
    *,
    lang: str = "en",
    framework: Framework | None = None,
    use_vocabulary: bool = True,
) -> pd.DataFrame:
    """Suggest the global indicator each local indicator corresponds to, with the reason.

    For each row: the code given (checked against the framework), the best
    matching global indicator by the words of its name and definition
    (TF-IDF over official titles, a fuzzy title match, the SDG goal column
    and the mapping vocabulary's targets), and a ``status``:

    - ``confirmed``: the given code fits (or fits about as well as anything);
    - ``check``: a code is given but another global indicator fits clearly
      better (e.g. 11.6.2 given for a solid-waste definition: 11.6.1 fits);
    - ``goal_mismatch``: the given code belongs to another goal than the
      ``SDG goal`` column;
    - ``proxy_match``: no code given, but a global indicator fits; the local
      indicator may be a proxy for it (or could report it directly);
    - ``proxy``: no code given and no global indicator fits: a local proxy.

    Columns: ``id, name, goal, given_code, given_title, status,
    suggested_code, suggested_title, score, alternatives, shared_words,
    reason``. Titles and reasons are in ``lang``.
    """
    import pandas as pd

    check_lang(lang)
    fw = framework or get_framework()
    index = _index(fw)
    hints = _vocabulary_hints if use_vocabulary else (lambda _text: (set(), set()))
    rows = []
    for ind in table:
        scored = _score_candidates(ind, index, hints)
        best = scored[0] if scored else None
        given = ind.global_code
        given_ind = fw.indicator(given) if given else None
        given_score = 0.0
        given_shared: list[str] = []
        if given_ind is not None:
            for score, cand, shared in scored:
                if cand.indicator.code == given_ind.code:
                    given_score, given_shared = score, shared
                    break
        noted = _noted_codes(ind, fw, index, scored)
        status, suggested, reason_key, fmt = _judge(
            ind, fw, given_ind, given_score, given_shared, best, noted, lang
        )
        alternatives = [
            _listing(cand.indicator, ind.goal)
            for score, cand, _ in scored[:4]
            if score >= ALTERNATIVE_MIN
            and (suggested is None or cand.indicator.code != suggested.code)
        ][:3]
        shared_words = (
            given_shared
            if suggested is not None and given_ind is not None and suggested.code == given_ind.code
            else (
                best[2]
                if best and suggested is not None and best[1].indicator.code == suggested.code
                else []
            )
        )
        rows.append(
            {
                "id": ind.id,
                "name": ind.name,
                "goal": ind.goal,
                "given_code": given,
                "given_title": fw.title(given, lang) if given else "",
                "status": status,
                "suggested_code": _listing(suggested, ind.goal, given)
                if suggested is not None
                else "",
                "suggested_title": suggested.title(lang) if suggested is not None else "",
                "score": round(
                    given_score
                    if status == "confirmed"
                    else (best[0] if best and status != "proxy" else 0.0),
                    3,
                ),
                "alternatives": alternatives,
                "shared_words": list(dict.fromkeys(shared_words)),
                "reason": t(reason_key, lang, **fmt),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "id",
            "name",
            "goal",
            "given_code",
            "given_title",
            "status",
            "suggested_code",
            "suggested_title",
            "score",
            "alternatives",
            "shared_words",
            "reason",
        ],
    )
    frame["goal"] = frame["goal"].astype("Int64")
    return frame


def _noted_codes(
    ind: LocalIndicator,
    fw: Framework,
    index: _Index,
    scored: list[tuple[float, _Candidate, list[str]]],
) -> list[str]:
    """Global codes the sheet's notes point at ("Local proxy for 11.7.1", "(3.8)").

    A target code stands for its best-fitting indicator.
    """
    text = f"{ind.notes} {ind.definition}"
    codes = [c for c in _CODE_IN_TEXT.findall(text) if c in index.by_code]
    for target in _TARGET_IN_TEXT.findall(text):
        try:
            code = normalise_code(target)
            listings = fw.listings(code)
        except UnknownCodeError:
            continue
        ranked = [
            cand.indicator.code
            for _, cand, _ in scored
            if set(cand.indicator.codes) & set(listings)
        ]
        pick = ranked[0] if ranked else (fw.indicator(listings[0]).code if listings else None)
        if pick and pick not in codes:
            codes.append(pick)
    return codes


def _listing(indicator: Indicator, goal: int | None, given: str = "") -> str:
    """The code to show for ``indicator``: the one given, else its listing under ``goal``."""
    if given and given in indicator.codes:
        return given
    for code in indicator.codes:
        if goal and code.split(".")[0] == str(goal):
            return code
    return indicator.code


def _words(words: Sequence[str], lang: str) -> str:
    shown = list(dict.fromkeys(words))[:5]
    sep = "、" if lang == "ja" else ", "
    return sep.join(shown) if shown else t("coverage.align.no_words", lang)


def _judge(
    ind: LocalIndicator,
    fw: Framework,
    given: Indicator | None,
    given_score: float,
    given_shared: list[str],
    best: tuple[float, _Candidate, list[str]] | None,
    noted: list[str],
    lang: str,
) -> tuple[str, Indicator | None, str, dict[str, Any]]:
    """Status, suggested indicator, reason key and its fields for one local indicator."""
    code = ind.global_code
    if given is not None:
        if ind.goal and ind.goal not in given.goals:
            return (
                "goal_mismatch",
                best[1].indicator if best and best[1].indicator.code != given.code else given,
                "coverage.align.goal_mismatch",
                {"code": code, "goal": ind.goal, "goals": ", ".join(map(str, given.goals))},
            )
        if (
            best is not None
            and best[1].indicator.code != given.code
            and best[0] >= PROXY_MATCH_MIN
            and best[0] >= given_score + QUESTION_MARGIN
        ):
            other = best[1].indicator
            return (
                "check",
                other,
                "coverage.align.check",
                {
                    "code": code,
                    "other": other.code,
                    "words": _words(best[2], lang),
                    "title": other.title(lang),
                },
            )
        return (
            "confirmed",
            given,
            "coverage.align.confirmed" if given_shared else "coverage.align.confirmed_weak",
            {"code": code, "words": _words(given_shared, lang)},
        )
    if noted:
        hinted = fw.indicator(noted[0])
        return (
            "proxy_match",
            hinted,
            "coverage.align.proxy_noted",
            {"other": noted[0], "title": hinted.title(lang)},
        )
    if best is not None and best[0] >= PROXY_MATCH_MIN:
        other = best[1].indicator
        return (
            "proxy_match",
            other,
            "coverage.align.proxy_match",
            {"other": other.code, "words": _words(best[2], lang), "title": other.title(lang)},
        )
    return ("proxy", None, "coverage.align.proxy", {})
