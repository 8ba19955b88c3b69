"""The SDG framework: codes, lookups, validation, the CLI and the UNSD import."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from vlr_tools.cli import main
from vlr_tools.errors import DataFileError, FrameworkError, UnknownCodeError
from vlr_tools.framework import (
    Goal,
    Indicator,
    Target,
    code_level,
    code_sort_key,
    default_folder,
    fold_typography,
    get_framework,
    load_framework,
    normalise_code,
)
from vlr_tools.framework_import import import_japanese, import_unsd, read_unsd

# ---------------------------------------------------------------- a tiny framework

GOALS = [
    ("goal", "title_en", "title_ja", "short_en", "short_ja", "colour"),
    (
        "1",
        "End poverty in all its forms everywhere",
        "あらゆる場所のあらゆる形態の貧困を終わらせる",
        "No poverty",
        "貧困をなくそう",
        "#E5243B",
    ),
    (
        "11",
        "Make cities and human settlements inclusive, safe, resilient and sustainable",
        "包摂的で安全かつ強靱（レジリエント）で持続可能な都市及び人間居住を実現する",
        "Sustainable cities and communities",
        "住み続けられるまちづくりを",
        "#FD9D24",
    ),
    (
        "13",
        "Take urgent action to combat climate change and its impacts",
        "気候変動及びその影響を軽減するための緊急対策を講じる",
        "Climate action",
        "気候変動に具体的な対策を",
        "#3F7E44",
    ),
]
TARGETS = [
    ("code", "goal", "title_en", "title_ja"),
    ("1.5", "1", "Build the resilience of the poor to disasters", ""),
    ("11.5", "11", "Reduce deaths and losses caused by disasters", ""),
    (
        "11.6",
        "11",
        "Reduce the environmental impact of cities, air quality and waste",
        "都市の環境",
    ),
    ("11.a", "11", "Support positive urban-rural links", ""),
    ("13.1", "13", "Strengthen resilience to climate-related hazards", ""),
]
DISASTERS = "Number of deaths and affected persons attributed to disasters per 100,000 population"
INDICATORS = [
    ("code", "target", "title_en", "title_ja", "same_as"),
    ("1.5.1", "1.5", DISASTERS, "", ""),
    ("11.5.1", "11.5", DISASTERS, "", "1.5.1"),
    ("11.6.1", "11.6", "Proportion of municipal solid waste collected", "都市固形廃棄物の割合", ""),
    ("11.6.2", "11.6", "Annual mean levels of fine particulate matter (PM2.5)", "", ""),
    ("11.a.1", "11.a", "Number of countries with national urban policies", "", ""),
    ("13.1.1", "13.1", DISASTERS, "", "1.5.1"),
]
HLPF = [("year", "goals", "note"), ("2023", "1;11;13", "test"), ("2024", "13", "")]


def write_csv(path: Path, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.fixture
def sdg_folder(tmp_path: Path) -> Path:
    """A tiny framework: goals 1, 11, 13; one indicator repeated under three targets."""
    folder = tmp_path / "sdg"
    folder.mkdir()
    write_csv(folder / "goals.csv", GOALS)
    write_csv(folder / "targets.csv", TARGETS)
    write_csv(folder / "indicators.csv", INDICATORS)
    write_csv(folder / "hlpf.csv", HLPF)
    return folder


@pytest.fixture
def fw(sdg_folder: Path):
    return load_framework(sdg_folder)


# ---------------------------------------------------------------- codes


@pytest.mark.parametrize(
    "text, code",
    [
        ("11", "11"),
        (11, "11"),
        ("SDG 11", "11"),
        ("SDG11", "11"),
        ("sdg-11", "11"),
        ("Goal 11", "11"),
        ("Goal 1.", "1"),
        ("目標11", "11"),
        ("目標 １１", "11"),
        ("11.6", "11.6"),
        ("Target 11.6", "11.6"),
        ("ターゲット11.6", "11.6"),
        ("11.a", "11.a"),
        ("11.A", "11.a"),
        ("11.6.2", "11.6.2"),
        ("Indicator 11.6.2", "11.6.2"),
        ("指標11.6.2", "11.6.2"),
        ("  11.a.1 ", "11.a.1"),
        ("SDG 11.6.2", "11.6.2"),
        ("06.01", "6.1"),
    ],
)
def test_normalise_code_accepts_the_usual_forms(text, code):
    assert normalise_code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "11..2",
        "",
        "SDG",
        "11.6.2.1",
        "0",
        "11.aa",
        "abc",
        "11.6.a",
        "1.b.c",
        "Target 11",
        "Goal 11.6",
    ],
)
def test_normalise_code_rejects_malformed_codes_and_says_what_is_allowed(text):
    with pytest.raises(UnknownCodeError) as info:
        normalise_code(text)
    message = str(info.value)
    assert "Target 11.6" in message and "Indicator 11.6.2" in message and "目標11" in message


def test_code_level_and_un_order():
    assert [code_level(c) for c in ("SDG 3", "3.d", "3.d.1")] == ["goal", "target", "indicator"]
    codes = ["11.a", "11.10", "11.2", "2.1", "11.b.1", "11.a.2", "11.a.10"]
    assert sorted(codes, key=code_sort_key) == [
        "2.1",
        "11.2",
        "11.10",
        "11.a",
        "11.a.2",
        "11.a.10",
        "11.b.1",
    ]


# ---------------------------------------------------------------- lookups


def test_lookup_in_every_form_returns_the_same_record(fw):
    goal = fw.lookup("SDG 11")
    assert isinstance(goal, Goal)
    assert goal is fw.goal(11) is fw.lookup("目標11") is fw.goal("Goal 11")
    assert goal.colour == "#FD9D24" and goal.short_en == "Sustainable cities and communities"
    target = fw.lookup("Target 11.a")
    assert isinstance(target, Target) and target.code == "11.a" and target.goal == 11
    assert fw.target("11.A") is target
    indicator = fw.lookup("Indicator 11.6.2")
    assert isinstance(indicator, Indicator) and indicator.targets == ("11.6",)


def test_repeated_indicator_is_one_record_with_several_codes(fw):
    first = fw.indicator("1.5.1")
    assert fw.indicator("11.5.1") is first
    assert fw.lookup("指標13.1.1") is first
    assert first.code == "1.5.1"
    assert first.codes == ("1.5.1", "11.5.1", "13.1.1")
    assert first.targets == ("1.5", "11.5", "13.1")
    assert first.goals == (1, 11, 13) and first.repeated
    assert first.target_of("13.1.1") == "13.1"
    assert fw.counts() == {"goals": 3, "targets": 5, "indicators": 4, "listings": 6}
    assert sum(1 for i in fw.indicators if i.code == "1.5.1") == 1


def test_wrong_level_is_refused(fw):
    with pytest.raises(UnknownCodeError, match="indicator code, not a target"):
        fw.target("11.6.2")
    with pytest.raises(UnknownCodeError, match="not a goal"):
        fw.goal("11.6")


@pytest.mark.parametrize(
    "code, expected",
    [
        ("11.6.9", "target 11.6 has indicators 11.6.1, 11.6.2"),
        ("SDG 18", "there is no SDG 18"),
        ("11.9", "goal 11 has targets 11.5, 11.6, 11.a"),
        ("11.9.1", "there is no target 11.9"),
        ("13.1.4", "target 13.1 has indicators 13.1.1"),
        ("2.1", "there is no SDG 2"),
    ],
)
def test_unknown_codes_say_what_exists(fw, code, expected):
    with pytest.raises(UnknownCodeError) as info:
        fw.lookup(code)
    assert expected in str(info.value)
    assert isinstance(info.value, LookupError)


def test_parents_and_children(fw):
    assert [t.code for t in fw.children("11")] == ["11.5", "11.6", "11.a"]
    assert [i.code for i in fw.children("11.6")] == ["11.6.1", "11.6.2"]
    assert [i.code for i in fw.children("13.1")] == ["1.5.1"]
    assert fw.listings("13.1") == ("13.1.1",)
    assert fw.children("11.6.2") == ()
    assert fw.parent("11") is None
    assert fw.parent("11.6").number == 11
    # Each listing of a repeated indicator has its own parent.
    assert fw.parent("13.1.1").code == "13.1"
    assert fw.parent("1.5.1").code == "1.5"
    assert [t.code for t in fw.parents("11.5.1")] == ["1.5", "11.5", "13.1"]


def test_titles_fall_back_to_english_visibly_when_asked(fw):
    assert fw.title("11", "ja").startswith("包摂的で安全かつ")
    assert fw.title("11.6.1", "ja") == "都市固形廃棄物の割合"
    assert fw.title("11.6.2", "ja") == fw.title("11.6.2", "en")
    marked = fw.title("11.6.2", "ja", mark_fallback=True)
    assert "English; no official Japanese title" in marked
    assert "no official" not in fw.title("11.6.1", "ja", mark_fallback=True)
    with pytest.raises(FrameworkError, match="allowed: en, ja"):
        fw.title("11", "fr")


def test_search_english_words_and_japanese_substrings(fw):
    assert [i.code for i in fw.search("WASTE")] == ["11.6", "11.6.1"]
    assert [i.code for i in fw.search("particulate matter")] == ["11.6.2"]
    assert [i.code for i in fw.search("sanit waste")] == []
    assert [i.code for i in fw.search("solid wast")] == ["11.6.1"]
    # Word starts only: "aste" is inside "waste", not the start of a word.
    assert fw.search("aste") == ()
    assert [i.code for i in fw.search("廃棄物")] == ["11.6.1"]
    assert [i.code for i in fw.search("まちづくり")] == ["11"]  # short name
    assert fw.search("waste", lang="ja") == ()
    assert [i.code for i in fw.search("disasters", lang="en")] == ["1.5", "11.5", "1.5.1"]
    with pytest.raises(FrameworkError):
        fw.search("  ")


def test_frames_are_tidy(fw):
    goals = fw.to_frame("goal")
    assert list(goals["goal"]) == [1, 11, 13]
    assert {"code", "title_en", "title_ja", "short_ja", "colour"} <= set(goals.columns)
    links = fw.to_frame("indicator")
    assert len(links) == 6  # one row per indicator-target link
    row = links.set_index("code").loc["13.1.1"]
    assert row["indicator_id"] == "1.5.1" and row["target"] == "13.1" and row["goal"] == 13
    assert list(fw.to_frame("targets")["code"]) == ["1.5", "11.5", "11.6", "11.a", "13.1"]
    everything = fw.to_frame("all")
    assert everything["level"].value_counts().to_dict() == {"indicator": 6, "target": 5, "goal": 3}
    with pytest.raises(FrameworkError, match="allowed: goal, target, indicator, all"):
        fw.to_frame("listing")


def test_missing_japanese_lists_every_item_without_a_title(fw):
    missing = fw.missing_japanese()
    assert set(missing["level"]) == {"target", "indicator"}
    assert "11.6" not in set(missing["code"]) and "11.6.1" not in set(missing["code"])
    assert "1.5.1;11.5.1;13.1.1" in set(missing["codes"])
    assert len(missing) == 4 + 3


def test_hlpf_sets(fw):
    assert fw.hlpf_years() == (2023, 2024)
    assert fw.hlpf_goals(2023) == (1, 11, 13)
    assert fw.hlpf_note(2023) == "test"
    with pytest.raises(FrameworkError, match="years with a set: 2023, 2024"):
        fw.hlpf_goals(2031)


def test_get_framework_is_cached_and_load_is_fresh(sdg_folder):
    first = get_framework(sdg_folder)
    assert get_framework(sdg_folder) is first
    assert load_framework(sdg_folder) is not first


# ---------------------------------------------------------------- validation


def _problems(folder: Path) -> list:
    with pytest.raises(DataFileError) as info:
        load_framework(folder)
    return list(info.value.problems)


def _find(problems, file, row, column):
    hits = [
        p
        for p in problems
        if str(p.file).endswith(file) and p.row == row and (column is None or p.column == column)
    ]
    assert hits, f"no problem at {file} row {row} column {column}: {problems}"
    return hits[0]


def test_every_problem_is_reported_with_file_row_and_column(sdg_folder):
    goals = [list(r) for r in GOALS]
    goals[2][5] = "FD9D24"  # colour without '#'
    goals.append(["1", "Duplicate", "", "Dup", "", "#000000"])
    write_csv(sdg_folder / "goals.csv", goals)
    targets = [list(r) for r in TARGETS]
    targets.append(["11.6", "11", "Same code again", ""])  # row 7
    targets.append(["12.1", "12", "Goal 12 is not in goals.csv", ""])  # row 8
    targets.append(["13.2", "11", "Prefix does not match", ""])  # row 9
    targets.append(["13..3", "13", "Malformed", ""])  # row 10
    write_csv(sdg_folder / "targets.csv", targets)
    indicators = [list(r) for r in INDICATORS]
    indicators.append(["13.9.1", "13.9", "Target does not exist", "", ""])  # row 8
    indicators.append(["11.a.2", "11.a", "Different title", "", "1.5.1"])  # row 9
    indicators.append(["11.a.3", "11.a", DISASTERS, "", "13.1.1"])  # row 10: not earliest
    indicators.append(["11.a.4", "11.a", "Points nowhere", "", "9.9.9"])  # row 11
    indicators.append(["11.a.5", "11.a", "", "", ""])  # row 12: no title
    write_csv(sdg_folder / "indicators.csv", indicators)
    write_csv(sdg_folder / "hlpf.csv", [*HLPF, ("2025", "3;18", "")])
    problems = _problems(sdg_folder)

    assert "#RRGGBB" in str(_find(problems, "goals.csv", 3, "colour"))
    assert "twice" in _find(problems, "goals.csv", 5, "goal").message
    assert "twice" in _find(problems, "targets.csv", 7, "code").message
    assert "not in goals.csv" in _find(problems, "targets.csv", 8, "goal").message
    assert "does not match" in _find(problems, "targets.csv", 9, "goal").message
    assert "11.a" in str(_find(problems, "targets.csv", 10, "code"))
    assert "not in targets.csv" in _find(problems, "indicators.csv", 8, "target").message
    assert (
        "differs from the title of 1.5.1"
        in _find(problems, "indicators.csv", 9, "title_en").message
    )
    assert "earliest" in _find(problems, "indicators.csv", 10, "same_as").message
    assert "names no indicator" in _find(problems, "indicators.csv", 11, "same_as").message
    assert "required" in _find(problems, "indicators.csv", 12, "title_en").message
    assert "1 to 17" in str(_find(problems, "hlpf.csv", 4, "goals"))
    # The error text itself names the file, the row and the column.
    with pytest.raises(DataFileError) as info:
        load_framework(sdg_folder)
    assert re.search(r"targets\.csv, row 9, column 'goal'", str(info.value))


def test_unmarked_repeat_and_stray_cells_are_caught(sdg_folder):
    indicators = [list(r) for r in INDICATORS]
    indicators[2][4] = ""  # 11.5.1 repeats 1.5.1 without saying so
    write_csv(sdg_folder / "indicators.csv", indicators)
    # An unquoted comma in a title splits it into an extra cell.
    text = (sdg_folder / "targets.csv").read_text(encoding="utf-8")
    (sdg_folder / "targets.csv").write_text(
        text + "11.b,11,Implement policies, plans and more,\n", encoding="utf-8"
    )
    problems = _problems(sdg_folder)
    assert "same_as=1.5.1" in _find(problems, "indicators.csv", 3, "same_as").message
    assert "double quotes" in _find(problems, "targets.csv", 7, None).message


def test_missing_file_and_missing_column(sdg_folder):
    (sdg_folder / "indicators.csv").unlink()
    write_csv(sdg_folder / "hlpf.csv", [("year", "goal_list"), ("2023", "1")])
    problems = _problems(sdg_folder)
    assert (
        "vlr framework import"
        in next(p for p in problems if "indicators.csv" in str(p.file)).message
    )
    header = _find(problems, "hlpf.csv", 1, None)
    assert "goals" in header.message and "note" in header.message


# ---------------------------------------------------------------- CLI


def run_cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_show_prints_item_parents_and_children(capsys, sdg_folder):
    code, out, _ = run_cli(capsys, "framework", "show", "Target 11.6", "--folder", str(sdg_folder))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Target 11.6"
    assert "Goal 11" in out and "#FD9D24" in out
    assert "11.6.1  Proportion of municipal solid waste collected" in out
    code, out, _ = run_cli(capsys, "framework", "show", "13.1", "--folder", str(sdg_folder))
    assert "13.1.1" in out and "repeat of 1.5.1" in out
    code, out, _ = run_cli(capsys, "framework", "show", "11.5.1", "--folder", str(sdg_folder))
    assert out.startswith("Indicator 11.5.1") and "Target 11.5" in out
    assert "1.5.1 (Target 1.5)" in out and "13.1.1 (Target 13.1)" in out


def test_cli_show_japanese_marks_english_fallbacks(capsys, sdg_folder):
    code, out, _ = run_cli(
        capsys, "framework", "show", "11.6.2", "--lang", "ja", "--folder", str(sdg_folder)
    )
    assert code == 0
    assert out.startswith("指標11.6.2")
    assert "目標11" in out and "包摂的で安全かつ強靱" in out
    title_line = out.splitlines()[1]
    assert (
        "Annual mean levels" in title_line and "English; no official Japanese title" in title_line
    )
    code, out, _ = run_cli(
        capsys, "framework", "show", "SDG 11", "--lang", "ja", "--folder", str(sdg_folder)
    )
    assert "住み続けられるまちづくりを" in out and "都市の環境" in out


@pytest.mark.parametrize("bad", ["11.6.9", "SDG 18", "11..2", "Goal 11.6"])
def test_cli_bad_codes_exit_2_with_one_clear_line(capsys, sdg_folder, bad):
    code, out, err = run_cli(capsys, "framework", "show", bad, "--folder", str(sdg_folder))
    assert code == 2
    assert err.startswith("error: ") and "Traceback" not in err
    assert out == ""


def test_cli_export_has_one_row_per_indicator_target_link(capsys, sdg_folder):
    code, out, _ = run_cli(capsys, "framework", "export", "--folder", str(sdg_folder))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"level", "code", "parent", "title_en", "title_ja", "indicator_id"} <= set(rows[0])
    assert [r["level"] for r in rows].count("goal") == 3
    repeated = [r for r in rows if r["indicator_id"] == "1.5.1"]
    assert [(r["code"], r["parent"]) for r in repeated] == [
        ("1.5.1", "1.5"),
        ("11.5.1", "11.5"),
        ("13.1.1", "13.1"),
    ]
    assert rows[0] == {
        "level": "goal",
        "code": "1",
        "parent": "",
        "goal": "1",
        "indicator_id": "",
        "title_en": GOALS[1][1],
        "title_ja": GOALS[1][2],
        "ja_source": "",
        "footnote": "",
    }


def test_cli_search_hlpf_and_missing_ja(capsys, sdg_folder):
    folder = str(sdg_folder)
    code, out, _ = run_cli(capsys, "framework", "search", "廃棄物", "--folder", folder)
    assert code == 0 and out.startswith("Indicator 11.6.1")
    code, out, _ = run_cli(capsys, "framework", "search", "zebra", "--folder", folder)
    assert code == 1 and "zebra" in out
    code, out, _ = run_cli(capsys, "framework", "hlpf", "2023", "--folder", folder)
    assert code == 0 and "Climate action" in out and "HLPF 2023" in out
    code, _, err = run_cli(capsys, "framework", "hlpf", "2031", "--folder", folder)
    assert code == 2 and "2023, 2024" in err
    code, out, _ = run_cli(capsys, "framework", "missing-ja", "--folder", folder)
    assert code == 0 and "7 item(s)" in out and "11.6.2" in out
    code, out, _ = run_cli(capsys, "framework", "missing-ja", "--csv", "--folder", folder)
    assert len(list(csv.DictReader(io.StringIO(out)))) == 7


def test_cli_broken_data_file_is_one_error_naming_the_row(capsys, sdg_folder):
    targets = [*TARGETS, ("11.6", "11", "again", "")]
    write_csv(sdg_folder / "targets.csv", targets)
    code, _, err = run_cli(capsys, "framework", "show", "11", "--folder", str(sdg_folder))
    assert code == 2 and "targets.csv, row 7, column 'code'" in err and "Traceback" not in err


# ---------------------------------------------------------------- UNSD import

HEADER = (
    "Goals and targets (from the 2030 Agenda for Sustainable Development)",
    "Indicators",
    "UNSD Indicator Codes†",
)


def make_unsd_xlsx(path: Path, goals, targets, indicators, *, header=HEADER, title_rows=2):
    """Write a workbook in the layout of the UNSD global indicator framework file.

    ``targets`` maps target code -> text, ``indicators`` maps code -> title;
    target cells are merged down over their indicator rows as UNSD does.
    """
    import openpyxl

    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Read me"
    cover["A1"] = "Notes on the framework"
    sheet = book.create_sheet("A.RES.71.313 Annex")
    for n in range(title_rows):
        sheet.append([f"Global indicator framework title line {n + 1}"])
    sheet.append(list(header))
    for number, title in goals.items():
        sheet.append([f"Goal {number}. {title}"])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        for tcode, ttext in targets.items():
            if tcode.split(".")[0] != str(number):
                continue
            codes = [c for c in indicators if c.rsplit(".", 1)[0] == tcode] or [None]
            first = sheet.max_row + 1
            for i, icode in enumerate(codes):
                text = f"{icode} {indicators[icode]}" if icode else None
                unsd = "C" + "".join(p.zfill(2) for p in icode.split(".")) if icode else None
                sheet.append([f"{tcode} {ttext}" if i == 0 else None, text, unsd])
            if len(codes) > 1:
                sheet.merge_cells(
                    start_row=first, start_column=1, end_row=sheet.max_row, end_column=1
                )
    book.save(path)
    return path


def unsd_content():
    goals = {int(r[0]): r[1] for r in GOALS[1:]}
    targets = {r[0]: r[2] for r in TARGETS[1:]}
    indicators = {r[0]: r[2] for r in INDICATORS[1:]}
    return goals, targets, indicators


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_read_unsd_layout(tmp_path):
    goals, targets, indicators = unsd_content()
    path = make_unsd_xlsx(tmp_path / "gif.xlsx", goals, targets, indicators, title_rows=4)
    sheet = read_unsd(path)
    assert sheet.sheet == "A.RES.71.313 Annex"
    assert sheet.goals[11] == goals[11]
    assert sheet.targets["11.a"] == targets["11.a"]
    assert sheet.listings["13.1.1"] == ("13.1", DISASTERS)
    assert len(sheet.listings) == 6


def test_import_reports_and_applies_changes_keeping_japanese(capsys, sdg_folder, tmp_path):
    goals, targets, indicators = unsd_content()
    goals[13] = goals[13] + "*"  # the UN annex footnote mark is dropped
    targets["11.6"] = "By 2030, reduce the adverse per capita environmental impact of cities"
    del targets["11.a"]
    del indicators["11.a.1"]
    targets["11.b"] = "By 2020, substantially increase the number of cities adopting plans"
    indicators["11.b.1"] = DISASTERS.replace("Number", "Count")
    indicators["11.6.3"] = "Proportion of urban green space"
    path = make_unsd_xlsx(tmp_path / "gif.xlsx", goals, targets, indicators)
    before = snapshot(sdg_folder)

    code, out, _ = run_cli(
        capsys, "framework", "import", str(path), "--dry-run", "--folder", str(sdg_folder)
    )
    assert code == 0 and "dry run: nothing written" in out
    assert snapshot(sdg_folder) == before

    code, out, _ = run_cli(capsys, "framework", "import", str(path), "--folder", str(sdg_folder))
    assert code == 0
    assert "added target 11.b" in out and "added indicator 11.6.3" in out
    assert "removed target 11.a" in out and "removed indicator 11.a.1" in out
    assert "retitled target 11.6" in out and "retitled goal" not in out
    assert "check it still matches" in out and "11.6" in out
    fw = load_framework(sdg_folder)
    assert fw.target("11.6").title_en == targets["11.6"]
    assert fw.target("11.6").title_ja == "都市の環境"  # kept
    assert fw.indicator("11.6.1").title_ja == "都市固形廃棄物の割合"
    assert fw.goal(11).colour == "#FD9D24" and fw.goal(13).title_en == GOALS[3][1]
    assert fw.indicator("13.1.1").codes == ("1.5.1", "11.5.1", "13.1.1")
    assert fw.counts() == {"goals": 3, "targets": 5, "indicators": 5, "listings": 7}
    assert not list(sdg_folder.glob(".import-*"))

    # A second run finds nothing to change.
    code, out, _ = run_cli(capsys, "framework", "import", str(path), "--folder", str(sdg_folder))
    assert "no changes" in out


def test_import_of_corrupt_or_wrong_layout_file_changes_nothing(capsys, sdg_folder, tmp_path):
    import openpyxl

    before = snapshot(sdg_folder)
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a workbook")
    code, _, err = run_cli(capsys, "framework", "import", str(corrupt), "--folder", str(sdg_folder))
    assert code == 2 and "cannot be read as an .xlsx" in err and "Goals and targets" in err

    wrong = tmp_path / "wrong.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Code", "Title"])
    book.active.append(["1.1.1", "Proportion of population"])
    book.save(wrong)
    code, _, err = run_cli(capsys, "framework", "import", str(wrong), "--folder", str(sdg_folder))
    assert code == 2 and "expected the UNSD global indicator framework layout" in err

    goals, targets, indicators = unsd_content()
    del goals[13]  # a partial framework would silently drop a goal's targets
    partial = make_unsd_xlsx(tmp_path / "partial.xlsx", goals, targets, indicators)
    code, _, err = run_cli(capsys, "framework", "import", str(partial), "--folder", str(sdg_folder))
    assert code == 2 and "no row for goal(s) 13" in err

    code, _, err = run_cli(
        capsys, "framework", "import", str(tmp_path / "absent.xlsx"), "--folder", str(sdg_folder)
    )
    assert code == 2 and "file not found" in err
    assert snapshot(sdg_folder) == before


def test_import_problems_name_sheet_row_and_column(sdg_folder, tmp_path):
    goals, targets, indicators = unsd_content()
    path = make_unsd_xlsx(tmp_path / "gif.xlsx", goals, targets, indicators)
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["A.RES.71.313 Annex"]
    sheet.append([None, "9.9.9 An indicator whose target is not in the sheet", None])
    bad_row = sheet.max_row
    book.save(path)
    before = snapshot(sdg_folder)
    with pytest.raises(DataFileError) as info:
        import_unsd(path, sdg_folder)
    problem = info.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == (
        "A.RES.71.313 Annex",
        bad_row,
        "Indicators",
    )
    assert snapshot(sdg_folder) == before


def _cell_of(sheet, text: str):
    return next(c for row in sheet.iter_rows() for c in row if str(c.value or "").startswith(text))


def _superscript(text: str, mark: str, how: str = "superscript"):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    return CellRichText(text, TextBlock(InlineFont(vertAlign=how), mark))


def _with_footnotes(path: Path, marks: dict[str, tuple[str, str]], notes: list[str]) -> Path:
    """Give cells starting with a key a footnote mark, and add footnote lines below."""
    import openpyxl

    book = openpyxl.load_workbook(path, rich_text=True)
    sheet = book["A.RES.71.313 Annex"]
    for start, (mark, how) in marks.items():
        cell = _cell_of(sheet, start)
        if how == "plain":
            cell.value = f"{cell.value}{mark}"
        else:
            cell.value = _superscript(str(cell.value), mark, how)
    sheet.append([])
    for note in notes:
        sheet.append([note])
    book.save(path)
    return path


def test_import_keeps_footnote_marks_out_of_titles(capsys, sdg_folder, tmp_path):
    goals, targets, indicators = unsd_content()
    indicators["11.a.1"] = "CO"  # + a subscript 2 below: part of the title, not a mark
    path = make_unsd_xlsx(tmp_path / "gif.xlsx", goals, targets, indicators)
    path = _with_footnotes(
        path,
        {
            "Goal 13.": ("2", "superscript"),
            "11.6 ": ("3", "plain"),  # a plain digit after a word, and footnote 3 exists
            "11.6.2 ": ("10", "plain"),  # no footnote 10: "PM2.5)10" keeps its digits
            "11.a.1 ": ("2", "subscript"),
        },
        [
            "* As contained in the Annex of the resolution",
            "2 Acknowledging that the UNFCCC is the primary forum.",
            "3 Taking into account ongoing WTO negotiations.",
            "4 A footnote nobody refers to.",
        ],
    )
    sheet = read_unsd(path)
    assert sheet.goals[13] == goals[13]
    assert sheet.footnote("goal", "13") == "2 Acknowledging that the UNFCCC is the primary forum."
    assert sheet.targets["11.6"] == targets["11.6"]
    assert sheet.footnote("target", "11.6").startswith("3 Taking")
    assert sheet.listings["11.6.2"][1] == indicators["11.6.2"] + "10"
    assert sheet.listings["11.a.1"][1] == "CO2"
    assert [w for w in sheet.warnings if "not referenced" in w] == [
        "footnote '4 A footnote nobody refers to.' is not referenced by any title"
    ]

    code, out, _ = run_cli(capsys, "framework", "import", str(path), "--folder", str(sdg_folder))
    assert code == 0 and "retitled goal" not in out and "retitled target 11.6" not in out
    assert "footnote of goal 13: 2 Acknowledging" in out and "not referenced" in out
    fw = load_framework(sdg_folder)
    assert fw.goal(13).title_en == GOALS[3][1]
    assert fw.goal(13).footnote.startswith("2 Acknowledging")
    assert fw.target("11.6").footnote.startswith("3 Taking") and fw.target("11.5").footnote == ""


def test_import_reports_typography_apart_and_stores_the_official_characters(
    capsys, sdg_folder, tmp_path
):
    goals, targets, indicators = unsd_content()
    official = "Number of countries with national urban\u2011rural policies\u2019 links"
    write_csv(
        sdg_folder / "indicators.csv",
        [
            r
            if r[0] != "11.a.1"
            else ("11.a.1", "11.a", official.translate({0x2011: "-", 0x2019: "'"}), "", "")
            for r in INDICATORS
        ],
    )
    indicators["11.a.1"] = official
    path = make_unsd_xlsx(tmp_path / "gif.xlsx", goals, targets, indicators)
    code, out, _ = run_cli(capsys, "framework", "import", str(path), "--folder", str(sdg_folder))
    assert code == 0 and "retitled" not in out
    assert "typography only" in out and "indicator 11.a.1" in out
    fw = load_framework(sdg_folder)
    assert fw.indicator("11.a.1").title_en == official
    # Searching with plain characters still finds it.
    assert [i.code for i in fw.search("urban-rural policies'")] == ["11.a.1"]


def test_import_bad_layouts_say_what_was_expected_and_change_nothing(capsys, sdg_folder, tmp_path):
    import openpyxl

    goals, targets, indicators = unsd_content()
    before = snapshot(sdg_folder)

    renamed = make_unsd_xlsx(tmp_path / "renamed.xlsx", goals, targets, indicators)
    book = openpyxl.load_workbook(renamed)
    book["A.RES.71.313 Annex"].title = "Framework"
    book.save(renamed)
    code, _, err = run_cli(capsys, "framework", "import", str(renamed), "--folder", str(sdg_folder))
    assert code == 2 and "no sheet 'A.RES.71.313 Annex'" in err and "Read me, Framework" in err
    assert "--sheet" in err
    code, out, _ = run_cli(
        capsys,
        "framework",
        "import",
        str(renamed),
        "--sheet",
        "Framework",
        "--dry-run",
        "--folder",
        str(sdg_folder),
    )
    assert code == 0 and "sheet 'Framework'" in out
    code, _, err = run_cli(
        capsys, "framework", "import", str(renamed), "--sheet", "Annex", "--folder", str(sdg_folder)
    )
    assert code == 2 and "no sheet 'Annex'" in err

    moved = make_unsd_xlsx(
        tmp_path / "moved.xlsx", goals, targets, indicators, header=("Targets", "Indicator list")
    )
    code, _, err = run_cli(capsys, "framework", "import", str(moved), "--folder", str(sdg_folder))
    assert code == 2 and "no header row" in err and "'Goals and targets" in err

    only_mark = make_unsd_xlsx(tmp_path / "mark.xlsx", goals, targets, indicators)
    book = openpyxl.load_workbook(only_mark, rich_text=True)
    sheet = book["A.RES.71.313 Annex"]
    cell = _cell_of(sheet, "11.6.2 ")
    cell.value = _superscript("11.6.2 ", "3")
    book.save(only_mark)
    with pytest.raises(DataFileError) as info:
        import_unsd(only_mark, sdg_folder)
    problem = info.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == (
        "A.RES.71.313 Annex",
        cell.row,
        "Indicators",
    )
    assert "no title, only the footnote mark 3" in problem.message
    code, _, err = run_cli(
        capsys, "framework", "import", str(only_mark), "--folder", str(sdg_folder)
    )
    assert code == 2 and f"row {cell.row}" in err and "Traceback" not in err

    bare = make_unsd_xlsx(tmp_path / "bare.xlsx", goals, targets, indicators)
    book = openpyxl.load_workbook(bare)
    sheet = book["A.RES.71.313 Annex"]
    _cell_of(sheet, "Goal 13.").value = "Goal 13. 3"
    book.save(bare)
    with pytest.raises(DataFileError, match="only a footnote mark"):
        import_unsd(bare, sdg_folder)
    assert snapshot(sdg_folder) == before


# ---------------------------------------------------------------- Japanese titles

TRANSLATIONS = [
    ("source", "name_en", "name_ja", "short_ja", "provisional"),
    ("mofa", "MOFA provisional translation", "外務省仮訳", "外務省仮訳", "yes"),
    ("soumu", "MIC provisional translation", "総務省仮訳", "総務省仮訳", "yes"),
]
JA_HEADER = ("code", "title_ja", "sources_agreeing", "sources_total", "note")


@pytest.fixture
def ja_folder(sdg_folder: Path) -> Path:
    write_csv(sdg_folder / "translations.csv", TRANSLATIONS)
    return sdg_folder


def test_import_japanese_sets_titles_with_provenance(capsys, ja_folder, tmp_path):
    table = tmp_path / "ja.csv"
    write_csv(
        table,
        [
            JA_HEADER,
            ("1.5", "災害に対する貧困層の強靱性", "3", "3", ""),
            (
                "11.a.1",
                "国家都市政策を持つ国の数",
                "1",
                "1",
                "current (2025) English differs from the wording this 仮訳 translates: ...",
            ),
            ("1.5.1", "災害による死者数", "2", "2", ""),
            ("13.1.1", "災害による死者数（13.1）", "1", "1", ""),
        ],
    )
    before = snapshot(ja_folder)
    code, out, _ = run_cli(
        capsys,
        "framework",
        "import-ja",
        str(table),
        "--source",
        "soumu",
        "--dry-run",
        "--folder",
        str(ja_folder),
    )
    assert code == 0 and "dry run: nothing written" in out and snapshot(ja_folder) == before
    code, out, _ = run_cli(
        capsys,
        "framework",
        "import-ja",
        str(table),
        "--source",
        "soumu",
        "--folder",
        str(ja_folder),
    )
    assert code == 0 and "1 target(s) and 3 indicator listing(s)" in out
    assert "older English wording: 1" in out and "11.a.1" in out
    fw = load_framework(ja_folder)
    target = fw.target("1.5")
    assert (target.title_ja, target.ja_source, target.ja_agreement) == (
        "災害に対する貧困層の強靱性",
        "soumu",
        "3/3",
    )
    assert fw.translation(target).name_ja == "総務省仮訳"
    assert fw.indicator("11.a.1").ja_older_wording and fw.indicator("11.a.1").older_wording(
        "11.a.1"
    )
    assert not fw.indicator("1.5.1").ja_older_wording
    # A repeated indicator: each listing keeps the title the table gives it.
    assert fw.title("1.5.1", "ja") == "災害による死者数" == fw.title("11.5.1", "ja")
    assert fw.title("13.1.1", "ja") == "災害による死者数（13.1）"
    assert fw.indicator("13.1.1").title_ja == "災害による死者数"
    assert [i.code for i in fw.search("（13.1）")] == ["1.5.1"]
    # Untouched rows keep what they had; a second run changes nothing.
    assert fw.target("11.6").title_ja == "都市の環境" and fw.target("11.6").ja_source == ""
    code, out, _ = run_cli(
        capsys,
        "framework",
        "import-ja",
        str(table),
        "--source",
        "soumu",
        "--folder",
        str(ja_folder),
    )
    assert "no changes" in out


@pytest.mark.parametrize(
    "rows, row, column, words",
    [
        ([("11.9", "未知", "1", "1", "")], 2, "code", "there is no target 11.9"),
        ([("11.6.9", "未知", "1", "1", "")], 2, "code", "target 11.6 has indicators"),
        ([("11..6", "誤り", "1", "1", "")], 2, "code", "not an SDG code"),
        ([("11", "目標", "1", "1", "")], 2, "code", "is a goal"),
        (
            [
                ("11.6", "一", "1", "1", ""),
                ("11.6.1", "二", "1", "1", ""),
                ("Target 11.6", "三", "1", "1", ""),
            ],
            4,
            "code",
            "listed twice (first in row 3)",
        ),
        ([("11.6", "", "1", "1", "")], 2, "title_ja", "empty"),
        ([("11.6", "都市", "3", "2", "")], 2, "sources_total", "agreeing"),
        ([("11.6", "都市", "x", "2", "")], 2, "sources_agreeing", "agreeing"),
    ],
)
def test_import_japanese_refuses_bad_tables_with_file_row_and_column(
    capsys, ja_folder, tmp_path, rows, row, column, words
):
    table = tmp_path / "ja.csv"
    write_csv(table, [JA_HEADER, ("11.a", "都市と農村", "1", "1", ""), *rows])
    before = snapshot(ja_folder)
    with pytest.raises(DataFileError) as info:
        import_japanese(table, "mofa", ja_folder)
    problem = next(p for p in info.value.problems if words in str(p))
    assert (Path(str(problem.file)).name, problem.row, problem.column) == (
        "ja.csv",
        row + 1,
        column,
    )
    code, _, err = run_cli(
        capsys, "framework", "import-ja", str(table), "--source", "mofa", "--folder", str(ja_folder)
    )
    assert code == 2 and f"row {row + 1}, column '{column}'" in err and "Traceback" not in err
    assert snapshot(ja_folder) == before


def test_import_japanese_needs_a_known_translation_and_a_code_column(capsys, ja_folder, tmp_path):
    table = tmp_path / "ja.csv"
    write_csv(table, [JA_HEADER, ("11.a", "都市と農村", "1", "1", "")])
    code, _, err = run_cli(
        capsys,
        "framework",
        "import-ja",
        str(table),
        "--source",
        "unesco",
        "--folder",
        str(ja_folder),
    )
    assert code == 2 and "unknown translation 'unesco'" in err and "mofa, soumu" in err
    write_csv(table, [("target", "title"), ("11.a", "都市と農村")])
    code, _, err = run_cli(
        capsys, "framework", "import-ja", str(table), "--source", "mofa", "--folder", str(ja_folder)
    )
    assert code == 2 and "row 1" in err and "code, title_ja" in err


def test_provenance_columns_are_validated(ja_folder):
    targets = [
        list(r) + (["ja_source", "ja_agreement"] if i == 0 else ["", ""])
        for i, r in enumerate(TARGETS)
    ]
    targets[3][4:6] = ["unesco", "2/3"]  # 11.6: unknown source
    targets[1][4:6] = ["mofa", ""]  # 1.5: a source but no Japanese title
    write_csv(ja_folder / "targets.csv", targets)
    indicators = [
        list(r) + (["ja_source", "ja_agreement", "ja_older_wording"] if i == 0 else ["", "", ""])
        for i, r in enumerate(INDICATORS)
    ]
    indicators[3][5:8] = ["mofa", "3/2", "maybe"]  # 11.6.1
    write_csv(ja_folder / "indicators.csv", indicators)
    write_csv(ja_folder / "translations.csv", [*TRANSLATIONS, ("mofa", "again", "再", "再", "no")])
    problems = _problems(ja_folder)
    assert "mofa, soumu" in str(_find(problems, "targets.csv", 4, "ja_source"))
    assert "says where" in _find(problems, "targets.csv", 2, "title_ja").message
    assert "e.g. 2/3" in str(_find(problems, "indicators.csv", 4, "ja_agreement"))
    assert "yes" in str(_find(problems, "indicators.csv", 4, "ja_older_wording"))
    assert "twice" in _find(problems, "translations.csv", 4, "source").message


def test_fold_typography():
    assert fold_typography(
        "under\u20115, 2015\u20132030, women\u2019s \u201cbest\u201d\n\u00a0x"
    ) == ('under-5, 2015-2030, women\'s "best" x')


# ---------------------------------------------------------------- the real data

OFFICIAL_COLOURS = (
    "#E5243B #DDA63A #4C9F38 #C5192D #FF3A21 #26BDE2 #FCC30B #A21942 #FD6925 "
    "#DD1367 #FD9D24 #BF8B2E #3F7E44 #0A97D9 #56C02B #00689D #19486A"
).split()
# goal -> (numbered targets, lettered targets) in A/RES/70/1
TARGET_SHAPE = {
    1: (5, 2), 2: (5, 3), 3: (9, 4), 4: (7, 3), 5: (6, 3), 6: (6, 2), 7: (3, 2),
    8: (10, 2), 9: (5, 3), 10: (7, 3), 11: (7, 3), 12: (8, 3), 13: (3, 2),
    14: (7, 3), 15: (9, 3), 16: (10, 2), 17: (19, 0),
}  # fmt: skip


@pytest.fixture(scope="module")
def real_fw():
    return load_framework(default_folder())


SOURCE = default_folder() / "source"
UNSD_FILE = SOURCE / "Global-Indicator-Framework-after-2025-review-English.xlsx"


class Official:
    """The UN's spreadsheet read cell by cell, independently of vlr_tools' importer.

    Titles keep whatever follows the code, footnote digits included, so that
    the comparison with the shipped data is exact.
    """

    def __init__(self, path: Path) -> None:
        import warnings

        import openpyxl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            rows = [
                [" ".join(str(v).split()) if v else "" for v in r]
                for r in book["A.RES.71.313 Annex"].iter_rows(values_only=True)
            ]
            book.close()
        start = next(i for i, r in enumerate(rows) if "Indicators" in r)
        goal_col, ind_col = (
            rows[start].index(next(c for c in rows[start] if c.startswith("Goals"))),
            rows[start].index("Indicators"),
        )
        code_col = ind_col + 1
        self.goals: dict[str, str] = {}
        self.targets: dict[str, str] = {}
        self.listings: dict[str, str] = {}
        self.unsd_codes: dict[str, str] = {}
        self.footnotes: dict[str, str] = {}
        for row in rows[start + 1 :]:
            left, right = row[goal_col], row[ind_col]
            if m := re.match(r"Goal (\d+)\. (.+)", left):
                self.goals[m[1]] = m[2]
            elif m := re.match(r"(\d+\.\w+) (.+)", left):
                self.targets[m[1]] = m[2]
            elif m := re.match(r"(\d) (.+)", left):
                self.footnotes[m[1]] = left
            if m := re.match(r"(\d+\.\w+\.\d+) (.+)", right):
                self.listings[m[1]] = m[2]
                self.unsd_codes[m[1]] = row[code_col]


@pytest.fixture(scope="module")
def official():
    return Official(UNSD_FILE)


def _ja_table(name: str) -> list[dict[str, str]]:
    with (SOURCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _raw(title: str, footnote: str) -> str:
    """The cell text of a title: the title, then its footnote's mark, if any."""
    return title + (footnote.split()[0] if footnote else "")


def test_goals_have_japanese_titles_short_names_and_official_colours():
    rows = list(csv.DictReader((default_folder() / "goals.csv").open(encoding="utf-8")))
    assert [int(r["goal"]) for r in rows] == list(range(1, 18))
    assert [r["colour"] for r in rows] == OFFICIAL_COLOURS
    assert all(r["title_ja"] and r["short_ja"] and r["short_en"] for r in rows)
    assert rows[0]["title_en"] == "End poverty in all its forms everywhere"
    assert rows[0]["short_ja"] == "貧困をなくそう"


def test_real_framework_counts(real_fw, official):
    counts = real_fw.counts()
    assert counts["goals"] == len(official.goals) == 17
    assert counts["targets"] == len(official.targets) == 169
    # The framework after the UN's 2025 comprehensive review.
    assert counts["listings"] == len(official.listings) == 251
    assert counts["indicators"] == len(set(official.unsd_codes.values())) == 235
    for goal, (numbered, lettered) in TARGET_SHAPE.items():
        expected = [f"{goal}.{n}" for n in range(1, numbered + 1)]
        expected += [f"{goal}.{chr(97 + n)}" for n in range(lettered)]
        assert [t.code for t in real_fw.children(goal)] == expected


def test_real_framework_structure(real_fw):
    # Every target has an indicator again: the 2025 review added 11.c.1.
    assert [t.code for t in real_fw.targets if not real_fw.children(t.code)] == []
    for code in ("2.2.4", "8.9.2", "11.c.1"):
        assert real_fw.indicator(code).code == code
    assert real_fw.indicator("13.1.1") is real_fw.indicator("1.5.1") is real_fw.indicator("11.5.1")
    assert real_fw.goal(11).title_en == (
        "Make cities and human settlements inclusive, safe, resilient and sustainable"
    )
    assert real_fw.hlpf_goals(2025) == (3, 5, 8, 14, 17)
    assert all(17 in real_fw.hlpf_goals(y) for y in real_fw.hlpf_years())
    assert "verify" in real_fw.hlpf_note(2026)


def test_real_export_matches_the_un_spreadsheet(capsys, real_fw, official):
    code, out, _ = run_cli(capsys, "framework", "export")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    levels = [r["level"] for r in rows]
    assert levels.count("goal") == 17 and levels.count("target") == 169
    assert levels.count("indicator") == real_fw.counts()["listings"] == 251
    assert len({r["indicator_id"] for r in rows if r["level"] == "indicator"}) == len(
        real_fw.indicators
    )
    sheet = {"goal": official.goals, "target": official.targets, "indicator": official.listings}
    for row in rows:
        assert _raw(row["title_en"], row["footnote"]) == sheet[row["level"]][row["code"]]
    assert [r["code"] for r in rows if r["level"] == "indicator"] == list(official.listings)


def test_real_show_11_6_2(capsys):
    code, out, _ = run_cli(capsys, "framework", "show", "11.6.2")
    assert code == 0 and "fine particulate matter" in out and "Target 11.6" in out
    code, out, _ = run_cli(capsys, "framework", "show", "11.6.2", "--lang", "ja")
    assert code == 0 and "指標11.6.2" in out and "目標11" in out


def test_cli_search_help_examples_find_something(capsys):
    import shlex

    with pytest.raises(SystemExit):
        main(["framework", "search", "--help"])
    help_text = capsys.readouterr().out
    examples = [
        line.strip() for line in help_text.splitlines() if line.strip().startswith("vlr framework")
    ]
    assert len(examples) >= 2 and any("--in ja" in e for e in examples)
    for example in examples:
        code, out, _ = run_cli(capsys, *shlex.split(example)[1:])
        assert code == 0 and out.strip(), example


# ---------------------------------------------------------------- the shipped data against the sources of record


def test_sources_of_record_are_unchanged():
    """The copies in data/reference/sdg/source/ are byte for byte the files received."""
    import hashlib

    readme = (SOURCE / "README.md").read_text(encoding="utf-8")
    files = [p for p in SOURCE.iterdir() if p.name not in ("README.md", ".gitattributes")]
    assert {p.name for p in files} == {
        "Global-Indicator-Framework-after-2025-review-English.xlsx",
        "sdg_targets_ja.csv",
        "sdg_indicators_ja.csv",
        "SOURCES_ja.md",
    }
    for path in files:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert f"`{path.name}`" in readme and digest in readme, path.name
    # The Japanese tables arrived with CRLF line ends; git must not convert them.
    assert b"\r\n" in (SOURCE / "sdg_targets_ja.csv").read_bytes()


def test_english_titles_match_the_un_spreadsheet_word_for_word(real_fw, official):
    goals = {g.code: g for g in real_fw.goals}
    assert set(goals) == set(official.goals)
    for code, goal in goals.items():
        assert _raw(goal.title_en, goal.footnote) == official.goals[code], code
    targets = {t.code: t for t in real_fw.targets}
    assert set(targets) == set(official.targets)
    for code, target in targets.items():
        assert _raw(target.title_en, target.footnote) == official.targets[code], code
    listings = {code: real_fw.indicator(code) for i in real_fw.indicators for code in i.codes}
    assert set(listings) == set(official.listings)
    for code, indicator in listings.items():
        assert _raw(indicator.title_en, indicator.footnote) == official.listings[code], code
    # Footnotes are the sheet's own lines, and only marked titles have one.
    noted = [i for i in (*real_fw.goals, *real_fw.targets, *real_fw.indicators) if i.footnote]
    assert noted and all(i.footnote in official.footnotes.values() for i in noted)
    # A title whose cell ends in a footnote's number ("... its impacts3") is stored
    # without it, and the footnote is kept.
    cells = [
        *((goals[c], t) for c, t in official.goals.items()),
        *((targets[c], t) for c, t in official.targets.items()),
        *((listings[c], t) for c, t in official.listings.items()),
    ]
    marked = 0
    for item, text in cells:
        if (m := re.search(r"[a-z]([0-9])$", text)) and m[1] in official.footnotes:
            assert item.title_en == text[:-1] and item.footnote == official.footnotes[m[1]]
            marked += 1
    assert marked == len(noted)


def test_repeated_indicators_follow_the_unsd_codes(real_fw, official):
    """same_as groups are exactly the listings that share a UNSD indicator code."""
    by_unsd: dict[str, set[str]] = {}
    for code, unsd in official.unsd_codes.items():
        by_unsd.setdefault(unsd, set()).add(code)
    assert sorted(map(sorted, by_unsd.values())) == sorted(
        sorted(i.codes) for i in real_fw.indicators
    )


def test_japanese_target_titles_are_the_provisional_translation(real_fw):
    rows = _ja_table("sdg_targets_ja.csv")
    assert len(rows) == len(real_fw.targets)
    for row in rows:
        target = real_fw.target(row["code"])
        assert target.title_ja == row["title_ja"].strip(), row["code"]
        assert target.ja_source == "mofa"
        assert target.ja_agreement == f"{row['sources_agreeing']}/{row['sources_total']}"
        assert real_fw.translation(target).provisional


def test_japanese_indicator_titles_keep_their_provenance(real_fw):
    rows = _ja_table("sdg_indicators_ja.csv")
    for row in rows:
        indicator = real_fw.indicator(row["code"])
        assert indicator.listing_title(row["code"], "ja") == row["title_ja"].strip()
        older = "English differs from the wording" in row["note"]
        assert indicator.older_wording(row["code"]) == older, row["code"]
        assert real_fw.title(row["code"], "ja") == row["title_ja"].strip()
    older_rows = {r["code"] for r in rows if "English differs from the wording" in r["note"]}
    assert older_rows and older_rows <= {c for i in real_fw.indicators for c in i.codes}
    # An indicator is missing only when none of its listings has a title.
    titled = {r["code"] for r in rows}
    expected = {i.code for i in real_fw.indicators if not titled & set(i.codes)}
    missing = real_fw.missing_japanese()
    assert set(missing["code"]) == expected
    assert 0 < len(missing) <= 27
    assert set(missing["level"]) == {"indicator"}


def test_cli_show_prints_japanese_target_and_indicator_titles(capsys, real_fw):
    code, out, _ = run_cli(capsys, "framework", "show", "11.6", "--lang", "ja")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "ターゲット11.6" and lines[1].strip() == real_fw.target("11.6").title_ja
    assert "外務省" in lines[2] and "仮訳" in lines[2]
    for listing in real_fw.listings("11.6"):
        assert f"{listing}  {real_fw.title(listing, 'ja')}" in out
    code, out, _ = run_cli(capsys, "framework", "show", "11.6.2", "--lang", "ja")
    assert code == 0
    assert out.splitlines()[1].strip() == real_fw.indicator("11.6.2").title_ja
    assert "English; no official Japanese title" not in out
    # An indicator without a Japanese title says so, and is listed by missing-ja.
    code, out, _ = run_cli(capsys, "framework", "show", "11.c.1", "--lang", "ja")
    assert "English; no official Japanese title" in out
    code, out, _ = run_cli(capsys, "framework", "missing-ja")
    assert code == 0 and "11.c.1" in out and "11.6.2" not in out


def test_cli_show_marks_a_translation_of_an_older_wording(capsys, real_fw):
    older = next(
        c
        for i in real_fw.indicators
        for c in i.codes
        if i.older_wording(c) and i.listing_title(c, "ja") != i.title_en
    )
    code, out, _ = run_cli(capsys, "framework", "show", older, "--lang", "ja")
    assert code == 0 and "旧い英語表記" in out and real_fw.indicator(older).title_en in out
    code, out, _ = run_cli(capsys, "framework", "show", "14.6")
    assert "Footnote in the UN's file: 3 Taking into account" in out


def test_reimporting_the_sources_of_record_changes_nothing(tmp_path):
    """The shipped files are what the importers make of the sources of record."""
    import shutil

    folder = tmp_path / "sdg"
    shutil.copytree(default_folder(), folder, ignore=shutil.ignore_patterns("source", "parts"))
    before = snapshot(folder)
    report = import_unsd(UNSD_FILE, folder)
    assert report.changes == () and not report.written
    assert any("footnote '2 Acknowledging" in w for w in report.warnings)
    ja = import_japanese(SOURCE / "sdg_targets_ja.csv", "mofa", folder)
    assert ja.changed == () and ja.targets == 169
    ja = import_japanese(SOURCE / "sdg_indicators_ja.csv", "soumu-2018", folder)
    assert ja.changed == () and ja.indicators == 224
    assert snapshot(folder) == before
