"""Coverage per goal and target, HLPF gaps, unmeasured goals and findings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import MappingError, UnknownCodeError
from ..framework import code_sort_key, get_framework
from ..i18n import check_lang, t
from ..indicators import IndicatorTable, LocalIndicator
from .decisions import Decision, effective_matches
from .view import _ANNEX, MappingView, ParagraphInfo, mapping_view

if TYPE_CHECKING:
    import pandas as pd


#: Coverage depth classes, from least to most (the rule: :mod:`vlr_tools.coverage`).
DEPTHS = ("none", "mentioned", "covered", "measured")
#: A part of the draft covers a goal when the goal is the main subject of at least
#: this many of its body paragraphs...
COVERED_MIN_PARAGRAPHS = 3
#: ...with at least this many words between them...
COVERED_MIN_WORDS = 150
#: ...making up at least this share of the part's body paragraphs that map to any goal.
PART_SHARE = 0.4
#: A goal is a paragraph's main subject when its score is at least this share of the top score.
MAIN_GOAL_SHARE = 0.6


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


def _covered_in(
    view: MappingView, main: set[tuple[str, int]], mapped_body: dict[str, int], goal: int
) -> list[str]:
    """Where the draft covers ``goal``: titles of the sections and parts devoted to it.

    Two ways (the rule in :mod:`vlr_tools.coverage`): a section whose own
    heading (level 1 or 2) is about the goal and whose body is substantial,
    or a part (chapter, see ``view._chapters``) in which the goal is the
    main subject of enough paragraphs.
    """
    found: list[str] = []
    paragraphs = view.paragraphs
    for i, head in enumerate(paragraphs):
        if (
            head.kind != "heading"
            or not 1 <= (head.level or 1) <= 2
            or (head.ref, goal) not in main
        ):
            continue
        if _ANNEX.match(head.chapter) or _ANNEX.match(head.text):
            # An annex table headed "SDG 14" lists figures; it is not a chapter on the goal.
            continue
        body = []
        for para in paragraphs[i + 1 :]:
            if para.kind == "heading" and (para.level or 1) <= (head.level or 1):
                break
            if para.kind != "heading":
                body.append(para)
        if len(body) >= COVERED_MIN_PARAGRAPHS and sum(p.words for p in body) >= COVERED_MIN_WORDS:
            found.append(" ".join(head.text.split()))
    per_part: dict[str, list[ParagraphInfo]] = {}
    for para in paragraphs:
        if para.kind != "heading" and (para.ref, goal) in main:
            per_part.setdefault(para.chapter, []).append(para)
    for part, own in per_part.items():
        if (
            len(own) >= COVERED_MIN_PARAGRAPHS
            and sum(p.words for p in own) >= COVERED_MIN_WORDS
            and len(own) >= PART_SHARE * mapped_body.get(part, 0)
            and part not in found
        ):
            found.append(part)
    return found


def _depth(paragraphs: int, covered_in: list[str], trend: int) -> str:
    if paragraphs == 0:
        return "none"
    if not covered_in:
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
    pages, page_count, sections, claimed, covered_in, targets, target_count,
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
    decisions = list(decisions or ())  # a generator must serve twice
    matches = effective_matches(view, decisions)
    main = _main_goals(matches)
    mapped_body: dict[str, int] = {}
    for ref in dict.fromkeys(matches["ref"]):
        info = view.paragraph(ref)
        if info is not None and info.kind != "heading":
            mapped_body[info.chapter] = mapped_body.get(info.chapter, 0) + 1
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
        covered_in = _covered_in(view, main, mapped_body, n)
        depth = _depth(len(refs), covered_in, len(entry["trend"]))
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
                "covered_in": covered_in,
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
    matches = effective_matches(mapping_view(draft_mapping), list(decisions or ()))
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
                "depth_label": t(f"coverage.target_depth.{depth}", lang),
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
    decisions = list(decisions or ())
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
    the year not covered), ``goal_claimed_without_data`` (a part of the
    draft is devoted to the goal, but no indicator shows a trend), ``coastal_sdg14_silent``
    (a coastal city that does not cover SDG 14) and ``indicators_unused``
    (the city has indicators for a goal the draft does not cover).
    """
    import pandas as pd

    check_lang(lang)
    year = hlpf_year if hlpf_year is not None else frame.attrs.get("hlpf_year")
    rows: list[dict[str, Any]] = []

    def add(kind: str, row: Any, variant: str = "", **fmt: Any) -> None:
        rows.append(
            {
                "kind": kind,
                "goal": int(row.goal),
                "depth": row.depth,
                "pages": list(row.pages),
                "message": t(f"coverage.finding.{kind}{variant}", lang, goal=int(row.goal), **fmt),
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
        # "covered" means a part of the draft is devoted to the goal and no
        # indicator shows a trend for it ("measured" would mean one does).
        if has_indicators and row.depth == "covered":
            add(
                "goal_claimed_without_data",
                row,
                "" if row.indicators else "_none",
                n=row.indicators,
            )
    if coastal and by_goal[14].depth in ("none", "mentioned"):
        add("coastal_sdg14_silent", by_goal[14], depth=by_goal[14].depth_label)
    for row in frame.itertuples(index=False):
        if row.indicators and row.depth in ("none", "mentioned"):
            add("indicators_unused", row, n=row.indicators, ids=", ".join(row.indicator_ids))
    return pd.DataFrame(rows, columns=["kind", "goal", "depth", "pages", "message"])
