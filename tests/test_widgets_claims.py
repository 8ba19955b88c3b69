"""The Figures to check panel: list, page with the sentence highlighted, confirm, dismiss, link."""

from __future__ import annotations

import pytest

from vlr_tools.widgets.claims import FiguresPanel, check_card_html


@pytest.fixture
def panel(sample_review, workspace):
    rv = sample_review("san-fernando", "v2")
    return FiguresPanel(workspace, rv.id, reviewer="Widget Reviewer", lang="en")


def test_lists_suggestions_and_jumps_to_the_page(panel):
    labels = [label for label, _id in panel.picker.options]
    assert any("Value differs from the table" in label for label in labels)
    differs = next(c for c in panel.checks if c.kind == "value_differs")
    panel.show(differs.id)
    assert "79.8 percent" in panel.detail.value and "78.9" in panel.detail.value
    page = panel.page_view.value
    assert f"Page {differs.page} / " in page and "<mark" in page and "79.8" in page


def test_dismiss_needs_a_reason_and_confirm_saves(panel):
    from vlr_tools.claims import confirmed_checks

    first = panel.current()
    panel.note.value = ""
    assert panel.decide("dismissed") is None
    assert "a reason is required" in panel.message.value
    panel.note.value = "Provincial figure <b>not</b> the city's"
    saved = panel.decide("dismissed")
    assert saved is not None and saved.status == "dismissed"
    assert first.id not in [v for _label, v in panel.picker.options]  # decided: no longer listed
    panel.note.value = "Check with the CPDO"
    confirmed = panel.decide("confirmed")
    done, dismissed = confirmed_checks(panel.ws, panel.review_id)
    assert [c.id for c in done] == [confirmed.id] and [c.id for c in dismissed] == [first.id]
    panel.show_all.value = True
    panel.show(first.id)
    assert "&lt;b&gt;not&lt;/b&gt;" in panel.detail.value  # reviewers' words are escaped
    assert "Dismissed" in panel.detail.value
    assert len(panel.frame()) == len(panel.report.checks)


def test_a_sentence_about_two_indicators_is_linked_by_the_reviewer(workspace, tmp_path):
    from vlr_tools.intake import add_city, add_draft, import_indicators, start_review

    draft = tmp_path / "draft.md"
    draft.write_text(
        "# SDG 6\n\nHouseholds with safe facilities reached 90 percent in 2022.\n", "utf-8"
    )
    table = tmp_path / "indicators.csv"
    table.write_text(
        "ID,Local indicator,Unit,SDG goal,Baseline year,Baseline value,Latest year,Latest value\n"
        "TW-01,Households with safe water,%,6,2018,70,2022,80\n"
        "TW-02,Households with safe toilets,%,6,2018,60,2022,75\n",
        "utf-8",
    )
    add_city(workspace, "testwater", "Testwater City")
    add_draft(workspace, "testwater", draft, version="v1")
    rid = start_review(workspace, "testwater", "v1", map_now=False, precheck_now=False).review.id
    import_indicators(workspace, rid, table)
    panel = FiguresPanel(workspace, rid, lang="ja")
    (which,) = panel.checks
    assert which.kind == "which_indicator"
    assert panel.link_box.layout.display == "" and panel.decision_box.layout.display == "none"
    assert [v for _label, v in panel.indicator.options] == [*which.candidates, "none"]
    panel.indicator.value = "TW-01"
    assert panel.link() == "TW-01"
    (differs,) = panel.checks  # 90 against the table's 80 for 2022
    assert differs.kind == "value_differs" and differs.indicator == "TW-01"
    assert "指標表" in check_card_html(differs, "ja")
