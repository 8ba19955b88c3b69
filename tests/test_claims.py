"""Claims against data: figures, trends and statuses of a draft checked against its indicator table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from vlr_tools.cities import CLAIM_KINDS, load_city
from vlr_tools.claims import (
    CHECK_KINDS,
    Claim,
    Link,
    check_claims,
    confirmed_checks,
    decide_claim,
    extract_claims,
    link_claim,
    read_claims,
    read_clause,
)
from vlr_tools.claims.scoring import score_claims
from vlr_tools.documents import draft_from_text
from vlr_tools.errors import ClaimError, DataFileError
from vlr_tools.indicators.table import LocalIndicator, Observation
from vlr_tools.review import open_review

# -- reading one sentence ----------------------------------------------------------------


def _figures(text: str) -> list[tuple[float, str, int | None]]:
    return [(f.value, f.unit_kind, f.year) for f in read_clause(text).figures]


def test_a_value_with_unit_and_year_and_a_change_from_to():
    assert _figures("Piped water reached 82% of households in 2023.") == [(82.0, "percent", 2023)]
    found = read_clause("Households with piped water rose from 64% in 2018 to 82% in 2023.")
    assert [(f.value, f.year, f.role) for f in found.figures] == [
        (64.0, 2018, "from"),
        (82.0, 2023, "to"),
    ]


def test_japanese_change_arrow_and_particles():
    found = read_clause("2018年の64%から2023年には82%に上昇した")
    assert [(f.value, f.year, f.role) for f in found.figures] == [
        (64.0, 2018, "from"),
        (82.0, 2023, "to"),
    ]
    arrow = read_clause("世帯貧困率 12.4%（2018年）→ 9.8%（2022年）")
    assert [(f.value, f.year) for f in arrow.figures] == [(12.4, 2018), (9.8, 2022)]


def test_a_period_gives_the_years_of_a_change_and_units_are_shared():
    found = read_clause(
        "The under-five mortality rate fell from 14.6 to 11.2 per 1,000 live births "
        "between 2019 and 2023."
    )
    assert [(f.value, f.unit_kind, f.year) for f in found.figures] == [
        (14.6, "per_1000", 2019),
        (11.2, "per_1000", 2023),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "See page 12 and section 4.6 of Chapter 3.",
        "Call +63 900 000 0123 or tel. (072) 888 1234.",
        "RA 9003 and Republic Act 10121 apply since 28 November 2024.",
        "SDGs 1, 3, 4 and 17 are covered; targets 11.6 and 6.1; indicator 11.6.2.",
        "Introduction ........................................ 4",
        "The review covers 2018 to 2024 and the CDP 2018–2026.",
        "Two thirds of households and 三割 of youth.",
        "Youth aged 15-24 and the adolescent birth rate (15–19).",
        "(1) waste, (2) early warning, (3) open data",
        "共和国法第9003号と第2回VLR（第1版）",
    ],
)
def test_numbers_that_are_not_claims_give_no_figure(text):
    assert read_clause(text).figures == []


def test_approximations_ranges_bounds_and_japanese_numerals_are_marked():
    figs = read_clause(
        "About 80% of households, 70–75% of schools, more than 50 percent of barangays; "
        "1万2千人 attended and the budget was 3億6,200万ペソ."
    ).figures
    about, rng, bound, people, money = figs
    assert about.approximate and not about.exact
    assert (rng.low, rng.high) == (70.0, 75.0) and not rng.exact
    assert bound.bound == "min"
    assert people.value == 12000 and people.unit_kind == "count"
    assert money.value == 362_000_000 and money.unit_kind == "money"


def test_a_change_amount_is_not_a_level():
    assert read_clause("Poverty rose by 5 percentage points; visitors grew 3 times.").figures == []


# -- claims of a draft ---------------------------------------------------------------------

DRAFT = """# SDG 6: Clean water

**Status: On track.**

Households with piped water rose from 64 percent in 2018 to 82 percent in 2023. It stood at
82 percent when the survey closed.

The number of road deaths fell between 2019 and 2023.

| ID | Indicator | Baseline | Latest | Status |
|---|---|---|---|---|
| TC-IND-01 | Households with piped water (%) | 64 (2018) | 80 (2023) | On track |

| Indicator | 2019 | 2021 | 2023 | Trend |
|---|---|---|---|---|
| Road deaths per 100,000 | 9.1 | 8.8 | 9.4 | Worsening |
"""


def _indicator(id_: str, name: str, unit: str, goal: int, values, target=None, code=()):
    years = sorted(values)
    series = tuple(
        Observation(year=y, value=v, text=str(v), column=str(y)) for y, v in sorted(values.items())
    )
    return LocalIndicator(
        id=id_,
        name=name,
        goal=goal,
        unit=unit,
        global_codes=tuple(code),
        baseline_year=years[0],
        baseline_value=values[years[0]],
        latest_year=years[-1],
        latest_value=values[years[-1]],
        target_2030=target,
        row=len(id_),
        series=series,
        sheet="Indicators",
    )


TABLE = [
    _indicator("TC-IND-01", "Households with piped water", "% of households", 6,
               {2018: 64, 2023: 80}, target=100, code=("6.1.1",)),
    _indicator("TC-IND-02", "Road deaths", "per 100,000 population", 3,
               {2019: 9.1, 2021: 8.8, 2023: 9.4}, target=4),
]  # fmt: skip


def _run(text: str = DRAFT, table=TABLE):
    from vlr_tools.claims.link import Linker

    draft = draft_from_text(text, markdown=True)
    claims = extract_claims(draft, known_ids=[i.id for i in table])
    links = Linker(table).link_all(claims)
    return claims, links, check_claims(claims, links, table, table_name="tc.xlsx")


def test_text_and_table_rows_become_claims_with_page_paragraph_and_words():
    claims, links, _checks = _run()
    texts = {c.text for c in claims}
    assert any("rose from 64 percent" in t for t in texts)
    rows = [c for c in claims if c.source == "table"]
    assert {c.ids for c in rows if c.ids} == {("TC-IND-01",)}
    year_row = next(c for c in rows if not c.ids)
    assert [(f.year, f.value) for f in year_row.figures] == [(2019, 9.1), (2021, 8.8), (2023, 9.4)]
    status = next(c for c in claims if c.status == "on_track" and c.source == "text")
    assert status.goal == 6  # a "Status:" line in the SDG 6 section
    assert all(c.page == 1 and c.ref.startswith("p1.") for c in claims)


def test_the_five_checks_and_the_pronoun_sentence():
    claims, links, checks = _run()
    kinds = {(c.kind, c.indicator) for c in checks}
    # 82 in the text vs 80 in the table (2023), and the row's "80 (2023)" agrees
    assert ("value_differs", "TC-IND-01") in kinds
    # "fell between 2019 and 2023" while 9.1 -> 9.4
    assert ("trend_contradicts", "TC-IND-02") in kinds
    # On track: 64 -> 80 over 5 years reaches about 102 by 2030, so the row is supported
    assert ("status_unsupported", "TC-IND-01") not in kinds
    pronoun = next(c for c in claims if c.text.startswith("It stood"))
    assert links[pronoun.id].indicator == "TC-IND-01"
    assert "continues the sentence before" in links[pronoun.id].reasons[0]
    differs = next(c for c in checks if c.kind == "value_differs")
    assert "0.5" in differs.reason_en and differs.reason_ja
    assert differs.table.startswith("80") and "tc.xlsx" in differs.table_where


def test_rounding_as_written_is_not_a_difference():
    """80.4 against a table's 80, and 80 against 80.3: each within half a unit of its last digit."""
    text = (
        "Households with piped water reached 80.4 percent in 2023.\n\n"
        "Households with piped water were at 80 percent in 2022.\n\n"
        "Households with piped water were at 80.6 percent in 2021.\n"
    )
    table = [
        _indicator(
            "TC-IND-01", "Households with piped water", "%", 6, {2021: 80.3, 2022: 80.3, 2023: 80}
        )
    ]
    _claims, _links, checks = _run(text, table)
    (differs,) = [c for c in checks if c.kind == "value_differs"]
    assert differs.quote == "80.6 percent"  # 80.3 is written to one decimal: 0.05 either way
    assert "0.05" in differs.reason_en


def test_status_checks_on_goals_and_indicators():
    text = (
        "SDG 17 is on track. SDG 6 is on track.\n\n"
        "Road deaths have achieved the target.\n\n"
        "The share of women in council seats is on track.\n"
    )
    table = [
        TABLE[0],
        TABLE[1],
        _indicator("TC-IND-03", "Women in council seats", "%", 5, {2023: 30.0}, target=None),
    ]
    _claims, _links, checks = _run(text, table)
    got = {(c.kind, c.indicator, c.goal) for c in checks}
    assert ("status_unsupported", "", 17) in got  # no SDG 17 indicator at all
    assert ("status_unsupported", "TC-IND-02", None) in got  # 9.4 has not reached 4
    assert ("status_unsupported", "TC-IND-03", None) in got  # no target to be on track to
    assert not any(c.goal == 6 for c in checks)  # TC-IND-01 is on course to 100


def test_older_year_and_two_values_for_one_year():
    text = (
        "Road deaths stood at 9.1 per 100,000 population in 2019.\n\n"
        "Road deaths were 9.0 per 100,000 population in 2022.\n\n"
        "In 2022, road deaths reached 9.6 per 100,000 population.\n"
    )
    _claims, _links, checks = _run(text)
    kinds = [c.kind for c in checks]
    assert "older_year" in kinds  # 2019 quoted as current, the table has 2023
    disagree = next(c for c in checks if c.kind == "values_disagree")
    assert disagree.other_page == 1 and disagree.other_quote.startswith("9.6")
    assert "2022" in disagree.reason_en


def test_units_of_another_kind_are_not_compared():
    text = "Road deaths were 94 per 1,000 population in 2023; 12 road deaths in 2021."
    _claims, _links, checks = _run(text)
    assert [c for c in checks if c.kind == "value_differs"] == []


def test_a_table_with_no_year_columns_gives_no_alarm():
    text = "| Issue | Share |\n|---|---|\n| Households with piped water | 61% |\n| Road deaths | 29% |\n"
    _claims, _links, checks = _run(text)
    assert checks == []


def test_an_ambiguous_sentence_is_asked_never_chosen():
    table = [
        _indicator("TC-IND-01", "Households with safe water", "%", 6, {2018: 70, 2022: 80}),
        _indicator("TC-IND-02", "Households with safe toilets", "%", 6, {2018: 60, 2022: 75}),
    ]
    _claims, links, checks = _run(
        "Households with safe facilities reached 90 percent in 2022.", table
    )
    (which,) = checks
    assert which.kind == "which_indicator"
    assert set(which.candidates) == {"TC-IND-01", "TC-IND-02"}
    assert not any(link.indicator for link in links.values())


def test_with_no_indicator_table_only_the_texts_own_values_are_compared():
    claims = [
        Claim("p1.1#1", 1, "p1.1", "a", figures=read_clause("9 in 2022").figures),
    ]
    assert check_claims(claims, {"p1.1#1": Link("p1.1#1")}, None) == []


# -- the sample cities and their answer keys -------------------------------------------------


def test_answer_key_kinds_are_the_check_kinds():
    assert CLAIM_KINDS == CHECK_KINDS


@pytest.mark.parametrize(
    "city,version", [("santa-rosa", "v1"), ("san-fernando", "v1"), ("san-fernando", "v2")]
)
def test_every_planted_inconsistency_is_found_with_few_false_alarms(
    sample_review, workspace, city, version
):
    rv = open_review(workspace, sample_review(city, version).id)
    report = read_claims(rv)
    score = score_claims(city, version, checks=report.checks)
    assert score["missed"] == [], score
    assert len(score["false_alarms"]) <= 3, score["false_alarms"]
    assert score["inconsistencies"] >= 5


def _with_values(path: Path, changes: dict[str, dict[str, str]]) -> str:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        row.update(changes.get(row["ID"], {}))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_changing_table_values_flags_exactly_the_claims_about_those_indicators(
    sample_review, workspace, tmp_path
):
    from vlr_tools.intake import import_indicators

    rid = sample_review("santa-rosa", "v1").id
    before = read_claims(open_review(workspace, rid)).checks
    source = load_city("santa-rosa").folder / "sources" / "indicators.csv"
    changed = {
        "SR-IND-01": {"Latest value": "65"},  # maternal mortality 71 -> 65 (2023)
        "SR-IND-15": {"Latest value": "35"},  # river stations 40 -> 35: now worse, not better
        "SR-IND-29": {"Baseline value": "41"},  # diversion 38 -> 41 (2018)
    }
    edited = tmp_path / "indicators.csv"
    edited.write_text(_with_values(source, changed), encoding="utf-8")
    import_indicators(workspace, rid, edited)
    after = read_claims(open_review(workspace, rid)).checks
    new = [c for c in after if c.id not in {b.id for b in before}]
    assert {c.indicator for c in new} == set(changed)
    # every place the draft quotes an old value is cited: the goal sections and Annex A
    cited = {(c.indicator, p) for c in new for p in c.pages}
    assert {("SR-IND-01", 12), ("SR-IND-01", 26)} <= cited
    assert {("SR-IND-15", 14), ("SR-IND-15", 26)} <= cited
    assert {("SR-IND-29", 18), ("SR-IND-29", 27)} <= cited
    kinds = {(c.indicator, c.kind) for c in new}
    assert ("SR-IND-15", "trend_contradicts") in kinds  # "Progressing" and "improves"
    assert ("SR-IND-01", "value_differs") in kinds
    # what was found before about other indicators is still found
    assert {b.id for b in before} <= {a.id for a in after}


# -- decisions ---------------------------------------------------------------------------------


def test_confirm_dismiss_and_link_are_saved_with_the_review(sample_review, workspace):
    rid = sample_review("santa-rosa", "v1").id
    rv = open_review(workspace, rid)
    report = read_claims(rv, save=True)
    first, second = report.checks[:2]
    with pytest.raises(ClaimError, match="reason is required"):
        decide_claim(workspace, rid, second.id, "dismissed", note="  ")
    with pytest.raises(ClaimError, match="allowed: confirmed, dismissed"):
        decide_claim(workspace, rid, first.id, "maybe")
    with pytest.raises(ClaimError, match="no figure check 'F000000'"):
        decide_claim(workspace, rid, "F000000", "confirmed")
    decide_claim(workspace, rid, first.id, "confirmed", note="Ask the CPDO", reviewer="A")
    decide_claim(workspace, rid, second.id, "dismissed", note="Provincial figure", reviewer="B")
    confirmed, dismissed = confirmed_checks(workspace, rid)
    assert [(c.id, c.note, c.decided_by) for c in confirmed] == [(first.id, "Ask the CPDO", "A")]
    assert [(c.id, c.note) for c in dismissed] == [(second.id, "Provincial figure")]
    again = read_claims(open_review(workspace, rid))
    assert {c.id: c.status for c in again.checks}[second.id] == "dismissed"
    assert len(again.open_checks) == len(report.checks) - 2
    claim = report.claims[0].id
    with pytest.raises(ClaimError, match="no indicator 'XX-1'"):
        link_claim(workspace, rid, claim, "XX-1")
    assert link_claim(workspace, rid, claim, "sr-ind-01") == "SR-IND-01"
    linked = read_claims(open_review(workspace, rid)).links[claim]
    assert linked.indicator == "SR-IND-01" and linked.chosen_by


def test_a_bad_claims_settings_file_names_the_key(tmp_path):
    from vlr_tools.claims.settings import claim_settings

    path = tmp_path / "claims.yaml"
    path.write_text("units:\n  furlongs: [furlong]\ntrend:\n  up:\n    fr: [monte]\n", "utf-8")
    with pytest.raises(DataFileError) as err:
        claim_settings(path)
    text = str(err.value)
    assert "furlongs" in text and "allowed:" in text and "'fr'" in text


# -- the command line ------------------------------------------------------------------------


def test_cli_lists_confirms_and_dismisses(tmp_path, capsys):
    from vlr_tools.cli import main

    ws = str(tmp_path / "ws")
    assert (
        main(["claims", "--city", "san-fernando", "--version", "v2", "--workspace", ws, "--score"])
        == 0
    )
    out = capsys.readouterr().out
    assert "Value differs from the table" in out and "79.8 percent" in out
    assert "false alarm(s)" in out and "missed" not in out
    check_id = next(line.split()[0] for line in out.splitlines() if "Value differs" in line)
    from vlr_tools.workspace import open_workspace

    with open_workspace(ws) as w:
        (review,) = w.reviews("san-fernando")
    assert main(["claims", "dismiss", review.id, check_id, "--workspace", ws]) == 2
    assert "reason is required" in capsys.readouterr().err
    assert (
        main(["claims", "confirm", review.id, check_id, "--workspace", ws, "--reviewer", "R"]) == 0
    )
    assert "confirmed by R" in capsys.readouterr().out
    assert main(["claims", "--review", review.id, "--workspace", ws, "--lang", "ja", "--all"]) == 0
    out = capsys.readouterr().out
    assert "確認すべき数値" in out and "確認済み" in out


# -- a city that is not a sample ---------------------------------------------------------------

JA_DRAFT = """# 目標6 安全な水とトイレを世界中に

評価：順調。

安全な飲料水を利用できる世帯の割合は、2018年の64%から2023年には82%に上昇した。

汚水処理人口普及率は約8割で、下水道の整備は三割程度の地区に留まる。

# 目標11 住み続けられるまちづくりを

ごみの資源化率は2019年の38%から2023年には35%に改善した。
"""

JA_TABLE = """指標ID,指標名,定義,単位,SDGs目標,グローバル指標,基準年,基準値,最新年,最新値,2030年目標,出典,内訳,備考
TS-01,安全な飲料水を利用できる世帯の割合,安全に管理された飲料水を利用できる世帯の割合,%,6,6.1.1,2018,64,2023,80,95,市水道局,なし,
TS-02,ごみの資源化率,ごみの総排出量に占める資源化量の割合,%,11,11.6.1,2019,38,2023,35,50,市環境局,なし,
"""


def test_a_japanese_draft_of_a_new_city(workspace, tmp_path):
    from vlr_tools.intake import add_city, add_draft, import_indicators, start_review

    draft = tmp_path / "draft.md"
    draft.write_text(JA_DRAFT, encoding="utf-8")
    table = tmp_path / "indicators.csv"
    table.write_text(JA_TABLE, encoding="utf-8")
    add_city(workspace, "minato", "Minato Test City")
    add_draft(workspace, "minato", draft, version="v1", lang="ja")
    rid = start_review(workspace, "minato", "v1", map_now=False, precheck_now=False).review.id
    import_indicators(workspace, rid, table)
    report = read_claims(open_review(workspace, rid))
    got = {(c.kind, c.indicator) for c in report.checks}
    assert ("value_differs", "TS-01") in got  # 82% in the text, 80 in the table (2023)
    assert ("trend_contradicts", "TS-02") in got  # 「改善」 while 38 -> 35 with a target of 50
    assert all("約8割" not in c.quote and "三割" not in c.quote for c in report.checks)
    differs = next(c for c in report.checks if c.kind == "value_differs")
    assert "2023年" in differs.reason_ja and "指標表" in differs.reason_ja
