"""Stakeholder vocabularies: UN Major Groups / Other Stakeholders and PH basic sectors."""

from __future__ import annotations

import shutil

import pytest
import yaml

from vlr_tools.errors import DataFileError
from vlr_tools.stakeholders import (
    GROUPS_FILE,
    get_stakeholders,
    load_stakeholders,
    normalise_text,
)


@pytest.fixture(scope="module")
def sh():
    return get_stakeholders()


def test_fourteen_basic_sectors_in_ra8425_order(sh):
    sectors = sh.groups("ph")
    assert [g.ph_sector for g in sectors] == list(range(1, 15))
    assert sectors[0].id == "farmer_peasants"
    assert sectors[1].id == "artisanal_fisherfolk"
    assert sectors[13].id == "ngos"


def test_nine_un_major_groups_and_other_stakeholders(sh):
    major = [g.id for g in sh.groups("un") if g.un == "major_group"]
    assert sorted(major) == sorted(
        [
            "women",
            "children_and_youth",
            "indigenous_peoples",
            "ngos",
            "local_authorities",
            "workers_and_trade_unions",
            "business_and_industry",
            "scientific_and_technological_community",
            "farmers",
        ]
    )
    others = {g.id for g in sh.groups("un") if g.un == "other_stakeholder"}
    assert {"persons_with_disabilities", "senior_citizens", "volunteers", "lgbtiq"} <= others


def test_every_group_has_english_and_japanese_names(sh):
    for g in sh.groups():
        assert g.name("en") and g.name("ja")
        assert g.name("ja") != g.name("en") or g.id == "lgbtiq"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("PWD", "persons_with_disabilities"),
        ("Senior citizens", "senior_citizens"),
        ("Kabataan", "youth_and_students"),
        ("Mangingisda", "artisanal_fisherfolk"),
        ("Mga Mangingisda", "artisanal_fisherfolk"),
        ("Magsasaka", "farmer_peasants"),
        ("Urban poor", "urban_poor"),
        ("IPs", "indigenous_peoples"),
        ("LGBTQIA+", "lgbtiq"),
        ("Women's org", "women"),
        ("Homeowners association", "local_communities"),
        ("Sangguniang Kabataan chairs", "youth_and_students"),
        ("artisanal_fisherfolk", "artisanal_fisherfolk"),
        ("  barangay OFFICIALS ", "local_authorities"),
        ("Farmers", "farmer_peasants"),  # the PH sector, not the UN major group
        ("Farmers (UN major group)", "farmers"),
    ],
)
def test_resolve_office_spellings(sh, text, expected):
    assert sh.resolve(text) == expected


def test_unknown_group_gets_closest_suggestion(sh):
    assert sh.resolve("Senoir citizen") is None
    assert any("senior_citizens" in s for s in sh.suggest("Senoir citizen"))
    assert sh.resolve("Unicorn breeders") is None
    with pytest.raises(KeyError, match="allowed ids"):
        sh.group("Unicorn breeders")


def test_crosswalk_between_vocabularies(sh):
    assert sh.to_un("artisanal_fisherfolk") == ("farmers",)
    assert sh.to_un("women") == ("women",)
    assert set(sh.to_ph("farmers")) == {"farmer_peasants", "artisanal_fisherfolk"}
    assert set(sh.to_ph("children_and_youth")) == {"youth_and_students", "children"}
    # every basic sector counts under at least one UN group
    for sector in sh.groups("ph"):
        assert sh.to_un(sector.id), sector.id


def test_covered_by_goes_up_not_down(sh):
    heard = sh.covered_by(["artisanal_fisherfolk"])
    assert "farmers" in heard
    assert "farmer_peasants" not in heard
    assert "informal_sector_workers" not in sh.covered_by(["workers_and_trade_unions"])


def test_lnob_flags(sh):
    lnob = {g.id for g in sh.groups() if g.lnob}
    assert {"persons_with_disabilities", "indigenous_peoples", "women", "urban_poor"} <= lnob
    assert "business_and_industry" not in lnob
    assert "ngos" not in lnob


def test_normalise_text_folds_case_accents_punctuation():
    assert normalise_text("Mga  MANGINGISDA!") == "mga mangingisda"
    assert normalise_text("Niño") == "nino"
    assert normalise_text("women's groups") == normalise_text("Women groups")


def _broken_copy(tmp_path, mutate):
    data = yaml.safe_load(GROUPS_FILE.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "groups.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_loader_reports_every_problem_with_row_and_column(tmp_path):
    def mutate(data):
        data[0]["ja"] = ""
        data[1]["ph_sector"] = 99
        data[2]["lnob"] = "maybe"
        data[3]["synonyms"].append("mangingisda")  # belongs to fisherfolk
        data[20]["part_of"] = ["no_such_group"]

    with pytest.raises(DataFileError) as info:
        load_stakeholders(_broken_copy(tmp_path, mutate))
    problems = info.value.problems
    assert len(problems) == 5
    assert {p.file for p in problems} == {"groups.yaml"}
    by_column = {p.column: p for p in problems}
    assert by_column["ja"].row == 1
    assert by_column["ph_sector"].row == 2 and by_column["ph_sector"].value == 99
    assert by_column["lnob"].row == 3
    assert by_column["synonyms"].value == "mangingisda"
    assert by_column["part_of"].value == "no_such_group"


def test_loader_rejects_bad_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "groups.yaml"
    bad.write_text("- id: [unclosed", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_stakeholders(bad)
    with pytest.raises(DataFileError, match="not found"):
        load_stakeholders(tmp_path / "missing.yaml")


def test_a_reviewer_can_add_a_synonym_without_code(tmp_path):
    path = tmp_path / "groups.yaml"
    shutil.copy(GROUPS_FILE, path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(g for g in data if g["id"] == "urban_poor")["synonyms"].append("squatters federation")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_stakeholders(path).resolve("Squatters Federation") == "urban_poor"


def test_to_frame(sh):
    frame = sh.to_frame("ja")
    assert len(frame) == len(sh)
    assert frame.set_index("id").loc["women", "name"] == "女性"
