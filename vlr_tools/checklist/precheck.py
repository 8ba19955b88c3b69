"""Automatic pre-checks: suggest a rating for criteria the workbench can judge from data.

A pre-check reads what the workbench already has about a draft (its text and
headings, the indicator table, the consultation log, the HLPF set of the year)
and returns :class:`Suggestion` records: a criterion, a suggested rating, the
reason in English and Japanese, and the evidence (pages, indicator ids,
consultation refs, goals, groups). Every suggestion is labelled
``"suggested"``: a reviewer confirms it (:func:`confirm_suggestion`) or rates
otherwise. The phrases and thresholds the checks use are data
(``data/reference/checklists/prechecks.yaml``).

:func:`score_prechecks` measures the checks against a sample city's answer
key: planted weaknesses found and missed, and false alarms (suggestions of
"not met" or "partly met" that match no planted weakness).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import ChecklistError, DataFileError, VlrError
from ..i18n import check_lang, t
from .ratings import check_rating, rate, rating_label
from .templates import checklists_dir

PRECHECKS_FILE = "prechecks.yaml"
SUGGESTED = "suggested"
#: Ratings that say something is wrong (the ones that can be false alarms).
FLAGS = ("not_met", "partly_met")
_GOAL_IN_HEADING = re.compile(r"\b(?:SDG|Goal|目標)\s*(\d{1,2})\b", re.I)


@dataclass(frozen=True)
class Suggestion:
    """A pre-check's suggested rating for one criterion: to be confirmed by a reviewer.

    ``kind`` names the check (the same words as the answer keys' weakness
    kinds); ``evidence`` is what a reviewer reads ("p. 27", "SF-IND-03",
    "SF-C08", "SDG 14"); ``pages`` and ``items`` hold the same as data.
    """

    criterion_id: str
    rating: str
    reason_en: str
    reason_ja: str
    evidence: tuple[str, ...] = ()
    kind: str = ""
    pages: tuple[int, ...] = ()
    items: tuple[str, ...] = ()
    status: str = SUGGESTED

    def reason(self, lang: str = "en") -> str:
        return self.reason_ja if check_lang(lang) == "ja" and self.reason_ja else self.reason_en

    def label(self, lang: str = "en") -> str:
        """``"Suggested by pre-check: Partly met"``: never shown as a reviewer's rating."""
        return f"{t('checklist.suggested', lang)}: {rating_label(self.rating, lang)}"

    @property
    def flags_problem(self) -> bool:
        return self.rating in FLAGS


# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _settings_cached(path: Path, _mtime: int) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot be read as YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), dict):
        raise DataFileError(f"{path}: expected a mapping with a 'criteria' mapping (check -> criterion id)")
    for key in ("followup", "endorsement"):
        for pat in ("date_pattern", "owner_pattern", "pattern"):
            value = (data.get(key) or {}).get(pat)
            if value:
                try:
                    re.compile(value)
                except re.error as exc:
                    raise DataFileError(f"{path}: {key}.{pat} is not a valid pattern: {exc}") from exc
    return data


def precheck_settings(path: Path | None = None) -> dict[str, Any]:
    """The pre-check settings (phrases, thresholds, check -> criterion)."""
    path = path or checklists_dir() / PRECHECKS_FILE
    return _settings_cached(path, path.stat().st_mtime_ns)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def _blank(value: object, blanks: Iterable[str]) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return _fold(str(value)).strip(" .") in {_fold(b) for b in blanks}


# ---------------------------------------------------------------------------
# What the checks read
# ---------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return _blank(value, ("", "-", "--", "—", "n/a", "na", "none", "nan", "tbd"))


@dataclass
class Context:
    """Everything one pre-check run reads, loaded once and lazily."""

    city: Any
    version: str | None
    hlpf_year: int | None = None
    draft_path: Path | None = None
    indicators_path: Path | None = None
    consultations_path: Path | None = None
    draft_date: dt.date | None = None
    coastal: bool = False
    ws: Any = None
    review_id: str | None = None
    settings: dict[str, Any] = field(default_factory=precheck_settings)
    notes: list[str] = field(default_factory=list)

    @cached_property
    def draft(self) -> Any:
        if self.draft_path is None:
            raise ChecklistError("no draft to pre-check: give the draft file")
        return _load_draft_cached(str(self.draft_path), self.draft_path.stat().st_mtime_ns)

    @cached_property
    def text(self) -> str:
        return _fold(self.draft.text)

    def pages_with(self, phrases: Iterable[str]) -> tuple[int, ...]:
        pages: set[int] = set()
        for phrase in phrases:
            pages.update(p.page for p in self.draft.search(phrase))
        return tuple(sorted(pages))

    def has_any(self, phrases: Iterable[str]) -> list[str]:
        return [p for p in phrases if _fold(p) in self.text]

    @cached_property
    def headings(self) -> list[Any]:
        return self.draft.paragraphs("heading")

    @cached_property
    def goal_sections(self) -> dict[int, list[Region]]:
        """Goal number -> the parts of the draft under a heading that names the goal."""
        found: dict[int, list[Region]] = {}
        paras = self.draft.paragraphs()
        for n, para in enumerate(paras):
            if para.kind != "heading":
                continue
            goal = _goal_of_heading(para.text)
            if goal is None:
                continue
            body = []
            for nxt in paras[n + 1 :]:
                if nxt.kind == "heading" and (_structural(nxt) or _goal_of_heading(nxt.text) is not None):
                    break
                body.append(nxt)
            found.setdefault(goal, []).append(Region(title=para.text, paragraphs=(para, *body)))
        return dict(sorted(found.items()))

    @cached_property
    def goals_dismissed(self) -> dict[int, tuple[int, ...]]:
        """Goals whose only sections call them not applicable (with the pages)."""
        phrases = [_fold(p) for p in self.settings.get("dismissal_phrases", [])]
        out: dict[int, tuple[int, ...]] = {}
        for goal, regions in self.goal_sections.items():
            texts = [_fold(" ".join(p.text for p in r.paragraphs)) for r in regions]
            if all(any(ph in text for ph in phrases) for text in texts):
                out[goal] = tuple(sorted({p for r in regions for p in r.pages}))
        return out

    @cached_property
    def goals_reviewed(self) -> dict[int, tuple[int, ...]]:
        """Goals the draft has a section on (not merely dismissed), with the heading pages."""
        return {
            g: tuple(sorted({r.paragraphs[0].page for r in regions}))
            for g, regions in self.goal_sections.items()
            if g not in self.goals_dismissed
        }

    @cached_property
    def indicators(self) -> list[Any]:
        if self.indicators_path is None or not self.indicators_path.is_file():
            return []
        return _load_indicator_rows(self.indicators_path)

    @cached_property
    def consultations(self) -> list[Any]:
        """Consultations held on or before the draft's date (a later one cannot be in it)."""
        records = self._workspace_consultations()
        if records is None:
            records = self._file_consultations()
        if self.draft_date is None:
            return records
        kept = [c for c in records if c.date is None or c.date <= self.draft_date]
        later = len(records) - len(kept)
        if later:
            self.notes.append(f"{later} consultation(s) dated after this draft were left out")
        return kept

    def _workspace_consultations(self) -> list[Any] | None:
        """Consultations saved in the review (imported and perhaps corrected there), if any."""
        if self.ws is None or self.review_id is None:
            return None
        from ..consultations.store import load_consultations

        return load_consultations(self.ws, self.review_id) or None

    def _file_consultations(self) -> list[Any]:
        if self.consultations_path is None or not self.consultations_path.is_file():
            return []
        from ..consultations.reader import read_consultation_log

        result = read_consultation_log(self.consultations_path, dayfirst=True)
        if result.rejected:
            self.notes.append(
                f"{len(result.rejected)} row(s) of {self.consultations_path.name} could not be read "
                "and are not counted"
            )
        return list(result.consultations)

    def section_pages(self, words: Iterable[str]) -> tuple[list[Region], tuple[int, ...]]:
        """Parts of the draft under a heading containing one of ``words``, and their pages.

        A part runs from its heading to the next *structural* heading (a
        chapter, or a numbered heading such as "8.2 ..."): text extracted from
        PDF tables sometimes looks like a heading, and must not cut a section
        short.
        """
        wanted = [_fold(w) for w in words]
        paras = self.draft.paragraphs()
        regions: list[Region] = []
        for n, para in enumerate(paras):
            if para.kind != "heading" or not any(w in _fold(para.text) for w in wanted):
                continue
            body = []
            for nxt in paras[n + 1 :]:
                if nxt.kind == "heading" and _structural(nxt):
                    break
                body.append(nxt)
            regions.append(Region(title=para.text, paragraphs=(para, *body)))
        pages = sorted({p.page for r in regions for p in r.paragraphs})
        return regions, tuple(pages)


@dataclass(frozen=True)
class Region:
    """A heading and the text under it up to the next structural heading."""

    title: str
    paragraphs: tuple[Any, ...]

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({p.page for p in self.paragraphs}))


_NUMBERED = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|annex\s+[a-z0-9]+\.?|chapter\s+\d+\.?)\s+\S", re.I)


_GOAL_HEADING = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?:SDG|Goal|目標)\s*(\d{1,2})(?![\d.])\s*(.*)$", re.I
)


def _goal_of_heading(text: str) -> int | None:
    """The goal a heading is about ("5.9 SDG 14: Life Below Water" -> 14), else None.

    The heading must start with the goal and go on with at most its title:
    a table row extracted as a heading ("SDG 1 No Poverty Progressing CBMS...")
    is not a goal section.
    """
    m = _GOAL_HEADING.match(text)
    if not m:
        return None
    goal = int(m.group(1))
    if not 1 <= goal <= 17:
        return None
    rest = _fold(m.group(2)).strip(" :.-–—|")
    if not rest:
        return goal
    from ..framework import get_framework

    g = get_framework().goal(goal)
    titles = [_fold(x) for x in (g.short_en, g.title_en, g.short_ja, g.title_ja) if x]
    # A trailing remark in brackets ("(Life below water)") is still the title.
    rest = re.sub(r"[()（）]", "", rest).strip()
    if any(rest == title or title.startswith(rest) for title in titles):
        return goal
    return goal if any(rest.startswith(title) and len(rest) <= len(title) + 12 for title in titles) else None


def _structural(para: Any) -> bool:
    return para.level <= 1 or bool(_NUMBERED.match(para.text))


@lru_cache(maxsize=8)
def _load_draft_cached(path: str, _mtime: int) -> Any:
    from ..documents import load_draft

    return load_draft(path)


def _load_indicator_rows(path: Path) -> list[Any]:
    """The city's indicator table (:class:`~vlr_tools.indicators.LocalIndicator` records)."""
    from ..indicators import load_indicators

    return list(load_indicators(path))


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------


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
        note_en = " " + t("checklist.precheck.note", "en", notes="; ".join(ctx.notes))
        note_ja = " " + t("checklist.precheck.note", "ja", notes="; ".join(ctx.notes))
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
    return "not_met" if total and bad / total >= float(ctx.settings.get("not_met_share", 0.5)) else "partly_met"


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
        return [_s(ctx, "hlpf_goal_missing", "met", "hlpf_met", pages=pages, year=ctx.hlpf_year, goals=_goals_text(goals))]
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


_SEA_WORDS = ("coast", "coastal", "fisherfolk", "fishing", "mangrove", "sea", "marine", "port", "reef", "shoreline")


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
            return [_s(ctx, "indicator_no_baseline", "not_met", "no_indicator_table", file=ctx.indicators_path.name)]
        return []
    total = len(rows)
    out: list[Suggestion] = []
    from ..indicators import gap_kinds

    no_base = [r for r in rows if "no_baseline" in gap_kinds(r)]
    no_src = [r for r in rows if "no_source" in gap_kinds(r)]
    single = [r for r in rows if not r.has_trend]
    if no_base:
        out.append(
            _s(
                ctx,
                "indicator_no_baseline",
                _share_rating(ctx, len(no_base), total),
                "no_baseline",
                items=[r.id for r in no_base],
                n=len(no_base),
                total=total,
                ids=_id_list(no_base),
            )
        )
    if no_src:
        out.append(
            _s(
                ctx,
                "indicator_no_source",
                _share_rating(ctx, len(no_src), total),
                "no_source",
                items=[r.id for r in no_src],
                n=len(no_src),
                total=total,
                ids=_id_list(no_src),
            )
        )
    if not no_base and not no_src and not _goals_without_data(ctx):
        out.append(_s(ctx, "indicator_no_baseline", "met", "indicators_complete", total=total))
    if single:
        out.append(
            _s(
                ctx,
                "indicator_single_point",
                _share_rating(ctx, len(single), total),
                "single_point",
                items=[r.id for r in single],
                n=len(single),
                total=total,
                ids=_id_list(single),
            )
        )
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
    _sections, pages = ctx.section_pages(["stakeholder", "consultation", "engagement", "participation"])
    rating = "not_met" if len(missing) >= int(ctx.settings.get("lnob_not_met_count", 4)) else "partly_met"
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
    in_draft = ctx.has_any(["iap2", "participation level", "level of participation", "spectrum of public participation"])
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
        return [_s(ctx, "consultation_inform_only", "partly_met", "inform_only", criterion=_cid(ctx, "consultation_no_iap2"), n=len(records))]
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
    in_log = [c for c in ctx.consultations if _is_validation(c, formats, conf.get("log_phrases", []))]
    phrases = ctx.has_any(conf.get("phrases", []))
    pages = ctx.pages_with(phrases)[:4]
    refs = [c.ref or c.record_id for c in in_log]
    if phrases:
        return [_s(ctx, "no_validation", "met", "validation_met", pages=pages, items=refs)]
    if in_log:
        return [
            _s(ctx, "no_validation", "partly_met", "validation_log_only", items=refs, refs=", ".join(refs), log_notes=True)
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
        return [_s(ctx, "no_endorsement", "met", "endorsement_met", pages=[p.page for p in hits][:4])]
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
    _sections, fin_pages = ctx.section_pages(["financing", "budget", "means of implementation", "investment"])
    if tags or gaps:
        return [_s(ctx, "no_budget_tagging", "partly_met", "budget_partial", pages=pages or fin_pages[:3])]
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


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


def build_context(
    ws: Any,
    city: Any,
    version: str | None = None,
    *,
    hlpf_year: int | None = None,
    review_id: str | None = None,
    draft: str | Path | None = None,
    indicators: str | Path | None = None,
    consultations: str | Path | None = None,
) -> Context:
    """Gather what the checks read for a sample city (or explicit files)."""
    from ..cities import City, load_city

    c = city if isinstance(city, City) or city is None else load_city(str(city))
    draft_files = c.draft(version) if c is not None else None
    draft_path = Path(draft) if draft else None
    if draft_path is None and draft_files is not None:
        draft_path = next((p for p in (draft_files.pdf, draft_files.docx, draft_files.source) if p.is_file()), None)
    if draft_path is None:
        raise ChecklistError(f"no draft file found for {getattr(c, 'slug', city)!r} {version or ''}".strip())
    return Context(
        city=c,
        version=draft_files.version if draft_files is not None else version,
        hlpf_year=hlpf_year or (getattr(c, "hlpf_year", None) if c is not None else None),
        draft_path=draft_path,
        indicators_path=Path(indicators) if indicators else (c.indicators_path if c is not None else None),
        consultations_path=Path(consultations) if consultations else (c.consultations_path if c is not None else None),
        draft_date=draft_files.date if draft_files is not None else None,
        coastal=bool(getattr(c, "coastal", False)),
        ws=ws,
        review_id=review_id,
    )


def precheck(
    ws: Any,
    city: Any,
    version: str | None = None,
    *,
    hlpf_year: int | None = None,
    review_id: str | None = None,
    draft: str | Path | None = None,
    indicators: str | Path | None = None,
    consultations: str | Path | None = None,
) -> list[Suggestion]:
    """Suggest ratings for the criteria the workbench can judge from data.

    ``city`` is a sample-city slug (or City); ``version`` its draft version
    (latest when None). ``hlpf_year`` defaults to the city's VLR cycle year.
    With a workspace and ``review_id``, consultations saved in the review are
    used instead of the log file. ``draft``, ``indicators`` and
    ``consultations`` point at other files (a city that is not a sample).
    Every suggestion is labelled ``"suggested"`` and must be confirmed.
    """
    ctx = build_context(
        ws,
        city,
        version,
        hlpf_year=hlpf_year,
        review_id=review_id,
        draft=draft,
        indicators=indicators,
        consultations=consultations,
    )
    ctx.consultations  # noqa: B018 - load first so notes about the log reach every reason
    out: list[Suggestion] = []
    for check in CHECKS:
        out.extend(check(ctx))
    return out


def suggestions_for(suggestions: Iterable[Suggestion], criterion_id: str) -> list[Suggestion]:
    """The suggestions about one criterion, worst rating first."""
    order = {"not_met": 0, "partly_met": 1, "met": 2, "not_applicable": 3}
    wanted = str(criterion_id).strip().upper()
    return sorted((s for s in suggestions if s.criterion_id == wanted), key=lambda s: order.get(s.rating, 9))


def combined_suggestion(suggestions: Iterable[Suggestion], criterion_id: str) -> Suggestion | None:
    """One suggestion per criterion: the worst rating, with every reason and piece of evidence."""
    found = suggestions_for(suggestions, criterion_id)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    flagged = [s for s in found if s.flags_problem] or found
    return Suggestion(
        criterion_id=found[0].criterion_id,
        rating=found[0].rating,
        reason_en=" ".join(s.reason_en for s in flagged),
        reason_ja="".join(s.reason_ja for s in flagged),
        evidence=tuple(dict.fromkeys(e for s in flagged for e in s.evidence)),
        kind="+".join(s.kind for s in flagged),
        pages=tuple(sorted({p for s in flagged for p in s.pages})),
        items=tuple(dict.fromkeys(i for s in flagged for i in s.items)),
    )


def suggestions_frame(suggestions: Iterable[Suggestion], lang: str = "en") -> Any:
    """Suggestions as a DataFrame (criterion, suggested rating, reason, evidence, status)."""
    import pandas as pd

    check_lang(lang)
    rows = [
        {
            "criterion_id": s.criterion_id,
            "rating": s.rating,
            "rating_label": rating_label(s.rating, lang),
            "status": t("checklist.suggested_short", lang),
            "kind": s.kind,
            "reason": s.reason(lang),
            "evidence": ", ".join(s.evidence),
        }
        for s in suggestions
    ]
    return pd.DataFrame(
        rows, columns=["criterion_id", "rating", "rating_label", "status", "kind", "reason", "evidence"]
    )


def confirm_suggestion(
    ws: Any,
    review_id: str,
    suggestion: Suggestion,
    *,
    rating: str | None = None,
    comment: str | None = None,
    recommendation: str = "",
    priority: str = "medium",
    reviewer: str | None = None,
    lang: str = "en",
    expected_version: int | None = None,
) -> Any:
    """A reviewer confirms a suggestion (or overrides it with ``rating``) as their own rating.

    The stored rating records the suggested value (``suggested``) so the
    memo and history show whether the reviewer agreed with the pre-check.
    The suggestion's pages become the evidence and its reason the comment,
    unless the reviewer gives their own.
    """
    final = check_rating(rating) if rating else suggestion.rating
    return rate(
        ws,
        review_id,
        suggestion.criterion_id,
        final,
        pages=suggestion.pages,
        comment=suggestion.reason(lang) if comment is None else comment,
        recommendation=recommendation,
        priority=priority,
        reviewer=reviewer,
        expected_version=expected_version,
        suggested=suggestion.rating,
    )


# ---------------------------------------------------------------------------
# Measuring the checks against the answer keys
# ---------------------------------------------------------------------------


def _version_no(version: str | None) -> int:
    m = re.match(r"v(\d+)$", str(version or ""))
    return int(m.group(1)) if m else 0


def active_weaknesses(city: Any, version: str | None = None) -> list[Any]:
    """The answer key's weaknesses still present in draft ``version``."""
    from ..cities import City, load_city, load_review_key

    c = city if isinstance(city, City) else load_city(str(city))
    v = version or c.latest.version
    key = load_review_key(c)
    return [w for w in key if w.fixed_in is None or _version_no(v) < _version_no(w.fixed_in)]


def _key_items(weakness: Any) -> set[str]:
    detail = weakness.detail or {}
    items: set[str] = set()
    for name, value in detail.items():
        if str(name).startswith(("indicators", "consultations")) and isinstance(value, (list, tuple)):
            items.update(str(x) for x in value)
    if detail.get("group"):
        items.add(str(detail["group"]))
    if detail.get("goal") and weakness.kind in ("hlpf_goal_missing", "coastal_sdg14_silent", "goal_claimed_without_data"):
        items.add(f"SDG {detail['goal']}")
    return items


def _matches(s: Suggestion, w: Any, *, strict: bool = True) -> bool:
    """Same kind of problem and (strictly) one of the weakness's criteria."""
    if not s.flags_problem or s.kind != w.kind:
        return False
    return s.criterion_id in w.criteria or not strict


def score_prechecks(city: Any, version: str | None = None, *, suggestions: list[Suggestion] | None = None) -> dict[str, Any]:
    """Compare the pre-checks' suggestions on one draft with the city's answer key.

    A planted weakness (still present in ``version``) is *found* when a
    suggestion of "not met" or "partly met" names one of its criteria and
    the same kind. A *false alarm* is a "not met"/"partly met" suggestion
    that matches no planted weakness of that version (including weaknesses
    the draft has since fixed). Where the key lists ids (indicators,
    consultations, a group, a goal), item recall and precision are given too.
    ``met_on_weakness`` counts "met" suggestions on a criterion the key says
    is weak: wrong reassurance, reported, not hidden.
    """
    from ..cities import City, load_city

    c = city if isinstance(city, City) else load_city(str(city))
    v = version or c.latest.version
    found_s = suggestions if suggestions is not None else precheck(None, c, v)
    weaknesses = active_weaknesses(c, v)
    found, missed, items, other_criterion = [], [], [], []
    for w in weaknesses:
        hits = [s for s in found_s if _matches(s, w)]
        (found if hits else missed).append(w.id)
        if not hits:
            loose = [s for s in found_s if _matches(s, w, strict=False)]
            if loose:
                # Right problem, filed under another criterion than the key's: not counted as found.
                other_criterion.append({"weakness": w.id, "key_criteria": list(w.criteria), "suggested": loose[0].criterion_id})
                hits = loose
        expected = _key_items(w)
        if expected:
            got = {i for s in hits for i in s.items}
            items.append(
                {
                    "weakness": w.id,
                    "expected": sorted(expected),
                    "found": sorted(expected & got),
                    "extra": sorted(got - expected),
                }
            )
    flagged = [s for s in found_s if s.flags_problem]
    false_alarms = [s for s in flagged if not any(_matches(s, w, strict=False) for w in weaknesses)]
    weak_criteria = {cid for w in weaknesses for cid in w.criteria}
    met_on_weakness = [s for s in found_s if s.rating == "met" and s.criterion_id in weak_criteria]
    n_expected = sum(len(i["expected"]) for i in items)
    n_found_items = sum(len(i["found"]) for i in items)
    n_extra = sum(len(i["extra"]) for i in items)
    return {
        "city": c.slug,
        "version": v,
        "weaknesses": len(weaknesses),
        "found": found,
        "missed": missed,
        "hit_rate": len(found) / len(weaknesses) if weaknesses else 1.0,
        "other_criterion": other_criterion,
        "hit_rate_any_criterion": (len(found) + len(other_criterion)) / len(weaknesses) if weaknesses else 1.0,
        "suggestions": len(found_s),
        "flagged": len(flagged),
        "false_alarms": [
            {"criterion_id": s.criterion_id, "kind": s.kind, "rating": s.rating, "reason": s.reason_en}
            for s in false_alarms
        ],
        "met_on_weakness": [
            {"criterion_id": s.criterion_id, "kind": s.kind, "reason": s.reason_en} for s in met_on_weakness
        ],
        "item_recall": n_found_items / n_expected if n_expected else 1.0,
        "item_precision": n_found_items / (n_found_items + n_extra) if (n_found_items + n_extra) else 1.0,
        "items": items,
    }
