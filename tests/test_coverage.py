"""SDG coverage: reviewer decisions, the depth rule, HLPF gaps, findings, figures, CLI.

The first half works on a small hand-made mapping (so each rule is tested on
its own); the second half maps the sample drafts and checks that the
coverage-related weaknesses planted in both answer keys are surfaced.
"""

from __future__ import annotations

import json
import warnings
from functools import lru_cache

import pandas as pd
import pytest

from vlr_tools.cities import load_city, load_review_key
from vlr_tools.cli import main
from vlr_tools.coverage import (
    DECISION_KIND,
    DEPTHS,
    Decision,
    coverage_figure,
    coverage_findings,
    coverage_frame,
    coverage_summary,
    decide,
    effective_matches,
    heatmap_figure,
    hlpf_gaps,
    load_decisions,
    map_city_draft,
    mapping_view,
    target_frame,
    undo_decision,
    unmeasured_goals,
)
from vlr_tools.errors import MappingError
from vlr_tools.framework import get_framework
from vlr_tools.indicators import LocalIndicator, load_indicators

WORDS = " ".join(["word"] * 60)  # a 60-word body paragraph


def _matches() -> pd.DataFrame:
    """A small draft: a chapter on SDG 11 (3 paragraphs), one on SDG 5 (1), a mention of 14."""
    rows = [
        # ref, page, section, kind, goal, target, score, evidence, text
        ("p1.1", 1, "SDG 11: Cities", "heading", 11, None, 0.9, ["SDG 11"], "SDG 11: Cities"),
        ("p1.2", 1, "SDG 11: Cities", "text", 11, None, 0.8, ["solid waste"], WORDS),
        ("p1.2", 1, "SDG 11: Cities", "text", 11, "11.6", 0.7, ["solid waste"], WORDS),
        ("p1.2", 1, "SDG 11: Cities", "text", 6, None, 0.3, ["water"], WORDS),
        ("p1.3", 1, "SDG 11: Cities", "text", 11, None, 0.7, ["housing"], WORDS),
        ("p2.1", 2, "SDG 11: Cities", "text", 11, None, 0.9, ["slum"], WORDS),
        ("p2.1", 2, "SDG 11: Cities", "text", 11, "11.1", 0.9, ["slum"], WORDS),
        ("p2.2", 2, "SDG 11: Cities", "text", 14, None, 0.5, ["fisherfolk"], "The fisherfolk."),
        ("p3.1", 3, "SDG 5: Gender", "heading", 5, None, 0.9, ["SDG 5"], "SDG 5: Gender"),
        ("p3.2", 3, "SDG 5: Gender", "text", 5, None, 0.9, ["women"], WORDS),
    ]
    columns = ["ref", "page", "section", "kind", "goal", "target", "score", "evidence", "text"]
    return pd.DataFrame(rows, columns=columns)


def _indicator(id_: str, goal: int, code: str = "", points: int = 2) -> LocalIndicator:
    return LocalIndicator(
        id=id_,
        name=id_,
        goal=goal,
        global_codes=(code,) if code else (),
        baseline_year=2019 if points >= 2 else None,
        baseline_value=1.0 if points >= 2 else None,
        latest_year=2023 if points >= 1 else None,
        latest_value=2.0 if points >= 1 else None,
        source="x",
    )


def _d(ref: str, goal: int, target: str | None, action: str, note: str = "") -> Decision:
    return Decision(paragraph_ref=ref, goal=goal, target=target, action=action, note=note)


def _keys(frame: pd.DataFrame) -> set[tuple[str, int, str | None]]:
    return {(r.ref, int(r.goal), r.target) for r in frame.itertuples(index=False)}


# ---------------------------------------------------------------- decisions win over suggestions


def test_effective_matches_apply_every_kind_of_decision():
    decisions = [
        _d("p1.2", 6, None, "reject"),  # a goal: gone from that paragraph
        _d("p2.1", 11, "11.1", "reject"),  # a target only: the goal stays
        _d("p1.3", 11, None, "accept", note="clear"),
        _d("p2.2", 14, "14.4", "add", note="overfishing"),  # missed by the mapping
        _d("p3.2", 8, None, "accept"),  # accepted but never suggested: the reviewer's
    ]
    frame = effective_matches(_matches(), decisions)
    keys = _keys(frame)
    assert ("p1.2", 6, None) not in keys
    assert ("p2.1", 11, "11.1") not in keys and ("p2.1", 11, None) in keys
    accepted = frame[(frame["ref"] == "p1.3") & (frame["goal"] == 11)].iloc[0]
    assert accepted["decision"] == "accept" and accepted["note"] == "clear"
    assert accepted["source"] == "suggested"
    added = frame[(frame["ref"] == "p2.2") & (frame["target"] == "14.4")].iloc[0]
    assert added["source"] == "reviewer" and added["decision"] == "add"
    assert added["score"] == 1.0 and added["page"] == 2 and added["section"] == "SDG 11: Cities"
    assert ("p3.2", 8, None) in keys
    assert list(frame["ref"]) == sorted(
        frame["ref"], key=lambda r: tuple(map(int, r[1:].split(".")))
    )


def test_goal_rejection_takes_its_targets_unless_a_target_is_kept():
    frame = effective_matches(_matches(), [_d("p1.2", 11, None, "reject")])
    assert not {("p1.2", 11, None), ("p1.2", 11, "11.6")} & _keys(frame)
    frame = effective_matches(
        _matches(), [_d("p1.2", 11, None, "reject"), _d("p1.2", 11, "11.6", "accept")]
    )
    assert ("p1.2", 11, "11.6") in _keys(frame) and ("p1.2", 11, None) not in _keys(frame)
    assert effective_matches(_matches(), None).equals(mapping_view(_matches()).matches)


def test_decide_stores_one_record_per_paragraph_goal_target(workspace):
    rv = workspace.create_review(city="santa-rosa", version="v1", reviewers=("Test Reviewer",))
    d = decide(workspace, rv.id, "p12.3", 11, "11.6", "accept", note="solid waste")
    assert d.key == "p12.3/11/11.6" and d.reviewer == "Test Reviewer" and d.version == 1
    decide(workspace, rv.id, "p12.3", 14, None, "add", reviewer="B. Other")
    again = decide(workspace, rv.id, "p12.3", 11, "11.6", "reject", note="about water")
    assert again.version == 2
    rec = workspace.get(rv.id, DECISION_KIND, "p12.3/11/11.6")
    assert rec.data == {
        "paragraph": "p12.3", "goal": 11, "target": "11.6", "action": "reject",
        "note": "about water",
    }  # fmt: skip
    stored = load_decisions(workspace, rv.id)
    assert [(x.key, x.action, x.reviewer) for x in stored] == [
        ("p12.3/11/11.6", "reject", "Test Reviewer"),
        ("p12.3/14/", "add", "B. Other"),
    ]
    history = workspace.history(rv.id, kind=DECISION_KIND)
    assert len(history) == 3  # nothing is lost: the first decision stays in the history
    assert undo_decision(workspace, rv.id, "p12.3", 14) is True
    assert undo_decision(workspace, rv.id, "p12.3", 14) is False
    assert [x.key for x in load_decisions(workspace, rv.id)] == ["p12.3/11/11.6"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("12.3", 11, None, "accept"), "not a paragraph reference"),
        (("p1.1", 18, None, "accept"), "allowed: 1 to 17"),
        (("p1.1", 11, None, "approve"), "allowed: accept, reject, add"),
        (("p1.1", 11, "6.1", "accept"), "belongs to goal 6, not goal 11"),
        (("p1.1", 11, "11.99", "accept"), "not an SDG target"),
    ],
)
def test_bad_decisions_are_refused_with_what_is_allowed(workspace, args, message):
    rv = workspace.create_review(city="santa-rosa", version="v1", reviewers=("Test Reviewer",))
    with pytest.raises(MappingError, match=message):
        decide(workspace, rv.id, *args)
    assert workspace.records(rv.id, DECISION_KIND) == []


def test_a_malformed_stored_decision_is_skipped_not_fatal(workspace):
    rv = workspace.create_review(city="santa-rosa", version="v1", reviewers=("Test Reviewer",))
    workspace.put(
        rv.id, DECISION_KIND, "p1.1/99/", {"paragraph": "p1.1", "goal": 99, "action": "add"}
    )
    decide(workspace, rv.id, "p1.1", 3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stored = load_decisions(workspace, rv.id)
    assert [d.key for d in stored] == ["p1.1/3/"]
    assert any("p1.1/99/" in str(w.message) for w in caught)
    assert workspace.get(rv.id, DECISION_KIND, "p1.1/99/") is not None  # kept as saved


# ---------------------------------------------------------------- the depth rule


def test_depth_rule_none_mentioned_covered_measured():
    indicators = [_indicator("I-11", 11, "11.6.1"), _indicator("I-5", 5, points=1)]
    frame = coverage_frame(_matches(), indicators, hlpf_year=2025).set_index("goal")
    assert frame.loc[1, "depth"] == "none" and frame.loc[1, "paragraphs"] == 0
    assert frame.loc[14, "depth"] == "mentioned"
    # SDG 6 appears in p1.2 but is not its main subject (0.3 < 0.6 x 0.8).
    assert frame.loc[6, "paragraphs"] == 1 and frame.loc[6, "main_paragraphs"] == 0
    assert frame.loc[11, "main_paragraphs"] == 3 and frame.loc[11, "words"] == 180
    assert frame.loc[11, "depth"] == "measured"
    assert frame.loc[11, "pages"] == [1, 2] and frame.loc[11, "targets"] == ["11.1", "11.6"]
    assert frame.loc[5, "claimed"] and frame.loc[5, "depth"] == "mentioned"
    assert frame.loc[11, "covered_in"] == ["SDG 11: Cities"]
    assert frame.loc[5, "indicators"] == 1 and frame.loc[5, "indicators_with_trend"] == 0
    assert bool(frame.loc[5, "in_hlpf"]) and not bool(frame.loc[11, "in_hlpf"])
    assert set(frame["depth"]) <= set(DEPTHS)
    # Without indicators SDG 11 is covered but not measured.
    assert coverage_frame(_matches()).set_index("goal").loc[11, "depth"] == "covered"


def test_decisions_change_the_depth():
    # SDG 11's part is headed "SDG 11: Cities": covered by its heading...
    frame = coverage_frame(_matches(), decisions=[_d("p1.3", 11, None, "reject")])
    assert frame.set_index("goal").loc[11, "depth"] == "covered"
    # ...and without the heading, by too few paragraphs (two) about it.
    rejected = [_d("p1.1", 11, None, "reject"), _d("p1.3", 11, None, "reject")]
    assert coverage_frame(_matches(), decisions=rejected).set_index("goal").loc[11, "depth"] == (
        "mentioned"
    )
    only_mentions = [_d("p1.1", 11, None, "reject")]
    row = coverage_frame(_matches(), decisions=only_mentions).set_index("goal").loc[11]
    assert row["depth"] == "covered" and row["covered_in"] == ["SDG 11: Cities"]
    added = [_d(ref, 5, None, "add") for ref in ("p1.2", "p1.3", "p2.1")]
    frame = coverage_frame(_matches(), decisions=added).set_index("goal")
    assert frame.loc[5, "main_paragraphs"] == 4 and frame.loc[5, "depth"] == "covered"
    assert frame.loc[5, "covered_in"] == ["SDG 11: Cities"]


def test_a_short_section_under_a_goal_heading_is_only_a_mention():
    frame = coverage_frame(_matches()).set_index("goal")
    # "SDG 5: Gender" has one 60-word paragraph: claimed, but not covered.
    assert frame.loc[5, "claimed"] and frame.loc[5, "depth"] == "mentioned"
    assert frame.loc[5, "covered_in"] == []


def test_hlpf_gaps_unmeasured_and_findings():
    indicators = [_indicator("I-11", 11, "11.6.1", points=1), _indicator("I-14", 14, points=2)]
    frame = coverage_frame(_matches(), indicators, hlpf_year=2025)
    gaps = hlpf_gaps(frame)
    assert list(gaps["goal"]) == [3, 5, 8, 14, 17]
    assert set(gaps["gap"]) == {"not_covered"}
    gaps_2023 = hlpf_gaps(frame, 2023).set_index("goal")
    assert gaps_2023.loc[11, "gap"] == "not_measured"  # covered, one data point only
    assert list(hlpf_gaps(frame, 2023, "ja")["message"])[0].startswith("SDG 6は2023年")
    unmeasured = unmeasured_goals(_matches(), indicators, frame=frame)
    goals = unmeasured[unmeasured["level"] == "goal"].set_index("code")
    assert goals.loc["5", "reason"] == "no_indicator"  # claimed by a heading
    assert goals.loc["11", "reason"] == "no_trend" and goals.loc["11", "indicators"] == ["I-11"]
    assert set(unmeasured.loc[unmeasured["level"] == "target", "code"]) == {"11.1"}
    findings = coverage_findings(frame, coastal=True)
    kinds = {(r.kind, r.goal) for r in findings.itertuples()}
    assert ("hlpf_goal_missing", 14) in kinds and ("hlpf_goal_missing", 5) in kinds
    assert ("goal_claimed_without_data", 11) in kinds
    assert ("goal_claimed_without_data", 5) not in kinds  # only mentioned
    assert ("coastal_sdg14_silent", 14) in kinds
    assert ("indicators_unused", 14) in kinds
    assert not (coverage_findings(frame, coastal=False)["kind"] == "coastal_sdg14_silent").any()
    measured = coverage_frame(_matches(), [_indicator("I-11", 11, "11.6.1")], hlpf_year=2025)
    assert ("goal_claimed_without_data", 11) not in {
        (r.kind, r.goal) for r in coverage_findings(measured).itertuples()
    }
    with pytest.raises(MappingError, match="HLPF year"):
        hlpf_gaps(coverage_frame(_matches()))


def test_target_frame_lists_active_targets_with_their_indicators():
    indicators = [_indicator("I-1", 11, "11.6.1"), _indicator("I-2", 3, "3.6.1", points=1)]
    frame = target_frame(_matches(), indicators, hlpf_year=2025).set_index("target")
    assert set(frame.index) == {"11.1", "11.6", "3.6"}
    assert frame.loc["11.6", "depth"] == "measured" and frame.loc["11.6", "indicator_ids"] == [
        "I-1"
    ]
    assert frame.loc["11.1", "depth"] == "mentioned"
    assert frame.loc["3.6", "depth"] == "none" and frame.loc["3.6", "indicators_with_data"] == 1
    assert bool(frame.loc["3.6", "in_hlpf"])
    assert len(target_frame(_matches(), only_active=False)) == len(get_framework().targets)


# ---------------------------------------------------------------- figures


def test_coverage_figure_official_colours_depth_and_hlpf_marks():
    frame = coverage_frame(_matches(), [_indicator("I-11", 11, "11.6.1")], hlpf_year=2025)
    fig = coverage_figure(frame)
    bar = fig.data[0]
    assert list(bar.x) == [str(n) for n in range(1, 18)]
    assert bar.y[10] == 4 and bar.y[4] == 2 and bar.y[0] == 0
    # SDG 11 (measured) in its full official colour, SDG 14 (mentioned) paler.
    assert bar.marker.color[10] == "rgba(253,157,36,1.0)"
    assert bar.marker.color[13] == "rgba(10,151,217,0.45)"
    widths = list(bar.marker.line.width)
    assert [i + 1 for i, w in enumerate(widths) if w] == [3, 5, 8, 14, 17]
    # Markers sit at the bar's position (0-based) above the HLPF goals.
    marks = {a.x + 1: a.text for a in fig.layout.annotations if a.xref != "paper"}
    assert marks == {3: "▲!", 5: "▲!", 8: "▲!", 14: "▲!", 17: "▲!"}
    covered = coverage_figure(coverage_frame(_matches(), hlpf_year=2023))
    marks = {a.x + 1: a.text for a in covered.layout.annotations if a.xref != "paper"}
    assert marks[11] == "▲" and marks[6] == "▲!"
    assert "HLPF 2025" in fig.layout.annotations[-1].text
    assert bar.text[10] == "measured"
    ja = coverage_figure(coverage_frame(_matches(), hlpf_year=2023, lang="ja"))
    assert (
        ja.layout.title.text.startswith("ドラフトのSDG")
        and "Noto Sans CJK JP" in ja.layout.font.family
    )
    assert ja.data[0].text[10] == "記述"


def test_figures_escape_draft_and_user_text():
    data = _matches()
    data.loc[data["ref"] == "p1.1", "text"] = "<script>alert(1)</script> SDG 11"
    data["section"] = data["section"].replace("SDG 11: Cities", "<b>Cities</b> & towns")
    fig = heatmap_figure(data)
    assert all("<" not in label for label in fig.data[0].y)
    assert any("&lt;b&gt;Cities" in label for label in fig.data[0].y)
    frame = coverage_frame(data)
    title = coverage_figure(frame, title="<a href='x'>t</a>").layout.title.text
    assert "<a" not in title and "&lt;a" in title


def test_heatmap_sections_by_goals():
    fig = heatmap_figure(_matches(), "en", decisions=[_d("p3.2", 5, None, "reject")])
    heat = fig.data[0]
    assert list(heat.x) == [str(n) for n in range(1, 18)]
    assert list(heat.y) == ["SDG 11: Cities", "SDG 5: Gender"]
    z = [list(row) for row in heat.z]
    assert z[0][10] == 4 and z[0][13] == 1 and z[0][5] == 1
    assert z[1][4] == 1  # the heading only: p3.2 was rejected
    colours = [s.fillcolor for s in fig.layout.shapes]
    assert colours == [g.colour for g in get_framework().goals]


# ---------------------------------------------------------------- the sample drafts


@lru_cache(maxsize=8)
def _sample(slug: str, version: str):
    city = load_city(slug)
    mapping = map_city_draft(slug, version)
    table = load_indicators(city.indicators_path)
    frame = coverage_frame(mapping, table, hlpf_year=city.hlpf_year)
    findings = coverage_findings(frame, coastal=city.coastal)
    return city, mapping, table, frame, findings


COVERAGE_KINDS = ("hlpf_goal_missing", "goal_claimed_without_data", "coastal_sdg14_silent")


def _planted(slug: str):
    return [w for w in load_review_key(slug) if w.kind in COVERAGE_KINDS]


@pytest.mark.parametrize("slug", ["santa-rosa", "san-fernando"])
def test_planted_coverage_weaknesses_are_surfaced(slug):
    city, mapping, table, frame, findings = _sample(slug, "v1")
    planted = _planted(slug)
    assert planted, "the answer key has coverage weaknesses to find"
    found = {(r.kind, r.goal) for r in findings.itertuples()}
    for weakness in planted:
        assert (weakness.kind, weakness.detail["goal"]) in found, weakness.id
    # The goals a draft does cover are not reported missing.
    for goal in (3, 8):
        assert ("hlpf_goal_missing", goal) not in found
    gaps = hlpf_gaps(frame)
    assert 14 in set(gaps.loc[gaps["gap"] == "not_covered", "goal"])


def test_san_fernando_v2_fixes_sdg14_but_not_sdg17():
    *_, frame_v1, found_v1 = _sample("san-fernando", "v1")
    city, mapping, table, frame, findings = _sample("san-fernando", "v2")
    found = {(r.kind, r.goal) for r in findings.itertuples()}
    for weakness in _planted("san-fernando"):
        key = (weakness.kind, weakness.detail["goal"])
        if weakness.fixed_in == "v2":
            assert key not in found, weakness.id
        else:
            assert key in found, weakness.id
    row = frame.set_index("goal").loc[14]
    assert row["depth"] == "measured" and row["indicators_with_trend"] >= 2
    v1 = frame_v1.set_index("goal").loc[14]
    assert v1["depth"] in ("none", "mentioned") and v1["indicators"] == 4


def test_goal_claimed_without_data_in_unmeasured_goals():
    *_, frame, _ = _sample("santa-rosa", "v1")
    _, mapping, table, _, _ = _sample("santa-rosa", "v1")
    unmeasured = unmeasured_goals(mapping, table, frame=frame)
    goals = unmeasured[unmeasured["level"] == "goal"].set_index("goal")
    assert goals.loc[5, "reason"] == "no_trend"
    assert set(goals.loc[5, "indicators"]) == {"SR-IND-09", "SR-IND-10", "SR-IND-11"}
    assert 3 not in goals.index  # eight indicators with trends


def test_sample_mapping_cites_pages_of_the_pdf():
    city, mapping, table, frame, findings = _sample("santa-rosa", "v1")
    row = frame.set_index("goal").loc[5]
    weakness = next(
        w for w in load_review_key("santa-rosa") if w.kind == "goal_claimed_without_data"
    )
    assert set(weakness.pages) <= set(row["pages"])
    fig = heatmap_figure(mapping)
    labels = list(fig.data[0].y)
    assert any(label.startswith("SDG 5") for label in labels)
    assert len(labels) == len(set(labels))


def test_docx_draft_gives_the_same_findings_as_the_pdf():
    from vlr_tools.documents import load_draft
    from vlr_tools.mapping import map_draft

    city = load_city("san-fernando")
    mapping = map_draft(load_draft(city.draft("v1").docx), city=city.slug)
    frame = coverage_frame(mapping, load_indicators(city.indicators_path), hlpf_year=2025)
    found = {(r.kind, r.goal) for r in coverage_findings(frame, coastal=True).itertuples()}
    *_, pdf_findings = _sample("san-fernando", "v1")
    assert found == {(r.kind, r.goal) for r in pdf_findings.itertuples()}
    assert {("hlpf_goal_missing", 14), ("coastal_sdg14_silent", 14)} <= found


def test_japanese_summary_maps_to_goals_with_page_evidence():
    from vlr_tools.documents import load_draft
    from vlr_tools.mapping import map_draft

    city = load_city("san-fernando")
    mapping = map_draft(load_draft(city.japanese.pdf), city=city.slug)
    frame = coverage_frame(mapping, hlpf_year=2025, lang="ja").set_index("goal")
    # The summary has a section headed 「2.2 目標14 海の豊かさを守ろう」.
    assert frame.loc[14, "depth"] == "covered" and frame.loc[14, "name"] == "海の豊かさを守ろう"
    assert frame.loc[14, "covered_in"][0].startswith("2.2 目標14")
    assert 3 in frame.loc[14, "pages"]
    assert {"14.4", "14.5", "14.b"} <= set(frame.loc[14, "targets"])
    fig = heatmap_figure(mapping, "ja")
    assert fig.layout.title.text.startswith("各目標を扱う箇所")


def test_decisions_on_paragraphs_the_draft_lacks_are_left_out():
    _, mapping, *_ = _sample("santa-rosa", "v1")
    with pytest.warns(UserWarning, match="p999.1"):
        frame = effective_matches(mapping, [_d("p999.1", 14, None, "add")])
    assert "p999.1" not in set(frame["ref"])
    with pytest.raises(MappingError, match="lacks the column"):
        mapping_view(pd.DataFrame({"ref": ["p1.1"], "goal": [3]}))
    with pytest.raises(MappingError, match="got str"):
        mapping_view("not a mapping")


def test_coverage_summary_applies_review_decisions(workspace, sample_review):
    rv = sample_review("santa-rosa", "v1", reviewers=("Test Reviewer",))
    _, mapping, *_ = _sample("santa-rosa", "v1")
    before = coverage_summary(workspace, rv.id, draft_mapping=mapping)
    # Without a mapping given, the review's stored draft is mapped: the same coverage.
    own = coverage_summary(workspace, rv.id)
    assert own.paragraphs_total == before.paragraphs_total == len(mapping.paragraphs)
    assert own.goals.equals(before.goals)
    refs = [p.ref for p in mapping.paragraphs if any(m.goal == 14 for m in p.matches)]
    assert refs
    for ref in refs:
        decide(workspace, rv.id, ref, 14, None, "reject")
    after = coverage_summary(workspace, rv.id, draft_mapping=mapping, lang="ja")
    assert after.decisions == len(refs)
    assert before.goals.set_index("goal").loc[14, "paragraphs"] == len(refs)
    assert after.goals.set_index("goal").loc[14, "paragraphs"] == 0
    assert after.figure.data[0].y[13] == 0
    assert after.hlpf_year == 2025 and after.hlpf_goals == (3, 5, 8, 14, 17)
    assert after.illustrative and after.gaps is not None and after.alignment is not None
    assert after.goals.loc[0, "name"] == "貧困をなくそう"


def test_coverage_of_a_review_without_a_stored_draft_says_how_to_add_it(workspace):
    from vlr_tools.errors import DocumentError

    rv = workspace.create_review(city="baguio", version="v1", reviewers=("Test Reviewer",))
    with pytest.raises(DocumentError, match="no stored draft.*vlr draft add baguio FILE"):
        coverage_summary(workspace, rv.id)


# ---------------------------------------------------------------- vlr coverage


@pytest.mark.slow
def test_cli_table_json_csv(capsys, tmp_path):
    assert main(["coverage", "--city", "san-fernando", "--version", "v1", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SDG coverage of San Fernando City, draft v1; HLPF 2025")
    assert "illustrative sample data" in out.splitlines()[1]
    assert "[hlpf_goal_missing]" in out and "[coastal_sdg14_silent]" in out
    assert main(["coverage", "--city", "santa-rosa", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["illustrative"] is True and data["hlpf_goals"] == [3, 5, 8, 14, 17]
    assert [r["goal"] for r in data["rows"]] == list(range(1, 18))
    assert main(["coverage", "--city", "santa-rosa", "--show", "gaps", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == "id,name,goal,global_code,proxy,gap,message,row"
    assert "illustrative" in captured.err
    assert main(["coverage", "--city", "santa-rosa", "--lang", "ja", "--show", "alignment"]) == 0
    assert "コード" in capsys.readouterr().out
    chart = tmp_path / "c.html"
    assert (
        main(["coverage", "--city", "santa-rosa", "--show", "findings", "--chart", str(chart)]) == 0
    )
    assert chart.read_text(encoding="utf-8").count("<script") >= 1


def test_cli_errors_are_one_line(capsys):
    assert main(["coverage", "--city", "atlantis"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "allowed: san-fernando, santa-rosa" in err
    assert main(["coverage"]) == 2
    assert "--city" in capsys.readouterr().err
    assert main(["coverage", "--city", "santa-rosa", "--version", "v9"]) == 2
    assert "allowed: v1" in capsys.readouterr().err
    assert main(["coverage", "--city", "santa-rosa", "--chart", "c.gif"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "error: cannot write a chart as .gif; allowed: .html, .png, .svg, .pdf\n"
    assert captured.out == ""  # refused before any work


_CARDS = {
    "2. SDG 1: No Poverty": [
        (
            "Livelihood Bridge",
            "Families who leave the conditional cash transfer programme get a "
            "starter grant and six months of coaching so that they can keep a small business; 71% "
            "of the 1,240 households still earned more than the poverty threshold a year later.",
        ),
        (
            "Rent Relief for Evacuated Families",
            "Families who lost their homes to lahar flows "
            "receive a monthly rent subsidy for up to a year while resettlement sites are prepared; "
            "in 2025 the programme supported 412 poor families with no other income.",
        ),
        (
            "Social Pension Top-Up",
            "Senior citizens who receive the national social pension get a "
            "city top-up every month, and the number of indigent seniors covered by social "
            "protection grew from 6,100 in 2022 to 7,450 in 2025.",
        ),
    ],
    "3. SDG 3: Good Health and Well-being": [
        (
            "Barangay Health Station Upgrades",
            "Twenty barangay health stations were upgraded with "
            "birthing rooms and cold-chain storage for vaccines, and facility-based deliveries rose "
            "from 82% to 94% of births between 2021 and 2025.",
        ),
        (
            "Mental Health Helpline",
            "A helpline staffed by trained counsellors answers calls about "
            "mental health, depression and suicide in three languages every day; it received 2,800 "
            "calls in 2025, a third of them from students, and referred callers who needed more help "
            "to the city health office for follow-up care.",
        ),
        (
            "Dengue Control Teams",
            "Barangay health teams inspect households for mosquito breeding "
            "sites every week in the rainy season, and dengue cases fell from 1,150 in 2019 to 430 "
            "in 2025 while deaths from the disease fell to none.",
        ),
    ],
}


_INTRO = (
    "This chapter describes the programmes the city runs under this goal, what each of them "
    "achieved by the end of 2025, the offices and barangays that run them, and the gaps the "
    "city has found in the data it collects to follow them."
)


def test_word_processor_pdf_of_a_new_city_covers_its_chapters(tmp_path):
    """Chapters in larger type, programme titles in bold body type, generous leading.

    Before the intake ranked the bold titles below the chapters, each chapter
    ended at its first programme and no goal was covered.
    """
    import weasyprint

    from vlr_tools.documents import load_draft
    from vlr_tools.mapping import map_draft

    body = "".join(
        f"<h2>{chapter}</h2><p>{_INTRO}</p>"
        + "".join(f"<p><b>{title}</b></p><p>{text}</p>" for title, text in cards)
        for chapter, cards in _CARDS.items()
    )
    html = (
        "<html><head><style>body { font-size: 11pt; line-height: 1.9 } h1 { font-size: 26pt }"
        " h2 { font-size: 14pt } p { margin: 0 0 14pt 0 }</style></head><body>"
        f"<h1>Legazpi City VLR (illustrative test draft)</h1>{body}</body></html>"
    )
    path = tmp_path / "legazpi-draft.pdf"
    weasyprint.HTML(string=html).write_pdf(str(path))
    frame = coverage_frame(map_draft(load_draft(path)), hlpf_year=2026).set_index("goal")
    assert frame.loc[1, "depth"].startswith("covered")
    assert frame.loc[1, "covered_in"] == ["2. SDG 1: No Poverty"]
    assert frame.loc[3, "depth"].startswith("covered")
    assert frame.loc[3, "covered_in"] == ["3. SDG 3: Good Health and Well-being"]


def test_a_word_draft_saved_as_pdf_by_libreoffice_covers_the_same_goals(tmp_path):
    """Word's Heading 1 and 2 come out of LibreOffice at 14 and 13 pt: two outline levels.

    Before the reader ranked headings by the sizes the outline uses, both were level 2,
    each goal's section ended at its first sub-heading, and San Fernando's PDF covered 3
    goals where its Word file covers 10.
    """
    from vlr_tools.documents import load_draft
    from vlr_tools.mapping import map_draft
    from vlr_tools.pages import render_docx

    docx = load_city("san-fernando").draft("v2").docx
    data = render_docx(docx)
    assert data is not None, "LibreOffice is needed (scripts/setup installs it)"
    pdf = tmp_path / "san-fernando-v2-from-word.pdf"
    pdf.write_bytes(data)

    def covered(path):
        frame = coverage_frame(map_draft(load_draft(path), city="san-fernando"), hlpf_year=2025)
        return sorted(frame.loc[frame["depth"].str.startswith("covered"), "goal"])

    assert covered(pdf) == covered(docx)
    assert len(covered(pdf)) >= 9
