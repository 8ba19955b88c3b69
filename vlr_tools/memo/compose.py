"""Turn the facts of a review into the memo's sections, in one language.

Every fixed word comes from ``data/reference/i18n/memo.yaml`` through
:func:`vlr_tools.i18n.t`; SDG titles come from the framework (Japanese where
recorded, else English with a visible marker); what reviewers typed is kept
as written. A part with no data says so in a :class:`Notice` rather than
disappearing, and nothing is stated that the facts do not back.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .._shared import page_ranges
from ..checklist.consensus import recommendation_rank
from ..errors import UnknownCodeError
from ..framework import code_sort_key, get_framework
from ..i18n import load_strings, t
from ..responses.model import CityResponse
from . import figures
from .facts import (
    ChangeFacts,
    ChangeItem,
    CommentFacts,
    CriterionFacts,
    ReviewData,
)
from .model import (
    Block,
    Bullets,
    Cell,
    Cover,
    Facts,
    Finding,
    Memo,
    Notice,
    Section,
    Table,
    Text,
)

RATINGS = ("met", "partly_met", "not_met", "not_applicable")
#: Columns of the ratings-by-area table: the ratings, then criteria the
#: reviewers disagree on without a final rating, then criteria nobody rated.
AREA_COLUMNS = (*RATINGS, "disputed", "not_rated")
PRIORITIES = ("high", "medium", "low")
#: Indicator gaps shown in each row of the indicator table.
#: (``no_baseline_year``: a baseline value without its year; see IndicatorRow.)
ROW_INDICATOR_GAPS = ("no_data", "no_baseline", "no_baseline_year", "single_point", "no_source")
#: How many ids a sentence lists before "and N more".
LISTED_IDS = 8
#: How many recommendations the executive summary lists.
TOP_RECOMMENDATIONS = 5


@dataclass(frozen=True)
class Options:
    lang: str = "en"
    show_reviewer_names: bool = True
    include_personal: bool = False
    generated: dt.date | None = None
    #: File name of the response sheet sent with the memo ("" when none is sent).
    response_sheet: str = ""


def compose(data: ReviewData, options: Options) -> Memo:
    """Build the :class:`Memo` for ``data`` in ``options.lang``."""
    c = _Composer(data, options)
    return c.memo()


# -- small formatting helpers -------------------------------------------------


def format_date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return t("memo.unknown", lang)
    if lang == "ja":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value.strftime('%B')} {value.year}"


def join_list(items: Sequence[str], lang: str) -> str:
    items = [str(i) for i in items]
    if not items:
        return ""
    if lang == "ja":
        return "、".join(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " " + t("memo.and", lang) + " " + items[-1]


def pages_label(pages: Iterable[int], lang: str) -> str:
    nums = sorted({int(p) for p in pages})
    if not nums:
        return ""
    text = page_ranges(nums)
    key = "memo.pages_one" if len(nums) == 1 else "memo.pages_many"
    return t(key, lang, pages=text)


def goals_label(goals: Iterable[int], lang: str) -> str:
    nums = [str(g) for g in sorted(set(goals))]
    if not nums:
        return t("memo.none", lang)
    return t("memo.goals_list", lang, goals=join_list(nums, lang))


class _Composer:
    def __init__(self, data: ReviewData, options: Options) -> None:
        self.data = data
        self.o = options
        self.lang = options.lang
        self.review = data.review
        # Sentences are joined with a space in English, with nothing in Japanese.
        self.sep = "" if self.lang == "ja" else " "
        self._names: dict[str, str] = {}
        # Provisional translations whose titles the memo shows: the annex names them once.
        self._provisional: dict[str, str] = {}
        for n, name in enumerate(self.review.reviewers, start=1):
            self._names[name] = (
                name if options.show_reviewer_names else t("memo.reviewer_n", self.lang, n=n)
            )

    def tr(self, key: str, **fmt: object) -> str:
        return t(f"memo.{key}", self.lang, **fmt)

    def trn(self, key: str, count: int, **fmt: object) -> str:
        """Like :meth:`tr` for a sentence about ``count`` things: English has a
        singular variant (``key.one``); Japanese needs none."""
        if count == 1 and self.lang == "en" and f"memo.{key}.one" in load_strings():
            return t(f"memo.{key}.one", "en", **fmt)
        return self.tr(key, **fmt)

    def who(self, name: str) -> str:
        """A reviewer as the memo shows them: the name, or "Reviewer N"."""
        if not name:
            return ""
        if name not in self._names:
            self._names[name] = (
                name
                if self.o.show_reviewer_names
                else self.tr("reviewer_n", n=len(self._names) + 1)
            )
        return self._names[name]

    def some(self, ids: Sequence[str]) -> str:
        """``"A, B, C"``, or the first few ids and how many more."""
        if len(ids) <= LISTED_IDS:
            return ", ".join(ids)
        shown = ", ".join(ids[:LISTED_IDS])
        return self.tr("more", shown=shown, n=len(ids) - LISTED_IDS)

    def shown(self, name: str, already: bool) -> str:
        """A reviewer name as given when another module already applied the
        review's name setting, else through :meth:`who`."""
        return name if already else self.who(name)

    def goal_title(self, number: int) -> str:
        return get_framework().title(str(number), self.lang, mark_fallback=True)

    def target_title(self, code: str) -> str:
        """The official title of a target in the memo's language, noting its translation."""
        fw = get_framework()
        try:
            target = fw.target(code)
        except UnknownCodeError:
            return ""
        translation = fw.translation(target) if self.lang == "ja" else None
        if translation is not None and translation.provisional:
            self._provisional[translation.source] = translation.short_ja
        return fw.title(target.code, self.lang, mark_fallback=True)

    def goal_short(self, number: int) -> str:
        goal = get_framework().goal(number)
        text = goal.short(self.lang)
        if self.lang == "ja" and not goal.short_ja:
            text += " " + t("framework.no_japanese", "ja")
        return text

    def rating_label(self, rating: str | None) -> str:
        return self.tr(f"rating.{rating or 'not_rated'}")

    # -- the memo ------------------------------------------------------------

    def memo(self) -> Memo:
        r = self.review
        sections = (
            self.summary(),
            self.coverage(),
            self.findings(),
            self.engagement(),
            self.indicators(),
            self.figures(),
            self.recommendations(),
            self.changes(),
            self.annex(),
        )
        title = self.tr("document_title", city=r.city_name, version=r.version)
        generated = self.o.generated or dt.date.today()
        keywords: tuple[str, ...] = ("VLR", "SDGs", r.city_name, self.tr("title"))
        if r.illustrative:
            keywords += (t("common.illustrative", self.lang),)
        return Memo(
            lang=self.lang,
            city_slug=r.city_slug,
            city_name=r.city_name,
            version=r.version,
            title=title,
            running_header=self.tr("running_header", city=r.city_name),
            cover=self.cover(),
            sections=sections,
            generated=format_date(generated, self.lang),
            author=self.tr("organisation"),
            keywords=keywords,
            meta={
                "review_id": r.review_id,
                "hlpf_year": r.hlpf_year,
                "complete": bool(self.data.checklist and self.data.checklist.complete),
            },
        )

    def cover(self) -> Cover:
        r = self.review
        items: list[tuple[str, str]] = []
        draft = r.draft_title or self.tr("draft_default", city=r.city_name)
        items.append((self.tr("cover.draft"), draft))
        version = r.version
        if r.draft_date:
            version += f" ({format_date(r.draft_date, self.lang)})"
        items.append((self.tr("cover.version"), version))
        if r.draft_pages:
            items.append((self.tr("cover.pages"), str(r.draft_pages)))
        items.append((self.tr("cover.review_date"), format_date(r.review_date, self.lang)))
        reviewers = [self.who(n) for n in r.reviewers]
        items.append(
            (self.tr("cover.reviewers"), join_list(reviewers, self.lang) or self.tr("unknown"))
        )
        if r.template:
            items.append((self.tr("cover.checklist"), r.template))
        items.append((self.tr("cover.status"), self.status()))
        items.append((self.tr("cover.hlpf_year"), str(r.hlpf_year)))
        illustrative = ""
        if r.illustrative:
            illustrative = self.tr(
                "cover.illustrative",
                label=t("common.illustrative", self.lang),
                note=t("common.illustrative_note", self.lang),
            )
        return Cover(
            title=self.tr("title"),
            city=r.city_name + (f", {r.city_place}" if r.city_place else ""),
            subtitle=self.tr("subtitle", version=r.version),
            facts=Facts(tuple(items)),
            illustrative=illustrative,
            organisation=self.tr("organisation"),
        )

    # -- 1. executive summary ------------------------------------------------

    def summary(self) -> Section:
        r, ck = self.review, self.data.checklist
        blocks: list[Block] = []
        if r.illustrative:
            blocks.append(Notice(t("common.illustrative_note", self.lang), "illustrative"))
        blocks.append(
            Text(
                self.trn(
                    "summary.intro",
                    len(r.reviewers) or 1,
                    city=r.city_name,
                    version=r.version,
                    reviewers=len(r.reviewers) or 1,
                ),
                "lead",
            )
        )
        if ck is None or not ck.rated:
            blocks.append(Notice(self.tr("missing.ratings"), "missing"))
        elif ck.complete:
            counts = Counter(c.rating for c in ck.rated)
            text = self.assessment(counts)
            if ck.disputed:
                text += self.sep + self.trn(
                    "summary.disputed",
                    len(ck.disputed),
                    n=len(ck.disputed),
                    ids=self.some(ck.disputed),
                )
            blocks.append(Text(text, "lead"))
        else:
            # A verdict on part of the checklist would read as a verdict on the
            # draft: say how much was rated, and give none until all of it is.
            rated = len(ck.rated)
            text = self.trn("summary.partial", rated, rated=rated, total=len(ck.criteria))
            blocks.append(Notice(text, "partial"))
        subsections = []
        points = self.key_points()
        if points:
            subsections.append(
                Section("summary-points", self.tr("summary.key_points"), (Bullets(tuple(points)),))
            )
        recs = self.ranked_recommendations()[:TOP_RECOMMENDATIONS]
        if recs:
            items = tuple(
                self.tr(
                    "summary.recommendation_item",
                    id=c.id,
                    priority=self.tr("priority." + (c.priority or "medium")),
                    # The whole text, line breaks kept: a recommendation typed
                    # on several lines (or agreed by several reviewers) is cut
                    # mid-thought if only its first line is shown.
                    text=c.recommendation.strip(),
                )
                for c in recs
            )
            subsections.append(
                Section(
                    "summary-recommendations",
                    self.tr("summary.top_recommendations"),
                    (Bullets(items, ordered=True),),
                )
            )
        return Section("summary", self.tr("section.summary"), tuple(blocks), tuple(subsections))

    def status(self) -> str:
        """How much of the checklist the review has rated: complete, partial or none."""
        ck = self.data.checklist
        if ck is None or not ck.rated:
            return self.tr("status.none")
        key = "status.complete" if ck.complete else "status.partial"
        text = self.tr(key, rated=len(ck.rated), total=len(ck.criteria))
        if ck.disputed:
            text += self.tr("status.disputed", n=len(ck.disputed))
        return text

    def assessment(self, counts: Counter[str | None]) -> str:
        met, partly, not_met = counts["met"], counts["partly_met"], counts["not_met"]
        applicable = met + partly + not_met
        if applicable == 0:
            return self.tr("assessment.none_applicable")
        score = (met + 0.5 * partly) / applicable
        band = (
            "strong"
            if score >= 0.75
            else "solid"
            if score >= 0.5
            else "revise"
            if score >= 0.25
            else "major"
        )
        return self.tr(
            f"assessment.{band}",
            met=met,
            partly=partly,
            not_met=not_met,
            na=counts["not_applicable"],
            total=sum(counts.values()),
        )

    def key_points(self) -> list[str]:
        points: list[str] = []
        ck, cov, eng, ind = (
            self.data.checklist,
            self.data.coverage,
            self.data.engagement,
            self.data.indicators,
        )
        if ck is not None and ck.rated:
            counts = Counter(c.rating for c in ck.rated)
            points.append(
                self.tr(
                    "summary.ratings",
                    met=counts["met"],
                    partly=counts["partly_met"],
                    not_met=counts["not_met"],
                    na=counts["not_applicable"],
                    total=len(ck.criteria),
                )
            )
        if cov is not None:
            covered = set(cov.covered)
            missing = [g for g in cov.hlpf_goals if g not in covered]
            text = self.tr(
                "summary.coverage",
                covered=len(covered),
                year=cov.hlpf_year,
                hlpf=goals_label(cov.hlpf_goals, self.lang),
            )
            if missing:
                text += self.sep + self.tr(
                    "summary.hlpf_missing", goals=goals_label(missing, self.lang)
                )
            else:
                text += self.sep + self.tr("summary.hlpf_all")
            points.append(text)
        if eng is not None:
            text = self.trn(
                "summary.engagement",
                eng.consultations,
                consultations=eng.consultations,
                participants=eng.participants,
            )
            if eng.not_consulted:
                text += self.sep + self.trn(
                    "summary.not_consulted",
                    len(eng.not_consulted),
                    n=len(eng.not_consulted),
                    groups=join_list([g.label(self.lang) for g in eng.not_consulted], self.lang),
                )
            points.append(text)
        if ind is not None and ind.rows:
            gaps = Counter(p for row in ind.rows for p in row.problems)
            text = self.tr(
                "summary.indicators", n=len(ind.rows), proxies=sum(1 for r in ind.rows if r.proxy)
            )
            gap_parts = [
                self.tr(f"indicator_problem_count.{k}", n=gaps[k])
                for k in ("no_baseline", "no_baseline_year", "no_source", "single_point")
                if gaps[k]
            ]
            if gap_parts:
                text += self.sep + self.tr(
                    "summary.indicator_gaps", gaps=join_list(gap_parts, self.lang)
                )
            points.append(text)
        return points

    # -- 2. SDG coverage -----------------------------------------------------

    def missing(self, key: str, text: str) -> Notice:
        """The notice of a section with no data, with the reason when one is known."""
        reason = self.data.problem(key)
        if reason:
            text += self.sep + self.tr("missing.reason", reason=reason)
        return Notice(text, "missing")

    def coverage(self) -> Section:
        cov = self.data.coverage
        title = self.tr("section.coverage")
        if cov is None:
            return Section(
                "coverage", title, (self.missing("coverage", self.tr("missing.coverage")),)
            )
        blocks: list[Block] = []
        covered = set(cov.covered)
        hlpf = tuple(cov.hlpf_goals)
        missing = [g for g in hlpf if g not in covered]
        if cov.paragraphs_mapped is None:
            intro = self.tr(
                "coverage.intro_goals",
                covered=len(covered),
                year=cov.hlpf_year,
                hlpf=goals_label(hlpf, self.lang),
            )
        else:
            intro = self.trn(
                "coverage.intro",
                cov.paragraphs_mapped,
                covered=len(covered),
                paragraphs=cov.paragraphs_mapped,
                total=cov.paragraphs_total,
                year=cov.hlpf_year,
                hlpf=goals_label(hlpf, self.lang),
            )
        if cov.mentioned:
            intro += self.sep + self.tr(
                "coverage.mentioned", goals=goals_label(cov.mentioned, self.lang)
            )
        blocks.append(Text(intro))
        if missing:
            blocks.append(
                Notice(
                    self.tr(
                        "coverage.hlpf_missing",
                        year=cov.hlpf_year,
                        goals=goals_label(missing, self.lang),
                    ),
                    "info",
                )
            )
        else:
            blocks.append(Text(self.tr("coverage.hlpf_all", year=cov.hlpf_year)))
        blocks.append(
            Text(
                self.trn("coverage.decisions", cov.decisions, n=cov.decisions)
                if cov.decisions
                else self.tr("coverage.no_decisions"),
                "small",
            )
        )
        rows = []
        for g in get_framework().goals:
            gc = cov.goal(g.number)
            in_hlpf = g.number in hlpf
            depth = gc.depth or ("covered" if gc.paragraphs else "none")
            label = t(f"coverage.depth.{depth}", self.lang)
            if in_hlpf and not gc.covered:
                status = Cell(self.tr("coverage.status_gap", depth=label), "no")
            elif not gc.paragraphs:
                status = Cell(label, "muted")
            else:
                status = Cell(label, "yes" if in_hlpf else "")
            rows.append(
                (
                    Cell(str(g.number)),
                    Cell(self.goal_short(g.number)),
                    Cell(self.tr("yes") if in_hlpf else "", "yes" if in_hlpf else ""),
                    Cell(str(gc.paragraphs)),
                    Cell(page_ranges(gc.pages)),
                    Cell(", ".join(gc.targets[:8]) + (" …" if len(gc.targets) > 8 else "")),
                    Cell(str(gc.indicators)),
                    status,
                )
            )
        table = Table(
            columns=(
                self.tr("col.goal"),
                self.tr("col.goal_name"),
                self.tr("col.hlpf", year=cov.hlpf_year),
                self.tr("col.paragraphs"),
                self.tr("col.pages"),
                self.tr("col.targets"),
                self.tr("col.indicators"),
                self.tr("col.depth"),
            ),
            rows=tuple(rows),
            caption=self.tr("coverage.table_caption", year=cov.hlpf_year),
            numeric=(False, False, False, True, False, False, True, False),
            widths=(0.7, 3.0, 0.9, 1.1, 1.3, 2.2, 1.0, 1.8),
        )
        counts = {g.goal: g.paragraphs for g in cov.goals}
        data_table = figures.table_of(
            (
                self.tr("col.goal"),
                self.tr("col.goal_name"),
                self.tr("col.paragraphs"),
                self.tr("col.hlpf", year=cov.hlpf_year),
            ),
            [
                (
                    g.number,
                    self.goal_short(g.number),
                    counts.get(g.number, 0),
                    self.tr("yes") if g.number in hlpf else "",
                )
                for g in get_framework().goals
            ],
            numeric=(False, False, True, False),
        )
        top = sorted(((n, c) for n, c in counts.items() if c), key=lambda x: (-x[1], x[0]))[:3]
        alt = self.tr(
            "coverage.alt",
            covered=len(covered),
            top=join_list([self.tr("goal_count", goal=n, n=c) for n, c in top], self.lang)
            or self.tr("none"),
            year=cov.hlpf_year,
            missing=goals_label(missing, self.lang) if missing else self.tr("none"),
        )
        # The coverage table right after the chart holds the same numbers (and
        # more): the chart's own data table is not printed again.
        blocks.append(
            figures.coverage_chart(
                counts, hlpf, cov.hlpf_year, self.lang, data_table, alt, table_follows=True
            )
        )
        blocks.append(table)
        if cov.findings:
            blocks.append(Text(self.tr("coverage.findings")))
            blocks.append(Bullets(tuple(m.text(self.lang) for m in cov.findings)))
        named = sorted({c for g in cov.goals for c in g.targets}, key=code_sort_key)
        if named:
            blocks.append(
                Table(
                    columns=(self.tr("col.target"), self.tr("col.target_title")),
                    rows=tuple((Cell(c), Cell(self.target_title(c))) for c in named),
                    caption=self.tr("coverage.targets_caption"),
                    widths=(1.2, 8.8),
                )
            )
        return Section("coverage", title, tuple(blocks))

    # -- 3. findings by area ---------------------------------------------------

    def findings(self) -> Section:
        ck = self.data.checklist
        title = self.tr("section.findings")
        if ck is None or not ck.rated:
            return Section("findings", title, (Notice(self.tr("missing.ratings"), "missing"),))
        rows_for_chart: list[tuple[str, dict[str, int]]] = []
        table_rows = []
        for area in ck.areas:
            crits = [c for c in ck.criteria if c.area == area.code]
            if not crits:
                continue
            counts = Counter(c.rating or "not_rated" for c in crits)
            rows_for_chart.append((f"{area.code}. {area.name(self.lang)}", dict(counts)))
            table_rows.append((area, counts))
        shown = [
            k for k in AREA_COLUMNS if k in RATINGS or any(counts[k] for _, counts in table_rows)
        ]
        table = Table(
            columns=(self.tr("col.area"), *(self.tr(f"rating.{k}") for k in shown)),
            rows=tuple(
                (
                    Cell(f"{area.code}. {area.name(self.lang)}"),
                    *(Cell(str(counts[k])) for k in shown),
                )
                for area, counts in table_rows
            ),
            caption=self.tr("findings.table_caption"),
            numeric=(False, *([True] * len(shown))),
            widths=(4.5, *([1.0] * len(shown))),
        )
        worst = sorted(rows_for_chart, key=lambda r: (-r[1].get("not_met", 0), r[0]))[0]
        if worst[1].get("not_met", 0):
            alt = self.tr(
                "findings.alt",
                areas=len(rows_for_chart),
                worst=worst[0],
                n=worst[1].get("not_met", 0),
            )
        else:
            alt = self.tr("findings.alt_none_not_met", areas=len(rows_for_chart))
        blocks: list[Block] = [
            Text(self.tr("findings.intro", template=self.review.template or ck.template_label)),
            # The table after the chart is its data table: printed once.
            figures.ratings_chart(rows_for_chart, self.lang, table, alt, table_follows=True),
            table,
        ]
        subsections = []
        for area in ck.areas:
            crits = [c for c in ck.criteria if c.area == area.code]
            if not crits:
                continue
            items: list[Block] = []
            rated = [c for c in crits if c.rating]
            if not rated:
                items.append(Notice(self.tr("missing.area_ratings"), "missing"))
            for c in rated:
                items.append(self.finding(c))
            unrated = [c.id for c in crits if not c.rating]
            if rated and unrated:
                items.append(Text(self.tr("findings.not_rated", ids=", ".join(unrated)), "small"))
            subsections.append(
                Section(f"area-{area.code}", f"{area.code}. {area.name(self.lang)}", tuple(items))
            )
        return Section("findings", title, tuple(blocks), tuple(subsections))

    def finding(self, c: CriterionFacts) -> Finding:
        comments = tuple(
            (
                self.who(name)
                if (len(self.review.reviewers) > 1 or not self.o.show_reviewer_names)
                else "",
                text,
            )
            for name, text in c.comments
            if text.strip()
        )
        note = c.note
        if c.rating == "disputed" or (c.agreed is False and not note):
            views = "; ".join(
                f"{self.who(who)}: {self.rating_label(r)}" for who, r in c.reviewer_ratings
            )
            note = (
                self.tr("findings.disputed", views=views)
                if views
                else self.tr("findings.disagreement")
            )
        return Finding(
            criterion_id=c.id,
            question=c.question(self.lang),
            rating=c.rating or "not_rated",
            rating_label=self.rating_label(c.rating),
            pages=pages_label(c.pages, self.lang),
            priority=(c.priority or "") if c.recommendation else "",
            priority_label=self.tr(f"priority.{c.priority}")
            if c.priority and c.recommendation
            else "",
            comments=comments,
            recommendation=c.recommendation,
            note=note,
        )

    # -- 4. stakeholder engagement ----------------------------------------------

    def engagement(self) -> Section:
        eng = self.data.engagement
        title = self.tr("section.engagement")
        if eng is None:
            return Section(
                "engagement", title, (self.missing("engagement", self.tr("missing.consultations")),)
            )
        blocks: list[Block] = []
        intro = self.trn(
            "engagement.intro",
            eng.consultations,
            consultations=eng.consultations,
            participants=eng.participants,
        )
        if eng.first_date and eng.last_date:
            intro += self.sep + self.tr(
                "engagement.period",
                first=format_date(eng.first_date, self.lang),
                last=format_date(eng.last_date, self.lang),
            )
        blocks.append(Text(intro))
        facts: list[tuple[str, str]] = [
            (self.tr("engagement.consultations"), str(eng.consultations)),
            (self.tr("engagement.participants"), str(eng.participants)),
        ]
        if eng.by_sex:
            facts.append(
                (
                    self.tr("engagement.by_sex"),
                    join_list([f"{r.label(self.lang)} {r.count}" for r in eng.by_sex], self.lang),
                )
            )
        if eng.by_age:
            facts.append(
                (
                    self.tr("engagement.by_age"),
                    join_list([f"{r.label(self.lang)} {r.count}" for r in eng.by_age], self.lang),
                )
            )
        if eng.pwd_consultations is not None:
            facts.append(
                (
                    self.tr("engagement.pwd"),
                    self.tr(
                        "engagement.of_consultations",
                        n=eng.pwd_consultations,
                        total=eng.consultations,
                    ),
                )
            )
        if eng.indigenous_consultations is not None:
            facts.append(
                (
                    self.tr("engagement.indigenous"),
                    self.tr(
                        "engagement.of_consultations",
                        n=eng.indigenous_consultations,
                        total=eng.consultations,
                    ),
                )
            )
        if eng.inputs:
            facts.append(
                (
                    self.tr("engagement.feedback"),
                    self.tr(
                        "engagement.of_consultations",
                        n=eng.inputs_without_response,
                        total=eng.inputs,
                    ),
                )
            )
        facts.append(
            (
                self.tr("engagement.no_iap2"),
                self.tr("engagement.of_consultations", n=eng.without_iap2, total=eng.consultations),
            )
        )
        if eng.validation is not None:
            facts.append(
                (
                    self.tr("engagement.validation"),
                    self.tr("engagement.validation_yes")
                    if eng.validation
                    else self.tr("engagement.validation_no"),
                )
            )
        if eng.sdgs_discussed:
            facts.append((self.tr("engagement.sdgs"), goals_label(eng.sdgs_discussed, self.lang)))
        blocks.append(Facts(tuple(facts)))
        # Leave no one behind: groups of the stakeholder map never consulted.
        if eng.not_consulted:
            blocks.append(
                Text(
                    self.trn(
                        "engagement.lnob_gaps", len(eng.not_consulted), n=len(eng.not_consulted)
                    )
                )
            )
            blocks.append(Bullets(tuple(g.label(self.lang) for g in eng.not_consulted)))
        else:
            blocks.append(Text(self.tr("engagement.lnob_none")))
        if eng.findings:
            blocks.append(Text(self.tr("engagement.findings")))
            blocks.append(Bullets(tuple(m.text(self.lang) for m in eng.findings)))
        if eng.groups:
            groups = sorted(eng.groups, key=lambda g: (-g.count, g.label(self.lang)))
            labels = [g.label(self.lang) for g in groups]
            values = [g.count for g in groups]
            data_table = figures.table_of(
                (self.tr("col.group"), self.tr("col.consultations")),
                list(zip(labels, values, strict=True)),
                numeric=(False, True),
            )
            alt = self.tr(
                "engagement.groups_alt",
                n=len(groups),
                top=join_list(
                    [f"{lbl} ({v})" for lbl, v in zip(labels[:3], values[:3], strict=True)],
                    self.lang,
                ),
                gaps=join_list([g.label(self.lang) for g in eng.not_consulted], self.lang)
                or self.tr("none"),
            )
            blocks.append(
                figures.bar_chart(
                    "stakeholder-groups",
                    self.tr("engagement.groups_title"),
                    labels,
                    values,
                    self.lang,
                    data_table,
                    alt,
                    self.tr("col.consultations"),
                )
            )
        if eng.iap2:
            labels = [r.label(self.lang) for r in eng.iap2]
            values = [r.count for r in eng.iap2]
            data_table = figures.table_of(
                (self.tr("col.iap2"), self.tr("col.consultations")),
                list(zip(labels, values, strict=True)),
                numeric=(False, True),
            )
            alt = self.tr(
                "engagement.iap2_alt",
                levels=join_list(
                    [f"{lbl} {v}" for lbl, v in zip(labels, values, strict=True)], self.lang
                ),
            )
            blocks.append(
                figures.bar_chart(
                    "iap2-levels",
                    self.tr("engagement.iap2_title"),
                    labels,
                    values,
                    self.lang,
                    data_table,
                    alt,
                    self.tr("col.consultations"),
                    colours=["#8a94a3" if r.key == "not_recorded" else "#2f6ea8" for r in eng.iap2],
                )
            )
        if self.o.include_personal and eng.personal_rows:
            blocks.append(Notice(self.tr("engagement.personal_notice"), "info"))
            blocks.append(
                Table(
                    columns=tuple(self.tr(f"col.{c}") for c in eng.personal_columns),
                    rows=tuple(tuple(Cell(v) for v in row) for row in eng.personal_rows),
                    caption=self.tr("engagement.personal_caption"),
                )
            )
        else:
            blocks.append(Text(self.tr("engagement.privacy"), "small"))
        return Section("engagement", title, tuple(blocks))

    # -- 5. indicators ---------------------------------------------------------

    def indicators(self) -> Section:
        ind = self.data.indicators
        title = self.tr("section.indicators")
        if ind is None:
            return Section(
                "indicators", title, (self.missing("indicators", self.tr("missing.indicators")),)
            )
        blocks: list[Block] = []
        gaps = Counter(p for row in ind.rows for p in row.problems)
        blocks.append(
            Text(
                self.tr(
                    "indicators.intro",
                    n=len(ind.rows),
                    global_=sum(1 for r in ind.rows if r.global_code and not r.proxy),
                    proxies=sum(1 for r in ind.rows if r.proxy),
                )
            )
        )
        gap_lines = [
            self.trn(
                f"indicators.gap.{k}",
                gaps[k],
                n=gaps[k],
                ids=self.some([r.id for r in ind.rows if k in r.problems]),
            )
            for k in (
                "no_data",
                "no_baseline",
                "no_baseline_year",
                "no_source",
                "single_point",
                "no_unit",
                "no_target",
                "no_disaggregation",
            )
            if gaps[k]
        ]
        if ind.goals_without_indicators:
            gap_lines.append(
                self.tr(
                    "indicators.gap.goals_without",
                    goals=goals_label(ind.goals_without_indicators, self.lang),
                )
            )
        if gap_lines:
            blocks.append(Text(self.tr("indicators.gaps_intro")))
            blocks.append(Bullets(tuple(gap_lines)))
        else:
            blocks.append(Text(self.tr("indicators.no_gaps")))
        rows = []
        for r in ind.rows:
            kind = (
                Cell(self.tr("indicators.proxy"), "muted")
                if r.proxy or not r.global_code
                else Cell(r.global_code)
            )
            # Row by row only the gaps that make a figure unusable; missing 2030
            # targets, units and disaggregation are counted in the list above.
            issues = [
                self.tr(f"indicator_problem.{p}") for p in r.problems if p in ROW_INDICATOR_GAPS
            ]
            if r.alignment in ("check", "goal_mismatch", "proxy_match") and (
                r.suggested or r.alignment == "goal_mismatch"
            ):
                issues.append(self.tr(f"indicator_align.{r.alignment}", code=r.suggested))
            rows.append(
                (
                    Cell(r.id),
                    Cell(r.name),
                    Cell(str(r.goal) if r.goal else ""),
                    kind,
                    Cell(
                        r.baseline or "—",
                        "" if r.baseline and "no_baseline_year" not in r.problems else "no",
                    ),
                    Cell(r.latest or "—", "" if r.latest else "muted"),
                    Cell(r.source or "—", "" if r.source else "no"),
                    Cell("; ".join(issues), "no" if issues else ""),
                )
            )
        blocks.append(
            Table(
                columns=(
                    self.tr("col.id"),
                    self.tr("col.local_indicator"),
                    self.tr("col.goal"),
                    self.tr("col.global_indicator"),
                    self.tr("col.baseline"),
                    self.tr("col.latest"),
                    self.tr("col.source"),
                    self.tr("col.issues"),
                ),
                rows=tuple(rows),
                caption=self.tr("indicators.table_caption"),
                widths=(0.8, 3.4, 0.6, 1.3, 1.4, 1.4, 1.8, 2.2),
            )
        )
        return Section("indicators", title, tuple(blocks))

    # -- 5b. figures checked against the indicator table ------------------------

    def figures(self) -> Section:
        fig = self.data.figures
        title = self.tr("section.figures")
        if fig is None:
            return Section("figures", title, (self.missing("figures", self.tr("missing.figures")),))
        blocks: list[Block] = [
            Text(
                self.tr(
                    "figures.intro",
                    claims=fig.claims if fig.claims is not None else "—",
                    confirmed=len(fig.confirmed),
                    dismissed=len(fig.dismissed),
                    open=fig.open,
                )
            )
        ]
        if not fig.confirmed:
            blocks.append(Text(self.tr("figures.none_confirmed")))
            return Section("figures", title, tuple(blocks))
        rows = []
        for c in fig.confirmed:
            table = f"{c.indicator} {c.indicator_name}".strip()
            if c.table and c.table != "—":
                table = f"{table}: {c.table}" if table else c.table
            if c.table_where:
                table += f" ({c.table_where})"
            rows.append(
                (
                    Cell(pages_label(c.pages, self.lang)),
                    Cell(c.quote),
                    Cell(table or "—", "" if table else "muted"),
                    Cell(c.reason(self.lang)),
                    Cell(c.note or "—", "" if c.note else "muted"),
                )
            )
        blocks.append(
            Table(
                columns=(
                    self.tr("figures.col.pages"),
                    self.tr("figures.col.draft"),
                    self.tr("figures.col.table"),
                    self.tr("figures.col.issue"),
                    self.tr("figures.col.note"),
                ),
                rows=tuple(rows),
                caption=self.tr("figures.table_caption"),
                widths=(1.1, 2.1, 2.4, 3.5, 1.8),
            )
        )
        return Section("figures", title, tuple(blocks))

    # -- 6. recommendations ----------------------------------------------------

    def ranked_recommendations(self) -> list[CriterionFacts]:
        ck = self.data.checklist
        if ck is None:
            return []
        order = {c.id: n for n, c in enumerate(ck.criteria)}
        recs = [c for c in ck.criteria if c.recommendation.strip()]
        return sorted(recs, key=lambda c: recommendation_rank(c.priority, c.rating, order[c.id]))

    def recommendations(self) -> Section:
        title = self.tr("section.recommendations")
        recs = self.ranked_recommendations()
        if not recs:
            return Section(
                "recommendations", title, (Notice(self.tr("missing.recommendations"), "missing"),)
            )
        rows = tuple(
            (
                Cell(str(n)),
                Cell(self.tr(f"priority.{c.priority or 'medium'}"), c.priority or "medium"),
                Cell(c.id),
                Cell(c.recommendation),
                Cell(self.rating_label(c.rating), c.rating or "not_rated"),
                Cell(pages_label(c.pages, self.lang)),
            )
            for n, c in enumerate(recs, start=1)
        )
        counts = Counter(c.priority or "medium" for c in recs)
        intro = self.trn(
            "recommendations.intro",
            len(recs),
            n=len(recs),
            high=counts["high"],
            medium=counts["medium"],
            low=counts["low"],
        )
        table = Table(
            columns=(
                self.tr("col.no"),
                self.tr("col.priority"),
                self.tr("col.criterion"),
                self.tr("col.recommendation"),
                self.tr("col.rating"),
                self.tr("col.evidence"),
            ),
            rows=rows,
            caption=self.tr("recommendations.table_caption"),
            numeric=(True, False, False, False, False, False),
            widths=(0.5, 1.1, 0.8, 6.0, 1.3, 1.3),
        )
        blocks: list[Block] = [Text(intro), table]
        if self.o.response_sheet:
            blocks.append(Notice(self.tr("recommendations.respond", file=self.o.response_sheet)))
        return Section("recommendations", title, tuple(blocks))

    # -- 7. changes since the previous draft ------------------------------------

    def changes(self) -> Section:
        ch: ChangeFacts | None = self.data.changes
        title = self.tr("section.changes")
        if ch is None:
            if self.review.previous_version:
                msg = self.tr("missing.carryover", previous=self.review.previous_version)
            else:
                msg = self.tr("missing.previous")
            return Section("changes", title, (Notice(msg, "missing"),))
        blocks: list[Block] = []
        counts = Counter(i.status for i in ch.items)
        blocks.append(
            Text(
                self.trn(
                    "changes.intro",
                    len(ch.items),
                    previous=ch.previous_version,
                    version=self.review.version,
                    n=len(ch.items),
                    addressed=counts["addressed"],
                    partly=counts["partly"],
                    not_addressed=counts["not_addressed"],
                )
            )
        )
        if ch.items:
            tone = {"addressed": "met", "partly": "partly_met", "not_addressed": "not_met"}
            answered = [i for i in ch.items if i.answer is not None]
            columns = [
                self.tr("col.criterion"),
                self.tr("col.earlier_recommendation", previous=ch.previous_version),
            ]
            # With the city's answers the table has six columns: the others give
            # up room so that "Not addressed" still fits its column in Word.
            widths = [0.8, 3.6, 3.0, 1.9, 1.1, 2.6] if answered else [0.8, 4.2, 1.5, 1.3, 3.2]
            if answered:
                columns.append(self.tr("col.city_response"))
            columns += [
                self.tr("col.status_in", version=self.review.version),
                self.tr("col.evidence"),
                self.tr("col.note"),
            ]
            rows = []
            for i in ch.items:
                cells = [Cell(i.criterion_id), Cell(i.recommendation)]
                if answered:
                    cells.append(self.response_cell(i))
                cells += [
                    Cell(
                        self.tr(f"change.{i.status}")
                        if i.status in tone
                        else self.tr("change.unassessed"),
                        tone.get(i.status, "not_rated"),
                    ),
                    Cell(pages_label(i.pages, self.lang)),
                    Cell(i.note),
                ]
                rows.append(tuple(cells))
            blocks.append(
                Table(
                    columns=tuple(columns),
                    rows=tuple(rows),
                    caption=self.tr(
                        "changes.table_caption",
                        previous=ch.previous_version,
                        version=self.review.version,
                    ),
                    widths=tuple(widths),
                )
            )
            if answered:
                blocks.append(Text(self.responses_intro(answered, len(ch.items))))
                blocks.append(Bullets(tuple(self.response_line(i) for i in answered)))
        else:
            blocks.append(Notice(self.tr("missing.carryover_items"), "missing"))
        if ch.annotation_outcomes:
            blocks.append(Text(self.tr("changes.annotations")))
            blocks.append(
                Bullets(tuple(f"{r.label(self.lang)}: {r.count}" for r in ch.annotation_outcomes))
            )
        return Section("changes", title, tuple(blocks))

    def response_cell(self, item: ChangeItem) -> Cell:
        """What the city answered to an earlier recommendation, as typed, for the table."""
        answer = item.answer
        if answer is None:
            return Cell(self.tr("changes.no_response"), "muted")
        label = answer.label(self.lang)
        lines = [label[:1].upper() + label[1:] + self.due(answer)]
        for key, text in (
            ("action", answer.planned_action),
            ("office", answer.office),
            ("comment", answer.comment),
        ):
            if text.strip():
                lines.append(self.tr(f"response_cell.{key}", text=text.strip()))
        return Cell("\n".join(lines))

    def due(self, answer: CityResponse) -> str:
        if answer.target_date is None:
            return ""
        return self.tr("changes.due", date=format_date(answer.target_date, self.lang))

    def responses_intro(self, answered: Sequence[ChangeItem], total: int) -> str:
        answers = [i.answer for i in answered if i.answer is not None]
        senders = list(dict.fromkeys(a.sent_by for a in answers if a.sent_by))
        dates = sorted({a.sent_on for a in answers if a.sent_on})
        return self.trn(
            "changes.responses_intro",
            len(answered),
            n=len(answered),
            total=total,
            who=join_list(senders, self.lang) or self.tr("unknown"),
            date=format_date(dates[-1], self.lang) if dates else self.tr("unknown"),
            version=self.review.version,
        )

    def response_line(self, item: ChangeItem) -> str:
        """ "C4: accepted, due 31 March 2026 — addressed on p. 24." """
        assert item.answer is not None
        status = item.status if item.status in ("addressed", "partly", "not_addressed") else ""
        return self.tr(
            "changes.response_line",
            id=item.criterion_id,
            response=item.answer.label(self.lang),
            due=self.due(item.answer),
            status=self.tr(f"change_status.{status or 'unassessed'}"),
            # "addressed on p. 24", but "not addressed (see p. 26)": where the reviewer looked.
            pages=self.tr(
                "changes.see_pages" if status == "not_addressed" else "changes.on_pages",
                pages=pages_label(item.pages, self.lang),
            )
            if item.pages and status
            else "",
            version=self.review.version,
        )

    # -- 8. annex ------------------------------------------------------------------

    def annex(self) -> Section:
        subs = [self.method(), self.criteria_annex(), self.comments_annex()]
        if self.review.illustrative:
            subs.append(
                Section(
                    "annex-data",
                    self.tr("section.annex_data"),
                    (
                        Notice(t("common.illustrative_note", self.lang), "illustrative"),
                        Text(self.tr("annex.data_text")),
                    ),
                )
            )
        return Section("annex", self.tr("section.annex"), (), tuple(subs))

    def method(self) -> Section:
        r = self.review
        cov, ck = self.data.coverage, self.data.checklist
        blocks: list[Block] = [Text(self.tr("method.intro"))]
        items: list[tuple[str, str]] = []
        if ck is not None:
            items.append(
                (
                    self.tr("method.checklist"),
                    f"{ck.title(self.lang)} ({ck.template_label}), "
                    + self.tr("method.criteria_count", n=len(ck.criteria)),
                )
            )
        else:
            items.append((self.tr("method.checklist"), self.tr("method.not_used")))
        items.append((self.tr("method.ratings"), self.tr("method.ratings_text")))
        if cov is not None:
            items.append(
                (
                    self.tr("method.mapping"),
                    self.tr(
                        "method.mapping_meaning_text"
                        if cov.meaning_version
                        else "method.mapping_text",
                        vocabulary=cov.vocabulary_version or self.tr("unknown"),
                        meaning=cov.meaning_version,
                    ),
                )
            )
        else:
            items.append((self.tr("method.mapping"), self.tr("method.not_used")))
        items.append((self.tr("method.hlpf"), self.tr("method.hlpf_text", year=r.hlpf_year)))
        items.append(
            (
                self.tr("method.consultations"),
                self.tr("method.consultations_text")
                if self.data.engagement is not None
                else self.tr("method.not_used"),
            )
        )
        items.append(
            (
                self.tr("method.indicators"),
                self.tr("method.indicators_text")
                if self.data.indicators is not None
                else self.tr("method.not_used"),
            )
        )
        items.append((self.tr("method.privacy"), self.tr("method.privacy_text")))
        if self._provisional:
            items.append(
                (
                    self.tr("method.titles"),
                    self.tr(
                        "method.titles_text",
                        sources=join_list(list(self._provisional.values()), self.lang),
                    ),
                )
            )
        blocks.append(Facts(tuple(items)))
        for note in self.data.notes:
            blocks.append(Text(note, "small"))
        return Section("annex-method", self.tr("section.annex_method"), tuple(blocks))

    def criteria_annex(self) -> Section:
        ck = self.data.checklist
        title = self.tr("section.annex_criteria")
        if ck is None:
            return Section(
                "annex-criteria", title, (Notice(self.tr("missing.ratings"), "missing"),)
            )
        rows = tuple((Cell(c.id), Cell(c.question(self.lang)), Cell(c.source)) for c in ck.criteria)
        return Section(
            "annex-criteria",
            title,
            (
                Table(
                    columns=(
                        self.tr("col.id"),
                        self.tr("col.criterion_text"),
                        self.tr("col.source"),
                    ),
                    rows=rows,
                    caption=self.tr("annex.criteria_caption", template=ck.template_label),
                    widths=(0.6, 6.5, 3.0),
                ),
            ),
        )

    def comments_annex(self) -> Section:
        comments: tuple[CommentFacts, ...] | None = self.data.comments
        title = self.tr("section.annex_comments")
        if comments is None:
            return Section(
                "annex-comments", title, (Notice(self.tr("missing.annotations"), "missing"),)
            )
        if not comments:
            return Section(
                "annex-comments", title, (Notice(self.tr("missing.annotations_none"), "missing"),)
            )
        by_page: dict[int | None, list[CommentFacts]] = {}
        for cm in comments:
            by_page.setdefault(cm.page, []).append(cm)
        subs = []
        for page in sorted(by_page, key=lambda p: (p is None, p or 0)):
            rows = []
            for cm in by_page[page]:
                shown = cm.reviewer_shown
                links = [x for x in (cm.criterion, *(f"SDG {c}" for c in cm.sdgs)) if x]
                text = cm.text
                if cm.quote:
                    text = self.tr("annex.quoted", quote=cm.quote, comment=text)
                for name, reply in cm.replies:
                    text += f"\n↳ {self.shown(name, shown)}: {reply}" if name else f"\n↳ {reply}"
                if cm.carried:
                    text += f"\n({cm.carried})"
                kind = cm.kind_label or (self.tr(f"annotation_kind.{cm.kind}") if cm.kind else "")
                status = cm.status_label or (
                    self.tr(f"annotation_status.{cm.status}") if cm.status else ""
                )
                rows.append(
                    (
                        Cell(kind),
                        Cell(text),
                        Cell(", ".join(links)),
                        Cell(self.shown(cm.reviewer, shown)),
                        Cell(status, "muted" if cm.status == "resolved" else ""),
                    )
                )
            first = by_page[page][0]
            page_title = first.page_label or (
                self.tr("annex.page", page=page) if page is not None else self.tr("annex.no_page")
            )
            subs.append(
                Section(
                    f"annex-comments-p{page if page is not None else 'none'}",
                    page_title,
                    (
                        Table(
                            columns=(
                                self.tr("col.kind"),
                                self.tr("col.comment"),
                                self.tr("col.linked"),
                                self.tr("col.reviewer"),
                                self.tr("col.status"),
                            ),
                            rows=tuple(rows),
                            widths=(1.3, 5.8, 1.4, 1.4, 1.1),
                        ),
                    ),
                )
            )
        intro = Text(self.trn("annex.comments_intro", len(comments), n=len(comments)))
        return Section("annex-comments", title, (intro,), tuple(subs))
