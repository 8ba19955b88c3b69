"""Shared notebook helpers: error messages, progress, chart bundles, the notebook session."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from vlr_tools.errors import ConsultationLogError, Problem, VlrError
from vlr_tools.widgets import common
from vlr_tools.widgets.common import (
    PLOTLY_MIME,
    MessageArea,
    ProgressBar,
    error_html,
    error_message,
    figure_bundle,
    guard,
    notebook_paths,
    open_session,
    plotly_library_bundle,
    problems_frame,
    written_frame,
)


def test_error_message_is_the_library_message_not_a_traceback():
    assert error_message(VlrError("page 99 is beyond the draft (32 pages)")) == (
        "page 99 is beyond the draft (32 pages)"
    )
    assert error_message(ValueError("unknown language 'fr'")) == "ValueError: unknown language 'fr'"
    assert error_message(KeyError("no text for 'x'")) == "KeyError: no text for 'x'"
    unexpected = error_message(ZeroDivisionError("division by zero"), "en")
    assert "Unexpected error" in unexpected and "ZeroDivisionError" in unexpected
    assert "Nothing saved was lost" in unexpected
    assert "予期しない" in error_message(ZeroDivisionError("x"), "ja")


def test_error_html_escapes_and_lists_problems():
    exc = ConsultationLogError(
        "log.xlsx: 2 row(s) have problems",
        [
            Problem("not a date", file="log.xlsx", sheet="Log", row=7, column="Date", value="<b>x"),
            Problem("unknown group", row=9, allowed="youth, women"),
        ],
    )
    text = error_html(exc)
    assert text.count("<li>") == 2
    assert "sheet &#x27;Log&#x27;, row 7" in text and "&lt;b&gt;x" in text
    assert "<b>x" not in text
    assert "allowed: youth, women" in text
    assert "Traceback" not in text
    assert "修正が必要です" in error_html(VlrError("x"), "ja")


def test_guard_shows_errors_and_swallows_them():
    area = MessageArea()
    bar = ProgressBar()
    with guard(area, bar):
        raise VlrError("no review 'x' <here>")
    assert area.last_error is not None
    assert "no review &#x27;x&#x27; &lt;here&gt;" in area.value
    assert bar.bar.bar_style == "danger"
    with guard(area):
        area.ok("Saved")
    assert area.last_error is None and "Saved" in area.value


def test_progress_bar_follows_the_memo_progress_protocol():
    bar = ProgressBar()
    bar.start(3, "Building")
    assert (bar.bar.value, bar.bar.max) == (0, 3)
    bar("Drawing charts", 1, 3)
    bar("Writing memo.pdf <1>", 2, 3)
    assert (bar.bar.value, bar.bar.max) == (1, 3)
    assert "&lt;1&gt;" in bar.label.value
    bar.finish()
    assert bar.bar.value == 3 and bar.bar.bar_style == "success"
    assert bar.steps == ["Drawing charts", "Writing memo.pdf <1>"]


def test_figure_bundle_has_live_and_exportable_forms():
    fig = go.Figure(go.Bar(x=["1", "2"], y=[3, 4]))
    fig.update_layout(title={"text": "Coverage </script><script>alert(1)</script>"})
    bundle = figure_bundle(fig)
    assert set(bundle) == {PLOTLY_MIME, "text/html", "text/plain"}
    assert bundle[PLOTLY_MIME]["data"][0]["y"] == [3, 4]
    assert bundle[PLOTLY_MIME]["config"]["displaylogo"] is False
    page = bundle["text/html"]
    # one <script> element: the title cannot close it and open another
    assert page.count("<script") == 1 and page.count("</script>") == 1
    assert "\\u003c/script\\u003e" in page
    payload = page.split("var s=", 1)[1].split(";var el=", 1)[0]
    assert json.loads(payload)["data"][0]["y"] == [3, 4]
    assert bundle["text/plain"] == "<chart: Coverage alert(1)>"
    assert set(figure_bundle(fig, html_fallback=False)) == {PLOTLY_MIME, "text/plain"}


def test_show_figure_into_an_output_widget_without_a_kernel():
    import ipywidgets as w

    out = w.Output()
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    common.show_figure(fig, output=out, html_fallback=False)
    common.show_figure(fig, output=out, html_fallback=False)
    (only,) = out.outputs  # replaced, not appended
    assert only["output_type"] == "display_data" and PLOTLY_MIME in only["data"]


def test_plotly_library_bundle_is_inline_and_hides_amd_define():
    bundle = plotly_library_bundle()
    page = bundle["text/html"]
    assert "window.define=undefined" in page and "window.define=window.__vlrDefine" in page
    assert len(page) > 1_000_000  # the whole library, not a link to a CDN
    assert "https://cdn" not in page.split("class='vlr-plotlyjs'>", 1)[0]
    assert "</script" not in page.split("class='vlr-plotlyjs'>", 1)[1].split("</script>", 1)[0]


def test_problems_frame_and_written_frame(tmp_path):
    frame = problems_frame(
        [Problem("bad date", file="a.xlsx", sheet="Log", row=3, column="Date", value="32/13")],
        [Problem("row skipped: totals", row=18)],
    )
    assert list(frame["level"]) == ["problem", "warning"]
    assert frame.loc[0, "row"] == 3 and frame.loc[1, "column"] == ""
    assert problems_frame([]).empty
    memo = tmp_path / "memo.md"
    memo.write_text("# memo\n", encoding="utf-8")
    written = written_frame([memo])
    assert written.loc[0, "file"] == "memo.md" and written.loc[0, "format"] == "md"
    assert written.loc[0, "size_kb"] == 0.0


def test_notebook_paths_default_to_the_cli_workspace_and_exports(monkeypatch, tmp_path):
    monkeypatch.setattr(common, "EXPORTS_DIR", tmp_path / "exports")
    location, out = notebook_paths("", "")
    # None: the workspace the `vlr` command uses ($VLR_DATABASE_URL, else $VLR_WORKSPACE_DIR,
    # else data/workspace), resolved by open_workspace.
    assert location is None
    assert out == tmp_path / "exports"
    assert notebook_paths(tmp_path / "ws", "")[0] == tmp_path / "ws"
    url = "postgresql+psycopg://u@127.0.0.1:5432/vlr"
    assert notebook_paths(url, tmp_path)[0] == url


def test_open_session_without_a_workspace_uses_the_cli_default(monkeypatch, tmp_path):
    from vlr_tools import paths
    from vlr_tools.workspace import open_workspace

    monkeypatch.setattr(paths, "WORKSPACE_DIR", tmp_path / "cli-default")
    s = open_session("santa-rosa", "v1", "en", "Session Tester", "", tmp_path / "out")
    try:
        assert str(tmp_path / "cli-default") in str(s.ws.location)
    finally:
        s.ws.close()
    # The review the notebook started is the one the CLI finds in its default workspace.
    ws = open_workspace(None)
    try:
        assert ws.find_review("santa-rosa", "v1").id == s.review_id
    finally:
        ws.close()


def test_open_session_creates_then_reuses_the_review(tmp_path):
    from vlr_tools.review import open_review

    s1 = open_session("san-fernando", "", "en", "Session Tester", tmp_path / "ws", tmp_path / "out")
    try:
        assert s1.version == "v2" and s1.city.slug == "san-fernando"
        # Started through the intake: the review owns the city's draft and tables.
        opened = open_review(s1.ws, s1.review_id)
        assert opened.city.name == "San Fernando City" and opened.city.illustrative
        assert opened.draft_file.filename == "san-fernando-vlr-draft-v2.pdf"
        assert opened.indicators is not None and len(opened.indicators) > 0
        assert opened.consultations
        assert s1.reviewer == "Session Tester" and s1.exports.is_dir()
        assert "san-fernando" in repr(s1) and "illustrative" in s1._repr_html_().lower()
    finally:
        s1.ws.close()
    s2 = open_session("san-fernando", "v2", "en", "Session Tester", tmp_path / "ws")
    try:
        assert s2.review_id == s1.review_id
    finally:
        s2.ws.close()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("nowhere",), "nowhere"),
        (("santa-rosa", "v9"), "v9"),
        (("santa-rosa", "v1", "fr"), "allowed: en, ja"),
    ],
)
def test_open_session_names_what_is_allowed(tmp_path, args, fragment):
    with pytest.raises((VlrError, ValueError)) as info:
        open_session(*args, reviewer="X Tester", workspace=tmp_path / "ws")
    assert fragment in str(info.value)


def test_setup_registers_a_renderer_for_fig_show():
    import plotly.io as pio

    before = pio.renderers.default
    try:
        common._register_renderer()
        assert pio.renderers.default == "vlr"
        fig = go.Figure(go.Bar(x=["1"], y=[2]))
        bundle = pio.renderers["vlr"].to_mimebundle(fig.to_dict())
        assert PLOTLY_MIME in bundle and "text/html" in bundle
    finally:
        pio.renderers.default = before
