"""The sample-city loader: profiles, draft paths, answer keys, and clear errors."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml

from vlr_tools.cities import (
    WEAKNESS_KINDS,
    City,
    list_cities,
    load_cities,
    load_city,
    load_review_key,
)
from vlr_tools.errors import CityError, DataFileError, VlrError
from vlr_tools.paths import CITIES_DIR

#: Public facts from the project's VLR review guide (PSA 2020 census).
PUBLIC_FACTS = {
    "santa-rosa": {"population_2020": 414812, "barangays": 18, "province": "Laguna"},
    "san-fernando": {"population_2020": 125640, "barangays": 59, "province": "La Union"},
}


@pytest.fixture
def city_root(tmp_path: Path) -> Path:
    """A copy of Santa Rosa's city.yaml and review key in a scratch cities folder."""
    folder = tmp_path / "santa-rosa"
    folder.mkdir()
    for name in ("city.yaml", "review_key.yaml"):
        shutil.copy(CITIES_DIR / "santa-rosa" / name, folder / name)
    return tmp_path


def _edit(root: Path, name: str, change) -> Path:
    path = root / "santa-rosa" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_both_sample_cities_are_listed():
    slugs = list_cities()
    assert slugs == tuple(sorted(slugs))
    assert {"santa-rosa", "san-fernando"} <= set(slugs)
    assert [c.slug for c in load_cities()] == list(slugs)


@pytest.mark.parametrize("slug", sorted(PUBLIC_FACTS))
def test_profile_holds_the_public_facts_and_says_illustrative(slug):
    city = load_city(slug)
    for key, value in PUBLIC_FACTS[slug].items():
        assert getattr(city, key) == value
    assert city.illustrative is True
    assert "illustrative" in city.illustrative_note.lower()
    assert city.public_facts and city.languages
    assert city.hlpf_year == 2025


@pytest.mark.parametrize("slug", list_cities())
def test_profile_paths_are_absolute_and_every_file_exists(slug):
    city = load_city(slug)
    assert city.missing_files() == ()
    assert city.folder.is_absolute()
    for draft in city.drafts:
        for path in (draft.source, draft.pdf, draft.docx):
            assert path.is_absolute()
            assert path.is_relative_to(city.folder)
    assert city.draft("v1").pdf.suffix == ".pdf"
    assert city.draft() == city.latest == city.drafts[-1]
    assert city.versions[0] == "v1"


def test_only_san_fernando_has_two_versions_and_a_japanese_summary():
    sf = load_city("san-fernando")
    assert sf.versions == ("v1", "v2")
    assert sf.japanese is not None and sf.japanese.lang == "ja"
    assert sf.japanese_path == sf.japanese.pdf and sf.japanese_path.is_file()
    sr = load_city("santa-rosa")
    assert sr.versions == ("v1",)
    assert sr.japanese_path is None


def test_city_record_is_immutable():
    city = load_city("santa-rosa")
    with pytest.raises(dataclasses.FrozenInstanceError):
        city.name = "Elsewhere"  # type: ignore[misc]


def test_unknown_city_names_the_cities_there_are():
    with pytest.raises(CityError) as info:
        load_city("atlantis")
    message = str(info.value)
    assert "atlantis" in message and "santa-rosa" in message
    assert isinstance(info.value, LookupError) and isinstance(info.value, VlrError)


def test_unknown_draft_version_names_the_versions_there_are():
    with pytest.raises(CityError, match=r"'v7'.*allowed: v1, v2"):
        load_city("san-fernando").draft("v7")


def test_list_cities_of_an_empty_or_missing_folder(tmp_path):
    assert list_cities(tmp_path) == ()
    assert list_cities(tmp_path / "nothing") == ()


def test_copy_of_a_profile_loads_from_another_root(city_root):
    city = load_city("santa-rosa", city_root)
    assert isinstance(city, City)
    assert city.folder == (city_root / "santa-rosa").resolve()
    assert city.missing_files()  # the copy has no drafts: reported, not fatal


def test_malformed_profile_lists_every_bad_key_with_the_file(city_root):
    def break_it(data):
        del data["province"]
        data["population_2020"] = "lots"
        data["illustrative"] = "yes"
        data["drafts"][0]["version"] = "draft one"
        data["drafts"][0]["lang"] = "tl"
        data["drafts"][0]["pdf"] = "../../../etc/passwd.pdf"

    path = _edit(city_root, "city.yaml", break_it)
    with pytest.raises(DataFileError) as info:
        load_city("santa-rosa", city_root)
    message = str(info.value)
    assert str(path) in message
    for key in (
        "'province'",
        "'population_2020'",
        "'illustrative'",
        "'drafts[1].version'",
        "'drafts[1].lang'",
        "'drafts[1].pdf'",
    ):
        assert key in message
    assert "allowed: en, ja" in message
    assert "inside the city folder" in message
    assert len(info.value.problems) == 6


def test_slug_must_match_the_folder(city_root):
    _edit(city_root, "city.yaml", lambda d: d.update(slug="santa-rosa-2"))
    with pytest.raises(DataFileError, match="must equal the folder name"):
        load_city("santa-rosa", city_root)


def test_drafts_must_be_listed_oldest_first(city_root):
    def two_drafts(data):
        second = dict(data["drafts"][0], version="v2", date="2024-01-01")
        data["drafts"].append(second)

    _edit(city_root, "city.yaml", two_drafts)
    with pytest.raises(DataFileError, match="oldest first"):
        load_city("santa-rosa", city_root)


def test_illustrative_profile_needs_its_note(city_root):
    _edit(city_root, "city.yaml", lambda d: d.pop("illustrative_note"))
    with pytest.raises(DataFileError, match="illustrative_note"):
        load_city("santa-rosa", city_root)


def test_profile_that_is_not_yaml(city_root):
    (city_root / "santa-rosa" / "city.yaml").write_text("slug: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_city("santa-rosa", city_root)


def test_profile_that_is_a_list(city_root):
    (city_root / "santa-rosa" / "city.yaml").write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="mapping"):
        load_city("santa-rosa", city_root)


# -- answer keys ---------------------------------------------------------------


@pytest.mark.parametrize("slug", list_cities())
def test_answer_key_loads_with_at_least_ten_weaknesses(slug):
    city = load_city(slug)
    key = load_review_key(city)
    assert len(key) >= 10
    assert len({w.id for w in key}) == len(key)
    for w in key:
        assert w.evidence[0].version == city.versions[0]
        assert w.pages == w.evidence[0].pages
        assert all(c.startswith(w.area) for c in w.criteria)
        assert w.fixed_in in (None, *city.versions)


def test_answer_keys_use_standard_kinds_and_several_areas():
    kinds = {w.kind for slug in list_cities() for w in load_review_key(slug)}
    assert kinds <= set(WEAKNESS_KINDS)
    assert len(kinds) >= 12
    for slug in list_cities():
        areas = {w.area for w in load_review_key(slug)}
        assert len(areas) >= 5, (slug, areas)


def test_san_fernando_key_says_where_weaknesses_stand_in_v2():
    key = load_review_key("san-fernando")
    fixed = [w for w in key if w.fixed_in == "v2"]
    assert fixed and len(fixed) < len(key)  # v2 fixes some, not all
    assert all(w.evidence_for("v2") is not None for w in fixed)


def test_malformed_answer_key_lists_every_problem(city_root):
    def break_it(data):
        first, second = data["weaknesses"][0], data["weaknesses"][1]
        first["kind"] = "looks_bad"
        first["area"] = "Z"
        second["id"] = first["id"]
        second["fixed_in"] = "v9"
        second["pages"] = [0, "two"]

    path = _edit(city_root, "review_key.yaml", break_it)
    with pytest.raises(DataFileError) as info:
        load_review_key("santa-rosa", city_root)
    message = str(info.value)
    assert str(path) in message
    assert "unknown kind" in message and "hlpf_goal_missing" in message
    assert "'area' must be one letter" in message and "A-H" in message
    assert "id used twice" in message
    assert "'fixed_in' is not a draft version" in message
    assert "'pages' must be a list of page numbers" in message


def test_answer_key_may_declare_an_extra_kind(city_root):
    def extra(data):
        data["extra_kinds"] = {"lake_ignored": "a lakeshore city silent on its lake"}
        data["weaknesses"][0]["kind"] = "lake_ignored"

    _edit(city_root, "review_key.yaml", extra)
    key = load_review_key("santa-rosa", city_root)
    assert key[0].kind == "lake_ignored"


def test_answer_key_for_another_city_is_refused(city_root):
    _edit(city_root, "review_key.yaml", lambda d: d.update(city="san-fernando"))
    with pytest.raises(DataFileError, match="key 'city' must name the city folder"):
        load_review_key("santa-rosa", city_root)


def test_answer_key_evidence_needs_a_phrase(city_root):
    _edit(city_root, "review_key.yaml", lambda d: d["weaknesses"][0].update(evidence={}))
    with pytest.raises(DataFileError, match="at least one 'present' or 'absent' phrase"):
        load_review_key("santa-rosa", city_root)
