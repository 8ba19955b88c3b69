"""The mapping review widget: paging, safe highlighting, decisions saved, chart redrawn."""

from __future__ import annotations

import pandas as pd
import pytest

from vlr_tools.coverage import DECISION_KIND, decide, load_decisions
from vlr_tools.widgets.mapping import MappingReview, highlight

TEXT = "Households with <b>piped water</b> & sanitation rose; solid waste collection too."


def _matches() -> pd.DataFrame:
    start = TEXT.index("piped water")
    rows = [
        ("p1.1", 1, "SDG 6: Water", "heading", 6, None, 0.9, ["SDG 6"], [], "SDG 6: Water"),
        (
            "p1.2",
            1,
            "SDG 6: Water",
            "text",
            6,
            None,
            0.9,
            ["piped water"],
            [(start, start + 11)],
            TEXT,
        ),
        (
            "p1.2",
            1,
            "SDG 6: Water",
            "text",
            6,
            "6.1",
            0.8,
            ["piped water"],
            [(start, start + 11)],
            TEXT,
        ),
        ("p1.2", 1, "SDG 6: Water", "text", 11, None, 0.6, ["solid waste"], [], TEXT),
        ("p1.2", 1, "SDG 6: Water", "text", 11, "11.6", 0.6, ["solid waste"], [], TEXT),
        ("p2.1", 2, "SDG 6: Water", "text", 6, None, 0.7, ["sanitation"], [], "Sanitation " * 70),
        ("p2.2", 2, "SDG 6: Water", "text", 6, None, 0.7, ["sewer"], [], "Sewer " * 70),
    ]
    columns = [
        "ref",
        "page",
        "section",
        "kind",
        "goal",
        "target",
        "score",
        "evidence",
        "spans",
        "text",
    ]
    return pd.DataFrame(rows, columns=columns)


@pytest.fixture
def review(workspace):
    rv = workspace.create_review(city="santa-rosa", version="v1", reviewers=("Test Reviewer",))
    return workspace, rv.id


def test_highlight_escapes_draft_text_before_marking():
    out = highlight("<script>alert('x')</script> solid waste", ["solid waste", "script"])
    assert "<script>" not in out and "&lt;" in out
    assert out.count("<mark") == 3  # both "script" words and the phrase
    assert highlight("wastewater and waste", ["waste"]).count("<mark") == 1  # whole words
    assert "<mark" in highlight("廃棄物の収集", ["廃棄物"])
    assert highlight("a < b", [], [(0, 1)]).startswith(
        '<mark style="background:#FFE58A;padding:0 1px">a</mark> &lt;'
    )
    assert highlight("abc", [], [(2, 99)]) == "abc"  # offsets outside the text are ignored


def test_pages_through_mapped_paragraphs_with_highlighted_evidence(review):
    ws, rid = review
    view = MappingReview(ws, rid, _matches(), hlpf_year=2025)
    assert view.refs == ["p1.1", "p1.2", "p2.1", "p2.2"]
    view.next_button.click()
    assert view.current.ref == "p1.2"
    html = view.text.value
    assert "&lt;b&gt;" in html and "<b>" not in html  # draft markup shown, not run
    assert '<mark style="background:#FFE58A;padding:0 1px">piped water</mark>' in html
    assert set(view.buttons) == {(6, None), (6, "6.1"), (11, None), (11, "11.6")}
    assert "p1.2" in view.header.value and "page 1" in view.header.value
    view.go(99)
    assert view.current.ref == "p2.2"
    view.prev_button.click()
    assert view.current.ref == "p2.1"
    view.goal_filter.value = 11
    assert view.refs == ["p1.2"] and view.current.ref == "p1.2"


def test_buttons_write_decisions_and_the_chart_follows(review):
    ws, rid = review
    view = MappingReview(ws, rid, _matches(), hlpf_year=2023, reviewer="A. Reviewer")
    assert view.figure.data[0].y[10] == 1  # SDG 11 suggested in one paragraph
    view.show_ref("p1.2")
    view.buttons[(11, None)]["reject"].click()
    record = ws.get(rid, DECISION_KIND, "p1.2/11/")
    assert record.data["action"] == "reject" and record.updated_by == "A. Reviewer"
    assert view.figure.data[0].y[10] == 0  # the chart no longer counts SDG 11
    assert "rejected" in view.messages.value
    assert view.current.ref == "p1.2"  # the paragraph stays in view
    assert "rejected by A. Reviewer" in view.rows.children[2].children[0].value

    view.buttons[(6, "6.1")]["accept"].click()
    assert ws.get(rid, DECISION_KIND, "p1.2/6/6.1").data["action"] == "accept"
    assert view.buttons[(6, "6.1")]["accept"].button_style == "success"

    view.add_goal.value = 14
    assert view.add_target.options[1][1] == "14.1"
    view.add_target.value = "14.1"
    view.note.value = "<i>run-off</i> to the bay"
    view.add_button.click()
    added = ws.get(rid, DECISION_KIND, "p1.2/14/14.1")
    assert added.data["action"] == "add" and added.data["note"] == "<i>run-off</i> to the bay"
    assert view.note.value == ""
    assert view.figure.data[0].y[13] == 1
    assert (14, "14.1") in view.buttons
    assert "&lt;i&gt;run-off" in view.rows.children[-1].children[0].value

    view.buttons[(11, None)]["undo"].click()
    assert ws.get(rid, DECISION_KIND, "p1.2/11/") is None
    assert view.figure.data[0].y[10] == 1
    assert {d.key for d in load_decisions(ws, rid)} == {"p1.2/6/6.1", "p1.2/14/14.1"}


def test_coverage_depth_in_the_chart_follows_decisions(review):
    ws, rid = review
    view = MappingReview(ws, rid, _matches(), hlpf_year=2023)
    # SDG 6's part is headed "SDG 6: Water" and has three body paragraphs (152 words).
    assert view.frame.set_index("goal").loc[6, "depth"] == "covered"
    view.show_ref("p1.1")
    view.buttons[(6, None)]["reject"].click()
    # Still covered: SDG 6 is the main subject of all three body paragraphs.
    assert view.frame.set_index("goal").loc[6, "depth"] == "covered"
    view.show_ref("p2.1")
    view.buttons[(6, None)]["reject"].click()
    assert view.frame.set_index("goal").loc[6, "depth"] == "mentioned"
    assert view.figure.data[0].marker.color[5].endswith(",0.45)")


def test_a_colleagues_change_is_not_overwritten(review):
    ws, rid = review
    view = MappingReview(ws, rid, _matches(), reviewer="A. Reviewer")
    view.show_ref("p1.2")
    decide(ws, rid, "p1.2", 11, None, "accept", reviewer="B. Colleague")
    view.buttons[(11, None)]["reject"].click()
    assert ws.get(rid, DECISION_KIND, "p1.2/11/").data["action"] == "accept"
    assert "B. Colleague changed this decision" in view.messages.value
    assert "accepted by B. Colleague" in view.rows.children[2].children[0].value
    view.buttons[(11, None)]["reject"].click()  # now seen: the second click wins
    assert ws.get(rid, DECISION_KIND, "p1.2/11/").data["action"] == "reject"


def test_errors_show_in_the_widget_not_as_tracebacks(review):
    ws, rid = review
    view = MappingReview(ws, rid, _matches(), lang="ja")
    view.show_ref("p1.2")
    view.note.value = "x" * 5000
    view.add_button.click()
    assert "allowed: up to 2000" in view.messages.value
    assert ws.records(rid, DECISION_KIND) == []
    assert view.add_button.description == "追加"


def test_empty_mapping_shows_a_message(review):
    ws, rid = review
    empty = _matches().iloc[0:0]
    view = MappingReview(ws, rid, empty)
    assert view.current is None and "No paragraph" in view.header.value
    assert view.decide(6, None, "accept") is None


def test_target_choices_show_official_titles_in_the_reviewers_language(review):
    from vlr_tools.framework import get_framework

    ws, rid = review
    fw = get_framework()
    view = MappingReview(ws, rid, _matches(), lang="ja")
    view.add_goal.value = 11
    labels = dict((code, label) for label, code in view.add_target.options)
    target = fw.target("11.6")
    assert target.title_ja and labels["11.6"] == f"11.6 {target.title_ja[:70]}"
    view = MappingReview(ws, rid, _matches(), lang="en")
    view.add_goal.value = 11
    labels = dict((code, label) for label, code in view.add_target.options)
    assert labels["11.6"] == f"11.6 {target.title_en[:70]}"


def test_decisions_set_aside_by_a_replaced_file_are_shown_with_their_words(review):
    from vlr_tools.documents import draft_from_text
    from vlr_tools.replacement import move_decisions

    ws, rid = review
    old = draft_from_text(
        "Septage <b>is</b> not treated.\n\nTuberculosis <i>notifications</i> fell.", lang="en"
    )
    new = draft_from_text("Septage <b>is</b> not treated.", lang="en")
    decide(ws, rid, old.paragraphs()[1].ref, 3, None, "accept")
    assert MappingReview(ws, rid, _matches(), hlpf_year=2025).aside.value == ""
    move_decisions(ws, rid, old, new)
    view = MappingReview(ws, rid, _matches(), hlpf_year=2025, lang="ja")
    assert "1件の判断を保留" in view.aside.value
    assert "Tuberculosis &lt;i&gt;notifications&lt;/i&gt; fell." in view.aside.value  # escaped
    assert "Test Reviewerが承認" in view.aside.value
    assert load_decisions(ws, rid) == []
