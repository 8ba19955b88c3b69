"""The checklist panel: set widget values, click Save, read the workspace."""

from __future__ import annotations

import yaml

from vlr_tools.checklist import clear_template_cache, copy_template, rate
from vlr_tools.widgets.checklist import ChecklistPanel

LEAD = "Reviewer A (CYO, illustrative)"


def _panel(workspace, review, **kw):
    return ChecklistPanel(workspace, review.id, reviewer=LEAD, **kw)


def test_rating_saved_from_the_panel_lands_in_the_workspace(workspace, sample_review):
    review = sample_review("san-fernando", "v1", reviewers=(LEAD,))
    panel = _panel(workspace, review, run_prechecks=False)
    assert panel.review.value == review.id
    panel.criterion.value = "C4"
    assert "disaggregated" in panel.question.value
    panel.rating.value = "not_met"
    panel.pages.value = "10, 19"
    panel.comment.value = "City-wide totals only."
    panel.recommendation.value = "Use CBMS data by barangay and sex."
    panel.priority.value = "high"
    panel.save_button.click()
    stored = workspace.get(review.id, "rating", f"C4/{LEAD}")
    assert stored is not None
    assert stored.data["rating"] == "not_met" and stored.data["pages"] == [10, 19]
    assert stored.data["recommendation"] == "Use CBMS data by barangay and sex."
    assert stored.data["priority"] == "high"
    assert "Saved C4" in panel.messages.value
    assert "1 of 31" in panel.progress.value
    # Editing and saving again updates the same record (its version is tracked).
    panel.rating.value = "partly_met"
    panel.save_button.click()
    stored = workspace.get(review.id, "rating", f"C4/{LEAD}")
    assert stored.version == 2 and stored.data["rating"] == "partly_met"


def test_invalid_pages_show_a_message_not_a_traceback(workspace, sample_review):
    review = sample_review("san-fernando", "v1", reviewers=(LEAD,))
    panel = _panel(workspace, review, run_prechecks=False)
    panel.criterion.value = "H1"
    panel.rating.value = "not_met"
    panel.pages.value = "27, 99"
    panel.save_button.click()
    assert "Not saved" in panel.messages.value and "32 pages" in panel.messages.value
    assert workspace.get(review.id, "rating", f"H1/{LEAD}") is None
    assert panel.pages.value == "27, 99"  # what the reviewer typed is kept
    panel.pages.value = "abc"
    panel.save_button.click()
    assert "not a page number" in panel.messages.value
    panel.pages.value = "27"
    panel.rating.value = ""
    panel.save_button.click()
    assert "allowed: met, partly_met" in panel.messages.value
    assert workspace.records(review.id, "rating") == []


def test_the_suggestion_is_shown_as_such_and_can_be_used(workspace, sample_review):
    review = sample_review("san-fernando", "v1", reviewers=(LEAD,))
    panel = _panel(workspace, review)
    panel.criterion.value = "D3"
    assert "Suggested by pre-check" in panel.suggestion.value and "SDG 14" in panel.suggestion.value
    assert not panel.use_suggestion.disabled
    assert panel.rating.value == ""  # a suggestion is never pre-filled as a rating
    panel.use_suggestion.click()
    assert panel.rating.value == "partly_met" and panel.pages.value
    panel.save_button.click()
    stored = workspace.get(review.id, "rating", f"D3/{LEAD}").data
    assert stored["rating"] == "partly_met" and stored["suggested"] == "partly_met"
    panel.criterion.value = "A2"
    assert "No pre-check suggestion" in panel.suggestion.value and panel.use_suggestion.disabled


def test_japanese_panel(workspace, sample_review):
    review = sample_review("santa-rosa", "v1", reviewers=(LEAD,))
    panel = _panel(workspace, review, lang="ja", run_prechecks=False)
    panel.criterion.value = "C5"
    assert "検証" in panel.question.value
    assert panel.save_button.description == "評価を保存"
    panel.rating.value = "not_met"
    panel.save_button.click()
    assert "保存しました" in panel.messages.value


def test_existing_rating_is_loaded_and_a_stale_save_is_refused(workspace, sample_review):
    review = sample_review("santa-rosa", "v1", reviewers=(LEAD,))
    first = _panel(workspace, review, run_prechecks=False)
    second = _panel(workspace, review, run_prechecks=False)
    for p in (first, second):
        p.criterion.value = "G1"
    first.rating.value = "not_met"
    first.comment.value = "No tagging."
    first.save_button.click()
    second.rating.value = "met"
    second.save_button.click()
    assert "changed this rating meanwhile" in second.messages.value
    stored = workspace.get(review.id, "rating", f"G1/{LEAD}")
    assert stored.data["rating"] == "not_met" and stored.version == 1
    assert second.rating.value == "met"  # the typed value is not thrown away
    # A fresh panel loads the stored rating into the inputs.
    third = _panel(workspace, review, run_prechecks=False)
    third.criterion.value = "G1"
    assert third.rating.value == "not_met" and third.comment.value == "No tagging."
    assert "record version 1" in third.messages.value


def test_text_from_data_files_and_users_is_escaped(workspace, sample_review, tmp_path):
    path = copy_template("workshop", tmp_path / "evil.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["criteria"][0]["question"]["en"] = "<script>alert(1)</script> endorsed?"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    clear_template_cache()
    review = sample_review("santa-rosa", "v1", template=str(path), reviewers=(LEAD,))
    panel = _panel(workspace, review, run_prechecks=False)
    panel.criterion.value = "A1"
    assert "<script>" not in panel.question.value and "&lt;script&gt;" in panel.question.value
    panel.reviewer.value = "<b>Mallory</b>"
    panel.rating.value = "met"
    panel.save_button.click()
    assert (
        "<b>Mallory</b>" not in panel.messages.value and "&lt;b&gt;Mallory" in panel.messages.value
    )
    clear_template_cache()


def test_panel_without_reviews_says_so(workspace):
    panel = ChecklistPanel(workspace, reviewer=LEAD)
    assert panel.review.value is None
    assert "No review" in panel.messages.value
    panel.save_button.click()
    assert "No review" in panel.messages.value


def test_switching_review_reloads_criteria(workspace, sample_review):
    full = sample_review("santa-rosa", "v1", reviewers=(LEAD,))
    short = sample_review("san-fernando", "v1", template="workshop", reviewers=(LEAD,))
    rate(workspace, full.id, "F1", "not_met", reviewer=LEAD)
    panel = _panel(workspace, full, run_prechecks=False)
    assert len(panel.criterion.options) == 31
    panel.review.value = short.id
    assert len(panel.criterion.options) == 10
    panel.review.value = full.id
    panel.criterion.value = "F1"
    assert panel.rating.value == "not_met"


def test_the_summary_follows_the_panels_saves(workspace, sample_review):
    from vlr_tools.checklist import ratings_figure
    from vlr_tools.widgets.checklist import ChecklistSummary
    from vlr_tools.widgets.common import PLOTLY_MIME

    review = sample_review("santa-rosa", "v1", reviewers=(LEAD,))
    # nothing rated: the chart says so instead of an empty -1..1 axis
    empty = ratings_figure(workspace, review.id, "ja")
    assert empty.layout.annotations[0].text.startswith("まだ評価がありません")
    assert empty.layout.xaxis.range[0] == 0 and empty.layout.xaxis.range[1] >= 1
    panel = _panel(workspace, review, run_prechecks=False)
    summary = ChecklistSummary(workspace, review.id, lang="en", panel=panel)
    first = summary.ratings_chart.outputs[0]["data"][PLOTLY_MIME]
    assert first["layout"]["annotations"]  # "Nothing rated yet"
    assert "<NA>" not in summary.table.value and "NaN" not in summary.table.value
    panel.criterion.value = "B1"
    panel.rating.value = "partly_met"
    panel.recommendation.value = "State the data limitations " + "in detail, " * 12 + "please."
    panel.save_button.click()
    assert summary.refreshed == 2  # redrawn by the save, no cell re-run
    after = summary.ratings_chart.outputs[0]["data"][PLOTLY_MIME]
    assert not after["layout"].get("annotations")
    fig = ratings_figure(workspace, review.id)
    assert sum(sum(tr.x) for tr in fig.data) == 1
    # whole texts, never cut with an ellipsis
    assert "in detail, " * 12 + "please." in summary.recommendations.value
