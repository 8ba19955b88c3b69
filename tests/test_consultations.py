"""Consultation logs: import and validation, workspace, analysis, privacy-safe export, CLI."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from vlr_tools.cities import load_city
from vlr_tools.cli import main
from vlr_tools.consultations import (
    PERSONAL_FIELDS,
    Consultation,
    Participant,
    coverage_figure,
    coverage_matrix,
    coverage_summary,
    engagement_findings,
    engagement_summary,
    export_consultations,
    groups_not_consulted,
    iap2_distribution,
    inputs_without_response,
    lnob_not_consulted,
    load_consultations,
    load_participants,
    participation,
    pseudonym,
    read_consultation_log,
    save_consultations,
    sdg_comparison,
    timeline,
    validate_consultation,
    validation_status,
)
from vlr_tools.consultations.analysis import draft_dates_for_city
from vlr_tools.consultations.parsing import parse_count, parse_date, parse_groups, parse_sdgs
from vlr_tools.consultations.vocab import get_engagement, load_engagement
from vlr_tools.errors import ConsultationLogError, DataFileError
from vlr_tools.stakeholders import get_stakeholders

TODAY = dt.date(2025, 6, 30)
CITIES = ("santa-rosa", "san-fernando")
# Santa Rosa's office PC writes slashed dates month first (the log's footnote says so).
DATE_ORDER = {"santa-rosa": False, "san-fernando": None}

HEADER = [
    "Ref. No.", "Petsa / Date", "Activity", "Lugar (Venue)", "Format", "Stakeholder groups / Sektor",
    "No. of participants", None, "Youth (15-30)", "Senior citizens (60+)", "PWD present?",
    "IP present?", "Language / Wika", "SDGs discussed", "Issues raised / Mga isyu",
    "Response / How reflected in the draft", "IAP2 level", "Consent basis", "Evidence link",
]  # fmt: skip
SUBHEADER = [None] * 6 + ["Male", "Female"]


def good_row(ref: str, **over) -> list:
    row = {
        "ref": ref, "date": dt.datetime(2024, 8, 1), "title": "Youth FGD", "venue": "City hall",
        "format": "FGD", "groups": "Kabataan; PWD", "male": 10, "female": 12, "youth": 20,
        "seniors": 0, "pwd": "Oo", "ip": "No", "lang": "Filipino", "sdgs": "SDG 4; 8.6",
        "issues": "Jobs", "response": "Reflected in ch. 3", "iap2": "Consult",
        "consent": "Written consent", "evidence": "https://example.org/x",
    }  # fmt: skip
    row.update(over)
    return list(row.values())


def make_log(
    path: Path, rows: list[list], *, participants: list[list] | None = None, extra_sheets=()
) -> Path:
    """A log as a city office keeps it: merged title row, two-row header, footnote."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Consultations"
    ws.append(["CITY OF SAMPLE - VLR CONSULTATION LOG (ILLUSTRATIVE)"])
    ws.merge_cells("A1:H1")
    ws.append(HEADER)
    ws.append(SUBHEADER)
    ws.merge_cells("G2:H2")
    for row in rows:
        ws.append(row)
    ws.append([])
    ws.append(["Note: illustrative sample data prepared for a training workshop only"])
    if participants is not None:
        p = wb.create_sheet("Participants")
        p.append(["Consultation ID", "Name", "Sex", "Age group", "Sector", "Mobile", "Email"])
        for row in participants:
            p.append(row)
    for name in extra_sheets:
        wb.create_sheet(name)
    wb.save(path)
    return path


@pytest.fixture
def log(tmp_path):
    return make_log(
        tmp_path / "log.xlsx",
        [good_row("X-01"), good_row("X-02", date="Nov 28, 2024", groups="Mangingisda", iap2="")],
        participants=[
            [
                "X-01",
                "Juana Fictional",
                "F",
                "18-24",
                "Youth",
                "+63 900 000 0001",
                "juana@example.org",
            ],
            [
                "X-02",
                "Pedro Fictional",
                "M",
                "40-59",
                "Fisherfolk",
                "+63 900 000 0002",
                "pedro@example.org",
            ],
        ],
    )


def read(path, **kw):
    kw.setdefault("today", TODAY)
    return read_consultation_log(path, **kw)


# --------------------------------------------------------------------------- sample cities


@pytest.fixture(scope="module", params=CITIES)
def city_log(request):
    slug = request.param
    city = load_city(slug)
    result = read_consultation_log(city.consultations_path, dayfirst=DATE_ORDER[slug])
    key = yaml.safe_load(city.review_key_path.read_text(encoding="utf-8"))
    return slug, city, result, key


def test_sample_logs_import_cleanly(city_log):
    slug, city, result, _ = city_log
    assert result.ok, result.problems
    assert len(result.consultations) >= 10
    assert result.participants
    # every row is accounted for: valid, rejected or skipped with a warning
    assert result.rows_read == len(result.consultations) + len(result.participants) + result.skipped
    assert all(c.record_id.startswith(("SR-C", "SF-C")) for c in result.consultations)
    assert all(c.date and c.groups for c in result.consultations)


def test_santa_rosa_month_first_dates_need_the_option():
    path = load_city("santa-rosa").consultations_path
    strict = read_consultation_log(path)
    # Without a date order, only dates such as 09/10/2024 may fail, as ambiguous.
    assert all(p.message.startswith("ambiguous date") for p in strict.problems)
    guessed = read_consultation_log(path, dayfirst="auto")
    assert guessed.ok
    assert any("month first" in w.message for w in guessed.warnings)
    explicit = read_consultation_log(path, dayfirst=False)
    assert {c.record_id: c.date for c in guessed.consultations} == {
        c.record_id: c.date for c in explicit.consultations
    }


def _weaknesses(key, *kinds):
    return [w for w in key["weaknesses"] if w["kind"] in kinds]


def test_planted_groups_not_consulted_show_up(city_log):
    slug, _city, result, key = city_log
    missing = set(groups_not_consulted(result.consultations)["group"])
    planted = _weaknesses(key, "stakeholder_group_not_consulted")
    assert planted
    sh = get_stakeholders()
    for weakness in planted:
        group = sh.resolve(weakness["detail"]["group"])
        assert group in missing, (slug, group)
        matrix = coverage_matrix(result.consultations)
        assert matrix.loc[group].sum() == 0
    findings = {f.detail.get("group") for f in engagement_findings(result.consultations)}
    assert {sh.resolve(w["detail"]["group"]) for w in planted} <= findings


def test_planted_inputs_without_response_show_up(city_log):
    _slug, _city, result, key = city_log
    frame = inputs_without_response(result.consultations)
    for weakness in _weaknesses(key, "consultation_no_response"):
        missing = set(frame[frame["status"] == "missing"]["consultation"])
        assert set(weakness["detail"]["consultations"]) == missing
        vague = set(weakness["detail"].get("vague_response", []))
        assert vague <= set(frame[frame["status"] == "vague"]["consultation"])
        finding = next(
            f
            for f in engagement_findings(result.consultations)
            if f.kind == "consultation_no_response"
        )
        assert set(finding.detail["consultations"]) == set(weakness["detail"]["consultations"])


def test_planted_missing_iap2_show_up(city_log):
    _slug, _city, result, key = city_log
    planted = _weaknesses(key, "consultation_no_iap2")
    assert planted
    dist = iap2_distribution(result.consultations).set_index("level")
    for weakness in planted:
        ids = weakness["detail"]["consultations"]
        assert dist.loc["not_recorded", "count"] == len(ids)
        assert set(dist.loc["not_recorded", "consultations"].split(", ")) == set(ids)


def test_planted_no_validation_shows_up(city_log):
    slug, city, result, key = city_log
    planted = _weaknesses(key, "no_validation")
    assert planted
    dates = draft_dates_for_city(slug)
    status = validation_status(result.consultations, dates).set_index("version")
    base = key.get("version", city.drafts[0].version)
    assert not status.loc[base, "validated"]
    kinds = {
        f.kind for f in engagement_findings(result.consultations, draft_dates=dates, version=base)
    }
    assert "no_validation" in kinds
    for weakness in planted:
        if weakness.get("fixed_in"):  # San Fernando validated v1 before v2 (SF-C14)
            assert status.loc[weakness["fixed_in"], "validated"]


def test_planted_no_disaggregation_shows_up(city_log):
    _slug, _city, result, key = city_log
    planted = _weaknesses(key, "no_disaggregation")
    assert planted
    finding = next(
        f for f in engagement_findings(result.consultations) if f.kind == "no_disaggregation"
    )
    for weakness in planted:
        named = weakness["detail"].get("dimensions") or weakness["detail"].get("dimensions_missing")
        named = {d.replace(" ", "_") for d in named}
        assert finding.detail["dimensions_missing"]
        assert set(finding.detail["dimensions_missing"]) <= named


def test_sample_log_timeline_against_draft_dates():
    result = read_consultation_log(load_city("san-fernando").consultations_path)
    frame = timeline(result.consultations, draft_dates_for_city("san-fernando")).set_index(
        "consultation"
    )
    assert frame.loc["SF-C01", "stage"] == "before v1"
    assert frame.loc["SF-C14", "stage"] == "v1-v2"
    assert bool(frame.loc["SF-C14", "validation"])


def test_draft_dates_are_the_received_dates_of_the_drafts_in_the_workspace(
    workspace, sample_review
):
    from vlr_tools.consultations import draft_dates

    sample_review("san-fernando", "v2")  # the intake stores both drafts with their dates
    expected = {d.version: d.date for d in load_city("san-fernando").drafts}
    assert len(expected) == 2
    assert draft_dates(workspace, "san-fernando") == expected
    # Without a workspace, a sample city's dates come through the same intake.
    assert draft_dates_for_city("san-fernando") == expected
    # A city with no stored draft (or no date recorded) has no dates, not an error.
    assert draft_dates(workspace, "baguio") == {}
    assert draft_dates_for_city("baguio") == {}


# --------------------------------------------------------------------------- import and validation


def test_header_found_by_synonyms_under_merged_title_and_two_row_header(log):
    result = read(log)
    assert result.ok, result.problems
    first = result.consultations[0]
    assert first.record_id == "X-01"
    assert (first.male, first.female) == (10, 12)
    assert first.groups == ("youth_and_students", "persons_with_disabilities")
    assert first.pwd_present is True and first.ip_present is False
    assert first.format == "focus_group" and first.iap2 == "consult"
    assert first.sdgs == (4, 8) and first.targets == ("8.6",)
    assert result.consultations[1].date == dt.date(2024, 11, 28)
    assert result.consultations[1].iap2 is None
    # the footnote is skipped with a warning, not silently
    assert any("note" in w.message and w.row for w in result.warnings)
    assert [p.name for p in result.participants] == ["Juana Fictional", "Pedro Fictional"]
    assert result.participants[0].consultation == "X-01"
    assert result.participants[1].group == "artisanal_fisherfolk"


def test_columns_in_any_order_and_csv(tmp_path):
    path = tmp_path / "log.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Sektor", "Petsa", "Lugar", "IAP2 level", "Babae", "Lalaki", "Ref. No."])
        writer.writerow(
            [
                "Magsasaka; Kababaihan",
                "Nobyembre 28, 2024",
                "Barangay hall",
                "Involve",
                "5",
                "7",
                "C-1",
            ]
        )
    result = read(path)
    assert result.ok, result.problems
    (record,) = result.consultations
    assert record.groups == ("farmer_peasants", "women")
    assert (record.male, record.female, record.iap2) == (7, 5, "involve")


def test_every_problem_is_reported_with_location(tmp_path):
    rows = [
        good_row("X-01"),
        good_row(
            "X-02",
            date="2099-01-01",
            groups="Women; Unicorn breeders",
            male=-3,
            female="many",
            pwd="maybe",
            sdgs="SDG 18, 11.12",
            iap2="Shout",
        ),
        good_row("X-03", date="03/04/2024"),
        good_row("X-01", title="duplicate ref"),
    ]
    result = read(make_log(tmp_path / "bad.xlsx", rows))
    assert [c.record_id for c in result.consultations] == ["X-01"]
    by_column = {}
    for p in result.problems:
        assert p.file == "bad.xlsx" and p.sheet == "Consultations"
        by_column.setdefault((p.row, p.column), p)
    assert by_column[(5, "Petsa / Date")].message == "date is in the future"
    unknown = by_column[(5, "Stakeholder groups / Sektor")]
    assert "Unicorn breeders" in unknown.message and unknown.allowed
    assert (
        by_column[(5, "Male")].message == "a negative count" and by_column[(5, "Male")].value == -3
    )
    assert by_column[(5, "Female")].message == "not a number"
    assert by_column[(5, "PWD present?")].allowed.startswith("Yes or No")
    sdg = by_column[(5, "SDGs discussed")]
    assert "18" in sdg.message and "11.12" in sdg.message and "1-17" in sdg.allowed
    assert "IAP2" in by_column[(5, "IAP2 level")].message
    assert "ambiguous" in by_column[(6, "Petsa / Date")].message
    assert "same Ref. No." in by_column[(7, "Ref. No.")].message
    assert {r.row for r in result.rejected} == {5, 6, 7}
    assert len(result.problems) == 9
    assert "problem" in result.summary()


def test_dayfirst_option_resolves_ambiguous_dates(tmp_path):
    path = make_log(tmp_path / "d.xlsx", [good_row("X-03", date="03/04/2024")])
    assert read(path, dayfirst=True).consultations[0].date == dt.date(2024, 4, 3)
    assert read(path, dayfirst=False).consultations[0].date == dt.date(2024, 3, 4)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("2024-11-28", dt.date(2024, 11, 28)),
        ("28/11/2024", dt.date(2024, 11, 28)),
        ("11/28/2024", dt.date(2024, 11, 28)),
        ("28.11.2024", dt.date(2024, 11, 28)),
        ("Nov 28, 2024", dt.date(2024, 11, 28)),
        ("Dec. 12, 2024", dt.date(2024, 12, 12)),
        ("28 November 2024", dt.date(2024, 11, 28)),
        ("Thursday, 28 Nov 2024", dt.date(2024, 11, 28)),
        ("28-29 Nov 2024", dt.date(2024, 11, 28)),
        ("Nobyembre 28, 2024", dt.date(2024, 11, 28)),
        ("ika-5 ng Hunyo 2024", dt.date(2024, 6, 5)),
        ("28-Nov-24", dt.date(2024, 11, 28)),
        (45624, dt.date(2024, 11, 28)),
        (dt.datetime(2024, 11, 28, 9, 30), dt.date(2024, 11, 28)),
    ],
)
def test_dates_as_people_type_them(typed, expected):
    assert parse_date(typed, today=TODAY) == (expected, None)


@pytest.mark.parametrize(
    "typed", ["soon", "Nov 2024", "31/02/2024", "03/04/2024", "2010-05-01", "2030-01-01"]
)
def test_bad_dates_say_what_is_allowed(typed):
    _value, error = parse_date(typed, today=TODAY)
    assert error is not None
    message, allowed = error
    assert message and allowed


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("12", 12),
        ("12 pax", 12),
        ("1,200", 1200),
        ("approx. 30", 30),
        ("", None),
        ("n/a", None),
        (3.0, 3),
    ],
)
def test_counts(typed, expected):
    assert parse_count(typed, get_engagement()) == (expected, None)


@pytest.mark.parametrize("typed", ["-3", "abc", 12.5, True])
def test_bad_counts(typed):
    value, error = parse_count(typed, get_engagement())
    assert value is None and error


def test_groups_and_sdgs_parsing():
    sh = get_stakeholders()
    assert parse_groups("Fisherfolk / Mangingisda; Women (12)", sh) == (
        ("artisanal_fisherfolk", "women"),
        [],
    )
    assert parse_groups("Farmers (IP, self-identified)", sh)[0] == ("farmer_peasants",)
    assert parse_sdgs("SDG 6, 11.6; 13") == ((6, 11, 13), ("11.6",), [])
    assert parse_sdgs("1-3") == ((1, 2, 3), (), [])
    assert parse_sdgs("All SDGs")[0] == tuple(range(1, 18))
    assert parse_sdgs("Climate action")[2] == ["Climate action"]


def test_formulas_are_kept_as_text_and_flagged(tmp_path):
    rows = [
        good_row("X-01", issues='=HYPERLINK("http://evil.example","click")'),
        good_row("X-02", male="=SUM(A1:A3)"),
    ]
    path = make_log(tmp_path / "f.xlsx", rows)
    result = read(path)
    (ok,) = result.consultations
    assert ok.issues.startswith("=HYPERLINK")
    assert any("formula" in w.message and w.row == 4 for w in result.warnings)
    (bad,) = [p for p in result.problems if p.row == 5]
    assert "formula" in bad.message and bad.column == "Male"


def test_empty_sheet_and_workbook(tmp_path):
    with_empty = read(make_log(tmp_path / "a.xlsx", [good_row("X-01")], extra_sheets=["Sheet2"]))
    assert with_empty.ok
    assert any(w.sheet == "Sheet2" and "empty" in w.message for w in with_empty.warnings)
    wb = openpyxl.Workbook()
    wb.active.title = "Log"
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(ConsultationLogError) as info:
        read(tmp_path / "empty.xlsx")
    assert info.value.problems[0].sheet == "Log"
    assert "empty" in info.value.problems[0].message


def test_sheet_without_header_row(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Just", "some", "numbers"])
    wb.active.append([1, 2, 3])
    wb.save(tmp_path / "nohead.xlsx")
    with pytest.raises(ConsultationLogError, match="no consultation table") as info:
        read(tmp_path / "nohead.xlsx")
    assert "no header row" in info.value.problems[0].message
    assert (
        "Petsa" in info.value.problems[0].allowed
        or "date" in info.value.problems[0].allowed.lower()
    )


def test_wrong_file_types_renamed_xlsx(tmp_path):
    text = tmp_path / "text.xlsx"
    text.write_text("Date,Venue\n2024-01-01,Hall\n", encoding="utf-8")
    docx = tmp_path / "report.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    pdf = tmp_path / "scan.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n...")
    empty = tmp_path / "zero.xlsx"
    empty.write_bytes(b"")
    expected = {text: "rename it to .csv", docx: "Word document", pdf: "PDF", empty: "empty"}
    for path, words in expected.items():
        with pytest.raises(ConsultationLogError) as info:
            read(path)
        problem = info.value.problems[0]
        assert words in problem.message and problem.file == path.name
        assert ".xlsx" in problem.allowed


def _cfb(tmp_path, name: str, streams: list[str]) -> Path:
    """A minimal OLE compound file whose directory names ``streams``."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(s.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for s in streams)
    path = tmp_path / name
    path.write_bytes(header + directory)
    return path


def test_password_protected_workbook(tmp_path):
    path = _cfb(tmp_path, "locked.xlsx", ["Root Entry", "EncryptionInfo", "EncryptedPackage"])
    with pytest.raises(ConsultationLogError, match="cannot be read") as info:
        read(path)
    assert "password-protected" in info.value.problems[0].message
    legacy = _cfb(tmp_path, "old.xls", ["Root Entry", "Workbook"])
    with pytest.raises(ConsultationLogError) as info:
        read(legacy)
    assert "97-2003" in info.value.problems[0].message


def test_non_utf8_csv(tmp_path):
    content = "Ref. No.,Date,Venue,Sectors\nC-1,2024-05-01,Sto. Niño hall,Women\n"
    cp = tmp_path / "cp1252.csv"
    cp.write_bytes(content.encode("cp1252"))
    result = read(cp)
    assert result.ok
    assert result.consultations[0].venue == "Sto. Niño hall"
    assert any("cp1252" in w.message for w in result.warnings)
    u16 = tmp_path / "u16.csv"
    u16.write_bytes(content.replace(",", "\t").encode("utf-16"))
    assert read(u16).consultations[0].venue == "Sto. Niño hall"
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"Ref. No.,Date,Venue,Sectors\nC-1,2024-05-01,Hall \x81\x8d,Women\n")
    with pytest.raises(ConsultationLogError, match="cannot be read") as info:
        read(broken)
    assert "not UTF-8" in info.value.problems[0].message


def test_write_rejects_gives_rows_to_fix(tmp_path):
    rows = [good_row("X-01"), good_row("X-02", male=-1, issues="=cmd|' /C calc'!A0")]
    result = read(make_log(tmp_path / "r.xlsx", rows))
    out = result.write_rejects(tmp_path / "fix.xlsx")
    sheet = openpyxl.load_workbook(out)["Consultations"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "Source row" and header[-1] == "Problem"
    assert "Male" in header
    values = [c.value for c in sheet[2]]
    assert values[0] == "row 5"
    assert values[1] == "X-02"
    assert "negative" in values[-1]
    formula_cell = sheet.cell(row=2, column=header.index("Issues raised / Mga isyu") + 1)
    assert formula_cell.data_type == "s" and formula_cell.value.startswith("=cmd")


def test_stable_ids_without_ref(tmp_path):
    rows = [good_row(None), good_row(None, venue="Another hall")]
    first = read(make_log(tmp_path / "a.xlsx", rows))
    again = read(make_log(tmp_path / "b.xlsx", list(reversed(rows))))
    assert first.ok
    assert {c.record_id for c in first.consultations} == {c.record_id for c in again.consultations}
    assert all(c.record_id.startswith("C-") for c in first.consultations)
    dup = read(make_log(tmp_path / "c.xlsx", [good_row(None), good_row(None)]))
    assert len(dup.consultations) == 1 and "duplicate" in dup.problems[0].message


@pytest.mark.slow
def test_fifty_thousand_rows(tmp_path):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Consultations")
    ws.append(HEADER[:6] + ["Male", "Female"] + HEADER[8:])
    for i in range(50_000):
        ws.append(
            good_row(
                f"X-{i:05d}", date=dt.datetime(2024, 1 + i % 12, 1 + i % 28), male=i % 40, youth=5
            )
        )
    ws.append(good_row("X-BAD", male=-1))
    path = tmp_path / "big.xlsx"
    wb.save(path)
    result = read(path)
    assert len(result.consultations) == 50_000
    assert len(result.rejected) == 1 and result.rejected[0].row == 50_002


def test_validate_consultation_for_forms():
    record, problems = validate_consultation(
        {"date": "28 Nov 2024", "groups": "women; pwd", "male": "3", "sdgs": "5"}, today=TODAY
    )
    assert problems == [] and record.groups == ("women", "persons_with_disabilities")
    record, problems = validate_consultation({"date": "", "groups": "", "male": "x"}, today=TODAY)
    assert record is None
    assert {p.column for p in problems} == {"date", "groups", "male"}


def test_engagement_vocabulary_is_checked(tmp_path):
    bad = tmp_path / "engagement.yaml"
    bad.write_text("formats: []\niap2_levels: [{id: inform}]\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_engagement(bad)
    assert any(p.column == "formats" for p in info.value.problems)
    assert any(p.sheet == "iap2_levels" and p.column == "en" for p in info.value.problems)


# --------------------------------------------------------------------------- workspace


def test_import_into_workspace_is_idempotent(workspace, log):
    review = workspace.create_review(city="sample")
    result = read(log)
    first = save_consultations(workspace, review.id, result)
    assert (first.added, first.participants_added) == (2, 2)
    again = save_consultations(workspace, review.id, read(log))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert len(workspace.records(review.id, "consultation")) == 2
    stored = load_consultations(workspace, review.id)
    assert [c.record_id for c in stored] == ["X-01", "X-02"]
    assert stored[0] == result.consultations[0]
    assert {p.name for p in load_participants(workspace, review.id)} == {
        "Juana Fictional",
        "Pedro Fictional",
    }


def test_reimport_of_a_changed_log_writes_only_what_changed(workspace, log, tmp_path):
    review = workspace.create_review(city="sample")
    save_consultations(workspace, review.id, read(log))
    history = workspace.history(review.id)
    assert list(history.groupby("kind").size().items()) == [
        ("consultation", 2),
        ("participant", 2),
        ("review", 1),
    ]
    assert set(history[history.kind != "review"]["action"]) == {"create"}
    people = [
        ["X-01", "Juana Fictional", "F", "18-24", "Youth", "+63 900 000 0001", "juana@example.org"],
        ["X-02", "Pedro Fictional", "M", "60+", "Fisherfolk", "+63 900 000 0002", "pedro@example.org"],
    ]  # fmt: skip
    changed = make_log(
        tmp_path / "changed.xlsx",
        [
            good_row("X-01", response="Reflected in ch. 4 and the annex"),
            good_row("X-02", date="Nov 28, 2024", groups="Mangingisda", iap2=""),
            good_row("X-03", title="Senior citizens' assembly"),
        ],
        participants=people,
    )
    summary = save_consultations(workspace, review.id, read(changed), reviewer="B. Reviewer")
    assert (summary.added, summary.updated, summary.unchanged) == (1, 1, 1)
    assert (
        summary.participants_added,
        summary.participants_updated,
        summary.participants_unchanged,
    ) == (0, 1, 1)
    added = workspace.history_entries(review.id)[len(history) :]
    assert sorted((h.kind, h.action, h.version) for h in added) == [
        ("consultation", "create", 1),
        ("consultation", "update", 2),
        ("participant", "update", 2),
    ]
    assert all(h.who == "B. Reviewer" for h in added)
    update = next(h for h in added if h.kind == "consultation" and h.action == "update")
    assert update.old["response"] != update.new["response"] == "Reflected in ch. 4 and the annex"
    stored = {c.record_id: c for c in load_consultations(workspace, review.id)}
    assert set(stored) == {"X-01", "X-02", "X-03"}
    assert stored["X-01"].response == "Reflected in ch. 4 and the annex"
    # Participants (personal data) are kept in the workspace, as before.
    people = {p.name: p for p in load_participants(workspace, review.id)}
    assert set(people) == {"Juana Fictional", "Pedro Fictional"}
    assert people["Pedro Fictional"].phone == "+63 900 000 0002"
    assert people["Pedro Fictional"].age == "60+"


def test_records_given_twice_are_saved_once(workspace):
    review = workspace.create_review(city="sample")
    first = Consultation(record_id="X-01", date=dt.date(2024, 5, 1), title="First reading")
    last = first.replace(title="Second reading")
    summary = save_consultations(workspace, review.id, [first, last])
    assert (summary.added, summary.updated) == (1, 0)
    assert [c.title for c in load_consultations(workspace, review.id)] == ["Second reading"]
    assert len(workspace.history(review.id, kind="consultation")) == 1


def test_bad_file_loses_nothing_in_workspace(workspace, log, tmp_path):
    review = workspace.create_review(city="sample")
    save_consultations(workspace, review.id, read(log))
    before = {r.key: r.data for r in workspace.records(review.id, "consultation")}
    bad = read(make_log(tmp_path / "bad.xlsx", [good_row("X-01", male=-5), good_row("X-09")]))
    with pytest.raises(ConsultationLogError, match="nothing was saved"):
        save_consultations(workspace, review.id, bad)
    assert {r.key: r.data for r in workspace.records(review.id, "consultation")} == before
    summary = save_consultations(workspace, review.id, bad, accept_valid=True)
    assert (summary.added, summary.rejected_rows) == (1, 1)
    after = {r.key: r.data for r in workspace.records(review.id, "consultation")}
    assert after["X-01"] == before["X-01"] and set(after) == {"X-01", "X-02", "X-09"}


# --------------------------------------------------------------------------- privacy and export


def test_personal_fields_are_marked():
    assert {"name", "phone", "email", "contact", "address", "signature", "age", "pwd", "ip"} <= set(
        PERSONAL_FIELDS["participant"]
    )
    assert PERSONAL_FIELDS["consultation"] == ("contact_person",)
    assert "group" not in PERSONAL_FIELDS["participant"]


def _all_text(paths) -> str:
    chunks = []
    for path in paths:
        if path.suffix == ".csv":
            chunks.append(path.read_text(encoding="utf-8-sig"))
        else:
            wb = openpyxl.load_workbook(path)
            for sheet in wb.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    chunks.extend(str(v) for v in row if v is not None)
            # and the raw XML, in case something hides outside cell values
            with zipfile.ZipFile(path) as zf:
                chunks.extend(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    return "\n".join(chunks)


@pytest.mark.parametrize("slug", CITIES)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_default_exports_hold_no_participant_name_or_contact(tmp_path, slug, fmt):
    city = load_city(slug)
    result = read_consultation_log(city.consultations_path, dayfirst=DATE_ORDER[slug])
    assert len(result.participants) > 20
    written = export_consultations(result, tmp_path / f"out.{fmt}")
    text = _all_text(written).casefold()
    assert "sf-c" in text or "sr-c" in text  # the consultations are there
    for person in result.participants:
        for value in (person.name, person.phone, person.email, person.contact):
            if value:
                assert value.casefold() not in text, value
    # nor via the analysis tables a memo would use
    summary = engagement_summary(result.consultations, draft_dates=draft_dates_for_city(slug))
    tables = "\n".join(frame.to_csv() for frame in summary["tables"].values()).casefold()
    figures = "\n".join(fig.to_json() for fig in summary["figures"].values()).casefold()
    for person in result.participants:
        assert person.name.casefold() not in tables and person.name.casefold() not in figures


def test_include_personal_and_pseudonymise(tmp_path, log):
    result = read(log)
    full = export_consultations(result, tmp_path / "full.xlsx", include_personal=True)
    assert "Juana Fictional" in _all_text(full) and "juana@example.org" in _all_text(full)
    pseudo = export_consultations(result, tmp_path / "p.csv", pseudonymise=True, key="workshop")
    assert [p.name for p in pseudo] == ["p.csv", "p-participants.csv"]
    text = _all_text(pseudo)
    assert "Juana" not in text and "juana@example.org" not in text and "+63" not in text
    assert pseudonym("Juana Fictional", "workshop") in text
    # same person, same pseudonym; other key or other person, another one
    assert pseudonym("  juana  FICTIONAL ", "workshop") == pseudonym("Juana Fictional", "workshop")
    assert pseudonym("Juana Fictional", "other") != pseudonym("Juana Fictional", "workshop")
    assert pseudonym("Pedro Fictional", "workshop") != pseudonym("Juana Fictional", "workshop")
    assert pseudonym("Juana Fictional", "workshop").startswith("Participant P-")
    with pytest.raises(ConsultationLogError, match="not both"):
        export_consultations(result, tmp_path / "x.xlsx", include_personal=True, pseudonymise=True)
    with pytest.raises(ConsultationLogError, match="allowed: xlsx, csv"):
        export_consultations(result, tmp_path / "x.pdf")


def test_exports_are_safe_against_formula_injection(tmp_path):
    payloads = ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(1)", "\tTAB", "\rCR"]
    records = [
        Consultation(
            record_id=f"X-{i}", date=dt.date(2024, 5, 1), groups=("women",), issues=p, title=p
        )
        for i, p in enumerate(payloads)
    ]
    (xlsx,) = export_consultations(records, tmp_path / "inj.xlsx")
    sheet = openpyxl.load_workbook(xlsx)["Consultations"]
    header = [c.value for c in sheet[1]]
    column = header.index("Issues raised") + 1
    for row, payload in enumerate(payloads, start=2):
        cell = sheet.cell(row=row, column=column)
        assert cell.data_type == "s"
        assert cell.value == payload
        assert cell.quotePrefix
    with zipfile.ZipFile(xlsx) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()
    (path,) = export_consultations(records, tmp_path / "inj.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row, payload in zip(rows, payloads, strict=True):
        assert row["Issues raised"] == "'" + payload
        assert row["Activity"] == "'" + payload


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_exported_log_reimports_to_the_same_records(tmp_path, lang):
    result = read_consultation_log(load_city("san-fernando").consultations_path)
    (path,) = export_consultations(result, tmp_path / "back.xlsx", lang=lang)
    again = read_consultation_log(path)
    assert again.ok, again.problems[:3]
    assert [c.record_id for c in again.consultations] == [c.record_id for c in result.consultations]
    for before, after in zip(result.consultations, again.consultations, strict=True):
        assert after.replace(contact_person="") == before.replace(contact_person="")


# --------------------------------------------------------------------------- analysis


def _records():
    return [
        Consultation("A", dt.date(2024, 3, 1), groups=("artisanal_fisherfolk", "women"), male=5, female=7, youth=2,
                     iap2="consult", sdgs=(14,), issues="Fish kills", response="Reflected in SDG 14"),
        Consultation("B", dt.date(2024, 5, 1), groups=("local_authorities",), total=30, pwd_present=True,
                     sdgs=(11, 16), issues="Budget", response=""),
        Consultation("C", dt.date(2024, 9, 1), format="validation", groups=("ngos",), male=3, female=3,
                     iap2="involve", issues="Validate draft", response="Noted"),
    ]  # fmt: skip


def test_coverage_and_lnob():
    records = _records()
    matrix = coverage_matrix(records, "ph")
    assert list(matrix.columns) == ["A", "B", "C"]
    assert matrix.loc["artisanal_fisherfolk", "A"] == 1
    assert matrix.loc["persons_with_disabilities", "B"] == 1  # flagged present
    summary = coverage_summary(records).set_index("group")
    assert summary.loc["farmers", "heard"] and summary.loc["farmers", "heard_through"] == "A"
    assert not summary.loc["urban_poor", "heard"]
    missing = set(lnob_not_consulted(records)["group"])
    assert (
        "urban_poor" in missing
        and "women" not in missing
        and "persons_with_disabilities" not in missing
    )


def test_participation_iap2_feedback_sdgs():
    records = _records()
    part = participation(records).set_index("consultation")
    assert part.loc["A", "total"] == 12 and bool(part.loc["A", "disaggregated"])
    assert not bool(part.loc["B", "disaggregated"]) and part.loc["B", "total"] == 30
    dist = iap2_distribution(records).set_index("level")["count"]
    assert (dist["consult"], dist["involve"], dist["not_recorded"]) == (1, 1, 1)
    gaps = inputs_without_response(records).set_index("consultation")["status"]
    assert gaps.to_dict() == {"B": "missing", "C": "vague"}
    comparison = sdg_comparison(records, covered_goals=[11, 13]).set_index("goal")["status"]
    assert (comparison[14], comparison[11], comparison[13], comparison[1]) == (
        "discussed_only", "both", "covered_only", "neither",
    )  # fmt: skip


def test_findings_and_validation():
    records = _records()
    dates = {"v1": dt.date(2024, 6, 1), "v2": dt.date(2024, 10, 1)}
    status = validation_status(records, dates).set_index("version")["validated"]
    assert (bool(status["v1"]), bool(status["v2"])) == (False, True)
    findings = engagement_findings(records, draft_dates=dates, covered_goals=[11], lang="ja")
    kinds = {f.kind for f in findings}
    assert {"stakeholder_group_not_consulted", "consultation_no_response", "consultation_no_iap2",
            "no_validation", "no_disaggregation", "sdg_discussed_not_covered"} <= kinds  # fmt: skip
    assert all(f.message for f in findings)
    assert any("協議" in f.message for f in findings)
    v2 = engagement_findings(records, draft_dates=dates, version="v2")
    assert "no_validation" not in {f.kind for f in v2}


def test_figures_escape_user_text_and_speak_japanese():
    records = [
        Consultation(
            "<b>X</b>", dt.date(2024, 3, 1), groups=("women",), male=1, female=2, sdgs=(5,)
        )
    ]
    for fig in engagement_summary(records, draft_dates={"v1": dt.date(2024, 4, 1)}, lang="ja")[
        "figures"
    ].values():
        payload = fig.to_json()
        assert "<b>X</b>" not in payload
    fig = coverage_figure(records, "ph", lang="ja")
    assert "女性" in fig.data[0].y
    assert list(fig.data[0].x) == ["&lt;b&gt;X&lt;/b&gt;"]


# --------------------------------------------------------------------------- CLI


def test_cli_validate_exit_codes(tmp_path, capsys, log):
    assert main(["consultations", "validate", str(log)]) == 0
    assert "2 consultation(s)" in capsys.readouterr().out
    bad = make_log(tmp_path / "bad.xlsx", [good_row("X-01", male=-5, groups="Aliens")])
    rejects = tmp_path / "fix.xlsx"
    assert main(["consultations", "validate", str(bad), "--rejects", str(rejects)]) == 1
    out = capsys.readouterr().out
    assert "row 4, column 'Male'" in out and "Aliens" in out and rejects.exists()
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    assert main(["consultations", "validate", str(fake)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error:") and "Traceback" not in captured.err
    assert main(["consultations", "validate", str(tmp_path / "missing.xlsx")]) == 2


def test_cli_import_export_analyse(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VLR_REVIEWER", "Test Reviewer")
    ws = str(tmp_path / "ws")
    path = str(load_city("san-fernando").consultations_path)
    # --city starts the sample city's review through the intake, which imports its log...
    assert main(["consultations", "import", path, "--city", "san-fernando", "--workspace", ws]) == 0
    out = capsys.readouterr().out
    assert "started review san-fernando-" in out and "14 unchanged" in out
    # ...so importing the same file again changes nothing.
    assert main(["consultations", "import", path, "--city", "san-fernando", "--workspace", ws]) == 0
    assert "14 unchanged" in capsys.readouterr().out
    out = tmp_path / "export.csv"
    assert (
        main(["consultations", "export", str(out), "--city", "san-fernando", "--workspace", ws])
        == 0
    )
    assert "personal data left out" in capsys.readouterr().out
    assert "Ligaya Dumlao" not in out.read_text(encoding="utf-8-sig")
    html = tmp_path / "charts.html"
    assert (
        main(
            [
                "consultations",
                "analyse",
                "--city",
                "san-fernando",
                "--workspace",
                ws,
                "--html",
                str(html),
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "ILLUSTRATIVE" in text and "consultation_no_iap2" in text and "SF-C05" in text
    assert "Ligaya" not in text and html.exists()
    # a sample city with nothing imported falls back to its own log
    assert main(["consultations", "analyse", "--city", "santa-rosa", "--workspace", ws]) == 0
    assert "Persons with disabilities" in capsys.readouterr().out


def test_cli_import_refuses_problem_rows_unless_accepted(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VLR_REVIEWER", "Test Reviewer")
    ws = str(tmp_path / "ws")
    bad = make_log(tmp_path / "bad.xlsx", [good_row("X-01"), good_row("X-02", male=-5)])
    args = ["--city", "santa-rosa", "--workspace", ws]
    assert main(["consultations", "import", str(bad), *args]) == 1
    assert "nothing saved" in capsys.readouterr().out
    code = main(
        [
            "consultations",
            "import",
            str(bad),
            "--city",
            "santa-rosa",
            "--workspace",
            ws,
            "--accept-valid",
        ]
    )
    assert code == 1
    assert "1 added" in capsys.readouterr().out


def test_participant_record_roundtrip():
    person = Participant(
        "P-1", "X-01", name="Juana Fictional", sex="female", age="18-24", pwd=False
    )
    assert Participant.from_dict(person.to_dict()) == person
    assert "name" not in person.to_dict(include_personal=False)


def test_every_consultations_text_has_english_and_japanese():
    from vlr_tools.i18n import load_strings

    strings = {k: v for k, v in load_strings().items() if k.startswith("consultations.")}
    assert len(strings) > 50
    assert [k for k, v in strings.items() if not v.get("en") or not v.get("ja")] == []


def test_sdg_codes_must_exist_at_every_level():
    # An indicator code counts as its target and goal ...
    assert parse_sdgs("11.6.2") == ((11,), ("11.6",), [])
    # ... under the target written, for an indicator repeated under several targets.
    assert parse_sdgs("13.1.1; 6") == ((6, 13), ("13.1",), [])
    # Unknown codes are never read as just their goal.
    assert parse_sdgs("11.6.9") == ((), (), ["11.6.9"])
    assert parse_sdgs("SDG 4, 11.6.9.1") == ((4,), (), ["11.6.9.1"])
    assert parse_sdgs("5.9") == ((), (), ["5.9"])
    assert parse_sdgs("100") == ((), (), ["100"])


def test_unknown_indicator_code_in_a_log_is_a_problem(tmp_path):
    path = make_log(tmp_path / "log.xlsx", [good_row("X-01", sdgs="SDG 4; 11.6.9")])
    result = read(path)
    assert not result.ok and not result.consultations
    (problem,) = result.problems
    text = str(problem)
    assert "unknown SDG code(s): 11.6.9" in text and "row 4" in text
    assert "indicator codes such as 11.6.2" in text


def test_cli_header_without_rows_is_a_problem(tmp_path, capsys):
    path = make_log(tmp_path / "empty-log.xlsx", [])
    assert main(["consultations", "validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "sheet 'Consultations' has a header but no consultation rows" in out
    csv_path = tmp_path / "empty-log.csv"
    csv_path.write_text("Ref. No.,Date,Venue,Stakeholder groups,IAP2 level\n", encoding="utf-8")
    result = read(csv_path)
    assert [p.message for p in result.problems] == [
        "the file has a header but no consultation rows"
    ]


def test_cli_import_for_a_city_without_a_review_says_how_to_start_one(
    tmp_path, capsys, monkeypatch, log
):
    monkeypatch.setenv("VLR_REVIEWER", "Test Reviewer")
    ws = str(tmp_path / "ws")
    assert main(["consultations", "import", str(log), "--city", "nowhere", "--workspace", ws]) == 2
    captured = capsys.readouterr()
    assert "vlr workspace new --city nowhere --draft FILE" in captured.err
    assert "allowed: san-fernando, santa-rosa" in captured.err
    from vlr_tools.workspace import open_workspace

    with open_workspace(ws) as opened:
        assert opened.reviews() == []  # nothing half-made


# --------------------------------------------------------------------------- what was understood


def test_report_says_columns_skipped_rows_sheets_not_read_and_dates(tmp_path):
    rows = [
        good_row("X-01"),
        good_row("X-02", date="28/11/2024"),
        good_row("X-03", date="03/04/2024"),
        ["TOTAL", None, None, None, None, None, 30, 36],
    ]
    path = make_log(tmp_path / "log.xlsx", rows, extra_sheets=["About"])
    result = read_consultation_log(path, dayfirst="auto", today=TODAY)
    assert result.ok, result.problems
    text = "\n".join(result.lines(details=True))
    assert "Consultations table (sheet 'Consultations'), header in row(s) 2-3: 5 row(s): " in text
    assert "3 valid, 0 rejected, 2 skipped" in text
    assert "column B 'Petsa / Date' -> Date (heading)" in text
    assert "column G 'Male' -> Male (heading)" in text
    assert "skipped row 7: a totals row" in text and "skipped row 9: a note, not a record" in text
    assert "Sheet 'About' not read: the sheet is empty" in text
    assert "read day first (DD/MM/YYYY: 03/04/2024 is 3 April), as the file's 1 unambiguous" in text
    assert (
        "dates in column B 'Petsa / Date': 1 kept as dates by Excel; 1 written day first "
        "(28/11/2024); 1 that could be day or month first (03/04/2024)" in text
    )
    assert result.consultations[2].date == dt.date(2024, 4, 3)
    # The skipped rows and the date rule are said once, not again as warnings.
    assert "row skipped" not in text and "warning" not in text
    ja = "\n".join(result.lines("ja"))
    assert "協議の表" in ja and "列 B「Petsa / Date」→ 日付（見出し）" in ja
    assert "7 行目をスキップ：合計の行" in ja and "日が先" in ja
    undecided = read_consultation_log(path, today=TODAY)
    assert "was not decided: each such date is a problem" in "\n".join(undecided.lines())
    said = read_consultation_log(path, dayfirst=False, today=TODAY)
    assert "read month first (MM/DD/YYYY: 03/04/2024 is 4 March), as you said" in "\n".join(
        said.lines()
    )


def _filipino_log(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Talaan"
    ws.append(["Blg.", "Kailan ginanap", "Aktibidad", "Lugar", "Mga dumalo", "Lalaki", "Babae",
               "Antas ng pakikilahok", "Puna 2"])  # fmt: skip
    ws.append(["BG-C01", dt.datetime(2026, 3, 4), "Pulong sa barangay", "Session hall",
               "Kababaihan; Kabataan", 12, 15, "Konsulta", "x"])  # fmt: skip
    ws.append(["BG-C02", "Marso 18, 2026", "Forum ng mangingisda", "Pantalan", "Mangingisda",
               20, 4, "Involve", ""])  # fmt: skip
    wb.save(path)
    return path


MAPPING = {"Date": "Kailan ginanap", "Stakeholder groups": "Mga dumalo", "ignore": "Puna 2"}


def test_column_mapping_names_headings_the_reader_does_not_know(tmp_path):
    path = _filipino_log(tmp_path / "talaan.xlsx")
    with pytest.raises(ConsultationLogError, match="has no 'date' column and no 'groups' column"):
        read_consultation_log(path, today=dt.date(2026, 6, 1))
    result = read_consultation_log(path, today=dt.date(2026, 6, 1), columns=MAPPING)
    assert result.ok, result.problems
    assert [c.date for c in result.consultations] == [dt.date(2026, 3, 4), dt.date(2026, 3, 18)]
    text = "\n".join(result.lines())
    assert "column B 'Kailan ginanap' -> Date (your mapping)" in text
    assert "column E 'Mga dumalo' -> Stakeholder groups (your mapping)" in text
    assert "column I 'Puna 2' -> left out (your mapping)" in text
    assert "column F 'Lalaki' -> Male (heading)" in text
    assert "not recognised" not in text  # the left-out column is not a warning either
    assert result.mapping["Date"] == "Kailan ginanap" and result.mapping["ignore"] == "Puna 2"
    assert "Date=Kailan ginanap" in text  # the mapping, as --columns takes it
    # Japanese column names and field names work too; an unknown field names what is allowed.
    again = read_consultation_log(
        path, today=dt.date(2026, 6, 1), columns={"日付": "Kailan ginanap", "groups": "Mga dumalo"}
    )
    assert again.ok
    with pytest.raises(ConsultationLogError) as caught:
        read_consultation_log(path, columns={"Colour": "Mga dumalo"})
    message = str(caught.value)
    assert "unknown field 'Colour'" in message and "Stakeholder groups" in message
    assert "Sex" in message and "ignore" in message


def test_saved_mapping_reads_the_citys_next_log_and_check_saves_nothing(workspace, tmp_path):
    from vlr_tools.column_mapping import saved_column_mapping
    from vlr_tools.intake import import_consultations

    path = _filipino_log(tmp_path / "talaan.xlsx")
    first = workspace.create_review(city="baguio", version="v1")
    checked = import_consultations(workspace, first.id, path, columns=MAPPING, check=True)
    assert checked.reading.ok and not checked.stored
    assert load_consultations(workspace, first.id) == []
    assert saved_column_mapping(workspace, first.id, "consultations") == ({}, "")
    done = import_consultations(workspace, first.id, path, columns=MAPPING, save_mapping=True)
    assert done.stored and done.saved.added == 2 and done.mapping_saved
    second = workspace.create_review(city="baguio", version="v2")
    again = import_consultations(workspace, second.id, path)
    assert again.reading.saved_from == first.id and again.saved.added == 2
    text = "\n".join(again.reading.lines())
    assert f"Used the column mapping saved in review {first.id}." in text
    assert "column B 'Kailan ginanap' -> Date (saved mapping)" in text
    assert "column C 'Aktibidad' -> Activity (heading)" in text  # known anyway
    # A mapping given now is used instead of the saved one (here: groups left unnamed).
    with pytest.raises(ConsultationLogError, match="Stakeholder groups=YOUR HEADING"):
        import_consultations(
            workspace, second.id, path, columns={"Date": "Kailan ginanap"}, check=True
        )


def test_cli_import_check_columns_save_mapping(tmp_path, capsys, monkeypatch):
    from vlr_tools.workspace import open_workspace

    monkeypatch.setenv("VLR_REVIEWER", "Test Reviewer")
    where = str(tmp_path / "ws")
    with open_workspace(where) as opened:
        rid = opened.create_review(city="baguio", version="v1").id
    path = str(_filipino_log(tmp_path / "talaan.xlsx"))
    columns = "Date=Kailan ginanap;Stakeholder groups=Mga dumalo;ignore=Puna 2"
    base = ["consultations", "import", path, "--review", rid, "--workspace", where]
    assert main([*base, "--columns", columns, "--check", "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    assert "talaan.xlsx の読み取り結果" in out and "（指定した対応）" in out
    assert "nothing saved (--check)" in out
    assert main([*base, "--columns", columns, "--save-mapping"]) == 0
    out = capsys.readouterr().out
    assert "2 added" in out and "column mapping saved" in out
    assert main([*base, "--check"]) == 0
    assert "Date (saved mapping)" in capsys.readouterr().out
    assert main(["consultations", "validate", path, "--columns", "Colour=x"]) == 2
    assert "unknown field 'Colour'" in capsys.readouterr().err
