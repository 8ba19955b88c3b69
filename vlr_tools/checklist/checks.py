"""The pre-checks: one function per kind of weakness, each returning suggestions.

Each check reads a :class:`~vlr_tools.checklist.context.Context` and returns
zero or more :class:`~vlr_tools.checklist.suggestion.Suggestion` records for
the criterion ``prechecks.yaml`` assigns to its kind. :data:`CHECKS` lists
them in the order suggestions are shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import VlrError
from ..i18n import t
from .context import Context, Region
from .suggestion import Suggestion, _blank, _fold


def _cid(ctx: Context, kind: str) -> str:
    return str(ctx.settings["criteria"].get(kind) or "")


def _s(
    ctx: Context,
    kind: str,
    rating: str,
    key: str,
    *,
    pages: Iterable[int] = (),
    items: Iterable[str] = (),
    criterion: str | None = None,
    log_notes: bool = False,
    **fmt: Any,
) -> Suggestion:
    pages_t = tuple(sorted(set(pages)))
    items_t = tuple(dict.fromkeys(items))
    evidence = tuple(f"p. {p}" for p in pages_t) + items_t
    note_en = note_ja = ""
    if log_notes and ctx.notes:
        parts = {
            lang: [t(f"checklist.precheck.{k}", lang, **v) for k, v in ctx.notes]
            for lang in ("en", "ja")
        }
        note_en = " " + t("checklist.precheck.note", "en", notes="; ".join(parts["en"]))
        note_ja = t("checklist.precheck.note", "ja", notes="、".join(parts["ja"]))
    return Suggestion(
        criterion_id=criterion or _cid(ctx, kind),
        rating=rating,
        reason_en=t(f"checklist.precheck.{key}", "en", **fmt) + note_en,
        reason_ja=t(f"checklist.precheck.{key}", "ja", **fmt) + note_ja,
        evidence=evidence,
        kind=kind,
        pages=pages_t,
        items=items_t,
    )


def _goals_text(goals: Iterable[int]) -> str:
    return ", ".join(f"SDG {g}" for g in goals)


def _share_rating(ctx: Context, bad: int, total: int) -> str:
    return (
        "not_met"
        if total and bad / total >= float(ctx.settings.get("not_met_share", 0.5))
        else "partly_met"
    )


def check_hlpf(ctx: Context) -> list[Suggestion]:
    """D3: does the draft review every goal of the year's HLPF set?"""
    if ctx.hlpf_year is None:
        return []
    from ..framework import get_framework

    try:
        goals = get_framework().hlpf_goals(ctx.hlpf_year)
    except VlrError:
        return []
    reviewed = ctx.goals_reviewed
    missing = [g for g in goals if g not in reviewed]
    pages = [p for g in goals if g in reviewed for p in reviewed[g][:1]]
    dismissed = [g for g in missing if g in ctx.goals_dismissed]
    pages += [p for g in dismissed for p in ctx.goals_dismissed[g]]
    if not missing:
        return [
            _s(
                ctx,
                "hlpf_goal_missing",
                "met",
                "hlpf_met",
                pages=pages,
                year=ctx.hlpf_year,
                goals=_goals_text(goals),
            )
        ]
    rating = "not_met" if len(missing) * 2 > len(goals) else "partly_met"
    return [
        _s(
            ctx,
            "hlpf_goal_missing",
            rating,
            "hlpf_dismissed" if dismissed else "hlpf_missing",
            pages=pages,
            items=[f"SDG {g}" for g in missing],
            year=ctx.hlpf_year,
            goals=_goals_text(goals),
            missing=_goals_text(missing),
            dismissed=_goals_text(dismissed),
        )
    ]


_SEA_WORDS = (
    "coast",
    "coastal",
    "fisherfolk",
    "fishing",
    "mangrove",
    "sea",
    "marine",
    "port",
    "reef",
    "shoreline",
)


def check_coastal_sdg14(ctx: Context) -> list[Suggestion]:
    """D1: a coastal city whose draft has no SDG 14 section."""
    if not ctx.coastal or 14 in ctx.goals_reviewed:
        return []
    pages = ctx.pages_with([w for w in _SEA_WORDS if len(w) > 3])[:6]
    unused = [r.id for r in ctx.indicators if r.goal == 14 and _fold(r.id) not in ctx.text]
    key = "coastal_silent_unused" if unused else "coastal_silent"
    return [
        _s(
            ctx,
            "coastal_sdg14_silent",
            "partly_met",
            key,
            pages=pages,
            items=["SDG 14", *unused],
            pages_text=", ".join(str(p) for p in pages) or "-",
            unused=", ".join(unused),
        )
    ]


def _goals_without_data(ctx: Context) -> dict[int, list[Any]]:
    """Goals the draft reviews where no indicator shows a trend (goal -> its indicators)."""
    out: dict[int, list[Any]] = {}
    for goal in ctx.goals_reviewed:
        rows = [r for r in ctx.indicators if goal in r.goals]
        if not any(r.has_trend for r in rows):
            out[goal] = rows
    return out


def check_goals_without_data(ctx: Context) -> list[Suggestion]:
    """D1: goals the draft reviews whose status no indicator can support (no trend at all)."""
    if not ctx.indicators:
        return []
    bare = _goals_without_data(ctx)
    if not bare:
        return []
    pages = [p for g in bare for p in ctx.goals_reviewed[g]]
    parts_en, parts_ja = [], []
    for goal, rows in bare.items():
        if rows:
            ids = ", ".join(r.id for r in rows)
            parts_en.append(f"SDG {goal} (indicators {ids} give no trend)")
            parts_ja.append(f"SDG {goal}（指標{ids}では傾向を示せません）")
        else:
            parts_en.append(f"SDG {goal} (no indicator at all)")
            parts_ja.append(f"SDG {goal}（指標なし）")
    return [
        _s(
            ctx,
            "goal_claimed_without_data",
            "partly_met",
            "goal_without_data",
            pages=pages,
            items=[f"SDG {g}" for g in bare] + [r.id for rows in bare.values() for r in rows],
            goals_en="; ".join(parts_en),
            goals_ja="、".join(parts_ja),
        )
    ]


def _id_list(rows: Sequence[Any], limit: int = 8) -> str:
    ids = [r.id for r in rows]
    return ", ".join(ids[:limit]) + (f" (+{len(ids) - limit})" if len(ids) > limit else "")


def check_indicators(ctx: Context) -> list[Suggestion]:
    """E1 and E3: baselines, sources and data points in the indicator table."""
    rows = ctx.indicators
    if not rows:
        if ctx.indicators_path is not None:
            return [
                _s(
                    ctx,
                    "indicator_no_baseline",
                    "not_met",
                    "no_indicator_table",
                    file=ctx.indicators_path.name,
                )
            ]
        return []
    total = len(rows)
    out: list[Suggestion] = []
    from ..indicators import gap_kinds

    with_kinds = [(r, gap_kinds(r)) for r in rows]
    no_base = [r for r, kinds in with_kinds if "no_baseline" in kinds]
    no_src = [r for r, kinds in with_kinds if "no_source" in kinds]
    single = [r for r in rows if not r.has_trend]

    def share(kind: str, found: list[Any], reason: str) -> Suggestion:
        """A suggestion rated by the share of indicators with the gap, naming them."""
        return _s(
            ctx,
            kind,
            _share_rating(ctx, len(found), total),
            reason,
            items=[r.id for r in found],
            n=len(found),
            total=total,
            ids=_id_list(found),
        )

    if no_base:
        out.append(share("indicator_no_baseline", no_base, "no_baseline"))
    if no_src:
        out.append(share("indicator_no_source", no_src, "no_source"))
    if not no_base and not no_src and not _goals_without_data(ctx):
        out.append(_s(ctx, "indicator_no_baseline", "met", "indicators_complete", total=total))
    if single:
        out.append(share("indicator_single_point", single, "single_point"))
    return out


def check_disaggregation(ctx: Context) -> list[Suggestion]:
    """C4: are indicators broken down by sex, age, barangay...?"""
    rows = ctx.indicators
    conf = ctx.settings.get("disaggregation", {})
    none_values = conf.get("none_values", [])
    markers = ("not published", "not available", "total only")

    def broken_down(r: Any) -> bool:
        text = _fold("; ".join(r.disaggregation))
        return not _blank(text, none_values) and not any(m in text for m in markers)

    with_breakdown = [r for r in rows if broken_down(r)]
    text_hits = ctx.has_any(conf.get("text_phrases", []))
    share = len(with_breakdown) / len(rows) if rows else 0.0
    if rows and share >= float(conf.get("min_share", 0.5)):
        return []
    pages = ctx.pages_with(text_hits)[:6]
    rating = "not_met" if share < 0.25 and len(text_hits) < 2 else "partly_met"
    return [
        _s(
            ctx,
            "no_disaggregation",
            rating,
            "no_disaggregation",
            pages=pages,
            items=[r.id for r in with_breakdown],
            n=len(with_breakdown),
            total=len(rows),
        )
    ]


def check_groups(ctx: Context) -> list[Suggestion]:
    """C1: LNOB groups (and fisherfolk in a coastal city) that no consultation reached."""
    from ..stakeholders import get_stakeholders

    records = ctx.consultations
    if not records:
        return []
    sh = get_stakeholders()
    wanted = list(ctx.settings.get("lnob_groups", []))
    if ctx.coastal:
        wanted += list(ctx.settings.get("coastal_groups", []))
    for group, words in (ctx.settings.get("groups_if_mentioned") or {}).items():
        if group not in wanted and ctx.has_any(words):
            wanted.append(group)
    heard: set[str] = sh.covered_by(g for c in records for g in c.groups)
    if any(c.pwd_present for c in records):
        heard.add("persons_with_disabilities")
    if any(c.ip_present for c in records):
        heard.add("indigenous_peoples")
    missing = [g for g in wanted if g in sh and g not in heard]
    if not missing:
        return []
    _sections, pages = ctx.section_pages(
        ["stakeholder", "consultation", "engagement", "participation"]
    )
    rating = (
        "not_met"
        if len(missing) >= int(ctx.settings.get("lnob_not_met_count", 4))
        else "partly_met"
    )
    return [
        _s(
            ctx,
            "stakeholder_group_not_consulted",
            rating,
            "groups_missing",
            pages=pages[:4],
            items=missing,
            groups_en=", ".join(sh.group(g).name("en") for g in missing),
            groups_ja="、".join(sh.group(g).name("ja") for g in missing),
            n=len(records),
            log_notes=True,
        )
    ]


def check_responses(ctx: Context) -> list[Suggestion]:
    """C2: is there a log, and does every consultation record how its input was used?"""
    records = ctx.consultations
    if ctx.consultations_path is None and not records:
        return []
    if not records:
        return [_s(ctx, "consultation_no_response", "not_met", "no_log")]
    blanks = ctx.settings.get("placeholder_responses", [])
    silent = [c for c in records if _blank(c.response, blanks)]
    no_issues = [c for c in records if not str(c.issues or "").strip()]
    if not silent and not no_issues:
        return [_s(ctx, "consultation_no_response", "met", "responses_met", n=len(records))]
    bad = list(dict.fromkeys([*silent, *no_issues]))
    refs = [c.ref or c.record_id for c in bad]
    return [
        _s(
            ctx,
            "consultation_no_response",
            _share_rating(ctx, len(bad), len(records)),
            "no_response",
            pages=ctx.pages_with(refs)[:4],
            items=refs,
            n=len(bad),
            total=len(records),
            refs=", ".join(refs),
            log_notes=True,
        )
    ]


def check_iap2(ctx: Context) -> list[Suggestion]:
    """C3: does every consultation state its IAP2 level, and go beyond 'inform'?"""
    records = ctx.consultations
    if not records:
        return []
    missing = [c for c in records if not c.iap2]
    in_draft = ctx.has_any(
        [
            "iap2",
            "participation level",
            "level of participation",
            "spectrum of public participation",
        ]
    )
    if missing:
        refs = [c.ref or c.record_id for c in missing]
        key = "no_iap2" if in_draft else "no_iap2_not_in_draft"
        return [
            _s(
                ctx,
                "consultation_no_iap2",
                _share_rating(ctx, len(missing), len(records)),
                key,
                pages=ctx.pages_with(refs)[:4],
                items=refs,
                n=len(missing),
                total=len(records),
                refs=", ".join(refs),
                log_notes=True,
            )
        ]
    if all(c.iap2 == "inform" for c in records):
        return [
            _s(
                ctx,
                "consultation_inform_only",
                "partly_met",
                "inform_only",
                criterion=_cid(ctx, "consultation_no_iap2"),
                n=len(records),
            )
        ]
    return [_s(ctx, "consultation_no_iap2", "met", "iap2_met", n=len(records))]


def _is_validation(c: Any, formats: set[str], phrases: list[str]) -> bool:
    from ..consultations.analysis import is_validation

    if c.format in formats or is_validation(c):
        return True
    text = _fold(f"{c.title} {c.issues}")
    return any(_fold(p) in text for p in phrases)


def check_validation(ctx: Context) -> list[Suggestion]:
    """C5: was the draft validated by stakeholders before it was finalised?"""
    conf = ctx.settings.get("validation", {})
    formats = set(conf.get("formats", ["validation"]))
    in_log = [
        c for c in ctx.consultations if _is_validation(c, formats, conf.get("log_phrases", []))
    ]
    phrases = ctx.has_any(conf.get("phrases", []))
    pages = ctx.pages_with(phrases)[:4]
    refs = [c.ref or c.record_id for c in in_log]
    if phrases:
        return [_s(ctx, "no_validation", "met", "validation_met", pages=pages, items=refs)]
    if in_log:
        return [
            _s(
                ctx,
                "no_validation",
                "partly_met",
                "validation_log_only",
                items=refs,
                refs=", ".join(refs),
                log_notes=True,
            )
        ]
    return [_s(ctx, "no_validation", "not_met", "no_validation", log_notes=True)]


def _dated_lines(ctx: Context, regions: list[Region]) -> list[str]:
    date_re = re.compile(ctx.settings.get("followup", {}).get("date_pattern", r"20\d\d"))
    return [p.text for r in regions for p in r.paragraphs[1:] if date_re.search(p.text)]


def check_followup(ctx: Context) -> list[Suggestion]:
    """H1: a follow-up section whose next steps have owners and dates, and the next VLR cycle."""
    conf = ctx.settings.get("followup", {})
    regions, pages = ctx.section_pages(conf.get("headings", []))
    if not regions:
        return [_s(ctx, "no_followup_plan", "not_met", "no_followup")]
    body = [p.text for r in regions for p in r.paragraphs[1:]]
    owner_re = re.compile(conf.get("owner_pattern", r"office"))
    dated = _dated_lines(ctx, regions)
    owned = [line for line in body if owner_re.search(line)]
    cycle = ctx.has_any(conf.get("next_cycle", []))
    lacking_en = []
    lacking_ja = []
    if len(dated) < int(conf.get("min_dated", 2)):
        lacking_en.append("dates")
        lacking_ja.append("期限")
    if not owned:
        lacking_en.append("responsible offices")
        lacking_ja.append("担当部署")
    if not cycle:
        lacking_en.append("the next VLR cycle")
        lacking_ja.append("次回VLRの予定")
    titles = "; ".join(r.title for r in regions[:3])
    if not lacking_en:
        return [_s(ctx, "no_followup_plan", "met", "followup_met", pages=pages, section=titles)]
    rating = "not_met" if len(lacking_en) == 3 else "partly_met"
    return [
        _s(
            ctx,
            "no_followup_plan",
            rating,
            "followup_lacking",
            pages=pages,
            section=titles,
            lacking_en=", ".join(lacking_en),
            lacking_ja="・".join(lacking_ja),
        )
    ]


def check_endorsement(ctx: Context) -> list[Suggestion]:
    """A1: a council resolution, executive order or ordinance behind the VLR."""
    conf = ctx.settings.get("endorsement", {})
    pattern = re.compile(conf.get("pattern", r"(?i)resolution|executive order"))
    hits = [p for p in ctx.draft.paragraphs() if pattern.search(p.text)]
    if hits:
        return [
            _s(ctx, "no_endorsement", "met", "endorsement_met", pages=[p.page for p in hits][:4])
        ]
    mayor = ctx.pages_with(conf.get("mayor_phrases", ["mayor"]))
    if mayor:
        return [_s(ctx, "no_endorsement", "partly_met", "endorsement_mayor_only", pages=mayor[:3])]
    return [_s(ctx, "no_endorsement", "not_met", "no_endorsement")]


def check_budget(ctx: Context) -> list[Suggestion]:
    """G1: budget tagged to the SDGs, with the financing gap."""
    conf = ctx.settings.get("budget_tagging", {})
    tags = ctx.has_any(conf.get("phrases", []))
    gaps = ctx.has_any(conf.get("gap_phrases", []))
    pages = ctx.pages_with([*tags, *gaps])[:4]
    if tags and gaps:
        return [_s(ctx, "no_budget_tagging", "met", "budget_met", pages=pages)]
    _sections, fin_pages = ctx.section_pages(
        ["financing", "budget", "means of implementation", "investment"]
    )
    if tags or gaps:
        return [
            _s(
                ctx,
                "no_budget_tagging",
                "partly_met",
                "budget_partial",
                pages=pages or fin_pages[:3],
            )
        ]
    return [_s(ctx, "no_budget_tagging", "not_met", "no_budget", pages=fin_pages[:3])]


def check_data_gaps(ctx: Context) -> list[Suggestion]:
    """E4: data gaps listed, with a plan to fill them."""
    conf = ctx.settings.get("data_gaps", {})
    sections, pages = ctx.section_pages(conf.get("headings", []))
    body = _fold(" ".join(p.text for s in sections for p in s.paragraphs))
    plan = [p for p in conf.get("plan_phrases", []) if _fold(p) in body]
    # A table of gaps with dates ("Dec 2025") is a plan too.
    planned = bool(plan) or len(_dated_lines(ctx, sections)) >= 2
    admitted = sections or ctx.has_any(conf.get("gap_phrases", []))
    if sections and planned:
        return [_s(ctx, "no_data_gap_plan", "met", "data_gaps_met", pages=pages)]
    if admitted:
        return [_s(ctx, "no_data_gap_plan", "partly_met", "data_gaps_no_plan", pages=pages[:3])]
    return [_s(ctx, "no_data_gap_plan", "not_met", "no_data_gaps")]


def check_plan_alignment(ctx: Context) -> list[Suggestion]:
    """F1: the Philippine Development Plan 2023-2028 and AmBisyon Natin 2040."""
    conf = ctx.settings.get("plan_alignment", {})
    national = ctx.has_any(conf.get("national", []))
    pages = ctx.pages_with(national)[:4]
    has_pdp = any("development plan" in n or "pdp" in n for n in national)
    has_ambisyon = any("ambisyon" in n for n in national)
    if has_pdp and has_ambisyon:
        return [_s(ctx, "no_plan_alignment", "met", "plans_met", pages=pages)]
    if has_pdp or has_ambisyon:
        return [_s(ctx, "no_plan_alignment", "partly_met", "plans_partial", pages=pages)]
    local = ctx.has_any(conf.get("local", []))
    key = "plans_local_only" if local else "no_plans"
    return [_s(ctx, "no_plan_alignment", "not_met", key, pages=ctx.pages_with(local)[:3])]


#: Every check, in the order suggestions are listed.
CHECKS = (
    check_endorsement,
    check_groups,
    check_responses,
    check_iap2,
    check_disaggregation,
    check_validation,
    check_goals_without_data,
    check_coastal_sdg14,
    check_hlpf,
    check_indicators,
    check_data_gaps,
    check_plan_alignment,
    check_budget,
    check_followup,
)
