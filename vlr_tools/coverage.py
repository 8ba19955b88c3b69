"""SDG coverage of a draft: reviewer decisions, depth per goal and target, HLPF gaps, charts.

The mapping (:func:`vlr_tools.mapping.map_draft`) *suggests* goals and targets
for each paragraph. A reviewer accepts, rejects or adds mappings with
:func:`decide`; the decisions are stored in the workspace and win over the
suggestions in every view built here (:func:`effective_matches`).

How deeply a draft covers a goal (the ``depth`` column of
:func:`coverage_frame`) follows one documented rule:

``none``
    no paragraph is mapped to the goal.
``mentioned``
    some paragraphs are, but the goal is not the main subject of at least
    :data:`COVERED_MIN_PARAGRAPHS` body paragraphs totalling
    :data:`COVERED_MIN_WORDS` words (a passing mention, a table row, a
    two-sentence "not applicable" section).
``covered``
    the goal is the main subject of at least :data:`COVERED_MIN_PARAGRAPHS`
    body paragraphs (headings not counted) with at least
    :data:`COVERED_MIN_WORDS` words between them. A goal is a paragraph's
    main subject when its best score there is at least
    :data:`MAIN_GOAL_SHARE` of the paragraph's top score, or when a reviewer
    accepted or added it.
``measured``
    covered, and at least one of the city's local indicators for the goal has
    two data points (a baseline and a latest value), so progress can be shown.

A goal is *claimed* when a heading of the draft is mapped to it (a chapter
"SDG 5: Gender equality"): the draft presents it as reviewed.

>>> from vlr_tools.mapping import map_draft  # doctest: +SKIP
>>> frame = coverage_frame(map_draft(load_draft(path)), indicators=table, hlpf_year=2025)  # doctest: +SKIP
>>> coverage_figure(frame).write_image("coverage.png")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .charts import base_layout, goal_label, plain_text
from .errors import MappingError, UnknownCodeError
from .framework import code_sort_key, get_framework, normalise_code
from .i18n import check_lang, t
from .indicators import IndicatorTable, LocalIndicator

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

    from .workspace import Workspace

__all__ = [
    "ACTIONS",
    "DECISION_KIND",
    "DEPTHS",
    "MATCH_COLUMNS",
    "CoverageSummary",
    "Decision",
    "ParagraphInfo",
    "coverage_figure",
    "coverage_findings",
    "coverage_frame",
    "coverage_summary",
    "decide",
    "effective_matches",
    "heatmap_figure",
    "hlpf_gaps",
    "load_decisions",
    "map_city_draft",
    "mapping_view",
    "target_frame",
    "undo_decision",
    "unmeasured_goals",
]

#: Workspace record kind of a reviewer's mapping decision.
DECISION_KIND = "mapping_decision"
#: What a reviewer can decide about a goal or target for a paragraph.
ACTIONS = ("accept", "reject", "add")
#: Coverage depth classes, from least to most (see the module docstring).
DEPTHS = ("none", "mentioned", "covered", "measured")
#: A goal is "covered" when it is the main subject of at least this many body paragraphs...
COVERED_MIN_PARAGRAPHS = 3
#: ...with at least this many words between them.
COVERED_MIN_WORDS = 150
#: A goal is a paragraph's main subject when its score is at least this share of the top score.
MAIN_GOAL_SHARE = 0.6
#: Longest note a reviewer can attach to a decision.
MAX_NOTE = 2000

#: Columns of the matches table that every view here works from.
MATCH_COLUMNS = (
    "ref",
    "page",
    "section",
    "kind",
    "goal",
    "target",
    "score",
    "evidence",
    "spans",
    "source",
    "decision",
    "note",
)
_REF = re.compile(r"^p(\d+)\.(\d+)$")


# --------------------------------------------------------------------------- the mapping, as a table


@dataclass(frozen=True)
class ParagraphInfo:
    """What the coverage views need to know about one paragraph of the draft."""

    ref: str
    page: int
    section: str = ""
    kind: str = "text"
    words: int = 0
    chapter: str = ""
    text: str = ""


@dataclass(frozen=True)
class MappingView:
    """A draft mapping reduced to paragraphs and suggested matches (one row per match)."""

    paragraphs: tuple[ParagraphInfo, ...]
    matches: pd.DataFrame
    title: str = ""
    vocabulary_version: str = ""
    by_ref: Mapping[str, ParagraphInfo] = field(default_factory=dict, compare=False)

    def paragraph(self, ref: str) -> ParagraphInfo | None:
        return self.by_ref.get(ref)


def _word_count(text: str) -> int:
    # Japanese has no spaces: count ~2 characters of CJK text as one word.
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]", text))
    return len(re.findall(r"[A-Za-z0-9]+", text)) + cjk // 2


def _chapters(paragraphs: Sequence[Any]) -> dict[str, str]:
    """Paragraph ref -> the chapter row it belongs to in the sections x goals heatmap.

    A chapter is the nearest heading of level 1 or 2 above the paragraph
    whose title is unique in the draft ("SDG 5: Gender equality", not the
    "Context" or "Where we stand" that every goal chapter repeats).
    """
    headings = [p for p in paragraphs if getattr(p, "kind", "") == "heading"]
    titles = [h.text.strip() for h in headings if 1 <= (getattr(h, "level", 1) or 1) <= 2]
    counts: dict[str, int] = {}
    for title in titles:
        counts[title] = counts.get(title, 0) + 1
    # Use level-2 headings only if the draft's goals live at level 2 (otherwise
    # level 1 keeps the heatmap to chapters).
    top = [h for h in headings if (getattr(h, "level", 1) or 1) == 1]
    use_level_two = len(top) < 12
    out: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for para in paragraphs:
        if getattr(para, "kind", "") == "heading":
            level = getattr(para, "level", 1) or 1
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, para.text.strip()))
        chapter = ""
        for level, title in reversed(stack):
            if level == 1 or (use_level_two and level == 2 and counts.get(title, 0) == 1):
                chapter = title
                break
        out[para.ref] = chapter
    return out


def _info(para: Any, chapter: str) -> ParagraphInfo:
    return ParagraphInfo(
        ref=str(para.ref),
        page=int(para.page),
        section=str(getattr(para, "section", "") or ""),
        kind=str(getattr(para, "kind", "text") or "text"),
        words=_word_count(str(para.text)),
        chapter=chapter,
        text=str(para.text),
    )


def _evidence_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    out = []
    for item in value:
        text = getattr(item, "text", None)
        if text is None and isinstance(item, Mapping):
            text = item.get("text") or item.get("term")
        if text is None and isinstance(item, tuple | list) and item and isinstance(item[0], str):
            text = item[0]
        if text is None:
            text = str(item)
        out.append(str(text))
    return out


def mapping_view(draft_mapping: Any) -> MappingView:
    """Reduce a draft mapping to a :class:`MappingView` (paragraphs + one row per match).

    Accepts the result of :func:`vlr_tools.mapping.map_draft`, a
    :class:`MappingView`, or a DataFrame with at least the columns ``ref,
    page, goal`` (optionally the other :data:`MATCH_COLUMNS`, ``text`` and
    ``words``). Each suggested goal gives one goal-level row (``target``
    None, the goal's score and all its evidence) and one row per target it
    has evidence for (that target's evidence), so reviewers can decide on
    either.
    """
    import pandas as pd

    if isinstance(draft_mapping, MappingView):
        return draft_mapping
    if isinstance(draft_mapping, pd.DataFrame):
        return _view_from_frame(draft_mapping)
    draft = getattr(draft_mapping, "draft", None)
    items = getattr(draft_mapping, "paragraphs", None)
    if draft is None or items is None or callable(items):
        raise MappingError(
            "coverage needs a draft mapping (from vlr_tools.mapping.map_draft) or a table "
            f"of matches; got {type(draft_mapping).__name__}"
        )
    paragraphs = draft.paragraphs()
    chapters = _chapters(paragraphs)
    infos = tuple(_info(p, chapters.get(p.ref, "")) for p in paragraphs)
    by_ref = {p.ref: p for p in infos}
    rows = []
    for item in items:
        info = by_ref.get(str(item.ref))
        if info is None:
            continue
        for match in item.matches:
            rows += _match_rows(info, match)
    frame = pd.DataFrame(rows, columns=list(MATCH_COLUMNS))
    version = getattr(draft_mapping, "vocabulary_version", "") or ""
    return MappingView(
        paragraphs=infos,
        matches=_typed(frame),
        title=str(getattr(draft, "title", "") or ""),
        vocabulary_version=str(version),
        by_ref=by_ref,
    )


def _target_score(weight: float) -> float:
    try:
        from .mapping import score_of
    except ImportError:  # pragma: no cover - the mapping module is part of the package
        return min(1.0, weight / 3.0)
    return float(score_of(weight))


def _match_rows(info: ParagraphInfo, match: Any) -> list[dict[str, Any]]:
    """The goal-level row and one row per target of one suggested goal in one paragraph."""
    evidence = tuple(getattr(match, "evidence", ()) or ())
    base = {
        "ref": info.ref,
        "page": info.page,
        "section": info.section,
        "kind": info.kind,
        "goal": int(match.goal),
        "source": "suggested",
        "decision": "",
        "note": "",
    }
    rows = [
        base
        | {
            "target": None,
            "score": float(getattr(match, "score", 0.0) or 0.0),
            "evidence": _evidence_list(evidence),
            "spans": _spans_of(evidence),
        }
    ]
    targets = tuple(getattr(match, "targets", ()) or ())
    if not targets and getattr(match, "target", None):
        targets = (str(match.target),)
    for code in targets:
        mine = [e for e in evidence if getattr(e, "target", None) == code]
        weight = sum(float(getattr(e, "weight", 1.0) or 0.0) for e in mine)
        rows.append(
            base
            | {
                "target": str(code),
                "score": round(_target_score(weight), 3) if mine else rows[0]["score"],
                "evidence": _evidence_list(mine),
                "spans": _spans_of(mine),
            }
        )
    return rows


def _spans_of(evidence: Iterable[Any]) -> list[tuple[int, int]]:
    spans = []
    for e in evidence:
        start, end = getattr(e, "start", None), getattr(e, "end", None)
        if isinstance(start, int) and isinstance(end, int) and end > start:
            spans.append((start, end))
    return spans


def _view_from_frame(frame: pd.DataFrame) -> MappingView:
    import pandas as pd

    missing = [c for c in ("ref", "page", "goal") if c not in frame.columns]
    if missing:
        raise MappingError(
            f"the matches table lacks the column(s) {', '.join(missing)}; "
            f"allowed columns: {', '.join(MATCH_COLUMNS)}"
        )
    data = frame.copy()
    defaults: dict[str, Any] = {
        "section": "",
        "kind": "text",
        "target": None,
        "score": 1.0,
        "evidence": None,
        "spans": None,
        "source": "suggested",
        "decision": "",
        "note": "",
    }
    for column, default in defaults.items():
        if column not in data.columns:
            data[column] = [default] * len(data)
    data["evidence"] = [_evidence_list(v) for v in data["evidence"]]
    data["spans"] = [list(v) if isinstance(v, list | tuple) else [] for v in data["spans"]]
    infos: dict[str, ParagraphInfo] = {}
    for row in data.itertuples(index=False):
        if row.ref not in infos:
            text = str(getattr(row, "text", "") or "")
            infos[row.ref] = ParagraphInfo(
                ref=str(row.ref),
                page=int(row.page),
                section=str(row.section or ""),
                kind=str(row.kind or "text"),
                words=int(getattr(row, "words", 0) or _word_count(text)),
                chapter=str(getattr(row, "chapter", "") or row.section or ""),
                text=text,
            )
    ordered = tuple(sorted(infos.values(), key=lambda p: _ref_key(p.ref)))
    return MappingView(
        paragraphs=ordered,
        matches=_typed(pd.DataFrame(data[list(MATCH_COLUMNS)])),
        by_ref={p.ref: p for p in ordered},
    )


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame["page"] = frame["page"].astype("int64")
    frame["goal"] = frame["goal"].astype("int64")
    frame["score"] = frame["score"].astype("float64")
    frame["target"] = frame["target"].astype("object").where(frame["target"].notna(), None)
    return frame


def _ref_key(ref: str) -> tuple[int, int]:
    match = _REF.match(ref)
    return (int(match[1]), int(match[2])) if match else (0, 0)


# --------------------------------------------------------------------------- reviewer decisions


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


# --------------------------------------------------------------------------- coverage tables


def _indicator_counts(
    indicators: IndicatorTable | Iterable[LocalIndicator] | None,
) -> dict[int, dict[str, Any]]:
    counts: dict[int, dict[str, Any]] = {}
    if indicators is None:
        return counts
    for ind in indicators:
        for goal in ind.goals[:1] or ():
            entry = counts.setdefault(goal, {"all": [], "data": [], "trend": []})
            entry["all"].append(ind.id)
            if ind.has_data:
                entry["data"].append(ind.id)
            if ind.has_trend:
                entry["trend"].append(ind.id)
    return counts


def _main_goals(matches: pd.DataFrame) -> set[tuple[str, int]]:
    """(ref, goal) pairs where the goal is a main subject of the paragraph."""
    main: set[tuple[str, int]] = set()
    if matches.empty:
        return main
    best = matches.groupby(["ref", "goal"])["score"].max().reset_index()
    top = best.groupby("ref")["score"].transform("max")
    for row, ok in zip(
        best.itertuples(index=False), best["score"] >= MAIN_GOAL_SHARE * top, strict=True
    ):
        if ok:
            main.add((row.ref, int(row.goal)))
    reviewer = matches[matches["decision"].isin(["accept", "add"])]
    for ref, goal in zip(reviewer["ref"], reviewer["goal"], strict=True):
        main.add((ref, int(goal)))
    return main


def _depth(main_paragraphs: int, main_words: int, paragraphs: int, trend: int) -> str:
    if paragraphs == 0:
        return "none"
    if main_paragraphs < COVERED_MIN_PARAGRAPHS or main_words < COVERED_MIN_WORDS:
        return "mentioned"
    return "measured" if trend > 0 else "covered"


def coverage_frame(
    draft_mapping: Any,
    indicators: IndicatorTable | Iterable[LocalIndicator] | None = None,
    decisions: Iterable[Decision] | None = None,
    hlpf_year: int | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """How deeply the draft covers each of the 17 goals (one row per goal).

    Columns: ``goal, name, colour, paragraphs, main_paragraphs, words,
    pages, page_count, sections, claimed, targets, target_count,
    indicators, indicators_with_data, indicators_with_trend,
    indicators_without_data, indicator_ids, in_hlpf, depth, depth_label``.
    ``indicators_with_data`` have at least one value, ``..._with_trend``
    two; ``depth`` follows the rule in the module docstring. Decisions are
    applied first (:func:`effective_matches`).
    """
    import pandas as pd

    check_lang(lang)
    fw = get_framework()
    view = mapping_view(draft_mapping)
    matches = effective_matches(view, decisions)
    main = _main_goals(matches)
    hlpf = set(fw.hlpf_goals(hlpf_year)) if hlpf_year is not None else set()
    counts = _indicator_counts(indicators)
    rows = []
    for goal in fw.goals:
        n = goal.number
        mine = matches[matches["goal"] == n]
        refs = list(dict.fromkeys(mine["ref"]))
        infos = [view.paragraph(r) for r in refs]
        pages = sorted({int(p) for p in mine["page"]})
        sections = list(dict.fromkeys(s for s in mine["section"] if s))
        body = [i for i in infos if i is not None and i.kind != "heading" and (i.ref, n) in main]
        claimed = any(i is not None and i.kind == "heading" for i in infos)
        targets = sorted({str(x) for x in mine["target"] if x}, key=code_sort_key)
        entry = counts.get(n, {"all": [], "data": [], "trend": []})
        words = sum(i.words for i in body)
        depth = _depth(len(body), words, len(refs), len(entry["trend"]))
        rows.append(
            {
                "goal": n,
                "name": goal.short(lang),
                "colour": goal.colour,
                "paragraphs": len(refs),
                "main_paragraphs": len(body),
                "words": words,
                "pages": pages,
                "page_count": len(pages),
                "sections": sections,
                "claimed": claimed,
                "targets": targets,
                "target_count": len(targets),
                "indicators": len(entry["all"]),
                "indicators_with_data": len(entry["data"]),
                "indicators_with_trend": len(entry["trend"]),
                "indicators_without_data": len(entry["all"]) - len(entry["data"]),
                "indicator_ids": list(entry["all"]),
                "in_hlpf": n in hlpf,
                "depth": depth,
                "depth_label": t(f"coverage.depth.{depth}", lang),
            }
        )
    frame = pd.DataFrame(rows)
    frame.attrs.update(
        {
            "hlpf_year": hlpf_year,
            "hlpf_goals": tuple(sorted(hlpf)),
            "paragraphs_total": len(view.paragraphs),
            "decisions": len(list(decisions or ())),
            "lang": lang,
            "has_indicators": indicators is not None,
        }
    )
    return frame


def target_frame(
    draft_mapping: Any,
    indicators: IndicatorTable | Iterable[LocalIndicator] | None = None,
    decisions: Iterable[Decision] | None = None,
    hlpf_year: int | None = None,
    lang: str = "en",
    *,
    only_active: bool = True,
) -> pd.DataFrame:
    """Coverage per target: paragraphs, pages, sections and the local indicators under it.

    ``depth`` is ``none`` / ``mentioned`` (paragraphs map to it) /
    ``measured`` (also a local indicator with a global code under it has two
    data points). With ``only_active`` (default) only targets the draft maps
    to or an indicator measures are listed; otherwise all 169.
    """
    import pandas as pd

    check_lang(lang)
    fw = get_framework()
    matches = effective_matches(mapping_view(draft_mapping), decisions)
    with_target = matches[matches["target"].notna()]
    hlpf = set(fw.hlpf_goals(hlpf_year)) if hlpf_year is not None else set()
    measuring: dict[str, list[LocalIndicator]] = {}
    for ind in indicators or ():
        for code in ind.global_codes:
            try:
                target = fw.indicator(code).target_of(code)
            except (UnknownCodeError, ValueError):
                continue
            measuring.setdefault(target, []).append(ind)
    rows = []
    for tgt in fw.targets:
        mine = with_target[with_target["target"] == tgt.code]
        inds = list(dict.fromkeys(measuring.get(tgt.code, [])))
        if only_active and mine.empty and not inds:
            continue
        pages = sorted({int(p) for p in mine["page"]})
        trend = [i for i in inds if i.has_trend]
        paragraphs = len(set(mine["ref"]))
        depth = "none" if not paragraphs else ("measured" if trend else "mentioned")
        rows.append(
            {
                "target": tgt.code,
                "goal": tgt.goal,
                "title": tgt.title(lang),
                "paragraphs": paragraphs,
                "pages": pages,
                "page_count": len(pages),
                "sections": list(dict.fromkeys(s for s in mine["section"] if s)),
                "indicators": len(inds),
                "indicators_with_data": sum(1 for i in inds if i.has_data),
                "indicators_with_trend": len(trend),
                "indicator_ids": [i.id for i in inds],
                "in_hlpf": tgt.goal in hlpf,
                "depth": depth,
                "depth_label": t(f"coverage.depth.{depth}", lang),
            }
        )
    columns = [
        "target", "goal", "title", "paragraphs", "pages", "page_count", "sections",
        "indicators", "indicators_with_data", "indicators_with_trend", "indicator_ids",
        "in_hlpf", "depth", "depth_label",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def hlpf_gaps(frame: pd.DataFrame, year: int | None = None, lang: str = "en") -> pd.DataFrame:
    """HLPF in-depth goals of ``year`` the draft does not cover or does not measure.

    Rows: ``goal, name, depth, gap, message``; ``gap`` is ``not_covered``
    (depth none or mentioned) or ``not_measured`` (covered, but no local
    indicator with two data points). ``year`` defaults to the one the frame
    was made with.
    """
    import pandas as pd

    check_lang(lang)
    year = year if year is not None else frame.attrs.get("hlpf_year")
    if year is None:
        raise MappingError("give the HLPF year to compare with, e.g. hlpf_gaps(frame, 2025)")
    fw = get_framework()
    rows = []
    for goal in fw.hlpf_goals(year):
        row = frame[frame["goal"] == goal].iloc[0]
        depth = str(row["depth"])
        if depth == "measured":
            continue
        gap = "not_covered" if depth in ("none", "mentioned") else "not_measured"
        rows.append(
            {
                "goal": goal,
                "name": fw.goal(goal).short(lang),
                "depth": depth,
                "gap": gap,
                "message": t(f"coverage.hlpf.{gap}", lang, goal=goal, year=year),
            }
        )
    return pd.DataFrame(rows, columns=["goal", "name", "depth", "gap", "message"])


def unmeasured_goals(
    draft_mapping: Any,
    table: IndicatorTable | Iterable[LocalIndicator] | None,
    decisions: Iterable[Decision] | None = None,
    lang: str = "en",
    *,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Goals and targets the draft claims or covers but no local indicator measures.

    A goal is listed when the draft claims it (a heading maps to it) or
    covers it, and none of its indicators has two data points. ``reason`` is
    ``no_indicator`` (none at all), ``no_data`` (indicators without values)
    or ``no_trend`` (values, but never two for one indicator). Targets the
    draft maps paragraphs to but no indicator with a global code under them
    measures are listed with ``level="target"`` and reason ``no_indicator``.
    Pass a ready ``frame`` from :func:`coverage_frame` to save work.
    """
    import pandas as pd

    check_lang(lang)
    table = list(table) if table is not None else []
    if frame is None:
        frame = coverage_frame(draft_mapping, table, decisions, lang=lang)
    rows = []
    for row in frame.itertuples(index=False):
        if not (row.claimed or row.depth in ("covered", "measured")):
            continue
        if row.indicators_with_trend:
            continue
        if not row.indicators:
            reason = "no_indicator"
        elif not row.indicators_with_data:
            reason = "no_data"
        else:
            reason = "no_trend"
        rows.append(
            {
                "level": "goal",
                "code": str(row.goal),
                "goal": row.goal,
                "paragraphs": row.paragraphs,
                "pages": row.pages,
                "indicators": row.indicator_ids,
                "reason": reason,
                "message": t(f"coverage.unmeasured.{reason}", lang, code=row.goal),
            }
        )
    targets = target_frame(draft_mapping, table, decisions, lang=lang)
    for row in targets.itertuples(index=False):
        if row.paragraphs and not row.indicators:
            rows.append(
                {
                    "level": "target",
                    "code": row.target,
                    "goal": row.goal,
                    "paragraphs": row.paragraphs,
                    "pages": row.pages,
                    "indicators": [],
                    "reason": "no_indicator",
                    "message": t("coverage.unmeasured.target", lang, code=row.target),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["level", "code", "goal", "paragraphs", "pages", "indicators", "reason", "message"],
    )


def coverage_findings(
    frame: pd.DataFrame,
    *,
    hlpf_year: int | None = None,
    coastal: bool | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """What a reviewer should raise about coverage, as rows ``kind, goal, pages, message``.

    Kinds (the answer keys' names): ``hlpf_goal_missing`` (an HLPF goal of
    the year not covered), ``goal_claimed_without_data`` (a claimed or
    covered goal with no indicator showing a trend), ``coastal_sdg14_silent``
    (a coastal city that does not cover SDG 14) and ``indicators_unused``
    (the city has indicators for a goal the draft does not cover).
    """
    import pandas as pd

    check_lang(lang)
    year = hlpf_year if hlpf_year is not None else frame.attrs.get("hlpf_year")
    rows: list[dict[str, Any]] = []

    def add(kind: str, row: Any, **fmt: Any) -> None:
        rows.append(
            {
                "kind": kind,
                "goal": int(row.goal),
                "depth": row.depth,
                "pages": list(row.pages),
                "message": t(f"coverage.finding.{kind}", lang, goal=int(row.goal), **fmt),
            }
        )

    by_goal = {int(r.goal): r for r in frame.itertuples(index=False)}
    if year is not None:
        for gap in hlpf_gaps(frame, year, lang).itertuples(index=False):
            if gap.gap == "not_covered":
                add(
                    "hlpf_goal_missing",
                    by_goal[gap.goal],
                    year=year,
                    depth=by_goal[gap.goal].depth_label,
                )
    has_indicators = frame.attrs.get("has_indicators", True)
    for row in frame.itertuples(index=False):
        if (
            has_indicators
            and (row.claimed or row.depth == "covered")
            and not row.indicators_with_trend
        ):
            add("goal_claimed_without_data", row, n=row.indicators)
    if coastal and by_goal[14].depth in ("none", "mentioned"):
        add("coastal_sdg14_silent", by_goal[14], depth=by_goal[14].depth_label)
    for row in frame.itertuples(index=False):
        if row.indicators and row.depth in ("none", "mentioned"):
            add("indicators_unused", row, n=row.indicators, ids=", ".join(row.indicator_ids))
    return pd.DataFrame(rows, columns=["kind", "goal", "depth", "pages", "message"])


# --------------------------------------------------------------------------- figures

_DEPTH_OPACITY = {"none": 0.25, "mentioned": 0.45, "covered": 0.8, "measured": 1.0}
_INK = "#222222"


def coverage_figure(
    frame: pd.DataFrame, lang: str | None = None, *, title: str | None = None
) -> go.Figure:
    """Goal overview: paragraphs per goal, 17 bars in the official goal colours.

    Bars are paler the shallower the coverage (mentioned < covered <
    measured); each bar is labelled with its depth, and the HLPF in-depth
    goals of the frame's year get a dark outline and a marker above. Text
    is in ``lang`` (default: the frame's language).
    """
    import plotly.graph_objects as go

    lang = check_lang(lang or frame.attrs.get("lang", "en"))
    fw = get_framework()
    year = frame.attrs.get("hlpf_year")
    by_goal = {int(r.goal): r for r in frame.itertuples(index=False)}
    goals = fw.goals
    x = [str(g.number) for g in goals]
    y = [int(by_goal[g.number].paragraphs) for g in goals]
    depth = [str(by_goal[g.number].depth) for g in goals]
    hlpf = [bool(by_goal[g.number].in_hlpf) for g in goals]
    # The template's <br> is markup; only the filled-in values are escaped.
    hover = [
        t(
            "coverage.chart.hover",
            lang,
            goal=plain_text(goal_label(g.number, lang)),
            paragraphs=y[i],
            pages=int(by_goal[g.number].page_count),
            targets=int(by_goal[g.number].target_count),
            indicators=int(by_goal[g.number].indicators_with_trend),
            depth=plain_text(t(f"coverage.depth.{depth[i]}", lang)),
        )
        for i, g in enumerate(goals)
    ]
    top = max(y + [1])
    fig = go.Figure(
        go.Bar(
            x=x,
            y=y,
            marker={
                "color": [g.colour for g in goals],
                "opacity": None,
                "line": {
                    "color": [_INK if h else "rgba(0,0,0,0)" for h in hlpf],
                    "width": [2.5 if h else 0 for h in hlpf],
                },
            },
            text=[t(f"coverage.depth_short.{d}", lang) if d != "none" else "" for d in depth],
            textposition="outside",
            textfont={"size": 10, "color": "#555555"},
            cliponaxis=False,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            name=t("coverage.chart.paragraphs", lang),
            showlegend=False,
        )
    )
    # Paler bars for shallower coverage: plotly takes one opacity per trace, so
    # the colour itself carries it (rgba with the depth's alpha).
    fig.data[0].marker.color = [
        _rgba(g.colour, _DEPTH_OPACITY[d]) for g, d in zip(goals, depth, strict=True)
    ]
    annotations = []
    if year is not None:
        for i, g in enumerate(goals):
            if hlpf[i]:
                missing = depth[i] in ("none", "mentioned")
                annotations.append(
                    {
                        "x": str(g.number),
                        "y": y[i],
                        "yshift": 22,
                        "text": "▲" if not missing else "▲!",
                        "showarrow": False,
                        "yanchor": "bottom",
                        "font": {"size": 13, "color": "#C00000" if missing else _INK},
                    }
                )
        annotations.append(
            {
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1.02,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "text": plain_text(t("coverage.chart.hlpf_marker", lang, year=year)),
                "font": {"size": 12, "color": _INK},
            }
        )
    heading = title if title is not None else t("coverage.chart.title", lang)
    fig.update_layout(
        title={"text": plain_text(heading), "x": 0, "xanchor": "left"},
        xaxis={
            "title": {"text": t("common.goal", lang)},
            "type": "category",
            "tickmode": "array",
            "tickvals": x,
            "ticktext": x,
        },
        yaxis={"title": {"text": t("coverage.chart.paragraphs", lang)}, "range": [0, top * 1.25]},
        annotations=annotations,
        bargap=0.25,
        height=460,
        width=900,
    )
    fig = base_layout(fig, lang)
    fig.update_layout(margin={"t": 80})
    return fig


def _rgba(colour: str, alpha: float) -> str:
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def heatmap_figure(
    draft_mapping: Any,
    lang: str = "en",
    *,
    decisions: Iterable[Decision] | None = None,
    keep_empty: bool = False,
    title: str | None = None,
) -> go.Figure:
    """Sections x goals: how many paragraphs of each chapter map to each goal.

    Rows are the draft's chapters in reading order (see :func:`_chapters`);
    columns the 17 goals, headed by a strip in the official goal colours.
    Chapters mapped to no goal are left out unless ``keep_empty``.
    """
    import plotly.graph_objects as go

    check_lang(lang)
    fw = get_framework()
    view = mapping_view(draft_mapping)
    matches = effective_matches(view, decisions)
    chapters: list[str] = []
    for para in view.paragraphs:
        name = para.chapter or t("coverage.chart.front_matter", lang)
        if name not in chapters:
            chapters.append(name)
    counts: dict[tuple[str, int], set[str]] = {}
    for row in matches.itertuples(index=False):
        info = view.paragraph(row.ref)
        name = (info.chapter if info else row.section) or t("coverage.chart.front_matter", lang)
        counts.setdefault((name, int(row.goal)), set()).add(row.ref)
    if not keep_empty:
        chapters = [c for c in chapters if any((c, g.number) in counts for g in fw.goals)]
    z = [[len(counts.get((c, g.number), ())) for g in fw.goals] for c in chapters]
    labels = [plain_text(_short(c)) for c in chapters]
    x = [str(g.number) for g in fw.goals]
    hover = [
        [
            t(
                "coverage.chart.heat_hover",
                lang,
                section=plain_text(_short(c, 80)),
                goal=plain_text(goal_label(g.number, lang)),
                n=z[i][j],
            )
            for j, g in enumerate(fw.goals)
        ]
        for i, c in enumerate(chapters)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=labels,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=[[0.0, "#FFFFFF"], [0.01, "#E8EEF4"], [1.0, "#19486A"]],
            zmin=0,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": t("coverage.chart.paragraphs", lang)}, "thickness": 12},
        )
    )
    # A strip of goal colours above the columns, so each column reads as its goal.
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": i - 0.45,
            "x1": i + 0.45,
            "y0": 1.005,
            "y1": 1.005 + 22 / max(300, 28 * len(chapters) + 160),
            "fillcolor": g.colour,
            "line": {"width": 0},
        }
        for i, g in enumerate(fw.goals)
    ]
    height = max(320, 26 * len(chapters) + 180)
    fig.update_layout(
        title={
            "text": plain_text(
                title if title is not None else t("coverage.chart.heat_title", lang)
            ),
            "x": 0,
            "xanchor": "left",
        },
        xaxis={"title": {"text": t("common.goal", lang)}, "type": "category", "side": "bottom"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        shapes=shapes,
        height=height,
        width=900,
    )
    fig = base_layout(fig, lang)
    fig.update_layout(margin={"l": 60, "r": 20, "t": 80, "b": 60})
    return fig


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- for the memo


@dataclass(frozen=True)
class CoverageSummary:
    """Everything the memo's "SDG coverage" and "Indicator alignment and data gaps" need.

    Frames are pandas DataFrames (see the functions that make them);
    ``figure`` and ``heatmap`` are plotly figures; ``illustrative`` is the
    city's flag (memos must say the data are illustrative).
    """

    city: str
    version: str
    hlpf_year: int
    lang: str
    goals: pd.DataFrame
    targets: pd.DataFrame
    hlpf: pd.DataFrame
    findings: pd.DataFrame
    unmeasured: pd.DataFrame
    indicators: pd.DataFrame | None
    gaps: pd.DataFrame | None
    alignment: pd.DataFrame | None
    figure: go.Figure
    heatmap: go.Figure
    decisions: int
    paragraphs_total: int
    vocabulary_version: str = ""
    illustrative: bool = True

    @property
    def hlpf_goals(self) -> tuple[int, ...]:
        return tuple(self.goals.attrs.get("hlpf_goals", ()))

    @property
    def covered(self) -> tuple[int, ...]:
        """Goals covered or measured (depth rule in :mod:`vlr_tools.coverage`)."""
        frame = self.goals
        return tuple(
            int(g) for g in frame.loc[frame["depth"].isin(["covered", "measured"]), "goal"]
        )

    @property
    def mapped(self) -> tuple[int, ...]:
        """Goals with at least one paragraph mapped to them."""
        return tuple(int(g) for g in self.goals.loc[self.goals["paragraphs"] > 0, "goal"])


def coverage_summary(
    ws: Workspace | None,
    review_id: str | None,
    city: str,
    version: str | None = None,
    hlpf_year: int | None = None,
    lang: str = "en",
    *,
    draft_mapping: Any = None,
) -> CoverageSummary:
    """Map a sample city's draft, apply the review's decisions and build every coverage view.

    ``ws``/``review_id`` may be None (no decisions yet). ``hlpf_year``
    defaults to the city's (``city.yaml``); ``version`` to its latest draft.
    Pass ``draft_mapping`` to reuse a mapping already made.
    """
    from .cities import load_city
    from .indicators import align_indicators, indicator_gaps, load_indicators

    check_lang(lang)
    c = load_city(city)
    files = c.draft(version)
    year = hlpf_year if hlpf_year is not None else c.hlpf_year
    if draft_mapping is None:
        draft_mapping = map_city_draft(c.slug, files.version, ws=ws, review_id=review_id)
    decisions = load_decisions(ws, review_id) if ws is not None and review_id else []
    table = load_indicators(c.indicators_path) if c.indicators_path.is_file() else None
    view = mapping_view(draft_mapping)
    goals = coverage_frame(view, table, decisions, year, lang)
    return CoverageSummary(
        city=c.slug,
        version=files.version,
        hlpf_year=year,
        lang=lang,
        goals=goals,
        targets=target_frame(view, table, decisions, year, lang),
        hlpf=hlpf_gaps(goals, year, lang),
        findings=coverage_findings(goals, hlpf_year=year, coastal=c.coastal, lang=lang),
        unmeasured=unmeasured_goals(view, table, decisions, lang, frame=goals),
        indicators=table.to_frame() if table is not None else None,
        gaps=indicator_gaps(table, lang) if table is not None else None,
        alignment=align_indicators(table, lang=lang) if table is not None else None,
        figure=coverage_figure(goals, lang),
        heatmap=heatmap_figure(view, lang, decisions=decisions),
        decisions=len(decisions),
        paragraphs_total=len(view.paragraphs),
        vocabulary_version=view.vocabulary_version,
        illustrative=c.illustrative,
    )


def map_city_draft(
    city: str,
    version: str | None = None,
    *,
    ws: Workspace | None = None,
    review_id: str | None = None,
) -> Any:
    """Load and map a sample city's draft PDF (the pages the answer keys and memos cite).

    The city's local terms apply, and with ``ws``/``review_id`` also the
    terms a reviewer added to that review.
    """
    from .cities import load_city
    from .documents import load_draft
    from .mapping import map_draft
    from .vocabulary import load_vocabulary

    c = load_city(city)
    files = c.draft(version)
    path = files.pdf if files.pdf.is_file() else files.source
    use_ws = ws is not None and bool(review_id)
    vocabulary = load_vocabulary(
        city=c.slug, workspace=ws if use_ws else None, review_id=review_id if use_ws else None
    )
    return map_draft(load_draft(path), city=c.slug, vocabulary=vocabulary)
