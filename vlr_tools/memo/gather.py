"""Gather what a memo reports from a workspace review.

Each ``*_facts`` function reads one part of the review through the feature
module that owns it (checklist, coverage/mapping, consultations, indicators,
annotations) and returns plain records from :mod:`vlr_tools.memo.facts`, or
``None`` when the review holds nothing for that part, so the memo can say
so. Nothing here invents content: a number in the memo is a number the review
recorded or a count of what it recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ..errors import VlrError
from .facts import (
    AreaFacts,
    ChangeFacts,
    ChangeItem,
    ChecklistFacts,
    CommentFacts,
    CountRow,
    CoverageFacts,
    CriterionFacts,
    EngagementFacts,
    FigureCheck,
    FigureFacts,
    GoalCoverage,
    IndicatorFacts,
    IndicatorRow,
    Message,
    ReviewData,
    ReviewFacts,
)

_VERSION_NUMBER = re.compile(r"^v(\d+)$")


def gather(
    ws: Any,
    review_id: str,
    *,
    hlpf_year: int | None = None,
    include_personal: bool = False,
    lang: str = "en",
    show_reviewer_names: bool = True,
) -> ReviewData:
    """Read everything the memo needs for ``review_id`` from ``ws``.

    ``lang`` and ``show_reviewer_names`` matter only for the comments annex,
    whose labels and reviewer roles the annotations module words.
    """
    from ..review import open_review

    opened = open_review(ws, review_id)
    review = review_facts(ws, review_id, hlpf_year=hlpf_year, opened=opened)
    rv = opened.record
    problems: list[tuple[str, str]] = []
    coverage = None
    try:
        coverage = coverage_facts(ws, opened, review.hlpf_year, lang)
    except VlrError as exc:
        problems.append(("coverage", str(exc).splitlines()[0]))
    indicators = indicator_facts(opened, coverage.covered if coverage else (), coverage)
    engagement = engagement_facts(
        ws,
        rv,
        covered=coverage.covered if coverage else None,
        include_personal=include_personal,
        lang=lang,
    )
    changes = change_facts(ws, review_id, review.previous_version)
    outcomes = annotation_outcomes(ws, review_id)
    if outcomes:
        from dataclasses import replace

        changes = replace(
            changes or ChangeFacts(previous_version=review.previous_version or "?"),
            annotation_outcomes=outcomes,
        )
    return ReviewData(
        review=review,
        checklist=checklist_facts(ws, review_id),
        coverage=coverage,
        engagement=engagement,
        indicators=indicators,
        figures=figure_facts(ws, review_id),
        changes=changes,
        comments=comment_facts(ws, review_id, lang=lang, show_names=show_reviewer_names),
        problems=tuple(problems),
    )


# -- figures checked against the indicator table -------------------------------


def figure_facts(ws: Any, review_id: str) -> FigureFacts | None:
    """The figure checks the reviewers confirmed and dismissed, and the last run's counts.

    None when the figures were never checked (no ``vlr claims`` run and no decision).
    """
    from ..claims.store import confirmed_checks, last_run

    run = last_run(ws, review_id)
    confirmed, dismissed = confirmed_checks(ws, review_id)
    if run is None and not confirmed and not dismissed:
        return None
    decided = {c.id for c in (*confirmed, *dismissed)}
    open_checks = 0
    if run is not None:
        open_checks = sum(
            1
            for c in run.get("checks") or ()
            if c.get("id") not in decided and c.get("kind") != "which_indicator"
        )

    def fact(c: Any) -> FigureCheck:
        return FigureCheck(
            id=c.id,
            kind=c.kind,
            pages=c.pages,
            quote=c.quote,
            reason_en=c.reason_en,
            reason_ja=c.reason_ja,
            indicator=c.indicator,
            indicator_name=c.indicator_name,
            table=c.table,
            table_where=c.table_where,
            note=c.note,
            decided_by=c.decided_by,
        )

    return FigureFacts(
        confirmed=tuple(fact(c) for c in confirmed),
        dismissed=tuple(fact(c) for c in dismissed),
        claims=int(run["claims"]) if run is not None and "claims" in run else None,
        open=open_checks,
    )


# -- the review and the draft --------------------------------------------------


def review_facts(
    ws: Any, review_id: str, *, hlpf_year: int | None = None, opened: Any = None
) -> ReviewFacts:
    """The review's city (from its profile in the workspace), draft, reviewers and dates."""
    from ..review import open_review

    opened = opened or open_review(ws, review_id)
    rv = opened.record
    city = opened.city
    year = hlpf_year or opened.hlpf_year or dt.date.today().year
    stored = opened.draft_file
    # The reviewers' own work dates the review: not the city's answers nor the
    # response sheets sent to it.
    from ..responses import RESPONSE_KIND, SHEET_KIND

    records = [r for r in ws.records(review_id) if r.kind not in (RESPONSE_KIND, SHEET_KIND)]
    stamps = [r.updated_at for r in records] + [rv.updated_at]
    review_date = max(stamps).date() if stamps else None
    settings = opened.settings
    return ReviewFacts(
        review_id=rv.id,
        city_slug=rv.city,
        city_name=opened.city_name,
        city_place=city.place if city else str(settings.get("city_place") or ""),
        illustrative=opened.illustrative,
        illustrative_note=city.illustrative_note if city else "",
        version=rv.version,
        document=rv.document,
        draft_title=rv.title or (stored.title if stored and stored.title else ""),
        draft_pages=stored.pages if stored else None,
        draft_date=stored.received if stored else None,
        reviewers=tuple(rv.reviewers),
        template=_template_label(rv.template),
        status=rv.status,
        review_date=review_date,
        hlpf_year=int(year),
        previous_version=previous_version(ws, rv),
    )


def previous_version(ws: Any, rv: Any) -> str | None:
    """The latest earlier draft version of the same city that has a review."""
    number = _version_number(rv.version)
    if number is None:
        return None
    earlier = [
        r.version
        for r in ws.reviews(rv.city)
        if r.id != rv.id and (n := _version_number(r.version)) is not None and n < number
    ]
    return max(earlier, key=lambda v: _version_number(v) or 0) if earlier else None


def _template_label(name: str) -> str:
    try:
        from ..checklist.templates import load_template

        return str(load_template(name.split()[0]).label)
    except (VlrError, ImportError, IndexError):
        return name


def _version_number(version: str) -> int | None:
    match = _VERSION_NUMBER.match(version or "")
    return int(match.group(1)) if match else None


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return None


# -- checklist -------------------------------------------------------------------


def _checklist_api() -> Any:
    """The checklist module's functions the memo uses (package API when present)."""
    try:
        from .. import checklist as api

        api.final_ratings  # noqa: B018 - the package re-exports the submodules' names
        return api
    except (ImportError, AttributeError):
        from types import SimpleNamespace

        from ..checklist import consensus, ratings, versions

        return SimpleNamespace(
            final_ratings=consensus.final_ratings,
            review_template=ratings.review_template,
            carried_items=versions.carried_items,
        )


def checklist_facts(ws: Any, review_id: str) -> ChecklistFacts | None:
    """Every criterion of the review's template with its final/agreed rating.

    None when nobody rated anything. Reviewers who disagree without a final
    rating from the lead reviewer leave the criterion "disputed".
    """
    if not ws.records(review_id, "rating") and not ws.records(review_id, "final_rating"):
        return None
    api = _checklist_api()
    template = api.review_template(ws, review_id)
    finals = api.final_ratings(ws, review_id)
    criteria = []
    for c in template.criteria:
        fr = finals.get(c.id)
        if fr is None:
            criteria.append(CriterionFacts(c.id, c.area, c.question_en, c.question_ja, c.source))
            continue
        text = fr.recommendation_text
        criteria.append(
            CriterionFacts(
                id=c.id,
                area=c.area,
                question_en=c.question_en,
                question_ja=c.question_ja,
                source=c.source,
                rating=fr.rating,
                pages=tuple(fr.pages),
                comments=tuple((str(who), str(text)) for who, text in fr.comments),
                recommendation=text,
                priority=fr.priority if text else None,
                note=fr.note,
                agreed=fr.status != "disputed",
                reviewer_ratings=tuple((str(k), str(v)) for k, v in fr.reviewers.items()),
            )
        )
    return ChecklistFacts(
        template_label=template.label,
        title_en=template.title("en"),
        title_ja=template.title("ja"),
        areas=tuple(AreaFacts(a.code, a.name_en, a.name_ja) for a in template.areas),
        criteria=tuple(criteria),
    )


def change_facts(ws: Any, review_id: str, previous: str | None) -> ChangeFacts | None:
    """Earlier recommendations carried into this review and how the new draft answers them."""
    if not ws.records(review_id, "carryover"):
        return None
    from ..responses import load_responses

    api = _checklist_api()
    items = api.carried_items(ws, review_id)
    from_version = previous or ""
    answers: dict[str, dict[str, Any]] = {}
    out = []
    for item in items:
        rec = ws.get(review_id, "carryover", item.criterion_id)
        if rec is not None and rec.data.get("from_version"):
            from_version = str(rec.data["from_version"])
        # What the city answered to the earlier review, if its sheet came back.
        if item.from_review and item.from_review not in answers:
            answers[item.from_review] = load_responses(ws, item.from_review)
        answer = answers.get(item.from_review, {}).get(item.criterion_id)
        out.append(
            ChangeItem(
                criterion_id=item.criterion_id,
                recommendation=item.text,
                status=item.status
                if item.status in ("addressed", "partly", "not_addressed")
                else "unassessed",
                pages=tuple(int(p) for p in item.pages),
                note=item.note,
                reviewer=item.checked_by,
                answer=answer,
            )
        )
    return ChangeFacts(previous_version=from_version or "?", items=tuple(out))


# -- indicators ----------------------------------------------------------------------


def indicator_facts(
    opened: Any, covered_goals: tuple[int, ...] = (), coverage: CoverageFacts | None = None
) -> IndicatorFacts | None:
    """The review's indicator table, its data gaps and the global counterparts."""
    table = opened.indicators
    if table is None:
        return None
    from ..indicators import gap_kinds

    aligned = aligned_codes(table)
    rows = []
    for ind in table:
        status, suggested = aligned.get(ind.id, ("", ""))
        rows.append(
            IndicatorRow(
                id=ind.id,
                name=ind.name,
                goal=ind.goal,
                global_code=", ".join(ind.global_codes),
                proxy=ind.proxy,
                unit=ind.unit,
                baseline=_value(ind.baseline_year, ind.baseline_value),
                latest=_value(ind.latest_year, ind.latest_value),
                target_2030=_number(ind.target_2030),
                source=ind.source,
                problems=memo_gaps(ind, gap_kinds(ind)),
                alignment=status,
                suggested=suggested if suggested != ind.global_code else "",
            )
        )
    measured = {g for ind in table if ind.has_data for g in ind.goals}
    claimed = set(covered_goals)
    if coverage is not None:
        claimed |= {g.goal for g in coverage.goals if g.claimed}
    without = tuple(sorted(g for g in claimed if g not in measured))
    return IndicatorFacts(
        rows=tuple(rows), goals_without_indicators=without, source_file=table.name
    )


#: Raise when what the memo keeps of an alignment changes (old cache files are then unused).
ALIGNMENT_CACHE_VERSION = 1


def _alignment_key(table: Any) -> str:
    """What an alignment depends on: the table's rows, the framework and vocabulary files,
    and the code that aligns (so that changing any of them recomputes it)."""
    import dataclasses
    import hashlib
    import json

    from .. import mapping, vocabulary
    from ..indicators import alignment
    from ..paths import REFERENCE_DIR

    digest = hashlib.sha256(f"alignment {ALIGNMENT_CACHE_VERSION}\n".encode())
    rows = [dataclasses.asdict(ind) for ind in table]
    digest.update(json.dumps(rows, sort_keys=True, default=str).encode())
    files = sorted((REFERENCE_DIR / "sdg").glob("*.csv"))
    files += sorted(p for p in (REFERENCE_DIR / "vocabulary").rglob("*") if p.is_file())
    files += [Path(m.__file__ or "") for m in (alignment, mapping, vocabulary)]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def aligned_codes(table: Any) -> dict[str, tuple[str, str]]:
    """Per indicator id: the alignment status and the suggested global code.

    Aligning builds the mapping vocabulary's matcher (a second or two in a
    fresh process), although the answer only changes when the table, the
    reference data or the code does: it is kept in the cache folder
    (``$VLR_CACHE_DIR``, else the system's temporary folder), keyed by all of them.
    """
    import json
    import os
    import tempfile

    from ..indicators import align_indicators
    from ..review import draft_cache_dir

    folder = draft_cache_dir().parent / "alignment"
    path = folder / f"{_alignment_key(table)}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): (str(v[0]), str(v[1])) for k, v in stored.items()}
    except (OSError, ValueError, TypeError, IndexError, AttributeError):
        pass  # not cached yet (or an unreadable file): align now
    aligned = {
        str(row["id"]): (str(row["status"] or ""), str(row["suggested_code"] or ""))
        for _, row in align_indicators(table, lang="en").iterrows()
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(aligned, fh)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only or full disk only costs the next memo the same wait
    return aligned


def memo_gaps(indicator: Any, kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The gap kinds of ``indicator`` as the memo words them.

    :func:`~vlr_tools.indicators.gap_kinds` reports ``no_baseline`` when
    either the baseline year or the value is missing (the checklist pre-check
    needs no more). A reader needs to know which: a value without its year
    becomes ``no_baseline_year``.
    """
    if "no_baseline" in kinds and indicator.baseline_value is not None:
        return tuple("no_baseline_year" if k == "no_baseline" else k for k in kinds)
    return tuple(kinds)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _value(year: int | None, value: float | None) -> str:
    if value is None:
        return ""
    return f"{year}: {_number(value)}" if year else _number(value)


# -- SDG coverage -----------------------------------------------------------------------


def coverage_facts(
    ws: Any, opened: Any, hlpf_year: int, lang: str | None = None
) -> CoverageFacts | None:
    """How the draft covers the 17 goals, with the review's mapping decisions applied.

    None when the review has no stored draft. The mapping is the one saved
    in the review (what the reviewer saw, with its vocabulary version), else
    a fresh one; the memo says how many reviewer decisions changed it. The
    findings are worded in ``lang`` only when it is given (a memo needs one
    language: the other would cost a second coverage table), else in both.
    """
    if not opened.has_draft:
        return None
    from .. import coverage as cov

    mapping = opened.mapping()
    decisions = cov.load_decisions(ws, opened.id)
    table = opened.indicators
    view = cov.mapping_view(mapping)
    # Paragraphs with at least one goal once the decisions are applied (what
    # `vlr map` lists), as opposed to every paragraph of the draft.
    mapped = cov.effective_matches(view, decisions)
    langs = (lang,) if lang else ("en", "ja")
    # The goals' numbers and depth codes are the same in every language.
    frames = {x: cov.coverage_frame(view, table, decisions, hlpf_year, x) for x in langs}
    frame = frames[langs[0]]
    goals = tuple(
        GoalCoverage(
            goal=int(row.goal),
            paragraphs=int(row.paragraphs),
            pages=tuple(int(p) for p in row.pages),
            targets=tuple(str(x) for x in row.targets),
            indicators=int(row.indicators_with_data),
            depth=str(row.depth),
            claimed=bool(row.claimed),
        )
        for row in frame.itertuples(index=False)
    )
    coastal = opened.coastal
    found = {
        x: list(cov.coverage_findings(f, hlpf_year=hlpf_year, coastal=coastal, lang=x).itertuples())
        for x, f in frames.items()
    }
    findings = _messages(found)
    return CoverageFacts(
        goals=goals,
        hlpf_year=hlpf_year,
        hlpf_goals=tuple(int(g) for g in frame.attrs.get("hlpf_goals", ())),
        vocabulary_version=str(view.vocabulary_version or ""),
        meaning_version=str(view.meaning_version or ""),
        decisions=len(decisions),
        paragraphs_total=len(view.paragraphs),
        paragraphs_mapped=len(set(mapped["ref"])),
        findings=findings,
    )


# -- stakeholder engagement ---------------------------------------------------------------


def engagement_facts(
    ws: Any,
    rv: Any,
    *,
    covered: tuple[int, ...] | None = None,
    include_personal: bool = False,
    lang: str | None = None,
) -> EngagementFacts | None:
    """What the review's consultation log shows, aggregated (no personal data by default).

    The findings are worded in ``lang`` only when it is given, else in both languages."""
    from .. import consultations as con
    from ..stakeholders import get_stakeholders

    records = con.load_consultations(ws, rv.id)
    if not records:
        return None
    dates = con.draft_dates(ws, rv.city)
    summary = {lang: con.coverage_summary(records, "all", lang) for lang in ("en", "ja")}
    en, ja = summary["en"], summary["ja"].set_index("group")
    groups = tuple(
        CountRow(str(r.group), str(r.name), int(r.consultations), str(ja.loc[r.group, "name"]))
        for r in en.itertuples()
        if int(r.consultations) > 0
    )
    missing = tuple(
        CountRow(str(r.group), str(r.name), 0, str(ja.loc[r.group, "name"]))
        for r in en.itertuples()
        if not r.heard and (bool(r.lnob) or _present(r.ph_sector))
    )
    iap2_en, iap2_ja = (con.iap2_distribution(records, lang) for lang in ("en", "ja"))
    iap2 = tuple(
        CountRow(str(a.level), str(a.name), int(a.count), str(b.name))
        for a, b in zip(iap2_en.itertuples(), iap2_ja.itertuples(), strict=True)
        if int(a.count) > 0
    )
    female = sum(c.female or 0 for c in records if c.female is not None)
    male = sum(c.male or 0 for c in records if c.male is not None)
    sexes = []
    if any(c.female is not None or c.male is not None for c in records):
        sexes = [
            CountRow("female", "women", female, "女性"),
            CountRow("male", "men", male, "男性"),
        ]
    ages = []
    if any(c.youth is not None for c in records):
        ages.append(CountRow("youth", "youth", sum(c.youth or 0 for c in records), "若者"))
    if any(c.seniors is not None for c in records):
        ages.append(
            CountRow("seniors", "senior citizens", sum(c.seniors or 0 for c in records), "高齢者")
        )
    validation = None
    if dates and rv.version in dates:
        status = con.validation_status(records, dates)
        row = status[status["version"] == rv.version]
        validation = bool(row["validated"].iloc[0]) if len(row) else None
    found = {
        x: list(
            con.engagement_findings(
                records,
                draft_dates=dates or None,
                version=rv.version,
                covered_goals=covered,
                lang=x,
            )
        )
        for x in ((lang,) if lang else ("en", "ja"))
    }
    findings = _messages(found)
    dated = [c.date for c in records if c.date]
    no_response = con.inputs_without_response(records)
    personal_columns: tuple[str, ...] = ()
    personal_rows: tuple[tuple[str, ...], ...] = ()
    if include_personal:
        people = con.load_participants(ws, rv.id)
        personal_columns = ("consultation", "name", "group", "phone", "email")
        personal_rows = tuple(
            (p.consultation, p.name, p.group or "", p.phone, p.email)
            for p in sorted(people, key=lambda p: (p.consultation, p.name))
        )
    get_stakeholders()  # fail here, not mid-way, if the stakeholder vocabulary is broken
    return EngagementFacts(
        consultations=len(records),
        participants=sum(c.participants or 0 for c in records),
        first_date=min(dated) if dated else None,
        last_date=max(dated) if dated else None,
        groups=groups,
        not_consulted=missing,
        iap2=iap2,
        by_sex=tuple(sexes),
        by_age=tuple(ages),
        inputs=sum(1 for c in records if c.issues.strip()),
        inputs_without_response=len(no_response),
        without_iap2=sum(1 for c in records if not c.iap2),
        validation=validation,
        pwd_consultations=sum(1 for c in records if c.pwd_present),
        indigenous_consultations=sum(1 for c in records if c.ip_present),
        sdgs_discussed=tuple(sorted({g for c in records for g in c.sdgs})),
        findings=findings,
        personal_rows=personal_rows,
        personal_columns=personal_columns,
    )


def _messages(found: dict[str, list[Any]]) -> tuple[Message, ...]:
    """Findings (with ``kind`` and ``message``) worded in one or both languages, as Messages.

    A message worded in Japanese only keeps it in both fields, so that
    :meth:`Message.text` gives it whatever it is asked for."""
    if set(found) == {"en", "ja"}:
        pairs = zip(found["en"], found["ja"], strict=True)
        return tuple(Message(str(a.kind), str(a.message), str(b.message)) for a, b in pairs)
    (lang, items), *_ = found.items()
    return tuple(
        Message(str(a.kind), str(a.message), str(a.message) if lang == "ja" else "") for a in items
    )


def _present(value: object) -> bool:
    return value is not None and value == value and str(value) not in ("", "nan", "None")


# -- comments anchored to the draft (annotations) -------------------------------------------


def comment_facts(
    ws: Any, review_id: str, *, lang: str = "en", show_names: bool = True
) -> tuple[CommentFacts, ...] | None:
    """The review's open and resolved annotations, in page order; None when there are none."""
    if not ws.records(review_id, "annotation"):
        return None
    from ..annotations.annex import comments_by_page

    out = []
    for group in comments_by_page(ws, review_id, lang=lang, show_names=show_names):
        for item in group.items:
            out.append(
                CommentFacts(
                    page=item.page,
                    kind=item.kind,
                    text=item.comment,
                    quote=item.quote,
                    criterion=item.criterion,
                    sdgs=tuple(item.sdgs),
                    reviewer=item.reviewer,
                    status=item.status,
                    replies=tuple((r.reviewer, r.comment) for r in item.replies),
                    kind_label=item.kind_label,
                    status_label=item.status_label,
                    page_label=group.label,
                    carried=item.carried,
                    reviewer_shown=True,
                )
            )
    return tuple(out) if out else ()


def annotation_outcomes(ws: Any, review_id: str) -> tuple[CountRow, ...]:
    """How the comments carried over from the previous draft were found again."""
    if not ws.records(review_id, "annotation"):
        return ()
    from ..annotations.carry import carryover_counts
    from ..i18n import t

    return tuple(
        CountRow(o, t(f"annotations.outcome.{o}", "en"), n, t(f"annotations.outcome.{o}", "ja"))
        for o, n in carryover_counts(ws, review_id).items()
        if n
    )
