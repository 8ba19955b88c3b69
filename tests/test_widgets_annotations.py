"""The annotation panel: set widget values, click buttons, check the workspace and the messages."""

from __future__ import annotations

import pytest

from vlr_tools.annotations import annotate, get_annotation, list_annotations
from vlr_tools.cities import load_city
from vlr_tools.documents import draft_from_text, load_draft
from vlr_tools.widgets.annotations import AnnotationPanel, render_page_html

SF = load_city("san-fernando")
REVIEWERS = ("Reviewer A (fictional)", "Reviewer B (fictional)")


@pytest.fixture(scope="module")
def sf_v1():
    return load_draft(SF.draft("v1").pdf)


@pytest.fixture
def panel(workspace, sample_review, sf_v1):
    """The panel on the draft the review owns (stored by the intake), as a notebook opens it."""
    from vlr_tools.review import open_review

    rid = sample_review("san-fernando", "v1", reviewers=REVIEWERS).id
    stored = open_review(workspace, rid).draft
    assert stored.sha256 == sf_v1.sha256
    return AnnotationPanel(workspace, rid, stored, reviewer=REVIEWERS[0], page=10)


def test_page_view_and_navigation(panel, sf_v1):
    assert panel.current_page == 10
    assert "Most figures in this report are city-wide totals" in panel.page_view.value
    assert 'data-ref="p10.12"' in panel.page_view.value
    panel.next_button.click()
    assert panel.current_page == 11 and "The following sectors took part" in panel.page_view.value
    panel.prev_button.click()
    panel.prev_button.click()
    assert panel.current_page == 9
    panel.page.value = 32
    panel.next_button.click()
    assert panel.current_page == 32  # stays on the last page
    refs = [value for _label, value in panel.paragraph.options]
    assert refs[0] == "" and refs[1:] == [p.ref for p in sf_v1.page(32).paragraphs]


def test_search_jumps_to_the_hit_and_fills_the_quote(panel):
    panel.search_text.value = "rates SDG 17 as on track"
    panel.search_button.click()
    assert panel.current_page == 24
    assert panel.quote.value == "rates SDG 17 as on track"
    assert "1 place(s) found" in panel.search_status.value
    assert '<mark class="vlr-hit"' in panel.page_view.value
    panel.search_text.value = "san fernando"
    panel.search_button.click()
    hits = panel.hits
    assert len(hits) > 3 and len(panel.search_results.options) == len(hits)
    panel.search_results.value = 3
    assert panel.current_page == hits[3].page and panel.quote.value == hits[3].text
    panel.search_text.value = "words that are not there"
    panel.search_button.click()
    assert "Not found in the draft" in panel.search_status.value and panel.hits == []


def test_add_annotation_from_typed_quote(panel, workspace):
    panel.quote.value = "city-wide totals"
    panel.kind.value = "missing_evidence"
    panel.comment.value = "Break the figures down by sex, age and barangay."
    panel.criterion.value = "C4"
    panel.sdg.value = "17.18, 5"
    panel.add_button.click()
    (a,) = list_annotations(workspace, panel.review_id)
    assert (a.page, a.paragraph, a.quote) == (10, "p10.12", "city-wide totals")
    assert a.criterion == "C4" and a.sdg == ("17.18", "5") and a.reviewer == REVIEWERS[0]
    assert "Saved: Missing evidence on page 10 (p10.12)." in panel.message.value
    assert 'class="vlr-ann vlr-kind-missing_evidence"' in panel.page_view.value
    assert panel.comment.value == "" and panel.quote.value == ""
    assert a.id in panel.reply_inputs  # the new annotation is listed with a reply box


def test_pick_a_paragraph_as_the_passage(panel, workspace, sf_v1):
    panel.paragraph.value = "p10.4"
    assert panel.quote.value == sf_v1.get("p10.4").text
    panel.kind.value = "good_practice"
    panel.comment.value = "Annex A is referenced clearly."
    panel.add_button.click()
    (a,) = list_annotations(workspace, panel.review_id)
    assert a.paragraph == "p10.4" and a.quote == sf_v1.get("p10.4").text


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"quote": "The following sectors took part", "comment": "x"}, "not on page 10"),
        ({"quote": "city-wide totals", "comment": "  "}, "comment is empty"),
        ({"quote": "city-wide totals", "comment": "x", "sdg": "5.99"}, "SDG link &#x27;5.99&#x27;"),
        ({"quote": "", "comment": "x"}, "quote is empty"),
    ],
)
def test_invalid_input_shows_a_message_and_saves_nothing(panel, workspace, values, expected):
    for name, value in values.items():
        getattr(panel, name).value = value
    panel.add_button.click()
    assert "Not saved" in panel.message.value and expected in panel.message.value
    assert "vlr-msg-error" in panel.message.value
    assert list_annotations(workspace, panel.review_id) == []


def test_reply_and_status_buttons(panel, workspace, sf_v1):
    a = annotate(
        workspace, panel.review_id, sf_v1, page=10, quote="city-wide totals",
        comment="Please disaggregate.", kind="question", reviewer=REVIEWERS[0],
    )  # fmt: skip
    panel.refresh()
    panel.reply_inputs[a.id].value = ""
    panel.reply_buttons[a.id].click()
    assert "reply is empty" in panel.message.value
    panel.reviewer = REVIEWERS[1]
    panel.reply_inputs[a.id].value = "CBMS 2022 has barangay figures."
    panel.reply_buttons[a.id].click()
    got = get_annotation(workspace, panel.review_id, a.id)
    assert [(r.reviewer, r.comment) for r in got.replies] == [
        (REVIEWERS[1], "CBMS 2022 has barangay figures.")
    ]
    assert "Reply saved." in panel.message.value
    assert "CBMS 2022 has barangay figures." in panel.annotation_list.children[1].children[0].value
    panel.status_buttons[(a.id, "resolved")].click()
    assert get_annotation(workspace, panel.review_id, a.id).status == "resolved"
    assert "Status set to Resolved." in panel.message.value
    assert (a.id, "resolved") not in panel.status_buttons and (a.id, "open") in panel.status_buttons


def test_a_colleagues_change_is_not_overwritten(panel, workspace, sf_v1):
    from vlr_tools.annotations import edit_annotation

    a = annotate(
        workspace, panel.review_id, sf_v1, page=10, quote="city-wide totals",
        comment="First wording.", kind="question",
    )  # fmt: skip
    panel.refresh()
    stale = panel.status_buttons[(a.id, "withdrawn")]
    edit_annotation(workspace, panel.review_id, a.id, comment="B's wording.", reviewer=REVIEWERS[1])
    stale.click()
    now = get_annotation(workspace, panel.review_id, a.id)
    assert now.status == "open" and now.comment == "B's wording."
    assert (
        "Not saved" in panel.message.value
        and "list now shows the current version" in panel.message.value
    )


def test_typed_markup_is_escaped_everywhere(panel, workspace):
    panel.quote.value = "city-wide totals"
    panel.comment.value = "<script>alert('x')</script> & <b>bold</b>"
    panel.add_button.click()
    (a,) = list_annotations(workspace, panel.review_id)
    assert a.comment == "<script>alert('x')</script> & <b>bold</b>"
    shown = panel.page_view.value + "".join(
        c.children[0].value for c in panel.annotation_list.children if hasattr(c, "children")
    )
    assert "<script>" not in shown and "<b>bold</b>" not in shown
    assert "&lt;script&gt;" in shown
    doc = draft_from_text("Budget <b>tagging</b> & <i>gaps</i>\f<script>x</script>")
    page = render_page_html(doc, 1, standalone=True)
    assert "&lt;b&gt;tagging&lt;/b&gt; &amp; &lt;i&gt;gaps&lt;/i&gt;" in page
    assert page.startswith("<!DOCTYPE html>") and "<b>tagging" not in page


def test_a_draft_that_is_not_the_reviews_disables_adding(workspace, sample_review, sf_v1):
    rid = sample_review("san-fernando", "v1").id
    annotate(workspace, rid, sf_v1, page=10, quote="city-wide totals", comment="x", kind="question")
    v2 = load_draft(SF.draft("v2").pdf)
    panel = AnnotationPanel(workspace, rid, v2)
    assert panel.add_button.disabled
    assert "reanchor" in panel.widget.children[0].value
    panel.quote.value = "city-wide totals"
    panel.comment.value = "y"
    panel.add()
    assert "nothing was saved" in panel.message.value
    assert len(list_annotations(workspace, rid)) == 1


def test_japanese_labels_and_snapshot(workspace, sample_review, sf_v1):
    rid = sample_review("san-fernando", "v1").id
    annotate(
        workspace, rid, sf_v1, page=10, quote="city-wide totals", comment="分解を", kind="question"
    )
    panel = AnnotationPanel(workspace, rid, sf_v1, lang="ja", page=10)
    assert panel.add_button.description == "注釈を追加"
    assert ("質問", "question") in panel.kind.options
    assert "10ページ" in panel.page_view.value
    html_doc = panel.snapshot_html()
    assert html_doc.startswith("<!DOCTYPE html>") and "分解を" in html_doc and "<mark" in html_doc
