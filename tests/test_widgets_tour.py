"""The workshop tour widget, driven from pytest without a browser or kernel.

Values are set on the widgets and buttons clicked exactly as the app does;
the assertions look at the workspace, the chart the tour drew and the files
it wrote.
"""

from __future__ import annotations

import html

import pytest

from vlr_tools.checklist import get_rating, list_ratings
from vlr_tools.widgets.common import PLOTLY_MIME
from vlr_tools.widgets.tour import WorkshopTour, workshop_tour
from vlr_tools.workspace import open_workspace

REVIEWER = "Tour Tester (illustrative)"


@pytest.fixture
def tour(tmp_path):
    t = WorkshopTour(tmp_path / "ws", tmp_path / "out", reviewer=REVIEWER)
    yield t
    if t.session is not None:
        t.session.ws.close()


@pytest.fixture
def tour_sr(tour):
    """The tour with Santa Rosa picked (review opened, chart drawn)."""
    tour.city.value = "santa-rosa"
    assert tour.ready, tour.load_messages.value
    return tour


def test_steps_are_disabled_until_a_city_is_picked(tour):
    assert tour.city.value == ""
    assert tour.save_button.disabled and tour.export_button.disabled
    assert tour.figure is None and tour.session is None
    # Clicking anyway (the buttons are disabled in the page) explains, never raises.
    tour.export_button.click()
    assert "Pick a city first" in tour.export_messages.value
    assert tour.written == []


def test_picking_a_city_opens_a_review_and_draws_the_coverage_chart(tour_sr, tmp_path):
    tour = tour_sr
    assert not tour.save_button.disabled and not tour.export_button.disabled
    # the review is in the workspace on disk
    with open_workspace(tmp_path / "ws") as ws:
        review = ws.find_review("santa-rosa", "v1")
        assert review is not None and review.id == tour.session.review_id
        assert review.template == "workshop"
    # the figure: 17 goal bars in the official colours, HLPF goals outlined
    bar = tour.figure.data[0]
    assert list(bar.x) == [str(n) for n in range(1, 18)]
    assert sum(bar.y) > 0
    assert bar.marker.color[10].startswith("rgba(253,157,36")  # goal 11 orange #FD9D24
    assert "Santa Rosa City" in tour.figure.layout.title.text
    hlpf = set(tour.coverage.attrs["hlpf_goals"])
    assert hlpf == {3, 5, 8, 14, 17}
    widths = list(bar.marker.line.width)
    assert [n for n in range(1, 18) if widths[n - 1] > 0] == sorted(hlpf)
    # the chart widget holds the same figure as plotly JSON (what JupyterLab/Voila draw)
    (output,) = tour.chart.outputs
    spec = output["data"][PLOTLY_MIME]
    assert spec["data"][0]["y"] == list(bar.y)
    assert "text/html" not in output["data"]  # the app draws through the extension only
    # the summary names the HLPF year and the goals
    assert "HLPF 2025" in tour.summary.value and "3, 5, 8, 14, 17" in tour.summary.value
    assert "illustrative" in tour.illustrative.value.lower()
    assert tour.seconds_to_chart is not None


def test_rate_one_criterion_saves_to_the_workspace(tour_sr, tmp_path):
    tour = tour_sr
    ids = [cid for _, cid in tour.criterion.options]
    assert len(ids) == 10 and tour.criterion.value in ids
    tour.criterion.value = "C4"
    question = tour.template.criterion("C4").question("en")
    assert html.escape(question, quote=False) in tour.question.value.replace("&#x27;", "'")
    tour.rating.value = "not_met"
    tour.pages.value = "12, 14-15"
    tour.comment.value = "Baselines missing <script>alert(1)</script>"
    tour.recommendation.value = "Add a baseline year & value for each indicator."
    tour.save_button.click()
    assert tour.rate_messages.last_error is None, tour.rate_messages.value
    assert "Saved" in tour.rate_messages.value and "1 of 10" in tour.rate_messages.value
    with open_workspace(tmp_path / "ws") as ws:
        rating = get_rating(ws, tour.session.review_id, "C4", REVIEWER)
    assert rating is not None
    assert (rating.rating, rating.pages) == ("not_met", (12, 14, 15))
    assert rating.comment == "Baselines missing <script>alert(1)</script>"
    assert rating.reviewer == REVIEWER
    # picking the criterion again shows what was saved
    tour.criterion.value = "A1"
    tour.criterion.value = "C4"
    assert tour.rating.value == "not_met" and tour.pages.value == "12, 14, 15"


def test_rating_errors_are_messages_and_nothing_is_saved(tour_sr):
    tour = tour_sr
    tour.criterion.value = "A1"
    tour.rating.value = None
    tour.save_button.click()
    assert tour.rate_messages.last_error is not None
    assert "choose a rating" in tour.rate_messages.value
    tour.rating.value = "met"
    tour.pages.value = "999"  # the draft has 32 pages
    tour.save_button.click()
    assert "999" in tour.rate_messages.value and "vlr-error" in tour.rate_messages.value
    assert "Traceback" not in tour.rate_messages.value
    assert list_ratings(tour.session.ws, tour.session.review_id) == []


def test_export_memo_writes_the_file_and_lists_it(tour_sr, tmp_path):
    tour = tour_sr
    tour.rating.value = "partly_met"
    tour.comment.value = "Comment with <b>markup</b>"
    tour.save_button.click()
    tour.format.value = "md"
    tour.export_button.click()
    assert tour.export_messages.last_error is None, tour.export_messages.value
    (path,) = tour.written
    assert path == tmp_path / "out" / "santa-rosa" / "santa-rosa-v1-review-memo-en.md"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert "Santa Rosa" in text and "illustrative" in text.lower()
    # the page lists the file as new; the progress bar finished
    assert path.name in tour.files.value and "vlr-new" in tour.files.value
    assert tour.export_progress.bar.bar_style == "success"
    assert tour.export_progress.steps  # memo.render_memo reported its steps
    # a second export in another language appears beside it; only it is new
    tour.memo_lang.value = "ja"
    tour.format.value = "html"
    tour.export_button.click()
    (second,) = tour.written
    assert second.name == "santa-rosa-v1-review-memo-ja.html" and second.is_file()
    assert tour.files.value.count("vlr-new") == 1
    assert path.name in tour.files.value


def test_user_text_cannot_inject_markup_into_the_page(tour_sr):
    tour = tour_sr
    tour.rating.value = None
    tour.criterion.value = "A2"
    tour.rating.value = "met"
    tour.pages.value = "<img src=x onerror=alert(1)>"
    tour.save_button.click()
    assert "<img" not in tour.rate_messages.value
    assert "&lt;img" in tour.rate_messages.value


def test_japanese_tour_and_second_city(tmp_path):
    tour = WorkshopTour(tmp_path / "ws", tmp_path / "out", lang="ja", reviewer=REVIEWER)
    try:
        assert tour.city.description == "都市"
        tour.city.value = "san-fernando"
        assert tour.ready, tour.load_messages.value
        assert tour.session.version == "v2"  # the latest draft by default
        assert (
            "カバー" in tour.figure.layout.title.text
            or "San Fernando" in tour.figure.layout.title.text
        )
        assert "HLPF" in tour.summary.value
        tour.version.value = "v1"
        assert tour.ready and tour.session.version == "v1"
        files = tour.play(rating="met", fmt="html")
        assert [p.name for p in files] == ["san-fernando-v1-review-memo-ja.html"]
    finally:
        tour.session.ws.close()


def test_workshop_tour_reads_the_serve_settings_and_autoplays(tmp_path, monkeypatch):
    monkeypatch.setenv("VLR_TOUR_CITY", "santa-rosa")
    monkeypatch.setenv("VLR_TOUR_LANG", "en")
    monkeypatch.setenv("VLR_TOUR_WORKSPACE", str(tmp_path / "served-ws"))
    tour = workshop_tour(exports=tmp_path / "out", autoplay=True)
    try:
        assert tour.city.value == "santa-rosa" and tour.ready
        assert (tmp_path / "served-ws" / "workspace.sqlite").is_file()
        (path,) = tour.written
        assert path.is_file() and path.suffix == ".html"
        assert len(list_ratings(tour.session.ws, tour.session.review_id)) == 1
    finally:
        tour.session.ws.close()


def test_a_load_error_is_shown_under_step_one(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the workspace folder should be", encoding="utf-8")
    tour = WorkshopTour(blocker / "ws", tmp_path / "out", reviewer=REVIEWER)
    tour.city.value = "santa-rosa"
    assert not tour.ready
    assert tour.load_messages.last_error is not None
    assert "vlr-error" in tour.load_messages.value
    assert tour.load_progress.bar.bar_style == "danger"
    assert tour.save_button.disabled
    assert tour.play() == []


def test_the_page_view_is_a_step_and_memos_can_be_downloaded(tour_sr, tmp_path):
    import base64
    import re

    from vlr_tools.widgets.pageview import PageView

    tour = tour_sr
    (view,) = tour.pages_box.children
    assert isinstance(view, PageView) and view.page >= 1 and view.runs
    # a trainer shows an annotation on the page
    word = next(r for r in view.runs if r[0] >= 0 and len(r[1]) > 4)
    view.select(word[0], word[0] + len(word[1]))
    assert view.save(kind="question", comment="Shown in the workshop.") is not None
    assert view.highlights
    # the memo written is listed with a link that carries the file itself
    written = tour.play(comment="ok", fmt="md")
    (link,) = re.findall(r"href='data:text/markdown;base64,([^']+)'", tour.files.value)
    assert base64.b64decode(link) == written[0].read_bytes()
    assert f"download='{written[0].name}'" in tour.files.value


def test_the_app_title_and_sample_note_follow_the_language(tmp_path, monkeypatch):
    monkeypatch.setenv("VLR_TOUR_APP", "1")  # as `vlr serve` runs it
    ja = workshop_tour(lang="ja", workspace=str(tmp_path / "ws"), exports=str(tmp_path / "out"))
    head = ja.widget.children[0].value
    assert "ワークショップ・ツアー" in head and "例示用データ" in head
    assert "Workshop tour" not in head and "Trainers" not in head


def test_in_a_notebook_the_tour_leaves_the_title_to_the_notebook(tmp_path, monkeypatch):
    import nbformat

    monkeypatch.delenv("VLR_TOUR_APP", raising=False)
    tour = workshop_tour(workspace=str(tmp_path / "ws"), exports=str(tmp_path / "out"))
    assert "<h2" not in tour.widget.children[0].value
    nb = nbformat.read("notebooks/00_workshop_tour.ipynb", as_version=4)
    (title,) = [c for c in nb.cells if "vlr-notebook-only" in c.metadata.get("tags", [])]
    assert title.cell_type == "markdown" and "Trainers" in title.source
