"""Who was heard, how, when, about what, and what came of it.

Each function takes consultation records (never participants: no personal
data goes into an analysis) and returns a pandas DataFrame; each
``*_figure`` function draws one of them as a plotly figure in English or
Japanese. :func:`engagement_findings` turns them into the findings a review
memo reports, using the same kinds as the sample cities' answer keys
(stakeholder_group_not_consulted, consultation_no_response,
consultation_no_iap2, no_validation, no_disaggregation).

>>> findings = engagement_findings(records, draft_dates={"v1": date(2025, 2, 20)})  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..i18n import check_lang, t
from ..stakeholders import Stakeholders, get_stakeholders, normalise_text
from .model import Consultation
from .vocab import get_engagement

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: Dimensions of "leave no one behind" data (VLR guide, criterion C4).
DISAGGREGATION_DIMENSIONS = (
    "sex",
    "age",
    "disability",
    "indigenous_identity",
    "income",
    "barangay",
)
NOT_RECORDED = "not_recorded"


def _sorted(records: Iterable[Consultation]) -> list[Consultation]:
    return sorted(records, key=lambda c: (c.date or dt.date.max, c.record_id))


def _heard_directly(c: Consultation) -> set[str]:
    """Groups a consultation heard: its groups, plus PWD/IP when flagged present."""
    groups = set(c.groups)
    if c.pwd_present:
        groups.add("persons_with_disabilities")
    if c.ip_present:
        groups.add("indigenous_peoples")
    return groups


# --------------------------------------------------------------------------- coverage


def coverage_matrix(
    records: Iterable[Consultation],
    vocabulary: str = "all",
    lang: str = "en",
    stakeholders: Stakeholders | None = None,
) -> pd.DataFrame:
    """Stakeholder groups (rows, by id) x consultations (columns, by record id).

    1 = the group took part (named in the record, or PWD/IP flagged present),
    0 = not. ``vocabulary``: "ph" (14 basic sectors), "un" or "all". A
    group heard only through a narrower one (UN "farmers" through fisherfolk)
    shows 0 here; :func:`coverage_summary` counts it as heard.
    """
    check_lang(lang)
    sh = stakeholders or get_stakeholders()
    records = _sorted(records)
    groups = sh.groups(vocabulary)
    data = {c.record_id: [1 if g.id in _heard_directly(c) else 0 for g in groups] for c in records}
    frame = pd.DataFrame(data, index=pd.Index([g.id for g in groups], name="group"), dtype="int64")
    return frame


def coverage_summary(
    records: Iterable[Consultation],
    vocabulary: str = "all",
    lang: str = "en",
    stakeholders: Stakeholders | None = None,
) -> pd.DataFrame:
    """One row per group: name, vocabularies, LNOB flag, consultations that heard it.

    ``heard`` is True when the group took part itself or through a narrower
    group that falls under it (crosswalk in groups.yaml).
    """
    check_lang(lang)
    sh = stakeholders or get_stakeholders()
    records = _sorted(records)
    direct: dict[str, list[str]] = {}
    indirect: dict[str, list[str]] = {}
    for c in records:
        heard = _heard_directly(c)
        for gid in heard:
            direct.setdefault(gid, []).append(c.record_id)
        for gid in sh.covered_by(heard) - heard:
            indirect.setdefault(gid, []).append(c.record_id)
    rows = []
    for g in sh.groups(vocabulary):
        rows.append(
            {
                "group": g.id,
                "name": g.name(lang),
                "un": g.un or "",
                "ph_sector": g.ph_sector,
                "lnob": g.lnob,
                "consultations": len(direct.get(g.id, [])),
                "consulted_in": ", ".join(direct.get(g.id, [])),
                "heard_through": ", ".join(sorted(set(indirect.get(g.id, [])))),
                "heard": bool(direct.get(g.id) or indirect.get(g.id)),
            }
        )
    return pd.DataFrame(rows)


def groups_not_consulted(
    records: Iterable[Consultation],
    *,
    lnob_only: bool = False,
    vocabulary: str = "all",
    lang: str = "en",
) -> pd.DataFrame:
    """Groups no consultation heard (directly or through a narrower group)."""
    summary = coverage_summary(records, vocabulary, lang)
    out = summary[~summary["heard"]]
    if lnob_only:
        out = out[out["lnob"]]
    return out.reset_index(drop=True)


def lnob_not_consulted(records: Iterable[Consultation], lang: str = "en") -> pd.DataFrame:
    """The "leave no one behind" groups that no consultation heard."""
    return groups_not_consulted(records, lnob_only=True, lang=lang)


# --------------------------------------------------------------------------- participation


def participation(records: Iterable[Consultation]) -> pd.DataFrame:
    """Participants per consultation by sex and age, and whether sex is recorded."""
    rows = []
    for c in _sorted(records):
        total = c.participants
        rows.append(
            {
                "consultation": c.record_id,
                "date": c.date,
                "male": c.male,
                "female": c.female,
                "total": total,
                "youth": c.youth,
                "seniors": c.seniors,
                "pwd_present": c.pwd_present,
                "ip_present": c.ip_present,
                "disaggregated": c.disaggregated,
                "female_share": (c.female / total) if c.female is not None and total else None,
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "consultation", "date", "male", "female", "total", "youth", "seniors",
            "pwd_present", "ip_present", "disaggregated", "female_share",
        ],
    )  # fmt: skip
    for column in ("male", "female", "total", "youth", "seniors"):
        frame[column] = frame[column].astype("Int64")
    return frame


def disaggregation_gaps(records: Iterable[Consultation]) -> pd.DataFrame:
    """Which LNOB dimensions the log records as numbers, per dimension.

    sex: male/female counts; age: youth/senior counts; disability and
    indigenous identity: only yes/no flags exist in a log, so they count as
    not disaggregated; income and barangay: a log has no such counts.
    """
    records = list(records)
    n = len(records)
    with_sex = sum(c.disaggregated for c in records)
    with_age = sum(c.youth is not None or c.seniors is not None for c in records)
    rows = [
        ("sex", with_sex),
        ("age", with_age),
        ("disability", 0),
        ("indigenous_identity", 0),
        ("income", 0),
        ("barangay", 0),
    ]
    return pd.DataFrame(
        [
            {
                "dimension": d,
                "consultations_with_counts": k,
                "consultations": n,
                "recorded": bool(n) and k == n,
            }
            for d, k in rows
        ]
    )


# --------------------------------------------------------------------------- IAP2


def iap2_distribution(records: Iterable[Consultation], lang: str = "en") -> pd.DataFrame:
    """Consultations per IAP2 level (inform ... empower), plus "not recorded"."""
    check_lang(lang)
    levels = get_engagement().iap2_levels
    records = _sorted(records)
    rows = []
    for term in levels.terms:
        ids = [c.record_id for c in records if c.iap2 == term.id]
        rows.append(
            {
                "level": term.id,
                "name": term.name(lang),
                "count": len(ids),
                "consultations": ", ".join(ids),
            }
        )
    missing = [c.record_id for c in records if not c.iap2]
    rows.append(
        {
            "level": NOT_RECORDED,
            "name": t("consultations.not_recorded", lang),
            "count": len(missing),
            "consultations": ", ".join(missing),
        }
    )
    return pd.DataFrame(rows)


def consultations_without_iap2(records: Iterable[Consultation]) -> list[str]:
    """Record ids of consultations with no IAP2 level."""
    return [c.record_id for c in _sorted(records) if not c.iap2]


# --------------------------------------------------------------------------- feedback loop


def inputs_without_response(records: Iterable[Consultation]) -> pd.DataFrame:
    """Consultations whose inputs have no recorded response, or only a vague one.

    ``status`` is "missing" (issues raised, response empty) or "vague" (the
    response only says the input was noted / will be considered).
    """
    engagement = get_engagement()
    rows = []
    for c in _sorted(records):
        if not c.issues.strip():
            continue
        if not c.response.strip():
            status = "missing"
        elif engagement.is_vague(c.response):
            status = "vague"
        else:
            continue
        rows.append(
            {
                "consultation": c.record_id,
                "date": c.date,
                "groups": ", ".join(c.groups),
                "issues": c.issues,
                "response": c.response,
                "status": status,
            }
        )
    return pd.DataFrame(
        rows, columns=["consultation", "date", "groups", "issues", "response", "status"]
    )


# --------------------------------------------------------------------------- timeline and validation


def is_validation(c: Consultation) -> bool:
    """True when a consultation reviewed/validated the draft (format or wording)."""
    if c.format == "validation":
        return True
    text = normalise_text(" ".join((c.format, c.title, c.issues, c.notes)))
    words = get_engagement().validation_words
    return any(f" {normalise_text(w)} " in f" {text} " for w in words)


def timeline(
    records: Iterable[Consultation], draft_dates: Mapping[str, dt.date] | None = None
) -> pd.DataFrame:
    """Consultations in date order with the draft stage they fall in.

    ``stage`` is "before v1", "v1-v2", ..., "after vN" relative to the draft
    dates given (``{"v1": date, ...}``; see :func:`draft_dates_for_city`).
    """
    drafts = sorted((draft_dates or {}).items(), key=lambda kv: kv[1])
    rows = []
    for c in _sorted(records):
        stage = ""
        if drafts and c.date:
            before = [v for v, d in drafts if d <= c.date]
            after = [v for v, d in drafts if d > c.date]
            if not before:
                stage = f"before {after[0]}"
            elif not after:
                stage = f"after {before[-1]}"
            else:
                stage = f"{before[-1]}-{after[0]}"
        rows.append(
            {
                "consultation": c.record_id,
                "date": c.date,
                "title": c.title,
                "format": c.format,
                "iap2": c.iap2 or "",
                "validation": is_validation(c),
                "stage": stage,
            }
        )
    return pd.DataFrame(
        rows, columns=["consultation", "date", "title", "format", "iap2", "validation", "stage"]
    )


def validation_status(
    records: Iterable[Consultation], draft_dates: Mapping[str, dt.date]
) -> pd.DataFrame:
    """Per draft version: was a stakeholder validation held before it (criterion C5)?

    Draft vN counts as validated when a validation consultation took place on
    or before its date and, for later drafts, after the first draft (a
    validation must have a draft to look at).
    """
    drafts = sorted(draft_dates.items(), key=lambda kv: kv[1])
    validations = [c for c in _sorted(records) if c.date and is_validation(c)]
    rows = []
    for index, (version, date) in enumerate(drafts):
        earliest = drafts[0][1] if index else dt.date.min
        held = [c.record_id for c in validations if c.date and earliest <= c.date <= date]
        rows.append(
            {
                "version": version,
                "date": date,
                "validated": bool(held),
                "validations": ", ".join(held),
            }
        )
    return pd.DataFrame(rows, columns=["version", "date", "validated", "validations"])


def draft_dates(ws: Any, city: str) -> dict[str, dt.date]:
    """Draft version -> the date the city's draft was received, from the workspace."""
    return {d.version: d.received for d in ws.drafts(city) if d.received}


def draft_dates_for_city(slug: str) -> dict[str, dt.date]:
    """Draft version -> date of a sample city's drafts (through a scratch intake)."""
    from ..intake import is_sample_city, scratch_sample_review

    if not is_sample_city(slug):
        return {}
    rv = scratch_sample_review(slug)
    return draft_dates(rv.ws, slug)


# --------------------------------------------------------------------------- SDGs


def sdg_comparison(
    records: Iterable[Consultation], covered_goals: Iterable[int] = ()
) -> pd.DataFrame:
    """Per goal 1-17: how many consultations discussed it, and whether the draft covers it.

    ``status``: "both", "discussed_only" (stakeholders raised it, the draft is
    silent), "covered_only" (the draft covers it, nobody was consulted on it)
    or "neither". ``covered_goals`` comes from the mapping/coverage of the draft.
    """
    covered = {int(g) for g in covered_goals}
    records = list(records)
    rows = []
    for goal in range(1, 18):
        ids = [c.record_id for c in _sorted(records) if goal in c.sdgs]
        discussed = bool(ids)
        status = (
            "both" if discussed and goal in covered
            else "discussed_only" if discussed
            else "covered_only" if goal in covered
            else "neither"
        )  # fmt: skip
        rows.append(
            {
                "goal": goal,
                "consultations": len(ids),
                "discussed_in": ", ".join(ids),
                "covered": goal in covered,
                "status": status,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class Finding:
    """One engagement weakness, with the kind an answer key uses and the evidence."""

    kind: str
    message: str
    detail: dict[str, Any] = field(default_factory=dict)
    criteria: tuple[str, ...] = ()


def engagement_findings(
    records: Iterable[Consultation],
    *,
    draft_dates: Mapping[str, dt.date] | None = None,
    version: str | None = None,
    covered_goals: Iterable[int] | None = None,
    lang: str = "en",
) -> list[Finding]:
    """The stakeholder-engagement weaknesses a reviewer should report.

    ``version``: the draft under review (its date bounds the validation
    check); defaults to the first draft in ``draft_dates``. No personal data
    is used or returned.
    """
    check_lang(lang)
    records = _sorted(records)
    out: list[Finding] = []
    missing = groups_not_consulted(records, lang=lang)
    for row in missing.itertuples():
        # Report the LNOB groups and the Philippine basic sectors; a UN group
        # such as "scientific community" missing is not an LNOB gap.
        if not (row.lnob or pd.notna(row.ph_sector)):
            continue
        out.append(
            Finding(
                "stakeholder_group_not_consulted",
                t("consultations.finding.stakeholder_group_not_consulted", lang, group=row.name),
                {"group": row.group, "lnob": bool(row.lnob), "consultations": []},
                ("C1", "C4"),
            )
        )
    gaps = inputs_without_response(records)
    empty = gaps[gaps["status"] == "missing"]["consultation"].tolist()
    vague = gaps[gaps["status"] == "vague"]["consultation"].tolist()
    if empty or vague:
        ids = empty + vague
        out.append(
            Finding(
                "consultation_no_response",
                t(
                    "consultations.finding.consultation_no_response",
                    lang,
                    count=len(ids),
                    ids=", ".join(ids),
                ),
                {"consultations": empty, "vague_response": vague},
                ("C2",),
            )
        )
    no_iap2 = consultations_without_iap2(records)
    if no_iap2:
        out.append(
            Finding(
                "consultation_no_iap2",
                t(
                    "consultations.finding.consultation_no_iap2",
                    lang,
                    count=len(no_iap2),
                    ids=", ".join(no_iap2),
                ),
                {"consultations": no_iap2},
                ("C3",),
            )
        )
    if draft_dates:
        status = validation_status(records, draft_dates)
        chosen = version or status.iloc[0]["version"]
        row = status[status["version"] == chosen]
        if not row.empty and not bool(row.iloc[0]["validated"]):
            date = row.iloc[0]["date"]
            later = [c.record_id for c in records if c.date and c.date > date and is_validation(c)]
            out.append(
                Finding(
                    "no_validation",
                    t(
                        "consultations.finding.no_validation",
                        lang,
                        version=chosen,
                        date=date.isoformat(),
                    ),
                    {"version": chosen, "validation_after_draft": later},
                    ("C5",),
                )
            )
    dims = disaggregation_gaps(records)
    lacking = dims[~dims["recorded"]]["dimension"].tolist()
    no_sex = [c.record_id for c in records if not c.disaggregated]
    if lacking:
        out.append(
            Finding(
                "no_disaggregation",
                t(
                    "consultations.finding.no_disaggregation",
                    lang,
                    count=len(no_sex),
                    ids=", ".join(no_sex) or "-",
                )
                if no_sex
                else _dims_message(lacking, lang),
                {"dimensions_missing": lacking, "consultations_without_sex": no_sex},
                ("C4",),
            )
        )
    no_consent = [
        c.record_id
        for c in records
        if not c.consent.strip()
        or get_engagement().consent_bases.resolve(c.consent) == "not_recorded"
    ]
    if no_consent:
        out.append(
            Finding(
                "consultation_no_consent",
                t(
                    "consultations.finding.no_consent",
                    lang,
                    count=len(no_consent),
                    ids=", ".join(no_consent),
                ),
                {"consultations": no_consent},
                ("C6",),
            )
        )
    if covered_goals is not None:
        comparison = sdg_comparison(records, covered_goals)
        only = comparison[comparison["status"] == "discussed_only"]["goal"].tolist()
        if only:
            out.append(
                Finding(
                    "sdg_discussed_not_covered",
                    t(
                        "consultations.finding.sdg_discussed_not_covered",
                        lang,
                        goals=", ".join(map(str, only)),
                    ),
                    {"goals": only},
                    ("D1",),
                )
            )
    return out


def _dims_message(lacking: Sequence[str], lang: str) -> str:
    names = ", ".join(d.replace("_", " ") for d in lacking)
    if lang == "ja":
        return f"協議記録には次の観点の内訳がありません：{names}。"
    return f"The consultation log has no counts by {names}."


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """Findings as a table (kind, criteria, message) for a memo or notebook."""
    return pd.DataFrame(
        [
            {"kind": f.kind, "criteria": ", ".join(f.criteria), "message": f.message}
            for f in findings
        ],
        columns=["kind", "criteria", "message"],
    )


# --------------------------------------------------------------------------- figures


def _escape(text: object) -> str:
    from ..charts import plain_text

    return plain_text(text)


def _layout(fig: go.Figure, lang: str, title: str) -> go.Figure:
    from ..charts import base_layout

    base_layout(fig, lang)
    fig.update_layout(title={"text": _escape(title)})
    return fig


def coverage_figure(
    records: Iterable[Consultation], vocabulary: str = "all", lang: str = "en"
) -> go.Figure:
    """Heatmap of stakeholder groups x consultations (heard / not heard)."""
    import plotly.graph_objects as go

    sh = get_stakeholders()
    matrix = coverage_matrix(records, vocabulary, lang)
    names = [_escape(sh.group(g).name(lang)) for g in matrix.index]
    heard, not_heard = (
        t("consultations.label.heard", lang),
        t("consultations.label.not_heard", lang),
    )
    fig = go.Figure(
        go.Heatmap(
            z=matrix.values.tolist(),
            x=[_escape(c) for c in matrix.columns],
            y=names,
            zmin=0,
            zmax=1,
            colorscale=[[0, "#EEEEEE"], [0.5, "#EEEEEE"], [0.5, "#00689D"], [1, "#00689D"]],
            showscale=False,
            xgap=2,
            ygap=2,
            customdata=[[heard if v else not_heard for v in row] for row in matrix.values.tolist()],
            hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title=t("consultations.axis.group", lang))
    fig.update_xaxes(title=t("consultations.axis.consultation", lang))
    fig.update_layout(height=max(400, 24 * len(names) + 160))
    return _layout(fig, lang, t("consultations.chart.coverage", lang))


def participation_figure(records: Iterable[Consultation], lang: str = "en") -> go.Figure:
    """Stacked bars of male/female participants per consultation, with youth and seniors."""
    import plotly.graph_objects as go

    frame = participation(records)
    x = [_escape(c) for c in frame["consultation"]]
    fig = go.Figure()
    for column, colour in (("female", "#C5192D"), ("male", "#26BDE2")):
        fig.add_bar(
            x=x,
            y=frame[column].astype("float").fillna(0).tolist(),
            name=t(f"consultations.label.{column}", lang),
            marker_color=colour,
        )
    undisaggregated = (
        frame["total"].where(~frame["disaggregated"]).astype("float").fillna(0).tolist()
    )
    if any(undisaggregated):
        fig.add_bar(
            x=x,
            y=undisaggregated,
            name=t("consultations.label.not_disaggregated", lang),
            marker_color="#AAAAAA",
        )
    for column, symbol in (("youth", "diamond"), ("seniors", "circle")):
        fig.add_scatter(
            x=x,
            y=frame[column].astype("float").tolist(),
            mode="markers",
            marker={"symbol": symbol, "size": 10, "color": "#19486A"},
            name=t(f"consultations.label.{column}", lang),
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=t("consultations.axis.people", lang))
    fig.update_xaxes(title=t("consultations.axis.consultation", lang))
    return _layout(fig, lang, t("consultations.chart.participation", lang))


def iap2_figure(records: Iterable[Consultation], lang: str = "en") -> go.Figure:
    """Bar chart of consultations per IAP2 level (lowest to highest, then "not recorded")."""
    import plotly.graph_objects as go

    frame = iap2_distribution(records, lang)
    colours = ["#BFD7EA", "#8DB7D8", "#4F8FC0", "#1F6AA5", "#0B3D6B", "#BBBBBB"]
    fig = go.Figure(
        go.Bar(
            x=frame["name"].tolist(),
            y=frame["count"].tolist(),
            marker_color=colours[: len(frame)],
            text=frame["count"].tolist(),
            textposition="outside",
        )
    )
    fig.update_yaxes(title=t("consultations.axis.count", lang), rangemode="tozero")
    return _layout(fig, lang, t("consultations.chart.iap2", lang))


def timeline_figure(
    records: Iterable[Consultation],
    draft_dates: Mapping[str, dt.date] | None = None,
    lang: str = "en",
) -> go.Figure:
    """Consultations on a time axis with a dashed line at each draft's date."""
    import plotly.graph_objects as go

    frame = timeline(records, draft_dates)
    frame = frame[frame["date"].notna()]
    levels = get_engagement().iap2_levels
    y_names = [
        levels.get(v).name(lang) if v in levels.ids else t("consultations.not_recorded", lang)
        for v in frame["iap2"]
    ]
    symbols = ["star" if v else "circle" for v in frame["validation"]]
    fig = go.Figure(
        go.Scatter(
            x=[pd.Timestamp(d) for d in frame["date"]],
            y=y_names,
            mode="markers+text",
            text=[_escape(c) for c in frame["consultation"]],
            textposition="top center",
            marker={"size": 12, "symbol": symbols, "color": "#00689D"},
            hovertext=[_escape(s) for s in frame["title"]],
            showlegend=False,
        )
    )
    order = [term.name(lang) for term in levels.terms] + [t("consultations.not_recorded", lang)]
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    for version, date in (draft_dates or {}).items():
        stamp = pd.Timestamp(date)
        fig.add_shape(
            type="line",
            x0=stamp,
            x1=stamp,
            y0=0,
            y1=1,
            yref="paper",
            line={"dash": "dash", "color": "#E5243B"},
        )
        fig.add_annotation(
            x=stamp, y=1, yref="paper", text=_escape(t("consultations.label.draft", lang, version=version)),
            showarrow=False, yanchor="bottom", font={"color": "#E5243B"},
        )  # fmt: skip
    fig.update_xaxes(title=t("consultations.axis.date", lang))
    return _layout(fig, lang, t("consultations.chart.timeline", lang))


def sdg_figure(
    records: Iterable[Consultation], covered_goals: Iterable[int] = (), lang: str = "en"
) -> go.Figure:
    """Consultations per goal in goal colours; goals the draft does not cover are faded."""
    import plotly.graph_objects as go

    from ..charts import goal_colour, goal_label

    frame = sdg_comparison(records, covered_goals)
    labels = {
        s: t(f"consultations.label.{s}", lang)
        for s in ("both", "discussed_only", "covered_only", "neither")
    }
    fig = go.Figure(
        go.Bar(
            x=[goal_label(g, lang) for g in frame["goal"]],
            y=frame["consultations"].tolist(),
            marker={
                "color": [goal_colour(g) for g in frame["goal"]],
                "opacity": [1.0 if c else 0.35 for c in frame["covered"]],
                "line": {"color": "#222222", "width": [0 if c else 1 for c in frame["covered"]]},
            },
            customdata=[labels[s] for s in frame["status"]],
            hovertemplate="%{x}<br>%{y}<br>%{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(title=t("consultations.axis.count", lang), rangemode="tozero")
    fig.update_xaxes(title=t("consultations.axis.goal", lang), tickangle=-45)
    return _layout(fig, lang, t("consultations.chart.sdgs", lang))


def engagement_summary(
    records: Iterable[Consultation],
    *,
    draft_dates: Mapping[str, dt.date] | None = None,
    version: str | None = None,
    covered_goals: Iterable[int] | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Everything a memo needs about stakeholder engagement, without personal data.

    Keys: "findings" (list of Finding), "tables" (name -> DataFrame) and
    "figures" (name -> plotly Figure).
    """
    records = list(records)
    goals = list(covered_goals) if covered_goals is not None else None
    return {
        "findings": engagement_findings(
            records, draft_dates=draft_dates, version=version, covered_goals=goals, lang=lang
        ),
        "tables": {
            "coverage": coverage_summary(records, "all", lang),
            "participation": participation(records),
            "iap2": iap2_distribution(records, lang),
            "timeline": timeline(records, draft_dates),
            "no_response": inputs_without_response(records),
            "sdgs": sdg_comparison(records, goals or ()),
        },
        "figures": {
            "coverage": coverage_figure(records, "ph", lang),
            "participation": participation_figure(records, lang),
            "iap2": iap2_figure(records, lang),
            "timeline": timeline_figure(records, draft_dates, lang),
            "sdgs": sdg_figure(records, goals or (), lang),
        },
    }
