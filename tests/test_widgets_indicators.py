"""The indicator table form: give it an upload or draft pages, read, correct the columns, store."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from vlr_tools.column_mapping import saved_column_mapping
from vlr_tools.errors import DataFileError
from vlr_tools.review import open_review
from vlr_tools.widgets.indicators import IndicatorTableForm, indicator_table_form

# Illustrative values of a made-up city, one column per year, Filipino headings.
ROWS = [
    ["Mga panukat ng lungsod (illustrative)"],
    [],
    ["Blg.", "Indikador", "Yunit", "Layunin", "Kodigo ng SDG", 2019, 2021, 2023, "Pinagmulan"],
    ["BG-01", "Kabahayan na may malinis na tubig", "%", 6, "6.1.1", "74%", "n/a", "82%",
     "CBMS"],
    ["BG-02", "Barangay na may koleksiyon ng basura", "barangay", 11, "—", 100, 120, 128,
     "CENRO"],
    ["BG-03", "Pamilyang nasalanta ng baha", "pamilya", 11, "11.5.1", "—", "6,100",
     "5,400 (p)", "CDRRMO"],
]  # fmt: skip


def workbook(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Panukat"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> tuple[dict, ...]:
    """What ipywidgets 8's FileUpload.value holds after the reviewer picks a file."""
    return (
        {
            "name": name,
            "type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        },
    )


@pytest.fixture
def review(workspace):
    return workspace.create_review(city="baguio", version="v1")


def test_upload_read_and_store(workspace, review):
    form = indicator_table_form(workspace, review.id, reviewer="Widget Tester")
    form.upload.value = upload("panukat.xlsx", workbook(ROWS))
    form.read_button.click()
    assert form.messages.last_error is None, form.messages.value
    report = form.report.value
    assert "What I understood of panukat.xlsx" in report
    assert "column F &#x27;2019&#x27; -&gt; year 2019" in report
    assert "BG-03: baseline 6,100 (2021), latest 5,400 (p) (2023)" in report
    assert "Kabahayan na may malinis na tubig" in report  # the preview of what will be stored
    assert form.dropdowns["B"].value == "Local indicator"
    assert form.dropdowns["F"].value == "year"
    assert not form.store_button.disabled
    form.store_button.click()
    assert "Stored 3 indicators" in form.outcome.value
    table = open_review(workspace, review.id).indicators
    assert table is not None and table.get("BG-03").latest_value == 5400
    assert form.store_button.disabled  # stored once


def test_a_heading_the_reader_does_not_know_is_named_with_a_dropdown(workspace, review, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][1] = "What we track"  # no indicator-name heading: no table is found
    path = tmp_path / "odd.xlsx"
    path.write_bytes(workbook(rows))
    form = IndicatorTableForm(workspace, review.id)
    reading = form.read_file(path)
    assert not reading.tables and reading.problems
    assert form.store_button.disabled
    assert "nothing can be stored yet" in form.messages.value
    # The likeliest header row is offered, with one dropdown per cell of it.
    assert "row 3" in form.header_row.label
    assert form.dropdowns["B"].value == "" and form.dropdowns["C"].value == "Unit"
    form.set_column("B", "Local indicator")
    form.again_button.click()
    assert form.reading.problems == [] and len(form.reading.indicators) == 3
    assert "column B &#x27;What we track&#x27; -&gt; Local indicator (your mapping)" in (
        form.report.value
    )
    form.save_mapping.value = True
    form.store_button.click()
    assert "The column mapping is kept for the city&#x27;s next table." in form.outcome.value
    mapping, origin = saved_column_mapping(workspace, review.id, "indicators")
    assert mapping["Local indicator"] == "What we track" and origin == review.id
    # The city's next table is read with the saved mapping, no dropdown needed.
    second = workspace.create_review(city="baguio", version="v2")
    again = IndicatorTableForm(workspace, second.id).read_file(path)
    assert again.problems == [] and again.saved_from == review.id


def test_pages_of_the_stored_draft(workspace, sample_review):
    rv = sample_review("santa-rosa", "v1")
    form = IndicatorTableForm(workspace, rv.id, lang="ja")
    form.source.value = "pages"
    form.pages.value = "26-28"
    form.read_button.click()
    assert form.messages.last_error is None, form.messages.value
    assert "ドラフトの 26, 27, 28 ページ" in form.report.value
    assert "表 2（27 ページ）" in form.report.value and "の読み取り結果" in form.report.value
    assert len(form.reading.indicators) == len(open_review(workspace, rv.id).indicators)
    assert {label for label, _v in form.dropdowns["B"].options} >= {"ローカル指標", "単位"}


def test_mistakes_show_in_the_form_not_as_tracebacks(workspace, review):
    form = IndicatorTableForm(workspace, review.id)
    form.read_button.click()  # no file chosen
    assert "Choose the indicator table first" in form.messages.value
    form.upload.value = upload("draft.pdf", b"%PDF-1.4 not a table")
    form.read_button.click()
    assert "not a spreadsheet" in form.messages.value
    form.source.value = "pages"
    form.pages.value = "2-3"
    form.read_button.click()
    assert "has no stored draft" in form.messages.value
    form.read_bytes(workbook(ROWS), "t.xlsx")
    with pytest.raises(DataFileError, match="not a column the reader knows"):
        form.set_column("B", "Colour")
    with pytest.raises(DataFileError, match="no column 'Z' to map"):
        form.set_column("Z", "Unit")


def test_form_text_in_japanese(workspace, review):
    form = IndicatorTableForm(workspace, review.id, lang="ja")
    assert form.read_button.description == "読み取る"
    assert form.store_button.description == "レビューに保存"
    assert Path(form._tmp.name).is_dir()  # uploads are kept only while the form lives


def test_two_different_tables_are_chosen_with_the_table_dropdown(workspace, review, tmp_path):
    long_rows = [
        ["ID", "Local indicator", "SDG goal", "Baseline year", "Baseline value", "Latest year",
         "Latest value"],
        ["L-1", "Households with piped water", 6, 2018, 71.2, 2022, 78.9],
    ]  # fmt: skip
    wb = openpyxl.Workbook()
    wb.active.title = "Long"
    for row in long_rows:
        wb.active.append(row)
    wide = wb.create_sheet("Wide")
    for row in ROWS[2:]:
        wide.append(row)
    path = tmp_path / "two.xlsx"
    wb.save(path)
    form = IndicatorTableForm(workspace, review.id)
    reading = form.read_file(path)
    assert "more than one table looks like the indicator table" in reading.problems[0].message
    assert form.table.layout.display is None  # the table picker is shown
    assert [v for _label, v in form.table.options] == [None, 1, 2]
    form.table.value = 2
    form.again_button.click()
    assert form.reading.problems == [] and form.reading.layout == "wide"
    assert form.table.value == 2 and not form.store_button.disabled
