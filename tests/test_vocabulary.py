"""The mapping vocabulary: shared term files, city and review local terms, validation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vlr_tools import paths
from vlr_tools.errors import CityError, DataFileError, MappingError
from vlr_tools.framework import get_framework
from vlr_tools.mapping import map_text
from vlr_tools.vocabulary import (
    COLUMNS,
    LOCAL_TERM_KIND,
    add_local_term,
    city_vocabulary_path,
    load_vocabulary,
    local_terms,
    read_vocabulary_file,
    vocabulary_dir,
    vocabulary_version,
)

HEADER = ",".join(COLUMNS) + "\n"


def _write(tmp_path: Path, body: str, name: str = "en.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


# -- the shared files -------------------------------------------------------------------


def test_shared_vocabulary_covers_every_goal_and_many_targets():
    vocab = load_vocabulary()
    assert vocab.goals() == tuple(range(1, 18))
    assert {"en", "ja"} <= {t.lang for t in vocab.terms}
    fw = get_framework()
    for goal in range(1, 18):
        for lang in ("en", "ja"):
            terms = [t for t in vocab.for_goal(goal) if t.lang == lang]
            targets = {t.target for t in terms if t.target}
            assert len(terms) >= 20, (goal, lang, len(terms))
            assert len(targets) >= 3, (goal, lang, targets)
    codes = {t.code for t in fw.targets}
    used = {t.target for t in vocab.terms if t.target}
    assert used <= codes
    assert len(used) >= 120  # target-level terms for most of the 169 targets
    # every goal's official short title is itself a term, in both languages
    keys = {t.key for t in vocab.terms}
    for g in fw.goals:
        assert g.short_en.lower() in keys and g.short_ja in keys


@pytest.mark.parametrize(
    ("term", "goal", "target"),
    [
        ("barangay health station", 3, "3.8"),
        ("4Ps", 1, "1.3"),
        ("Pantawid Pamilyang Pilipino Program", 1, "1.3"),
        ("PhilHealth", 3, "3.8"),
        ("CBMS", 17, "17.18"),
        ("MRF", 12, "12.5"),
        ("RA 9003", 12, "12.5"),
        ("DRRM", 11, "11.b"),
        ("Laguna de Bay", 6, "6.6"),
        ("fisherfolk", 14, "14.b"),
        ("municipal waters", 14, "14.b"),
        ("TESDA", 4, "4.4"),
        ("漁業者", 14, "14.b"),
        ("ごみ収集", 11, "11.6"),
    ],
)
def test_philippine_and_japanese_terms_are_in_the_lists(term, goal, target):
    vocab = load_vocabulary()
    rows = [t for t in vocab.terms if t.term == term and t.goal == goal]
    assert rows and rows[0].target == target


def test_vocabulary_version_is_a_stable_hash_of_the_files():
    v1 = vocabulary_version()
    assert v1 == vocabulary_version() and len(v1) == 12
    assert vocabulary_version(city="santa-rosa") != v1
    assert load_vocabulary().version == v1


def test_editing_a_shared_file_changes_the_version_and_the_mapping(tmp_path, monkeypatch):
    reference = tmp_path / "reference"
    (reference / "vocabulary").mkdir(parents=True)
    (reference / "sdg").symlink_to(paths.REFERENCE_DIR / "sdg")
    for name in ("en.csv", "ja.csv", "context.csv", "kinds_en.csv"):
        shutil.copy(vocabulary_dir() / name, reference / "vocabulary" / name)
    before = vocabulary_version()
    monkeypatch.setattr(paths, "REFERENCE_DIR", reference)
    assert vocabulary_version() == before  # same bytes, same version
    text = "The kalamansi growers met in the plaza."
    assert 2 not in {m.goal for m in map_text(text)}
    with (reference / "vocabulary" / "en.csv").open("a", encoding="utf-8") as fh:
        fh.write("kalamansi growers,2,2.3,,citrus farmers\n")
    assert vocabulary_version() != before
    assert 2 in {m.goal for m in map_text(text)}


# -- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "row", "column", "message"),
    [
        ("water,18,,,\n", 2, "goal", "not an SDG goal number"),
        ("water,six,,,\n", 2, "goal", "not an SDG goal number"),
        ("water,,,,\n", 2, "goal", "is empty"),
        ("piped water,6,6.9,,\n", 2, "target", "not an SDG target code"),
        ("piped water,6,11.6,,\n", 2, "target", "belongs to goal 11, not to goal 6"),
        (",6,6.1,,\n", 2, "term", "is empty"),
        ("water,6,,heavy,\n", 2, "weight", "not a number above 0"),
        ("water,6,,0,\n", 2, "weight", "not a number above 0"),
        ("water,6,,9,\n", 2, "weight", "not a number above 0"),
        ("fl*ood,11,,,\n", 2, "term", "'*' may only end a word"),
        ("fl*,11,,,\n", 2, "term", "at least 3 letters"),
        ("stop words,-,11.6,,\n", 2, "target", "a stop phrase has no target"),
        ("# a comment\nwater,6,,,\nWATER supply,6,,,\nwater,6,,,\n", 5, "term", "already on row 3"),
    ],
)
def test_bad_rows_name_file_row_and_column(tmp_path, body, row, column, message):
    path = _write(tmp_path, body)
    with pytest.raises(DataFileError) as info:
        read_vocabulary_file(path)
    text = str(info.value)
    assert "en.csv" in text and f"row {row}" in text and f"column '{column}'" in text
    assert message in text


def test_all_problems_are_listed_at_once(tmp_path):
    path = _write(tmp_path, "water,18,,,\n,6,,,\nsewage,6,6.3,-1,\n")
    with pytest.raises(DataFileError) as info:
        read_vocabulary_file(path)
    assert len(info.value.problems) == 3
    assert [p.row for p in info.value.problems] == [2, 3, 4]


def test_header_problems(tmp_path):
    path = tmp_path / "en.csv"
    path.write_text("word,sdg\nwater,6\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="header lacks column.*term, goal"):
        read_vocabulary_file(path)
    path.write_text("term,goal,colour\nwater,6,blue\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown column.*colour"):
        read_vocabulary_file(path)
    path.write_text("water,6,6.1,1,a note, with a comma\n".join([HEADER, ""]), encoding="utf-8")
    with pytest.raises(DataFileError, match="must be in double quotes"):
        read_vocabulary_file(path)
    with pytest.raises(DataFileError, match="file not found"):
        read_vocabulary_file(tmp_path / "missing.csv")


def test_good_rows_with_defaults(tmp_path):
    path = _write(tmp_path, '# comment\nSolid Waste,11,11.6,,\nMRF,12,12.5,0.5,"a, b"\nwala,-,,,\n')
    terms = read_vocabulary_file(path)
    assert [(t.term, t.goal, t.target, t.weight, t.row) for t in terms] == [
        ("Solid Waste", 11, "11.6", 1.0, 3),
        ("MRF", 12, "12.5", 0.5, 4),
        ("wala", None, None, 1.0, 5),
    ]
    assert terms[0].key == "solid waste" and terms[1].key == "MRF"  # capitals stay exact
    assert terms[1].note == "a, b" and terms[2].is_stop


# -- local terms -------------------------------------------------------------------------


def test_city_local_terms_persist_and_take_effect_on_the_next_run(vocabulary_city):
    text = "The Bantay Lawa volunteers meet every week."
    assert not map_text(text, city=vocabulary_city)
    term = add_local_term(vocabulary_city, "Bantay Lawa", 6, "6.6", note="lake wardens")
    assert (term.term, term.goal, term.target, term.city) == ("Bantay Lawa", 6, "6.6", "testville")
    path = city_vocabulary_path(vocabulary_city)
    assert path.is_file() and path.read_text(encoding="utf-8").count("Bantay Lawa") == 1
    matches = map_text(text, city=vocabulary_city)
    assert [(m.goal, m.target) for m in matches] == [(6, "6.6")]
    assert matches[0].evidence[0].kind == "local"
    assert not map_text(text)  # the shared vocabulary is unchanged
    # adding the same term again does not duplicate the row
    add_local_term(vocabulary_city, "bantay lawa", 6, "6.6")
    assert path.read_text(encoding="utf-8").lower().count("bantay lawa") == 1
    add_local_term(vocabulary_city, "Lingap Kalusugan", "3", weight=0.5)
    assert len(read_vocabulary_file(path)) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", 6), "term: is empty"),
        (("Bantay Lawa", 19), "goal: is not an SDG goal number"),
        (("Bantay Lawa", 6, "14.4"), "target: target 14.4 belongs to goal 14"),
        (("Bantay Lawa", 6, "6.99"), "target: is not an SDG target code"),
        (("Bantay Lawa", "-"), "a local term needs a goal"),
    ],
)
def test_bad_local_terms_are_refused(vocabulary_city, args, message):
    with pytest.raises(MappingError, match=message):
        add_local_term(vocabulary_city, *args)
    assert not city_vocabulary_path(vocabulary_city).exists()


def test_bad_weight_and_unknown_city(vocabulary_city):
    with pytest.raises(MappingError, match="weight: is not a number above 0"):
        add_local_term(vocabulary_city, "Bantay Lawa", 6, weight=-2)
    with pytest.raises(CityError, match="unknown city 'atlantis'; allowed: testville"):
        add_local_term("atlantis", "Bantay Lawa", 6)
    with pytest.raises(CityError):
        load_vocabulary(city="../etc")


def test_a_broken_city_file_names_its_row(vocabulary_city):
    path = city_vocabulary_path(vocabulary_city)
    path.write_text(HEADER + "Bantay Lawa,6,6.6,,\nLingap,33,,,\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"vocabulary.csv, row 3, column 'goal'"):
        load_vocabulary(city=vocabulary_city)


def test_review_local_terms_are_saved_in_the_workspace(workspace, vocabulary_city):
    review = workspace.create_review(city="santa-rosa", version="v1", reviewers=("A. Reviewer",))
    text = "Lingap Bayan caravans visited 12 barangays."
    term = add_local_term(
        vocabulary_city, "Lingap Bayan", 3, "3.8", workspace=workspace, review_id=review.id
    )
    assert term.source == "workspace"
    assert not city_vocabulary_path(vocabulary_city).exists()  # nothing written to the city
    records = workspace.records(review.id, LOCAL_TERM_KIND)
    assert [r.data["term"] for r in records] == ["Lingap Bayan"]
    assert [t.term for t in local_terms(workspace, review.id)] == ["Lingap Bayan"]
    vocab = load_vocabulary(city=vocabulary_city, workspace=workspace, review_id=review.id)
    assert vocab.version != load_vocabulary(city=vocabulary_city).version
    assert [m.goal for m in map_text(text, vocabulary=vocab)] == [3]
    assert not map_text(text, city=vocabulary_city)
    with pytest.raises(MappingError, match="review_id"):
        load_vocabulary(workspace=workspace)


def test_sample_city_vocabularies_load():
    for city in ("santa-rosa", "san-fernando"):
        vocab = load_vocabulary(city=city)
        local = [t for t in vocab.terms if t.city == city]
        assert local and all(t.source.endswith("vocabulary.csv") for t in local)
    frame = load_vocabulary(city="san-fernando").to_frame()
    assert list(frame.columns)[:5] == list(COLUMNS)
    assert "Poro Point Freeport Zone" in set(frame["term"])


def test_context_words_are_read_with_their_role():
    vocab = load_vocabulary()
    assert vocab.context["open data"] == "means"
    assert vocab.context["housing"] == "setting"
    assert vocab.context["公園"] == "setting"
    assert any(f.endswith("context.csv") for f in vocab.files)


def test_a_bad_context_file_names_row_and_column(tmp_path):
    from vlr_tools.vocabulary import read_context_file

    path = tmp_path / "context.csv"
    path.write_text(
        "term,role,note\nopen data,means,\npark,venue,\n*x,setting,\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError) as info:
        read_context_file(path)
    problems = info.value.problems
    assert [(p.row, p.column) for p in problems] == [(3, "role"), (4, "term")]
    assert "means, setting" in (problems[0].allowed or "")


def test_editing_the_context_file_changes_the_version(tmp_path, monkeypatch):
    reference = tmp_path / "reference"
    (reference / "vocabulary").mkdir(parents=True)
    (reference / "sdg").symlink_to(paths.REFERENCE_DIR / "sdg")
    for name in ("en.csv", "ja.csv", "context.csv", "kinds_en.csv"):
        shutil.copy(vocabulary_dir() / name, reference / "vocabulary" / name)
    before = vocabulary_version()
    monkeypatch.setattr(paths, "REFERENCE_DIR", reference)
    assert vocabulary_version() == before
    with (reference / "vocabulary" / "context.csv").open("a", encoding="utf-8") as fh:
        fh.write("fisherfolk,setting,\n")
    assert vocabulary_version() != before
    assert load_vocabulary().context["fisherfolk"] == "setting"
