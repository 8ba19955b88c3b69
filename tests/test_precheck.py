"""Automatic pre-checks: suggested ratings, measured against the sample cities' answer keys."""

from __future__ import annotations

import re

import pytest

from vlr_tools.checklist import (
    Suggestion,
    active_weaknesses,
    combined_suggestion,
    confirm_suggestion,
    load_template,
    precheck,
    score_prechecks,
    suggestions_frame,
)
from vlr_tools.checklist.context import _goal_of_heading
from vlr_tools.cli import main

_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
CASES = [("santa-rosa", "v1"), ("san-fernando", "v1"), ("san-fernando", "v2")]

#: Minimum share of planted weaknesses the pre-checks must find per draft.
#: Measured (see benchmarks/bench_precheck.py): Santa Rosa v1 16/16, San
#: Fernando v1 14/15 and v2 7/8 (the miss is SF-W03, found but filed under
#: D1 while that key says E1). 0.8 sits below every measured rate, so a
#: sample-data edit that moves a page or phrase does not break the suite,
#: yet losing any one check family (HLPF, indicators, log, text) fails it:
#: each covers at least two of the weaknesses of a draft with 8-16.
MIN_HIT_RATE = 0.8
#: False alarms allowed per draft (measured: 0 on all three drafts).
MAX_FALSE_ALARMS = 1


@pytest.fixture(scope="module")
def suggestions():
    return {case: precheck(None, *case) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
def test_prechecks_find_the_planted_weaknesses(suggestions, case):
    score = score_prechecks(*case, suggestions=suggestions[case])
    assert score["weaknesses"] == len(active_weaknesses(*case)) > 0
    assert len(score["found"]) + len(score["missed"]) == score["weaknesses"]
    assert score["hit_rate"] >= MIN_HIT_RATE, score["missed"]
    assert len(score["false_alarms"]) <= MAX_FALSE_ALARMS, score["false_alarms"]
    assert score["item_recall"] >= 0.9


def test_false_alarms_are_counted_not_hidden(suggestions):
    case = ("san-fernando", "v2")
    real = suggestions[case]
    bogus = Suggestion("A2", "not_met", "invented", "架空", kind="no_endorsement")
    wrong_met = Suggestion("C4", "met", "wrong reassurance", "誤り", kind="no_disaggregation")
    score = score_prechecks(*case, suggestions=[*real, bogus, wrong_met])
    base = score_prechecks(*case, suggestions=real)
    assert len(score["false_alarms"]) == len(base["false_alarms"]) + 1
    assert {
        "criterion_id": "A2",
        "kind": "no_endorsement",
        "rating": "not_met",
        "reason": "invented",
    } in score["false_alarms"]
    assert any(m["criterion_id"] == "C4" for m in score["met_on_weakness"])
    # A weakness fixed in v2 that a suggestion still flags is a false alarm in v2.
    stale = Suggestion("D3", "partly_met", "SDG 14 missing", "SDG 14なし", kind="hlpf_goal_missing")
    assert (
        len(score_prechecks(*case, suggestions=[*real, stale])["false_alarms"])
        == len(base["false_alarms"]) + 1
    )


def test_a_suggestion_under_another_criterion_is_reported_not_counted():
    score = score_prechecks("san-fernando", "v1")
    other = {o["weakness"]: o for o in score["other_criterion"]}
    # SF-W03 (goal claimed without data) is keyed to E1 here but to D1 in Santa Rosa's key.
    if "SF-W03" in other:
        assert other["SF-W03"]["suggested"] == "D1" and "SF-W03" in score["missed"]
    assert score["hit_rate_any_criterion"] >= score["hit_rate"]


def test_suggestions_are_labelled_and_explained_in_both_languages(suggestions):
    ids = set(load_template("full").ids)
    for case, found in suggestions.items():
        assert found, case
        for s in found:
            assert s.status == "suggested"
            assert s.criterion_id in ids
            assert s.rating in ("met", "partly_met", "not_met", "not_applicable")
            assert s.reason_en and _JAPANESE.search(s.reason_ja), (case, s.kind)
            assert "{" not in s.reason_en + s.reason_ja, s.reason_en
            assert s.label("en").startswith("Suggested by pre-check")
            assert all(p >= 1 for p in s.pages)


def test_san_fernando_v1_to_v2_fixes_show_in_the_suggestions(suggestions):
    def by_kind(case):
        return {s.kind: s for s in suggestions[case]}

    v1, v2 = by_kind(("san-fernando", "v1")), by_kind(("san-fernando", "v2"))
    assert (
        v1["hlpf_goal_missing"].rating == "partly_met" and "SDG 14" in v1["hlpf_goal_missing"].items
    )
    assert v2["hlpf_goal_missing"].rating == "met"
    assert "coastal_sdg14_silent" in v1 and "coastal_sdg14_silent" not in v2
    assert v1["no_followup_plan"].rating != "met" and v2["no_followup_plan"].rating == "met"
    assert v1["no_budget_tagging"].rating == "not_met" and v2["no_budget_tagging"].rating == "met"
    assert v1["no_validation"].rating == "not_met" and v2["no_validation"].rating == "met"
    # The stakeholder review SF-C14 (27 March 2025) came after v1: not counted for v1.
    assert "SF-C14" not in v1["no_validation"].items
    # Not fixed in v2: still flagged, with the same evidence ids.
    assert v2["consultation_no_response"].items == ("SF-C08", "SF-C10", "SF-C11")
    assert "persons_with_disabilities" in v2["stakeholder_group_not_consulted"].items


def test_santa_rosa_dismissed_goal_and_goal_without_trend(suggestions):
    found = {s.kind: s for s in suggestions[("santa-rosa", "v1")]}
    hlpf = found["hlpf_goal_missing"]
    assert hlpf.rating == "partly_met" and "not applicable" in hlpf.reason_en
    bare = found["goal_claimed_without_data"]
    assert bare.criterion_id == "D1" and "SDG 5" in bare.items and "SR-IND-09" in bare.items
    groups = found["stakeholder_group_not_consulted"]
    # Lakeshore fisherfolk are expected because the draft speaks of the lakeshore.
    assert {"persons_with_disabilities", "artisanal_fisherfolk"} <= set(groups.items)
    assert "indigenous_peoples" not in groups.items


def test_goal_headings_are_told_apart_from_table_rows():
    assert _goal_of_heading("5.9 SDG 14: Life Below Water") == 14
    assert _goal_of_heading("SDG 5: Gender equality") == 5
    assert _goal_of_heading("目標14：海の豊かさを守ろう") == 14
    assert _goal_of_heading("SDG 1 No Poverty Progressing CBMS poverty incidence") is None
    assert _goal_of_heading("SDG 18: Made up") is None
    assert _goal_of_heading("Executive Summary") is None


def test_combined_suggestion_and_frame(suggestions):
    found = suggestions[("san-fernando", "v1")]
    e1 = combined_suggestion(found, "E1")
    assert (
        e1 is not None and "indicator_no_baseline" in e1.kind and "indicator_no_source" in e1.kind
    )
    assert "SF-IND-03" in e1.items and "SF-IND-09" in e1.items
    assert combined_suggestion(found, "A2") is None
    frame = suggestions_frame(found, lang="ja")
    assert set(frame["status"]) == {"提案"} and len(frame) == len(found)


def test_confirm_or_override_a_suggestion(workspace, sample_review):
    review = sample_review("san-fernando", "v1", reviewers=("Test Reviewer",))
    found = precheck(workspace, "san-fernando", "v1", review_id=review.id)
    h1 = next(s for s in found if s.criterion_id == "H1")
    saved = confirm_suggestion(
        workspace, review.id, h1, recommendation="Add owners and dates.", priority="high"
    )
    assert saved.rating == h1.rating and saved.suggested == h1.rating and saved.pages == h1.pages
    assert saved.comment == h1.reason_en
    d3 = next(s for s in found if s.criterion_id == "D3")
    overridden = confirm_suggestion(
        workspace, review.id, d3, rating="not_met", comment="Also B2.", lang="ja"
    )
    stored = workspace.get(review.id, "rating", "D3/Test Reviewer").data
    assert (
        stored["rating"] == "not_met"
        and stored["suggested"] == "partly_met"
        and stored["comment"] == "Also B2."
    )
    assert overridden.suggested == "partly_met"


def test_consultations_saved_in_the_review_are_used(workspace, sample_review):
    from vlr_tools.cities import load_city
    from vlr_tools.consultations.reader import read_consultation_log
    from vlr_tools.consultations.store import save_consultations

    review = sample_review("san-fernando", "v1", reviewers=("Test Reviewer",))
    log = read_consultation_log(load_city("san-fernando").consultations_path, dayfirst=True)
    # The reviewer corrects the log in the workspace: a PWD federation attended SF-C12.
    fixed = [
        c.replace(pwd_present=True) if c.record_id == "SF-C12" else c for c in log.consultations
    ]
    save_consultations(workspace, review.id, fixed)
    # The log as the city sent it (the sample review in a throw-away workspace).
    from_file = {s.kind: s for s in precheck(None, "san-fernando", "v1")}
    from_review = {
        s.kind: s for s in precheck(workspace, "san-fernando", "v1", review_id=review.id)
    }
    assert "persons_with_disabilities" in from_file["stakeholder_group_not_consulted"].items
    assert "stakeholder_group_not_consulted" not in from_review


def test_precheck_of_a_draft_that_is_not_a_sample(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text(
        "# Message of the Mayor\n\nSangguniang Panlungsod Resolution No. 12 endorses this review.\n\n"
        "# SDG 11: Sustainable cities and communities\n\nText.\n\n"
        "# Way forward\n\n- CPDO: publish by June 2026\n- City Budget Office: SDG tagging in Q3 2026\n\n"
        "The next VLR is planned for 2027.\n",
        encoding="utf-8",
    )
    found = {s.kind: s for s in precheck(None, None, None, draft=draft, hlpf_year=2026)}
    assert found["no_endorsement"].rating == "met"
    assert found["no_followup_plan"].rating == "met"
    assert found["hlpf_goal_missing"].rating == "not_met"  # four of the five goals missing
    assert set(found["hlpf_goal_missing"].items) == {"SDG 6", "SDG 7", "SDG 9", "SDG 17"}


def test_cli_precheck_scores_against_the_key(capsys):
    assert main(["checklist", "precheck", "--city", "santa-rosa", "--score"]) == 0
    out = capsys.readouterr().out
    assert "[suggested]" in out
    assert re.search(r"\d+ of 16 planted weaknesses found", out)
    assert "false alarm(s)" in out


def test_precheck_uses_the_review_settings_for_a_city_that_is_not_a_sample(workspace, tmp_path):
    from vlr_tools.intake import add_city, add_draft
    from vlr_tools.intake import start_review as start_city_review

    draft = tmp_path / "baguio-draft.md"
    draft.write_text(
        "# SDG 3: Good health and well-being\n\nText.\n\n<!-- pagebreak -->\n\n# Way forward\n\nWe will continue.\n",
        encoding="utf-8",
    )
    add_city(workspace, "baguio", name="Baguio City", country="Philippines")
    add_draft(workspace, "baguio", draft, version="v1")
    review = start_city_review(
        workspace, "baguio", "v1", settings={"hlpf_year": 2025}, map_now=False, precheck_now=False
    ).review
    found = {s.kind: s for s in precheck(workspace, "baguio", "v1", review_id=review.id)}
    assert set(found["hlpf_goal_missing"].items) == {"SDG 5", "SDG 8", "SDG 14", "SDG 17"}
    assert found["no_followup_plan"].rating == "not_met"
    # Ratings of that review are checked against the same draft (2 pages).
    from vlr_tools.checklist import rate
    from vlr_tools.errors import ChecklistError

    rate(workspace, review.id, "H1", "not_met", pages=[2])
    with pytest.raises(ChecklistError, match="2 pages"):
        rate(workspace, review.id, "H1", "not_met", pages=[3])


def test_precheck_of_a_review_without_a_stored_draft_says_how_to_add_it(workspace):
    from vlr_tools.errors import DocumentError

    review = workspace.create_review(city="baguio", version="v1", settings={"hlpf_year": 2025})
    with pytest.raises(DocumentError, match="no stored draft.*vlr draft add baguio FILE"):
        precheck(workspace, "baguio", "v1", review_id=review.id)
