"""Local indicators: reading the sheet, reporting every bad cell, data gaps, alignment."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vlr_tools.cities import load_city, load_review_key
from vlr_tools.errors import DataFileError, VlrError
from vlr_tools.indicators import (
    COLUMNS,
    GAP_KINDS,
    LocalIndicator,
    align_indicators,
    gap_kinds,
    indicator_gaps,
    load_indicators,
)

CITIES = ("santa-rosa", "san-fernando")


# ---------------------------------------------------------------- helpers


def _write_xlsx(path: Path, rows: list[list[object]], *, sheet: str = "Indicators") -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _row(**values: object) -> list[object]:
    base: dict[str, object] = {
        "ID": "T-01",
        "Local indicator": "Road traffic deaths",
        "Definition": "Deaths due to road traffic injuries per 100000 population",
        "Unit": "per 100000 population",
        "SDG goal": 3,
        "Global indicator code": "3.6.1",
        "Baseline year": 2019,
        "Baseline value": 6.8,
        "Latest year": 2023,
        "Latest value": 7.4,
        "2030 target": 4,
        "Data source": "City Traffic Management Office",
        "Disaggregation": "Sex",
        "Notes": "",
    }
    base.update(values)
    return [base[c] for c in COLUMNS]


def _key_ids(city: str, kind: str) -> set[str]:
    ids: set[str] = set()
    for weakness in load_review_key(city):
        if weakness.kind == kind:
            ids |= set(weakness.detail.get("indicators", []))
    return ids


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("slug", CITIES)
def test_sample_workbooks_load_with_typed_values(slug):
    city = load_city(slug)
    table = load_indicators(city.indicators_path)
    assert table.sheet == "Indicators"
    assert len(table) > 30
    ids = [i.id for i in table]
    assert len(ids) == len(set(ids))
    for ind in table:
        assert ind.goal is not None and 1 <= ind.goal <= 17
        assert ind.proxy == (not ind.global_codes)
        for year in (ind.baseline_year, ind.latest_year):
            assert year is None or 2000 <= year <= 2030
    frame = table.to_frame()
    assert list(frame["id"]) == ids
    assert str(frame["baseline_year"].dtype) == "Int64"
    assert frame["proxy"].sum() == sum(1 for i in table if i.proxy)


def test_santa_rosa_values_read_as_the_city_wrote_them():
    table = load_indicators(load_city("santa-rosa").indicators_path)
    piped = table.get("SR-IND-12")
    assert piped is not None
    assert piped.global_code == "6.1.1" and piped.goal == 6
    assert piped.baseline_year is None and piped.baseline_value == 78.0
    assert piped.latest_year == 2023 and piped.latest_value == 86.0
    assert piped.disaggregation == ("Barangay",)
    tb = table.get("SR-IND-05")
    assert tb is not None and tb.source == "" and tb.disaggregation == ()
    assert table.get("SR-IND-08").proxy  # type: ignore[union-attr]
    assert {i.id for i in table.for_goal(5)} == {"SR-IND-09", "SR-IND-10", "SR-IND-11"}
    assert [i.id for i in table.for_target("11.6")] == ["SR-IND-25", "SR-IND-26"]


@pytest.mark.parametrize("slug", CITIES)
def test_csv_source_reads_the_same_as_the_workbook(slug):
    city = load_city(slug)
    from_xlsx = load_indicators(city.indicators_path).to_frame().drop(columns="row")
    from_csv = (
        load_indicators(city.folder / "sources" / "indicators.csv").to_frame().drop(columns="row")
    )
    assert from_csv.equals(from_xlsx)


def test_header_may_follow_title_rows_and_columns_are_matched_loosely(tmp_path):
    rows: list[list[object]] = [
        ["City of Example: local SDG indicators (illustrative)"],
        [],
        ["  id ", "LOCAL INDICATOR", *COLUMNS[2:5], "global  indicator code", *COLUMNS[6:]],
        _row(),
        [],
        ["Values are illustrative sample data."],
    ]
    table = load_indicators(_write_xlsx(tmp_path / "t.xlsx", rows))
    assert table.header_row == 3
    assert [i.id for i in table] == ["T-01"]
    assert table.indicators[0].row == 4


def test_single_sheet_with_another_name_is_used(tmp_path):
    path = _write_xlsx(tmp_path / "t.xlsx", [list(COLUMNS), _row()], sheet="Sheet1")
    assert load_indicators(path).sheet == "Sheet1"


def test_every_bad_cell_is_reported_with_where_and_what_is_allowed(tmp_path):
    import datetime as dt

    rows = [
        list(COLUMNS),
        _row(ID="A-1", **{"Global indicator code": "11.6.9"}),  # unknown indicator
        _row(ID="A-2", **{"Global indicator code": "11.6"}),  # a target: kept as the target
        _row(ID="A-3", **{"Baseline value": "about 80"}),  # not a number
        _row(ID="A-4", **{"Baseline year": 1850}),  # out of range
        _row(ID=None),  # missing ID
        _row(ID="A-1"),  # duplicate
        _row(ID="A-7", **{"SDG goal": 18}),  # no such goal
        _row(ID="A-8", **{"Latest year": dt.datetime(2023, 5, 1)}),  # a date, not a year
        _row(ID="A-9", **{"Baseline year": 2023, "Latest year": 2019}),  # order
        _row(ID="A-10", **{"Baseline value": "n/a", "Data source": "", "Disaggregation": "None"}),
    ]
    path = _write_xlsx(tmp_path / "bad.xlsx", rows)
    with pytest.raises(DataFileError) as info:
        load_indicators(path)
    problems = info.value.problems
    found = {(p.row, p.column) for p in problems}
    assert found == {
        (2, "Global indicator code"),
        (4, "Baseline value"),
        (5, "Baseline year"),
        (6, "ID"),
        (7, "ID"),
        (8, "SDG goal"),
        (9, "Latest year"),
        (10, "Latest year"),
    }
    for p in problems:
        assert p.file == "bad.xlsx" and p.sheet == "Indicators" and p.allowed
    text = str(info.value)
    assert "row 2, column 'Global indicator code'" in text and "11.6.9" in text
    assert "closest: 11.6.1, 11.6.2" in text
    assert "'about 80'" in text and "a number" in text
    assert "used twice (first in sheet 'Indicators', row 2)" in text
    assert "from 1 to 17" in text
    assert isinstance(info.value, VlrError) and isinstance(info.value, ValueError)


def test_blank_and_dash_values_are_gaps_not_errors(tmp_path):
    path = _write_xlsx(
        tmp_path / "t.xlsx",
        [list(COLUMNS), _row(**{"Baseline value": "—", "Baseline year": "", "Data source": "-"})],
    )
    ind = load_indicators(path).indicators[0]
    assert ind.baseline_value is None and ind.baseline_year is None and ind.source == ""
    assert {"no_baseline", "single_point", "no_source"} <= set(gap_kinds(ind))


def test_missing_columns_are_gaps_and_a_missing_header_is_named(tmp_path):
    cols = [c for c in COLUMNS if c not in ("Latest value", "Data source")]
    row = [v for c, v in zip(COLUMNS, _row(), strict=True) if c in cols]
    ind = load_indicators(_write_xlsx(tmp_path / "t.xlsx", [cols, row])).indicators[0]
    assert ind.latest_value is None and ind.source == ""
    assert {"single_point", "no_source"} <= set(gap_kinds(ind))
    path = _write_xlsx(tmp_path / "h.xlsx", [cols])
    with pytest.raises(DataFileError, match="a header but no indicator rows"):
        load_indicators(path)
    path = _write_xlsx(tmp_path / "n.xlsx", [["just a title"], ["a", "b"]])
    with pytest.raises(DataFileError, match="no indicator table found") as info:
        load_indicators(path)
    assert "Local indicator" in str(info.value)  # the headings it looks for are listed


def test_wrong_files_give_clear_errors(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01not a zip at all" * 20)
    with pytest.raises(DataFileError, match="not a readable Excel workbook"):
        load_indicators(junk)
    with pytest.raises(DataFileError, match="not found"):
        load_indicators(tmp_path / "missing.xlsx")
    old = tmp_path / "old.xls"
    old.write_bytes(b"x")
    with pytest.raises(DataFileError, match=r"\.xls format"):
        load_indicators(old)
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF")
    with pytest.raises(DataFileError, match="allowed: .xlsx, .csv"):
        load_indicators(pdf)
    two = tmp_path / "two.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    wb.create_sheet("Other")
    wb.save(two)
    with pytest.raises(DataFileError, match="'Data', 'Other'"):
        load_indicators(two)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(COLUMNS).encode() + b"\nX,Caf\xe9\n")
    with pytest.raises(DataFileError, match="UTF-8"):
        load_indicators(latin)


def test_csv_with_semicolons_and_title_line(tmp_path):
    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Example City indicators;;;\n")
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(COLUMNS)
        writer.writerow(_row(**{"Baseline value": "1,234.5", "Latest value": "12%"}))
    ind = load_indicators(path).indicators[0]
    assert ind.baseline_value == 1234.5 and ind.latest_value == 12.0
    assert ind.row == 3


# ---------------------------------------------------------------- data gaps


def test_gap_kinds_follow_the_documented_rules():
    full = LocalIndicator(
        id="X", name="x", goal=3, unit="%", baseline_year=2019, baseline_value=1.0,
        latest_year=2023, latest_value=2.0, target_2030=3.0, source="CHO",
        disaggregation=("Sex",),
    )  # fmt: skip
    assert gap_kinds(full) == ()
    empty = LocalIndicator(id="Y", name="y", goal=5)
    # Every gap but "single point" (it has none), in the documented order.
    assert gap_kinds(empty) == tuple(k for k in GAP_KINDS if k != "single_point")
    from dataclasses import replace

    assert gap_kinds(replace(full, baseline_year=None)) == ("no_baseline",)
    assert gap_kinds(replace(full, latest_value=None)) == ("single_point",)


@pytest.mark.parametrize("slug", CITIES)
def test_planted_indicator_gaps_are_found(slug):
    gaps = indicator_gaps(load_indicators(load_city(slug).indicators_path))
    by_kind = {k: set(gaps.loc[gaps["gap"] == k, "id"]) for k in GAP_KINDS}
    planted_source = _key_ids(slug, "indicator_no_source")
    planted_single = _key_ids(slug, "indicator_single_point")
    planted_baseline = _key_ids(slug, "indicator_no_baseline")
    assert planted_source and planted_single and planted_baseline
    # No source and a single data point are exact: nothing planted is missed, nothing extra.
    assert by_kind["no_source"] == planted_source
    assert by_kind["single_point"] == planted_single
    # "No baseline" also counts indicators with no value at all (SR-IND-09/10).
    assert planted_baseline <= by_kind["no_baseline"]
    assert by_kind["no_baseline"] - planted_baseline <= by_kind["no_data"] | planted_single


def test_gap_messages_in_japanese():
    gaps = indicator_gaps([LocalIndicator(id="Y", name="y", goal=5)], lang="ja")
    assert "出典がない" in set(gaps["message"])
    assert list(gaps.columns) == [
        "id",
        "name",
        "goal",
        "global_code",
        "proxy",
        "gap",
        "message",
        "row",
    ]


# ---------------------------------------------------------------- alignment


def _ind(**kw: object) -> LocalIndicator:
    base: dict[str, object] = {"id": "X1", "name": "", "goal": 11}
    base.update(kw)
    return LocalIndicator(**base)  # type: ignore[arg-type]


def test_a_code_that_does_not_fit_the_definition_is_questioned():
    waste = _ind(
        name="Solid waste collected",
        definition="Share of municipal solid waste collected and disposed of in the sanitary landfill",
        global_codes=("11.6.2",),
    )
    row = align_indicators([waste]).iloc[0]
    assert row["status"] == "check"
    assert row["suggested_code"] == "11.6.1"
    assert "11.6.2" in row["reason"] and "11.6.1" in row["reason"] and "waste" in row["reason"]
    assert "waste" in row["shared_words"]


def test_a_fitting_code_is_confirmed_and_a_wrong_goal_flagged():
    good = _ind(
        id="G", name="Annual mean PM2.5",
        definition="Annual mean concentration of fine particulate matter (PM2.5)",
        global_codes=("11.6.2",),
    )  # fmt: skip
    wrong_goal = _ind(id="W", name="Road traffic deaths", goal=11, global_codes=("3.6.1",))
    frame = align_indicators([good, wrong_goal]).set_index("id")
    assert frame.loc["G", "status"] == "confirmed"
    assert frame.loc["G", "suggested_code"] == "11.6.2"
    assert frame.loc["W", "status"] == "goal_mismatch"
    assert "SDG 11" in frame.loc["W", "reason"]


def test_repeated_indicator_keeps_the_listing_given():
    floods = _ind(
        name="Persons affected by disasters",
        definition="Deaths, missing persons and persons affected by disasters per 100000",
        goal=13, global_codes=("13.1.1",),
    )  # fmt: skip
    row = align_indicators([floods]).iloc[0]
    assert row["status"] == "confirmed" and row["suggested_code"] == "13.1.1"


def test_local_proxies_are_flagged_with_their_closest_global_indicator():
    table = load_indicators(load_city("santa-rosa").indicators_path)
    frame = align_indicators(table).set_index("id")
    proxies = {i.id for i in table if i.proxy}
    assert set(frame.index[frame["status"].isin(["proxy", "proxy_match"])]) == proxies
    # The sheet's notes point at a target or indicator: that is the suggestion.
    assert frame.loc["SR-IND-08", "suggested_code"] == "3.8.1"
    assert "3.8.1" in frame.loc["SR-IND-08", "reason"]
    assert frame.loc["SR-IND-28", "suggested_code"] == "11.7.1"
    # No global indicator counts trees planted.
    assert frame.loc["SR-IND-34", "status"] == "proxy"
    assert frame.loc["SR-IND-34", "suggested_code"] == ""
    # The city's own global codes all belong to the right goals.
    assert not (frame["status"] == "goal_mismatch").any()
    assert (frame.loc[frame["given_code"] != "", "status"].isin(["confirmed", "check"])).all()


def test_alignment_reasons_and_titles_in_japanese():
    waste = _ind(
        name="Solid waste collected",
        definition="Municipal solid waste collected and disposed of in a controlled facility",
        global_codes=("11.6.2",),
    )
    row = align_indicators([waste], lang="ja").iloc[0]
    assert row["reason"].startswith("コード11.6.2が指定されていますが")
    with pytest.raises(ValueError, match="allowed: en, ja"):
        align_indicators([waste], lang="fr")


# ---------------------------------------------------------------- the table a review holds


@pytest.mark.parametrize("slug", CITIES)
def test_the_table_imported_into_a_review_reads_back_as_the_file(workspace, sample_review, slug):
    from vlr_tools.review import open_review

    table = load_indicators(load_city(slug).indicators_path)
    stored = open_review(workspace, sample_review(slug, "v1").id).indicators
    assert stored is not None and stored.indicators == table.indicators
    assert (stored.path.name, stored.sheet, stored.header_row) == (
        table.path.name,
        table.sheet,
        table.header_row,
    )
    assert indicator_gaps(stored).equals(indicator_gaps(table))


def test_a_second_import_replaces_the_reviews_table(workspace, tmp_path):
    from vlr_tools.intake import import_indicators
    from vlr_tools.review import open_review

    rv = workspace.create_review(city="baguio", version="v1")
    assert open_review(workspace, rv.id).indicators is None  # nothing imported yet
    both = _write_xlsx(tmp_path / "both.xlsx", [list(COLUMNS), _row(), _row(ID="T-02", Unit="%")])
    first = import_indicators(workspace, rv.id, both)
    assert (first.rows, first.created, first.removed) == (2, 2, 0)
    one = _write_xlsx(tmp_path / "one.xlsx", [list(COLUMNS), _row(**{"Latest value": 7.0})])
    second = import_indicators(workspace, rv.id, one)
    assert (second.rows, second.updated, second.removed) == (1, 1, 1)
    stored = open_review(workspace, rv.id).indicators
    assert [i.id for i in stored] == ["T-01"] and stored.get("T-01").latest_value == 7.0
    assert stored.path.name == "one.xlsx"
    # A file with problems stores nothing: the table stays as it was.
    bad = _write_xlsx(tmp_path / "bad.xlsx", [list(COLUMNS), _row(**{"SDG goal": 18})])
    with pytest.raises(DataFileError):
        import_indicators(workspace, rv.id, bad)
    assert [i.latest_value for i in open_review(workspace, rv.id).indicators] == [7.0]


def test_japanese_titles_do_not_dilute_an_english_match_and_serve_a_japanese_one():
    from dataclasses import replace

    from vlr_tools.framework import Framework, get_framework

    fw = get_framework()
    assert fw.indicator("11.6.1").title_ja  # the shipped data has Japanese titles
    english_only = Framework(
        fw.goals,
        [replace(t, title_ja="", ja_source="", ja_agreement="") for t in fw.targets],
        [replace(i, title_ja="", listings_ja=(), ja_source="") for i in fw.indicators],
    )
    waste = _ind(
        name="Solid waste collected",
        definition="Municipal solid waste collected and disposed of in a controlled facility",
    )
    with_ja = align_indicators([waste], framework=fw).iloc[0]
    without = align_indicators([waste], framework=english_only).iloc[0]
    assert with_ja["suggested_code"] == without["suggested_code"] == "11.6.1"
    assert with_ja["score"] == pytest.approx(without["score"], abs=0.005)
    japanese = _ind(name="固形廃棄物のうち定期的に収集され適切に最終処理されたものの割合")
    assert align_indicators([japanese], framework=fw).iloc[0]["suggested_code"] == "11.6.1"
    assert align_indicators([japanese], framework=english_only).iloc[0]["suggested_code"] == ""
