"""The response sheet: a city answers the review's recommendations and the answers come back.

The city here is not a sample city: Iloilo City, taken in through the intake
with a small Word draft, as a reviewer would take in a real partner city.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from vlr_tools.checklist import carry_over, carryover_frame, mark_addressed, rate
from vlr_tools.cli import main
from vlr_tools.errors import ResponseSheetError
from vlr_tools.intake import add_city, add_draft, start_review
from vlr_tools.memo import build_memo, render_memo
from vlr_tools.responses import (
    RESPONSE_KIND,
    export_sheet,
    import_responses,
    load_responses,
    parse_date,
    parse_response,
    recommendation_rows,
    responses_frame,
)
from vlr_tools.workspace import open_workspace

REVIEWERS = ("Ana Example", "Ben Example")
CITY_TEXT = "Publish the table <script>alert(1)</script> **now** | soon"


def _draft(path: Path, heading: str, text: str) -> Path:
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    doc.add_heading("Iloilo City Voluntary Local Review", 0)
    doc.add_paragraph("Prepared by the City Planning and Development Office.")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading(heading, 1)
    doc.add_paragraph(text)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Next steps", 1)
    doc.add_paragraph("The city will repeat the review; flooding and clean water come first.")
    doc.save(str(path))
    return path


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A workspace with Iloilo City's draft v1 reviewed (three recommendations) and v2 stored."""
    folder = tmp_path_factory.mktemp("responses")
    ws = open_workspace(folder / "ws", reviewer=REVIEWERS[0])
    add_city(ws, "iloilo", "Iloilo City", country="Philippines", coastal=True, hlpf_year=2026)
    v1 = _draft(
        folder / "v1.docx",
        "Clean water",
        "Households with safely managed drinking water rose to 82 percent in 2023.",
    )
    v2 = _draft(
        folder / "v2.docx",
        "Clean water and sanitation",
        "Households with safely managed drinking water rose to 82 percent in 2023. "
        "A follow-up table names the office and the date of each next step.",
    )
    add_draft(ws, "iloilo", v1, version="v1")
    add_draft(ws, "iloilo", v2, version="v2")
    rv = start_review(ws, "iloilo", "v1", reviewers=REVIEWERS, precheck_now=False).review
    a, b = REVIEWERS
    rate(ws, rv.id, "H1", "not_met", pages="3", recommendation="Add a follow-up table.",
         priority="high", reviewer=a)  # fmt: skip
    rate(ws, rv.id, "C4", "partly_met", pages="2", recommendation="Disaggregate by sex.",
         priority="medium", reviewer=a)  # fmt: skip
    rate(ws, rv.id, "C4", "partly_met", pages="2", recommendation="Add age groups.",
         priority="medium", reviewer=b)  # fmt: skip
    rate(ws, rv.id, "E1", "met", pages="2", recommendation="Name the source of each figure.",
         priority="low", reviewer=b)  # fmt: skip
    rate(ws, rv.id, "A1", "met", pages="1", reviewer=a)
    yield ws, rv, folder
    ws.close()


def _fill(path: Path, out: Path, answers: dict[str, tuple], **cells) -> Path:
    """Fill a response sheet as a city would, in Excel: by row, with typed values."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet["D3"] = cells.get("who", "Maria Santos, CPDO Iloilo")
    sheet["D4"] = cells.get("when", dt.date(2026, 2, 10))
    for row in range(7, sheet.max_row + 1):
        rid = sheet.cell(row=row, column=1).value
        if rid in answers:
            for col, value in zip(range(6, 11), answers[rid], strict=False):
                sheet.cell(row=row, column=col, value=value)
    book.save(out)
    return out


def _answers(ws, rv, lang: str = "en") -> dict[str, tuple]:
    accepted = "accepted" if lang == "en" else "受け入れる"
    return {
        f"{rv.version}-H1": (accepted, CITY_TEXT, "CPDO", dt.date(2026, 3, 31), ""),
        f"{rv.version}-C4": ("accepted in part", "Sex first; age groups in 2027.", "CPDO"),
        f"{rv.version}-E1": ("already done", "", "", None, "Sources are in Annex B."),
    }


# -- the sheet -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_sheet_lists_the_memos_recommendations_locked_with_inputs_and_instructions(
    city, tmp_path, lang
):
    ws, rv, _ = city
    done = export_sheet(ws, rv.id, tmp_path / "sheet.xlsx", lang=lang)
    book = openpyxl.load_workbook(done.path)
    names = ["Responses", "Instructions"] if lang == "en" else ["回答", "記入方法"]
    assert book.sheetnames == [*names, "_vlr"]
    assert book["_vlr"].sheet_state == "veryHidden"
    meta = {r[0]: r[1] for r in book["_vlr"].iter_rows(values_only=True)}
    assert meta["review_id"] == rv.id and meta["sheet_id"] == done.sheet_id
    sheet = book[names[0]]
    header = [c.value for c in sheet[6]]
    assert header[0] == "ID" and header[5] == ("Response" if lang == "en" else "回答")
    # The rows are the memo's recommendations, in the memo's order and words.
    memo = build_memo(ws, rv.id, lang)
    table = next(b for b in memo.section("recommendations").blocks if hasattr(b, "rows"))
    memo_rows = [(r[2].text, r[3].text) for r in table.rows]
    sheet_rows = [
        (sheet.cell(row=r, column=1).value.split("-")[1], sheet.cell(row=r, column=4).value)
        for r in range(7, 7 + len(memo_rows))
    ]
    assert sheet_rows == memo_rows == [(r.criterion_id, r.text) for r in done.rows]
    assert sheet.cell(row=7 + len(memo_rows), column=1).value is None
    assert "Disaggregate by sex.\nAdd age groups." in [r.text for r in done.rows]
    # Grey columns locked, yellow ones open, the sheet protected.
    assert sheet.protection.sheet
    assert sheet["D7"].protection.locked and not sheet["F7"].protection.locked
    assert not sheet["D3"].protection.locked and not sheet["D4"].protection.locked
    kinds = {dv.type: dv for dv in sheet.data_validations.dataValidation}
    choices = "accepted,accepted in part,not accepted,already done"
    if lang == "ja":
        choices = "受け入れる,一部受け入れる,受け入れない,対応済み"
    assert kinds["list"].formula1 == f'"{choices}"' and "F7:F9" in str(kinds["list"].sqref)
    assert "I7:I9" in str(kinds["date"].sqref) and "D4" in str(kinds["date"].sqref)
    instructions = " ".join(
        str(c) for row in book[names[1]].iter_rows(values_only=True) for c in row if c
    )
    assert ("Iloilo City" in instructions) and (
        "accepted in part" in instructions if lang == "en" else "一部受け入れる" in instructions
    )


def test_a_review_without_recommendations_has_no_sheet(tmp_path):
    ws = open_workspace(tmp_path / "ws", reviewer="A")
    add_city(ws, "iloilo", "Iloilo City")
    add_draft(ws, "iloilo", _draft(tmp_path / "d.docx", "Water", "Water for all."), version="v1")
    rv = start_review(ws, "iloilo", "v1", map_now=False, precheck_now=False).review
    with pytest.raises(ResponseSheetError, match="no recommendation yet"):
        export_sheet(ws, rv.id, tmp_path / "sheet.xlsx")
    assert not (tmp_path / "sheet.xlsx").exists()


# -- coming back ------------------------------------------------------------------------------


def test_a_filled_sheet_is_stored_with_who_sent_it_and_when(city, tmp_path):
    ws, rv, _ = city
    sheet = export_sheet(ws, rv.id, tmp_path / "sheet.xlsx")
    umask = os.umask(0)
    os.umask(umask)
    assert sheet.path.stat().st_mode & 0o777 == 0o666 & ~umask  # shared like the memo
    filled = _fill(sheet.path, tmp_path / "filled.xlsx", _answers(ws, rv))
    done = import_responses(ws, rv.id, filled, reviewer="Ben Example")
    assert done.sent_by == "Maria Santos, CPDO Iloilo" and done.sent_on == dt.date(2026, 2, 10)
    answers = load_responses(ws, rv.id)
    assert {k: a.response for k, a in answers.items()} == {
        "H1": "accepted",
        "C4": "accepted_in_part",
        "E1": "already_done",
    }
    h1 = answers["H1"]
    assert h1.planned_action == CITY_TEXT and h1.office == "CPDO"
    assert h1.target_date == dt.date(2026, 3, 31) and h1.recommendation_id == "v1-H1"
    assert h1.sent_by == "Maria Santos, CPDO Iloilo" and h1.imported_by == "Ben Example"
    assert h1.file == "filled.xlsx" and h1.sheet_id == sheet.sheet_id
    assert answers["E1"].comment == "Sources are in Annex B." and answers["E1"].target_date is None
    frame = responses_frame(ws, rv.id, "ja")
    assert list(frame["response"]) == ["受け入れる", "一部受け入れる", "対応済み"]


def test_the_sender_and_date_can_come_from_the_reviewer(city, tmp_path):
    ws, rv, _ = city
    sheet = export_sheet(ws, rv.id, tmp_path / "sheet.xlsx", lang="ja")
    filled = _fill(sheet.path, tmp_path / "f.xlsx", _answers(ws, rv, "ja"), who="", when=None)
    with pytest.raises(ResponseSheetError, match="nobody is named"):
        import_responses(ws, rv.id, filled)
    done = import_responses(ws, rv.id, filled, sent_by="CPDO Iloilo", received=dt.date(2026, 2, 12))
    assert done.sent_by == "CPDO Iloilo" and done.sent_on == dt.date(2026, 2, 12)
    assert load_responses(ws, rv.id)["H1"].response == "accepted"  # a Japanese label


def _records(ws, rv) -> list:
    return [(r.key, r.version) for r in ws.records(rv.id, RESPONSE_KIND)]


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_stored(city, tmp_path):
    ws, rv, _ = city
    sheet = export_sheet(ws, rv.id, tmp_path / "sheet.xlsx")
    answers = _answers(ws, rv)
    answers["v1-C4"] = ("maybe",)
    answers["v1-E1"] = ("already done", "", "", "next year")
    path = _fill(sheet.path, tmp_path / "bad.xlsx", answers)
    book = openpyxl.load_workbook(path)
    s = book.worksheets[0]
    s["D7"] = "Add a table."  # a locked cell edited
    s["G7"] = "=A1&B1"  # a formula
    s.insert_rows(10)  # a row added after the last one, with an invented id
    s["A10"], s["F10"] = "v1-Z9", "accepted"
    s["F11"] = "accepted"  # a row with no id
    book.save(path)
    before = _records(ws, rv)
    with pytest.raises(ResponseSheetError) as err:
        import_responses(ws, rv.id, path)
    text = str(err.value)
    expected = [
        r"row 7, column 'D \(Recommendation\)': a locked cell was changed",
        r"row 7, column 'G \(Planned action\)': a formula is not allowed",
        r"row 8, column 'F \(Response\)': not one of the responses \(found 'maybe'\); "
        r"allowed: accepted, accepted in part, not accepted, already done",
        r"row 9, column 'I \(Target date \(YYYY-MM-DD\)\)': the target date is not a date "
        r"\(found 'next year'\)",
        r"row 10, column 'A \(ID\)': unknown recommendation ID .*found 'v1-Z9'",
        r"row 11, column 'A \(ID\)': a row was added: it has no recommendation ID",
        r"nothing stored",
    ]
    for pattern in expected:
        assert re.search(pattern, text), pattern
    assert len(err.value.problems) == 6
    assert "sheet 'Responses'" in text and "bad.xlsx" in text
    assert _records(ws, rv) == before
    # Keeping the rows that are fine keeps none here: every row has a problem.
    done = import_responses(ws, rv.id, path, accept_valid=True)
    assert done.stored == () and len(done.skipped) == 6
    assert _records(ws, rv) == before


def test_accept_valid_stores_the_clean_rows_and_lists_a_deleted_one(city, tmp_path):
    ws, rv, _ = city
    sheet = export_sheet(ws, rv.id, tmp_path / "sheet.xlsx")
    answers = _answers(ws, rv)
    answers["v1-H1"] = ("accepted", "Follow-up table in the final VLR", "CPDO", "2026-04-30")
    answers["v1-E1"] = ("",)  # no response chosen
    path = _fill(sheet.path, tmp_path / "partial.xlsx", answers)
    book = openpyxl.load_workbook(path)
    s = book.worksheets[0]
    c4 = next(r for r in range(7, 10) if s.cell(row=r, column=1).value == "v1-C4")
    s.delete_rows(c4)  # the city deleted a row
    book.save(path)
    with pytest.raises(ResponseSheetError) as err:
        import_responses(ws, rv.id, path)
    text = str(err.value)
    assert "no response chosen" in text and "the row of recommendation v1-C4 is missing" in text
    assert "--accept-valid to store the 1 row(s)" in text
    done = import_responses(ws, rv.id, path, accept_valid=True)
    assert [a.criterion_id for a in done.stored] == ["H1"]
    assert done.stored[0].target_date == dt.date(2026, 4, 30)  # typed as text
    assert len(done.skipped) == 2


def test_a_sheet_of_another_review_or_not_a_sheet_at_all_is_refused(city, tmp_path):
    ws, rv, _ = city
    other = start_review(ws, "iloilo", "v2", reviewers=REVIEWERS, precheck_now=False).review
    rate(ws, other.id, "H1", "partly_met", pages="3", recommendation="Date each step.")
    theirs = export_sheet(ws, other.id, tmp_path / "other.xlsx")
    with pytest.raises(ResponseSheetError, match=f"belongs to review {other.id}.*--review"):
        import_responses(ws, rv.id, theirs.path)
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(ResponseSheetError, match="not a response sheet made by the workbench"):
        import_responses(ws, rv.id, plain)
    csv = tmp_path / "answers.xlsx"
    csv.write_text("id,response\nv1-H1,accepted\n", encoding="utf-8")
    with pytest.raises(ResponseSheetError, match=r"not an Excel workbook \(.xlsx\)"):
        import_responses(ws, rv.id, csv)
    mine = export_sheet(ws, rv.id, tmp_path / "mine.xlsx")
    book = openpyxl.load_workbook(mine.path)
    book.worksheets[0]["F6"] = "Answer"  # a heading renamed
    book.save(mine.path)
    with pytest.raises(ResponseSheetError, match="column headings were changed"):
        import_responses(ws, rv.id, mine.path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Accepted", "accepted"),
        (" accepted  in part ", "accepted_in_part"),
        ("一部受け入れる", "accepted_in_part"),
        ("Already-Done", "already_done"),
        ("対応済み", "already_done"),
        ("perhaps", None),
        ("", None),
    ],
)
def test_responses_are_read_in_either_language(value, expected):
    assert parse_response(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 3, 31, 0, 0), dt.date(2026, 3, 31)),
        ("2026-03-31", dt.date(2026, 3, 31)),
        ("2026/3/31", dt.date(2026, 3, 31)),
        ("2026年3月31日", dt.date(2026, 3, 31)),
        (46112, dt.date(2026, 3, 31)),
        (None, None),
    ],
)
def test_dates_are_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["next year", "31/03/2026", "2026-02-30", 12, True])
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


# -- the next draft ------------------------------------------------------------------------


def _text_of(path: Path) -> str:
    from html import unescape

    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        return unescape(re.sub(r"<[^>]+>", "", xml))
    if path.suffix == ".pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        try:
            text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        finally:
            pdf.close()
        return " ".join(text.split())
    if path.suffix == ".html":
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", path.read_text("utf-8"))).split())
    return path.read_text(encoding="utf-8")


def test_the_next_drafts_memo_shows_what_the_city_said_in_every_format(tmp_path):
    """The whole loop: memo and sheet to the city, the filled sheet back, draft v2 reviewed."""
    ws = open_workspace(tmp_path / "ws", reviewer=REVIEWERS[0])
    add_city(ws, "iloilo", "Iloilo City", country="Philippines", hlpf_year=2026)
    for version, extra in (("v1", ""), ("v2", " A follow-up table names each office.")):
        path = _draft(tmp_path / f"{version}.docx", "Clean water", "Water for all." + extra)
        add_draft(ws, "iloilo", path, version=version)
    v1 = start_review(ws, "iloilo", "v1", reviewers=REVIEWERS, precheck_now=False).review
    rate(ws, v1.id, "H1", "not_met", pages="3", recommendation="Add a follow-up table.",
         priority="high")  # fmt: skip
    rate(ws, v1.id, "C4", "partly_met", pages="2", recommendation="Disaggregate by sex.")
    # The memo goes to the city with its sheet (vlr memo writes both).
    assert main(["memo", "--review", v1.id, "--workspace", str(tmp_path / "ws"), "--lang",
                 "en", "--format", "md", "--out", str(tmp_path / "out")]) == 0  # fmt: skip
    sheet = tmp_path / "out" / "iloilo" / "iloilo-v1-response-sheet-en.xlsx"
    v1_md = (tmp_path / "out" / "iloilo" / "iloilo-v1-review-memo-en.md").read_text("utf-8")
    assert "iloilo-v1-response-sheet-en.xlsx" in v1_md
    before = build_memo(ws, v1.id, "en").cover.facts.items
    filled = _fill(sheet, tmp_path / "returned.xlsx", {
        "v1-H1": ("accepted", CITY_TEXT, "CPDO", dt.date(2026, 3, 31)),
        "v1-C4": ("not accepted", "", "", None, "No sex-disaggregated source yet."),
    })  # fmt: skip
    assert main(["recommendations", "import", str(filled), "--review", v1.id,
                 "--workspace", str(tmp_path / "ws"), "--reviewer", "Ben Example"]) == 0  # fmt: skip
    # The city's answer does not change when the reviewers last worked on the review.
    assert build_memo(ws, v1.id, "en").cover.facts.items == before
    # Draft v2 arrives: the recommendations are carried over and checked against it.
    v2 = start_review(ws, "iloilo", "v2", reviewers=REVIEWERS, precheck_now=False).review
    carry_over(ws, v1.id, v2.id)
    mark_addressed(ws, v2.id, "H1", "addressed", pages="3", note="Table on p. 3.")
    frame = carryover_frame(ws, v2.id)
    h1 = frame[frame["criterion_id"] == "H1"].iloc[0]
    assert (h1.city_response, h1.planned_action, h1.target_date) == (
        "accepted",
        CITY_TEXT,
        "2026-03-31",
    )
    assert h1.status == "addressed"
    for lang, phrases in (
        ("en", ["accepted, due 31 March 2026 — addressed on p. 3",
                "not accepted — not yet checked in this draft",
                "Maria Santos, CPDO Iloilo", "City's response"]),
        ("ja", ["H1：受け入れる（期限：2026年3月31日） — v2では対応済み（3ページ）",
                "受け入れない", "市の回答"]),
    ):  # fmt: skip
        memo = build_memo(ws, v2.id, lang)
        files = render_memo(memo, ("html", "pdf", "docx", "md"), tmp_path / "v2" / lang)
        for result in files:
            text = _text_of(result.path)
            for phrase in phrases:
                assert phrase in text, (result.path.name, phrase)
            # What the city typed shows as typed, never as markup.
            if result.format != "md":  # (a PDF may wrap the line inside it)
                assert "<script>alert(1)</script>" in "".join(text.split()), result.path.name
            if result.format == "html":
                assert "<script" not in result.path.read_text("utf-8"), result.path.name
    md = (tmp_path / "v2" / "en" / "iloilo-v2-review-memo-en.md").read_text("utf-8")
    assert r"\<script\>alert(1)\</script\> \*\*now\*\* \| soon" in md
    ws.close()


def test_cli_export_list_and_one_line_errors(city, tmp_path, capsys):
    ws, rv, folder = city
    location = str(folder / "ws")
    out = tmp_path / "sheet-ja.xlsx"
    assert main(["recommendations", "export", "--review", rv.id, str(out), "--lang", "ja",
                 "--workspace", location]) == 0  # fmt: skip
    assert "recommendations of review" in capsys.readouterr().out and out.is_file()
    assert main(["recommendations", "list", "--review", rv.id, "--workspace", location]) == 0
    listed = capsys.readouterr().out
    assert "v1-H1" in listed and "answered by the city" in listed
    broken = tmp_path / "broken.xlsx"
    shutil.copy(out, broken)
    book = openpyxl.load_workbook(broken)
    book.worksheets[0]["F7"] = "peut-être"
    book.worksheets[0]["D3"] = "CPDO"
    book.save(broken)
    code = main(["recommendations", "import", str(broken), "--review", rv.id,
                 "--workspace", location])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: broken.xlsx: nothing stored")
    assert "row 7, column 'F (回答)'" in err and "Traceback" not in err
    code = main(["recommendations", "import", str(broken), "--review", rv.id, "--received",
                 "soon", "--workspace", location])  # fmt: skip
    assert code == 2 and "--received 'soon' is not a date" in capsys.readouterr().err


def test_recommendation_rows_follow_the_memo_order(city):
    ws, rv, _ = city
    rows = recommendation_rows(ws, rv.id)
    assert [r.criterion_id for r in rows] == ["H1", "C4", "E1"]  # high, medium, low
    assert [r.id for r in rows] == ["v1-H1", "v1-C4", "v1-E1"]


def test_reviewer_text_that_looks_like_a_formula_stays_text_both_ways(tmp_path):
    ws = open_workspace(tmp_path / "ws", reviewer="A")
    add_city(ws, "iloilo", "Iloilo City")
    add_draft(ws, "iloilo", _draft(tmp_path / "d.docx", "Water", "Water for all."), version="v1")
    rv = start_review(ws, "iloilo", "v1", map_now=False, precheck_now=False).review
    tricky = '=HYPERLINK("http://x") is what the table shows\x07 today'
    rate(ws, rv.id, "H1", "not_met", pages="1", recommendation=tricky)
    sheet = export_sheet(ws, rv.id, tmp_path / "s.xlsx")
    cell = openpyxl.load_workbook(sheet.path).worksheets[0]["D7"]
    assert cell.data_type == "s" and cell.value == tricky.replace("\x07", "")
    filled = _fill(sheet.path, tmp_path / "f.xlsx", {"v1-H1": ("accepted",)})
    assert [a.criterion_id for a in import_responses(ws, rv.id, filled).stored] == ["H1"]


@pytest.mark.slow
def test_the_sheet_opens_in_libreoffice_calc(city, tmp_path):
    """A real spreadsheet program reads the sheet: LibreOffice Calc prints it to PDF."""
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing: run ./scripts/setup (libreoffice-calc-nogui)")
    ws, rv, _ = city
    sheet = export_sheet(ws, rv.id, tmp_path / "iloilo-response-ja.xlsx", lang="ja")
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(sheet.path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(tmp_path / "iloilo-response-ja.pdf"))
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    pdf.close()
    assert "v1-H1" in text and "Add a follow-up table." in text
    assert "レビュー・メモへの回答" in text and "この表の記入方法" in text  # both sheets print
