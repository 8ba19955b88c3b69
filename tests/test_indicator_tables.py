"""Indicator tables as cities keep them: layouts, draft annex tables, bad input, template."""

from __future__ import annotations

from pathlib import Path

import pytest

from vlr_tools.errors import DataFileError
from vlr_tools.indicators import (
    align_indicators,
    indicator_gaps,
    load_indicators,
    read_draft_tables,
    read_indicator_file,
)
from vlr_tools.indicators.cells import parse_value

# Six illustrative indicators: (id, name, definition, unit, goal, code, baseline, latest, target, source)
DATA = [
    ("T-01", "Households with piped water", "Share of households with a piped connection",
     "% of households", 6, "6.1.1", (2018, 71.2), (2022, 78.9), 95, "CBMS"),
    ("T-02", "Barangays with septage desludging", "Barangays covered by scheduled desludging",
     "barangays", 6, "", (2019, 12), (2024, 27), 59, ""),
    ("T-03", "Municipal solid waste collected", "Share of solid waste collected and managed",
     "% of waste", 11, "11.6.1", (2018, 72), (2023, 88), 100, "City ENRO"),
    ("T-04", "Annual mean PM2.5", "Annual mean concentration of fine particulate matter",
     "µg/m³", 11, "11.6.2", None, (2023, 24), 15, "DENR-EMB"),
    ("T-05", "Persons affected by floods", "Persons affected by floods per 100,000",
     "per 100,000 population", 11, "11.5.1", (2019, 3150), (2023, 2480), None, "CDRRMO"),
    ("T-06", "Trees planted", "Trees planted by the city each year", "trees per year", 13, "",
     (2019, 12000), (2023, 20500), None, "City ENRO"),
]  # fmt: skip
GOAL_TITLES = {6: "GOAL 6: CLEAN WATER AND SANITATION", 11: "GOAL 11: SUSTAINABLE CITIES AND "
               "COMMUNITIES", 13: "GOAL 13: CLIMATE ACTION"}  # fmt: skip
YEARS = list(range(2018, 2025))


def _xlsx(
    path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def _long_rows(headers=None) -> list[list[object]]:
    head = headers or ["ID", "Local indicator", "Definition", "Unit", "SDG goal",
                       "Global indicator code", "Baseline year", "Baseline value", "Latest year",
                       "Latest value", "2030 target", "Data source"]  # fmt: skip
    rows: list[list[object]] = [head]
    for i, name, definition, unit, goal, code, base, last, target, source in DATA:
        rows.append([i, name, definition, unit, goal, code or None, base[0] if base else None,
                     base[1] if base else None, last[0], last[1], target, source or None])  # fmt: skip
    return rows


def _wide_rows() -> list[list[object]]:
    rows: list[list[object]] = [
        ["City of Example: indicators by year (illustrative)"],
        [],
        ["ID", "Indicator", "Definition", "Unit", "SDG", "SDG indicator", *YEARS, "Target 2030",
         "Source"],
    ]  # fmt: skip
    for i, name, definition, unit, goal, code, base, last, target, source in DATA:
        values: list[object] = ["n/a"] * len(YEARS)
        if base:
            values[YEARS.index(base[0])] = base[1]
        values[YEARS.index(last[0])] = last[1]
        rows.append([i, name, definition, unit, goal, f"SDG {code}" if code else "—", *values,
                     target, source or "—"])  # fmt: skip
    rows += [[], ["Source: city offices. n/a: no data."]]
    return rows


def _two_row_header() -> tuple[list[list[object]], list[str]]:
    rows: list[list[object]] = [
        ["ID", "Local indicator", "Definition", "Unit", "SDG goal", "Global code", "Baseline",
         None, "Latest", None, "2030 target", "Data source"],
        [None, None, None, None, None, None, "Year", "Value", "Year", "Value", None, None],
    ]  # fmt: skip
    for row in _long_rows()[1:]:
        rows.append(row)
    return rows, ["G1:H1", "I1:J1", "A1:A2", "B1:B2"]


def _sections() -> list[list[object]]:
    rows: list[list[object]] = [["No.", "Indicator", "Definition", "Unit", "Global indicator",
                                 "Baseline year", "Baseline", "Latest year", "Latest", "Target",
                                 "Source"]]  # fmt: skip
    goal = None
    for i, name, definition, unit, g, code, base, last, target, source in DATA:
        if g != goal:
            rows.append([GOAL_TITLES[g]])
            goal = g
        rows.append([i, name, definition, unit, code or None, base[0] if base else None,
                     f"{base[1]:,}" if base else "—", last[0], last[1], target, source or None])  # fmt: skip
    return rows


def _several_tables() -> list[list[object]]:
    rows: list[list[object]] = [["LOCAL SDG INDICATORS (illustrative)"]]
    for goal in (6, 11, 13):
        rows += [[], [GOAL_TITLES[goal]]]
        head, *body = _long_rows()
        rows.append(head)
        rows += [r for r in body if r[4] == goal]
        rows.append(["Note: values are illustrative."])
    return rows


def _filipino() -> list[list[object]]:
    head = ["Blg.", "Indikador", "Kahulugan", "Yunit", "Layunin", "Kodigo ng SDG",
            "Taon ng batayan", "Batayang halaga", "Pinakabagong taon", "Pinakabagong halaga",
            "Target sa 2030", "Pinagmulan ng datos"]  # fmt: skip
    return _long_rows(head)


def _layouts(tmp_path: Path) -> dict[str, Path]:
    two, merges = _two_row_header()
    return {
        "long": _xlsx(tmp_path / "long.xlsx", {"Indicators": _long_rows()}),
        "wide": _xlsx(tmp_path / "wide.xlsx", {"By year": _wide_rows()}),
        "two-row header": _xlsx(tmp_path / "two.xlsx", {"Data": two}, {"Data": merges}),
        "sections": _xlsx(tmp_path / "sections.xlsx", {"Data": _sections()}),
        "several tables": _xlsx(tmp_path / "several.xlsx", {"Data": _several_tables()}),
        "filipino": _xlsx(tmp_path / "fil.xlsx", {"Mga panukat": _filipino()}),
        "sheet per goal": _xlsx(
            tmp_path / "per-goal.xlsx",
            {
                f"SDG {g}": [_long_rows()[0], *[r for r in _long_rows()[1:] if r[4] == g]]
                for g in (6, 11, 13)
            },
        ),
    }


def _analysis(table):
    gaps = (
        indicator_gaps(table).drop(columns="row").sort_values(["id", "gap"]).reset_index(drop=True)
    )
    align = align_indicators(table, use_vocabulary=False).sort_values("id").reset_index(drop=True)
    values = sorted(
        (i.id, i.goal, i.global_codes, i.baseline_year, i.baseline_value, i.latest_year,
         i.latest_value, i.target_2030, i.source, i.unit)
        for i in table
    )  # fmt: skip
    return gaps, align, values


@pytest.mark.parametrize(
    "layout",
    ["wide", "two-row header", "sections", "several tables", "filipino", "sheet per goal"],
)
def test_every_layout_gives_the_same_analysis_as_our_own(tmp_path, layout):
    files = _layouts(tmp_path)
    reference = _analysis(load_indicators(files["long"]))
    reading = read_indicator_file(files[layout])
    assert reading.problems == [], reading.lines()
    gaps, align, values = _analysis(reading.table())
    assert values == reference[2]
    assert gaps.equals(reference[0])
    assert align.equals(reference[1])


def test_wide_layout_report_says_how_years_and_choices_were_read(tmp_path):
    reading = read_indicator_file(_layouts(tmp_path)["wide"])
    text = "\n".join(reading.lines(details=True))
    assert reading.layout == "wide"
    assert "column G '2018' -> year 2018: 2 value(s), 4 blank or no data" in text
    assert "column I '2020' -> year 2020: 0 value(s), 6 blank or no data" in text
    assert "Baseline = the earliest year with a value" in text
    assert "T-04: baseline none, latest 24 (2023) (1 year(s) with data)" in text
    assert (
        "skipped sheet 'By year', row 11: a note row: 'Source: city offices. n/a: no data.'" in text
    )
    assert "column F 'SDG indicator' -> Global indicator code (heading)" in text
    ja = "\n".join(reading.lines("ja"))
    assert "年ごとに1列" in ja and "基準値＝値のある最も古い年" in ja
    piped = reading.table().get("T-01")
    assert [(o.year, o.value, o.role) for o in piped.series if o.value is not None] == [
        (2018, 71.2, "baseline"),
        (2022, 78.9, "latest"),
    ]
    assert all(o.text == "n/a" for o in piped.series if o.value is None)


def test_sections_report_names_the_goal_rows(tmp_path):
    reading = read_indicator_file(_layouts(tmp_path)["sections"])
    text = "\n".join(reading.lines())
    assert "row 2: 'GOAL 6: CLEAN WATER AND SANITATION' -> goal 6 for the rows below" in text
    assert reading.table().get("T-02").goal == 6  # a proxy: the goal came from the section row


@pytest.mark.parametrize(
    ("cell", "number", "unit", "flag", "year"),
    [
        ("45.2%", 45.2, "%", "", None),
        ("1,234", 1234.0, "", "", None),
        ("₱ 2.3M", 2_300_000.0, "₱", "", None),
        ("12.5*", 12.5, "", "*", None),
        ("12.5 (p)", 12.5, "", "p", None),
        ("84 (2018)", 84.0, "", "", 2018),
        ("1.2万人", 12_000.0, "人", "", None),
        ("0.5 µg/m³", 0.5, "µg/m³", "", None),
        ("—", None, "", "", None),
        ("n/a", None, "", "", None),
    ],
)
def test_values_with_units_and_marks_keep_their_text(cell, number, unit, flag, year):
    value = parse_value(cell)
    assert (value.number, value.unit, value.flag, value.year, value.problem) == (
        number,
        unit,
        flag,
        year,
        "",
    )
    assert value.text == cell


def test_every_problem_at_once_with_where_and_what_is_allowed(tmp_path):
    rows = _wide_rows()
    rows[2][9] = "20l9"  # a year heading that is not a year
    rows[3][7] = "about 80"  # a value that is not a number
    rows[4][5] = "SDG 11.6.9"  # no such indicator
    path = _xlsx(tmp_path / "bad.xlsx", {"By year": rows})
    reading = read_indicator_file(path)
    where = {(p.row, p.column) for p in reading.problems}
    assert where == {(3, "20l9"), (4, "2019"), (5, "SDG indicator")}
    text = "\n".join(str(p) for p in reading.problems)
    assert "stands among the year columns but its heading is not a year" in text
    assert "'about 80'" in text and "n/a, —" in text
    assert "closest: 11.6.1, 11.6.2" in text
    with pytest.raises(DataFileError):
        reading.table()


def test_two_different_tables_ask_which_and_table_n_chooses(tmp_path):
    wide = _wide_rows()[2:]
    path = _xlsx(tmp_path / "two.xlsx", {"Long": _long_rows(), "Wide": wide})
    reading = read_indicator_file(path)
    assert len(reading.problems) == 1
    assert "more than one table looks like the indicator table" in reading.problems[0].message
    assert "--table N" in str(reading.problems[0])
    chosen = read_indicator_file(path, table=2)
    assert chosen.problems == [] and chosen.layout == "wide"
    assert len(chosen.table()) == len(DATA)


def test_columns_mapping_corrects_headings_and_is_reported(tmp_path):
    rows = _long_rows()
    rows[0][1] = "What we measure"
    rows[0][5] = "UN ref"
    path = _xlsx(tmp_path / "odd.xlsx", {"Indicators": rows})
    assert "no indicator table found" in str(read_indicator_file(path).problems[0])
    mapping = {"Local indicator": "What we measure", "Global indicator code": "UN ref"}
    reading = read_indicator_file(path, columns=mapping)
    assert reading.problems == []
    text = "\n".join(reading.lines())
    assert "column B 'What we measure' -> Local indicator (your mapping)" in text
    assert reading.mapping["Global indicator code"] == "UN ref"
    bad = read_indicator_file(path, columns={"Colour": "UN ref"})
    assert "unknown field 'Colour'" in str(bad.problems[0]) and "Local indicator" in str(
        bad.problems[0]
    )


def test_saved_mapping_reads_the_citys_next_table(workspace, tmp_path):
    from vlr_tools.intake import import_indicators

    rows = _long_rows()
    rows[0][1] = "What we measure"
    path = _xlsx(tmp_path / "v1.xlsx", {"Indicators": rows})
    first = workspace.create_review(city="baguio", version="v1")
    with pytest.raises(DataFileError):
        import_indicators(workspace, first.id, path)  # nothing stored
    done = import_indicators(
        workspace, first.id, path, columns={"name": "What we measure"}, save_mapping=True
    )
    assert done.rows == len(DATA) and done.mapping_saved
    second = workspace.create_review(city="baguio", version="v2")
    again = import_indicators(workspace, second.id, path)
    assert again.rows == len(DATA)
    assert again.reading.saved_from == first.id
    assert f"Used the column mapping saved in review {first.id}." in again.reading.lines()
    column = again.reading.used_tables[0].columns[1]
    assert (column.heading, column.how) == ("What we measure", "saved mapping")
    # A heading the reader knows anyway is read by its heading, saved or not.
    assert again.reading.used_tables[0].columns[0].how == "heading"


def test_wrong_files_are_refused_with_one_clear_message(tmp_path, monkeypatch):
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(DataFileError, match="password-protected"):
        read_indicator_file(locked)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(DataFileError, match="not a readable Excel workbook"):
        read_indicator_file(broken)
    big = tmp_path / "big.csv"
    monkeypatch.setenv("VLR_MAX_INDICATOR_ROWS", "20000")
    lines = ["ID,Local indicator,SDG goal,Baseline value,Latest value"]
    lines += [f"X-{n},Indicator {n},11,{n},{n + 1}" for n in range(100_000)]
    big.write_text("\n".join(lines), encoding="utf-8")
    reading = read_indicator_file(big)
    assert "20,000 rows were read and the rest was not" in str(reading.problems[0])
    assert reading.indicators == ()


def test_word_annex_tables_with_goal_headings_and_pages(tmp_path):
    import docx
    from docx.enum.text import WD_BREAK

    doc = docx.Document()
    doc.add_heading("4. Progress", 1)
    doc.add_paragraph("Text of the chapter.").runs[0].add_break(WD_BREAK.PAGE)
    doc.add_heading("Annex A. Local indicators", 1)
    head = ["ID", "Indicator", "Definition", "Unit", "Global code", "Baseline", "Latest",
            "2030 target", "Source"]  # fmt: skip
    for goal in (6, 11, 13):
        doc.add_paragraph(f"SDG {goal}")
        rows = [r for r in DATA if r[4] == goal]
        table = doc.add_table(rows=len(rows) + 1, cols=len(head))
        for k, text in enumerate(head):
            table.cell(0, k).text = text
        for n, (i, name, definition, unit, _g, code, base, last, target, source) in enumerate(
            rows, 1
        ):
            cells = [i, name, definition, unit, code or "—",
                     f"{base[1]:,} ({base[0]})" if base else "—", f"{last[1]:,} ({last[0]})",
                     "—" if target is None else str(target), source or "—"]  # fmt: skip
            for k, text in enumerate(cells):
                table.cell(n, k).text = str(text)
    path = tmp_path / "draft.docx"
    doc.save(path)
    reading = read_draft_tables(path, "docx", [2], shown="draft.docx")
    assert reading.problems == [], reading.lines()
    assert (
        _analysis(reading.table())[2] == _analysis(load_indicators(_layouts(tmp_path)["long"]))[2]
    )
    flood = reading.table().get("T-05")
    assert (flood.page, flood.table, flood.row) == (2, 2, 4)
    assert flood.where == "page 2, table 2, row 4"
    assert (
        read_draft_tables(path, "docx", [1], shown="draft.docx")
        .problems[0]
        .message.startswith("no table found on pages 1")
    )


def test_a_sample_annex_extracted_from_the_pdf_gives_the_spreadsheets_values(
    workspace, sample_review
):
    from vlr_tools.cities import load_city
    from vlr_tools.intake import import_indicators
    from vlr_tools.review import open_review

    rv = sample_review("santa-rosa", "v1")
    done = import_indicators(workspace, rv.id, pages="26-28")
    extracted = open_review(workspace, rv.id).indicators
    sheet = load_indicators(load_city("santa-rosa").indicators_path)
    assert done.rows == len(sheet) == len(extracted)
    fields = ("goal", "global_codes", "baseline_year", "baseline_value", "latest_year",
              "latest_value", "target_2030")  # fmt: skip
    # The annex differs from the sheet only where the answer key plants it (SR-F06:
    # the adolescent birth rate is 29 for 2023 in Annex A, 27 in the sheet).
    from vlr_tools.cities import load_claim_key

    planted = {k.indicator for k in load_claim_key("santa-rosa") if 26 in k.pages}
    assert planted == {"SR-IND-06"}
    for ind in sheet:
        got = extracted.get(ind.id)
        assert got is not None and got.page in (26, 27, 28)
        if ind.id in planted:
            assert (got.latest_year, got.latest_value, ind.latest_value) == (2023, 29.0, 27.0)
            continue
        assert [getattr(got, f) for f in fields] == [getattr(ind, f) for f in fields], ind.id
    # What differs is the annex's wording: it writes "per 100,000", the sheet "per 100000".
    assert extracted.get("SR-IND-01").unit == "per 100,000 live births"
    first = extracted.get("SR-IND-01").series[0]
    assert (first.text, first.year, first.value, first.role) == (
        "84 (2018)",
        2018,
        84.0,
        "baseline",
    )


def test_cli_import_check_prints_what_was_understood_and_stores_nothing(tmp_path, capsys):
    from vlr_tools.cli import main
    from vlr_tools.review import open_review
    from vlr_tools.workspace import open_workspace

    where = str(tmp_path / "ws")
    with open_workspace(where, reviewer="T") as ws:
        rid = ws.create_review(city="baguio", version="v1").id
    path = _layouts(tmp_path)["sections"]
    assert (
        main(["indicators", "import", str(path), "--review", rid, "--workspace", where, "--check"])
        == 0
    )
    out = capsys.readouterr().out
    assert "What I understood of sections.xlsx" in out and "--check: nothing stored" in out
    with open_workspace(where) as ws:
        assert open_review(ws, rid).indicators is None
    args = ["--workspace", where, "--reviewer", "T"]
    assert main(["indicators", "import", str(path), "--review", rid, *args, "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    assert "の読み取り結果" in out and f"stored {len(DATA)} indicators" in out
    bad = _xlsx(tmp_path / "bad.xlsx", {"I": [_long_rows()[0], ["X", "Thing", "", "", 18]]})
    assert main(["indicators", "import", str(bad), "--review", rid, *args]) == 2
    assert "nothing was stored" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["en", "ja", "fil"])
def test_template_reads_back_as_the_reviews_table(tmp_path, workspace, lang):
    import openpyxl

    from vlr_tools.indicators.template import write_indicator_template

    table = load_indicators(_layouts(tmp_path)["long"])
    out = write_indicator_template(
        tmp_path / f"t-{lang}.xlsx", lang=lang, table=table, city="Baguio"
    )
    wb = openpyxl.load_workbook(out)
    sheet = wb.worksheets[1]
    assert wb.worksheets[0]["A1"].value  # instructions first
    assert sheet["B2"].comment is not None
    assert len(sheet.data_validations.dataValidation) == 3
    # Printable: landscape, one page wide, headings repeated; instructions wrapped.
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$2"
    assert wb.worksheets[0]["A2"].alignment.wrap_text
    back = read_indicator_file(out)
    assert back.problems == [], back.lines()
    assert _analysis(back.table())[2] == _analysis(table)[2]


@pytest.mark.parametrize("lang", ["en", "ja", "fil"])
def test_consultation_template_reads_back(tmp_path, lang):
    import datetime as dt

    import openpyxl

    from vlr_tools.cli import main
    from vlr_tools.consultations import read_consultation_log

    out = tmp_path / f"log-{lang}.xlsx"
    assert main(["consultations", "template", str(out), "--lang", lang]) == 0
    wb = openpyxl.load_workbook(out)
    sheet = wb.worksheets[1]
    assert sheet["A2"].comment is not None and len(sheet.data_validations.dataValidation) == 4
    level = {"en": "Consult", "ja": "協議", "fil": "Consult"}[lang]
    yes = {"en": "Yes", "ja": "はい", "fil": "Oo"}[lang]
    row = ["C-01", dt.date(2025, 3, 4), "Barangay workshop", "City Hall", "Workshop", "CPDO",
           "Women; Youth", 10, 12, 5, 3, yes, yes, "Filipino", "SDG 6", "Water", "Chapter 4",
           level, "Written consent", "minutes.pdf"]  # fmt: skip
    sheet.append(row)
    wb.save(out)
    result = read_consultation_log(out)
    assert result.ok, result.problems
    assert len(result.consultations) == 1 and result.consultations[0].iap2 == "consult"


def _no_id_rows(order=(1, 2)) -> list[list[object]]:
    """A wide table without an ID column: the same name under two goals, long similar names."""
    blocks = {
        1: [["GOAL 1: NO POVERTY"],
            ["Number of beneficiaries", "persons", 1200, "n/a", 1500],
            ["Proportion of families below the poverty threshold in urban barangays", "%",
             18.2, 16.0, 14.1]],
        2: [["GOAL 2: ZERO HUNGER"],
            ["Number of beneficiaries", "persons", "n/a", "n/a", 800],
            ["Proportion of families below the poverty threshold in upland barangays", "%",
             25.0, "—", 21.3]],
    }  # fmt: skip
    rows: list[list[object]] = [["Indicator", "Unit", 2019, 2021, 2023]]
    for goal in order:
        rows += blocks[goal]
    return rows


def test_ids_made_from_goal_and_name_stay_the_same_when_rows_move(tmp_path, workspace):
    from vlr_tools.intake import import_indicators

    first = read_indicator_file(_xlsx(tmp_path / "a.xlsx", {"Data": _no_id_rows()}))
    assert first.problems == [] and first.ids_made
    ids = {(i.goal, i.name): i.id for i in first.indicators}
    assert ids[(1, "Number of beneficiaries")] == "sdg1-number-of-beneficiaries"
    assert ids[(2, "Number of beneficiaries")] == "sdg2-number-of-beneficiaries"
    long_ids = [v for (_g, name), v in ids.items() if "threshold" in name]
    assert len(set(long_ids)) == 2 and all(len(v) <= 45 for v in long_ids)
    moved = read_indicator_file(_xlsx(tmp_path / "b.xlsx", {"Data": _no_id_rows((2, 1))}))
    assert {(i.goal, i.name): i.id for i in moved.indicators} == ids
    text = "\n".join(first.lines())
    assert "No ID column: each indicator's ID is made from its goal and name" in text
    assert (
        "1 indicator(s) have a value in one year only: that value is their latest value, they "
        "have no baseline" in text
    )
    assert "sdg2-number-of-beneficiaries" in text.split("one year only")[1]
    assert "値が1年分しかない指標 1 件" in "\n".join(first.lines("ja"))
    # A re-import of the moved rows updates the same four indicators (their row moved):
    # nothing is removed and added again.
    review = workspace.create_review(city="baguio", version="v1")
    import_indicators(workspace, review.id, tmp_path / "a.xlsx")
    again = import_indicators(workspace, review.id, tmp_path / "b.xlsx")
    assert (again.created, again.removed, again.updated) == (0, 0, 4)


def test_same_goal_and_name_twice_is_told_apart_by_order_with_a_warning(tmp_path):
    rows = _no_id_rows()
    rows.insert(3, ["Number of beneficiaries", "persons", 10, 20, 30])
    reading = read_indicator_file(_xlsx(tmp_path / "twice.xlsx", {"Data": rows}))
    assert reading.problems == []
    ids = [i.id for i in reading.indicators if i.goal == 1 and "beneficiaries" in i.name]
    assert ids == ["sdg1-number-of-beneficiaries", "sdg1-number-of-beneficiaries-2"]
    (warning,) = reading.warnings
    assert "the same goal and indicator name 'Number of beneficiaries'" in str(warning)
    assert "an ID column" in str(warning)


def test_a_heading_of_several_goals_leaves_the_goal_to_each_row(tmp_path):
    from vlr_tools.framework import get_framework
    from vlr_tools.indicators.cells import goal_heading

    fw = get_framework()
    assert [goal_heading(text, fw) for text in ("SDG 6 at SDG 11", "Goals 6 and 11", "SDG 6, 11",
            "目標6と目標11", "SDG 6: Clean water (see also SDG 3)", "Layunin 3")] == [
        None, None, None, None, 6, 3]  # fmt: skip
    rows = [
        ["SDG 6 at SDG 11"],
        ["ID", "Indicator", "Global code", "Baseline", "Latest"],
        ["A-1", "Households with piped water", "6.1.1", "71 (2018)", "79 (2022)"],
        ["A-2", "Solid waste collected", "11.6.1", "72 (2018)", "88 (2023)"],
        ["GOAL 6: CLEAN WATER AND SANITATION"],
        ["A-3", "Persons affected by floods", "11.5.1", "3150 (2019)", "2480 (2023)"],
    ]
    reading = read_indicator_file(_xlsx(tmp_path / "goals.xlsx", {"Annex": rows}))
    assert reading.problems == []
    assert [(i.id, i.goal) for i in reading.indicators] == [("A-1", 6), ("A-2", 11), ("A-3", 6)]
    (warning,) = reading.warnings
    assert (warning.row, warning.value) == (6, "11.5.1")
    assert "stands under goal 6" in warning.message and "under goal 11" in warning.message
