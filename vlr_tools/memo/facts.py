"""What a memo reports, gathered from a review: plain, frozen records.

:mod:`vlr_tools.memo.gather` fills these from the workspace and the feature
modules (checklist, mapping/coverage, consultations, indicators,
annotations); :mod:`vlr_tools.memo.compose` turns them into memo sections.
A part the review has no data for is ``None`` and the memo says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..responses.model import CityResponse


@dataclass(frozen=True)
class ReviewFacts:
    """The review itself and the draft it is about."""

    review_id: str
    city_slug: str
    city_name: str
    city_place: str
    illustrative: bool
    version: str
    draft_title: str = ""
    document: str = "draft"
    draft_pages: int | None = None
    draft_date: dt.date | None = None
    reviewers: tuple[str, ...] = ()
    template: str = ""
    status: str = ""
    review_date: dt.date | None = None
    hlpf_year: int = 2025
    previous_version: str | None = None
    illustrative_note: str = ""


@dataclass(frozen=True)
class AreaFacts:
    code: str
    name_en: str
    name_ja: str = ""

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" and self.name_ja else self.name_en


@dataclass(frozen=True)
class CriterionFacts:
    """One criterion and the review's (final or consensus) rating of it.

    ``rating`` is None when nobody rated it. ``comments`` are
    ``(reviewer, text)``; ``recommendation`` is the final/combined one.
    """

    id: str
    area: str
    question_en: str
    question_ja: str = ""
    source: str = ""
    rating: str | None = None
    pages: tuple[int, ...] = ()
    comments: tuple[tuple[str, str], ...] = ()
    recommendation: str = ""
    priority: str | None = None
    note: str = ""
    agreed: bool | None = None
    reviewer_ratings: tuple[tuple[str, str], ...] = ()

    def question(self, lang: str) -> str:
        return self.question_ja if lang == "ja" and self.question_ja else self.question_en


@dataclass(frozen=True)
class ChecklistFacts:
    template_label: str
    title_en: str
    title_ja: str
    areas: tuple[AreaFacts, ...]
    criteria: tuple[CriterionFacts, ...]

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" and self.title_ja else self.title_en

    @property
    def rated(self) -> tuple[CriterionFacts, ...]:
        return tuple(c for c in self.criteria if c.rating)

    @property
    def complete(self) -> bool:
        """Every criterion has been rated (a criterion the reviewers rated differently,
        still "disputed", counts: it was rated; the memo says the reviewers differ)."""
        return bool(self.criteria) and all(c.rating for c in self.criteria)

    @property
    def disputed(self) -> tuple[str, ...]:
        """Ids of the criteria the reviewers rated differently, with no final rating yet."""
        return tuple(c.id for c in self.criteria if c.rating == "disputed")


@dataclass(frozen=True)
class Message:
    """A finding another module worded (``kind`` as in the answer keys).

    A memo words findings in its own language only: ``en`` then holds that
    text, and ``ja`` holds it too when it is Japanese."""

    kind: str
    en: str
    ja: str = ""

    def text(self, lang: str) -> str:
        return self.ja if lang == "ja" and self.ja else self.en


@dataclass(frozen=True)
class GoalCoverage:
    """How one goal is covered by the draft (after reviewer decisions).

    ``depth`` follows :mod:`vlr_tools.coverage`: none, mentioned, covered,
    measured (empty when unknown: then any mapped paragraph counts as covered).
    """

    goal: int
    paragraphs: int = 0
    pages: tuple[int, ...] = ()
    targets: tuple[str, ...] = ()
    indicators: int = 0
    depth: str = ""
    claimed: bool = False

    @property
    def covered(self) -> bool:
        if self.depth:
            return self.depth in ("covered", "measured")
        return self.paragraphs > 0


@dataclass(frozen=True)
class CoverageFacts:
    goals: tuple[GoalCoverage, ...]
    hlpf_year: int
    hlpf_goals: tuple[int, ...]
    vocabulary_version: str = ""
    meaning_version: str = ""
    decisions: int = 0
    #: Every paragraph of the draft (headings, text, tables, list items).
    paragraphs_total: int = 0
    #: Paragraphs with at least one goal after the reviewers' decisions; None
    #: when unknown (a goal's own count cannot be summed: paragraphs overlap).
    paragraphs_mapped: int | None = None
    findings: tuple[Message, ...] = ()

    def goal(self, number: int) -> GoalCoverage:
        for g in self.goals:
            if g.goal == number:
                return g
        return GoalCoverage(goal=number)

    @property
    def covered(self) -> tuple[int, ...]:
        return tuple(g.goal for g in self.goals if g.covered)

    @property
    def mentioned(self) -> tuple[int, ...]:
        """Goals with mapped paragraphs that do not count as covered."""
        return tuple(g.goal for g in self.goals if g.paragraphs > 0 and not g.covered)


@dataclass(frozen=True)
class CountRow:
    """A labelled count (a stakeholder group, an IAP2 level, a sex or age band)."""

    key: str
    label_en: str
    count: int
    label_ja: str = ""

    def label(self, lang: str) -> str:
        return self.label_ja if lang == "ja" and self.label_ja else self.label_en


@dataclass(frozen=True)
class EngagementFacts:
    """What the consultation log shows, without any personal data."""

    consultations: int
    participants: int
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    groups: tuple[CountRow, ...] = ()
    not_consulted: tuple[CountRow, ...] = ()
    iap2: tuple[CountRow, ...] = ()
    by_sex: tuple[CountRow, ...] = ()
    by_age: tuple[CountRow, ...] = ()
    formats: tuple[CountRow, ...] = ()
    inputs: int = 0
    inputs_without_response: int = 0
    without_iap2: int = 0
    validation: bool | None = None
    pwd_consultations: int | None = None
    indigenous_consultations: int | None = None
    sdgs_discussed: tuple[int, ...] = ()
    findings: tuple[Message, ...] = ()
    personal_rows: tuple[tuple[str, ...], ...] = ()
    personal_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorRow:
    """One local indicator as the memo lists it.

    ``problems`` are the gap kinds of :func:`vlr_tools.indicators.gap_kinds`,
    except that the memo words ``no_baseline`` more precisely: it stays
    ``no_baseline`` when there is no baseline value, and becomes
    ``no_baseline_year`` when the value is there but its year is not.
    """

    id: str
    name: str
    goal: int | None = None
    global_code: str = ""
    proxy: bool = False
    unit: str = ""
    baseline: str = ""
    latest: str = ""
    target_2030: str = ""
    source: str = ""
    problems: tuple[str, ...] = ()
    alignment: str = ""
    suggested: str = ""


@dataclass(frozen=True)
class IndicatorFacts:
    rows: tuple[IndicatorRow, ...]
    goals_without_indicators: tuple[int, ...] = ()
    source_file: str = ""


@dataclass(frozen=True)
class FigureCheck:
    """A figure check a reviewer decided: the draft's words and page(s), the table's side.

    ``reason_en``/``reason_ja`` are the check's words; ``note`` the
    reviewer's note (or, for a dismissed check, the reason).
    """

    id: str
    kind: str
    pages: tuple[int, ...]
    quote: str
    reason_en: str
    reason_ja: str = ""
    indicator: str = ""
    indicator_name: str = ""
    table: str = ""
    table_where: str = ""
    note: str = ""
    decided_by: str = ""

    def reason(self, lang: str) -> str:
        return self.reason_ja if lang == "ja" and self.reason_ja else self.reason_en


@dataclass(frozen=True)
class FigureFacts:
    """The figures of the draft checked against its indicator table (``vlr claims``).

    ``claims`` is how many claims the last run read (None: the checks were
    never run, only decisions exist); ``open`` how many suggestions are
    still undecided.
    """

    confirmed: tuple[FigureCheck, ...] = ()
    dismissed: tuple[FigureCheck, ...] = ()
    claims: int | None = None
    open: int = 0


@dataclass(frozen=True)
class ChangeItem:
    """An earlier recommendation carried into this review: what the city answered to it
    (``answer``, None when the city sent none) and what the new draft shows
    (``status``, with ``pages`` of the new draft)."""

    criterion_id: str
    recommendation: str
    status: str
    pages: tuple[int, ...] = ()
    note: str = ""
    reviewer: str = ""
    answer: CityResponse | None = None


@dataclass(frozen=True)
class ChangeFacts:
    previous_version: str
    items: tuple[ChangeItem, ...] = ()
    annotation_outcomes: tuple[CountRow, ...] = ()


@dataclass(frozen=True)
class CommentFacts:
    """One comment anchored to a passage of the draft.

    ``kind``/``status`` are ids; ``kind_label``/``status_label``, when
    given, are already in the memo's language (the annotations module words
    them), as is ``reviewer`` (a name, or a role when names are hidden,
    with ``reviewer_shown`` True). ``carried`` says where a comment carried
    over from an earlier draft came from.
    """

    page: int | None
    kind: str
    text: str
    quote: str = ""
    criterion: str = ""
    sdgs: tuple[str, ...] = ()
    reviewer: str = ""
    status: str = ""
    replies: tuple[tuple[str, str], ...] = ()
    kind_label: str = ""
    status_label: str = ""
    page_label: str = ""
    carried: str = ""
    reviewer_shown: bool = False


@dataclass(frozen=True)
class ReviewData:
    """Everything a memo is built from; None parts were not recorded."""

    review: ReviewFacts
    checklist: ChecklistFacts | None = None
    coverage: CoverageFacts | None = None
    engagement: EngagementFacts | None = None
    indicators: IndicatorFacts | None = None
    changes: ChangeFacts | None = None
    comments: tuple[CommentFacts, ...] | None = None
    figures: FigureFacts | None = None
    notes: tuple[str, ...] = field(default=())
    #: Why a part is missing although the review should have it (section key -> reason).
    problems: tuple[tuple[str, str], ...] = ()

    def problem(self, key: str) -> str:
        return dict(self.problems).get(key, "")
