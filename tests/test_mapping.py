"""SDG mapping of text and drafts: goals, targets, evidence offsets, CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from vlr_tools.cli import main
from vlr_tools.documents import draft_from_text, load_draft
from vlr_tools.errors import MappingError
from vlr_tools.mapping import (
    DraftMapping,
    Match,
    card_title,
    find_evidence,
    goal_scores,
    map_draft,
    map_text,
)
from vlr_tools.vocabulary import add_local_term

PROJECT = Path(__file__).resolve().parent.parent
DRAFTS = PROJECT / "data" / "cities"
SR_PDF = DRAFTS / "santa-rosa/drafts/santa-rosa-vlr-draft-v1.pdf"
SR_DOCX = DRAFTS / "santa-rosa/drafts/santa-rosa-vlr-draft-v1.docx"
SF_V1_PDF = DRAFTS / "san-fernando/drafts/san-fernando-vlr-draft-v1.pdf"
SF_V2_PDF = DRAFTS / "san-fernando/drafts/san-fernando-vlr-draft-v2.pdf"
SF_V2_DOCX = DRAFTS / "san-fernando/drafts/san-fernando-vlr-draft-v2.docx"
SF_JA_PDF = DRAFTS / "san-fernando/drafts/san-fernando-summary-ja.pdf"


def goals(text: str, **kw) -> list[int]:
    return [m.goal for m in map_text(text, **kw)]


def assert_offsets(text: str, matches: list[Match]) -> None:
    for m in matches:
        assert m.evidence
        for e in m.evidence:
            assert text[e.start : e.end] == e.text, (e, text[e.start : e.end])


# -- English and Japanese paragraphs -------------------------------------------------------

EN_CASES = [
    (
        "Poverty incidence among families fell to 9.6 percent, and 3,400 households receive "
        "conditional cash transfers.",
        1,
        "1.2",
    ),
    ("Stunting and wasting among pre-school children remain above the regional average.", 2, "2.2"),
    (
        "The maternal mortality ratio fell and more births took place in birthing facilities.",
        3,
        "3.1",
    ),
    (
        "The completion rate of elementary education reached 93 percent, with fewer dropouts.",
        4,
        "4.1",
    ),
    ("Cases of violence against women reported to the barangay VAW desks increased.", 5, "5.2"),
    ("Households with piped water connections rose to 82 percent.", 6, "6.1"),
    ("Solar panels now supply part of the power of City Hall and two public markets.", 7, "7.2"),
    ("Unemployment dropped to 4.6 percent while job fairs placed 5,800 jobseekers.", 8, "8.5"),
    ("Manufacturing in the economic zones employs 28,000 workers.", 9, "9.2"),
    (
        "Persons with disabilities and indigenous peoples are at risk of being left behind.",
        10,
        "10.2",
    ),
    (
        "Garbage collection now covers every barangay and residual waste goes to a sanitary "
        "landfill.",
        11,
        "11.6",
    ),
    ("Materials recovery facilities raised the recycling rate to 52 percent.", 12, "12.5"),
    (
        "The first greenhouse gas inventory found transport to be the largest source of emissions.",
        13,
        "13.2",
    ),
    (
        "Fish catch of municipal fisherfolk fell as commercial fishing vessels entered "
        "municipal waters.",
        14,
        "14.4",
    ),
    (
        "Volunteers planted 85,000 native seedlings to restore the forest in the watershed.",
        15,
        "15.2",
    ),
    (
        "Index crimes fell by a third and residents say they feel safe walking alone at night.",
        16,
        "16.1",
    ),
    ("Locally sourced revenue grew as real property tax collection improved.", 17, "17.1"),
]


@pytest.mark.parametrize(("text", "goal", "target"), EN_CASES, ids=[f"g{c[1]}" for c in EN_CASES])
def test_english_paragraphs_map_to_their_goal_and_target(text, goal, target):
    matches = map_text(text, lang="en")
    assert matches and matches[0].goal == goal
    assert matches[0].target == target
    assert target in matches[0].targets
    assert_offsets(text, matches)


JA_CASES = [
    ("市の貧困率は2018年の14.2%から2022年には9.6%に低下した。", 1),
    ("5歳未満児の発育阻害の割合は18.4%だった。", 2),
    ("結核の治療成功率は88%に達した。", 3),
    ("中学校の修了率は86%に達したが、山間部で中退が多い。", 4),
    ("女性議員比率は27.6%で、女性・子どもへの暴力の相談件数が増加した。", 5),
    ("安全な飲料水を利用できる世帯は78.9%で、し尿汚泥処理が課題である。", 6),
    ("市庁舎の屋根に太陽光発電設備を設置した。", 7),
    ("観光客数は38万8,500人に達し、観光業が雇用を生んでいる。", 8),
    ("経済特区の製造業が地域の雇用を支えている。", 9),
    ("障害者や先住民族など、取り残されるおそれのある人々を特定した。", 10),
    ("台風と高潮で被災者が急増し、避難所が不足した。", 11),
    ("分別収集と資源回収施設の整備により、資源化率は52%に上昇した。", 12),
    ("市は温室効果ガスの排出量を初めて算定した。", 13),
    ("小規模漁業者の漁獲量が減少し、海洋保護区は拡大されていない。", 14),
    ("水源林の森林被覆率が低下し、生物多様性が失われている。", 15),
    ("主要犯罪は35%減少し、治安は改善した。", 16),
    ("市は横浜市と都市間協力の覚書を結んだ。", 17),
]


@pytest.mark.parametrize(("text", "goal"), JA_CASES, ids=[f"g{c[1]}" for c in JA_CASES])
def test_japanese_paragraphs_map_to_their_goal(text, goal):
    matches = map_text(text)
    assert matches and matches[0].goal == goal, [(m.goal, m.terms) for m in matches]
    assert matches[0].title  # Japanese short title of the goal
    assert_offsets(text, matches)


def test_titles_follow_the_language():
    assert map_text("漁業者の漁獲量", lang="ja")[0].title == "海の豊かさを守ろう"
    assert map_text("fisherfolk and their catch", lang="en")[0].title == "Life below water"
    assert map_text("漁業者の漁獲量")[0].title == "海の豊かさを守ろう"  # detected


def test_evidence_offsets_are_exact_and_cover_the_matched_words():
    text = "Households connected to piped water rose; sanitary toilets reached 96 percent."
    matches = map_text(text, meaning=False)  # the words only (the reading is tested apart)
    assert [m.goal for m in matches] == [6]
    assert [(e.text, e.target) for e in matches[0].evidence] == [
        ("piped water", "6.1"),
        ("sanitary toilets", "6.2"),
    ]
    assert matches[0].targets == ("6.1", "6.2")
    assert_offsets(text, matches)


def test_offsets_survive_unicode_folding():
    # full-width letters, a ligature and half-width katakana all fold under NFKC
    text = "Ｔｈｅ municipal ﬁsherfolk and ﾏﾝｸﾞﾛｰﾌﾞ forests. Ｓ Ｄ Ｇ １４ and ＳＤＧ１４."
    matches = map_text(text)
    assert 14 in {m.goal for m in matches}
    assert_offsets(text, matches)
    words = {e.text for m in matches for e in m.evidence}
    assert "municipal ﬁsherfolk" in words and "ﾏﾝｸﾞﾛｰﾌﾞ" in words and "ＳＤＧ１４" in words


def test_generic_words_carry_no_goal():
    assert map_text("This sustainable city is committed to development for all.") == []
    assert map_text("The Sustainable Development Goals and the 2030 Agenda guide our city.") == []
    assert map_text("The City Environment and Natural Resources Office led the review.") == []
    assert map_text("Chapter 4 presents the results; the annex lists the sources.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SDG 14 is not covered in this review.", [(14, None)]),
        ("This chapter reports on Goal 14.", [(14, None)]),
        ("Progress on target 11.6 is uneven.", [(11, "11.6")]),
        ("We report indicator 6.1.1 for the first time.", [(6, "6.1")]),
        ("SDG 11.a is relevant here.", [(11, "11.a")]),
        ("The review covers SDGs 1, 11 and 13.", [(1, None), (11, None), (13, None)]),
        ("目標14の章がない。", [(14, None)]),
        ("ターゲット11.5に関する記述。", [(11, "11.5")]),
        ("対象は目標3、5、8で", [(3, None), (5, None), (8, None)]),
        ("Indicator code 11.6.1 is reported", [(11, "11.6")]),
    ],
)
def test_explicit_references_are_strong_evidence(text, expected):
    matches = map_text(text)
    assert sorted((m.goal, m.target) for m in matches) == sorted(expected)
    assert all(e.kind == "reference" for m in matches for e in m.evidence)
    assert_offsets(text, matches)


@pytest.mark.parametrize(
    "text",
    [
        "Our goal for 2030 is a cleaner city.",
        "The target 50% was reached.",
        "SDG 18 does not exist.",
        "Section 3.2.1 explains the method.",
        "Version 1.2 of the plan.",
    ],
)
def test_things_that_look_like_references_but_are_not(text):
    assert map_text(text) == []


def test_longest_term_wins_and_words_inside_words_do_not_match():
    text = "Non-communicable diseases such as hypertension rose."
    m = map_text(text)
    assert [(x.goal, x.target) for x in m] == [(3, "3.4")]
    assert "3.3" not in m[0].targets  # "communicable disease" inside the longer term
    assert 11 not in goals("Human trafficking of minors was prosecuted.")  # not "traffic"
    assert goals("Seagrass beds and coral reefs") == [14]
    assert 14 not in goals("The report was filed by the city office.")  # "port" not in "report"


def test_japanese_longest_match_keeps_short_terms_out_of_compounds():
    m = map_text("交通事故で亡くなる人が増えた。")
    assert [(x.goal, x.target) for x in m] == [(3, "3.6")] and m[0].terms == ("交通事故",)
    assert not [e for e in find_evidence("交通事故が多い") if e.text == "交通"]  # not 交通 (11.2)
    m = map_text("残さは衛生埋立処分場に運ばれる。")
    assert [x.goal for x in m] == [11] and m[0].terms == ("衛生埋立処分場",)  # not 衛生 (6.2)
    assert map_text("持続可能な開発目標の達成に向けて") == []  # stop phrase, no 開発 goal


def test_plurals_wildcards_and_capitals():
    assert goals("Two new evacuation centres were built.") == [11]
    assert goals("Flooding hit 11 barangays.") == [11]
    assert 11 in goals("Floodwaters damaged houses.")
    assert goals("New birthing facilities opened.") == [3]
    assert goals("TB cases fell.") == [3]
    assert goals("The tb of the text.") == []  # capitals-only terms match only in capitals
    assert 12 in goals("Every barangay has an MRF.")
    assert goals("Three MRFs and two composting sites opened.") == [12]


def test_one_match_per_goal_sorted_with_scores_in_range():
    text = (
        "Typhoons flooded the coastal barangays and destroyed fishing boats of fisherfolk; "
        "the evacuation centres were full and mangroves protected part of the shore."
    )
    matches = map_text(text)
    assert len({m.goal for m in matches}) == len(matches)
    assert all(0 < m.score <= 1 for m in matches)
    assert [m.weight for m in matches] == sorted((m.weight for m in matches), reverse=True)
    assert {11, 14} <= {m.goal for m in matches}
    scores = goal_scores(text)
    assert scores[11] >= 1 and scores[14] >= 1


def test_incidental_mentions_are_not_suggested():
    text = (
        "The Public Employment Service Office held 12 job fairs, placed 5,800 jobseekers and "
        "ran employment facilitation for young people; one fair was held at a school."
    )
    assert goals(text) == [8]
    evidence = find_evidence(text)
    assert any(e.goal == 4 for e in evidence)  # the word is found, but not suggested


def test_stop_phrases_hide_the_terms_inside_them():
    assert goals("Department of Environment and Natural Resources") == []
    assert 12 in goals("Natural resources such as sand and gravel are over-extracted.")


def test_mixed_languages_and_filipino():
    text = (
        "Ang mga mangingisda ay apektado ng bagyo. 漁業者の漁獲量が減少した。 "
        "Fisherfolk asked for new boats."
    )
    matches = map_text(text)
    assert matches[0].goal == 14
    assert {"mangingisda", "漁業者", "漁獲量", "Fisherfolk"} <= set(matches[0].terms)
    assert any(e.text == "bagyo" and e.goal == 11 for e in find_evidence(text))
    assert_offsets(text, matches)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "\x00\x01\x02\x03\ufffd\ufffd",
        "".join(chr(i) for i in range(0, 3000)),
        "%PDF-1.7 \x00\x7f binary ÿþ 0.0.0 1.1.1.1 SDG",
    ],
)
def test_empty_and_junk_text_give_no_suggestion(text):
    assert map_text(text) == [] or all(0 < m.score <= 1 for m in map_text(text))


def test_bad_arguments():
    with pytest.raises(MappingError, match="decode it first"):
        map_text(b"bytes are not text")  # type: ignore[arg-type]
    with pytest.raises(MappingError, match="text must be str"):
        map_text(None)  # type: ignore[arg-type]
    with pytest.raises(MappingError, match="unknown language 'fr'; allowed: en, ja"):
        map_text("water", lang="fr")
    with pytest.raises(MappingError, match="vocabulary must be a Vocabulary"):
        map_text("water", vocabulary={"water": 6})  # type: ignore[arg-type]
    with pytest.raises(MappingError, match="needs a Draft or a file path"):
        map_draft(42)  # type: ignore[arg-type]


def test_local_terms_take_effect(vocabulary_city):
    text = "The Lingap Bayan caravan visited the upland sitios."
    assert 3 not in goals(text, city=vocabulary_city)
    add_local_term(vocabulary_city, "Lingap Bayan", 3, "3.8")
    matches = map_text(text, city=vocabulary_city)
    assert [(m.goal, m.target) for m in matches] == [(3, "3.8")]
    assert matches[0].evidence[0].text == "Lingap Bayan"


# -- drafts --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sr_pdf_mapping() -> DraftMapping:
    return map_draft(SR_PDF, city="santa-rosa")


def _check_page_level_evidence(mapping: DraftMapping) -> None:
    draft = mapping.draft
    mapped = mapping.mapped()
    assert len(mapped) > 20
    before = dict(zip([p.ref for p in draft.paragraphs()[1:]], draft.paragraphs(), strict=False))
    for p in mapped:
        para = draft.find(p.ref)
        assert 1 <= p.page <= draft.page_count and p.page == para.page
        assert p.text == para.text and p.section == para.section
        # a programme's name on the line above: its words' offsets are that line's
        for m in p.matches:
            for e in m.evidence:
                text = before[p.ref].text if e.place == "heading" else para.text
                assert text[e.start : e.end] == e.text, (p.ref, e)


def test_santa_rosa_pdf_maps_with_page_level_evidence(sr_pdf_mapping):
    m = sr_pdf_mapping
    _check_page_level_evidence(m)
    assert m.city == "santa-rosa" and m.lang == "en" and len(m.vocabulary_version) == 12
    found = {g.goal for g in m.goals()}
    assert {3, 5, 6, 8, 9, 11, 12, 13, 17} <= found  # the goals the draft reviews
    # the SDG 6 section of chapter 4 is where goal 6 concentrates
    sections = {s.title: s for s in m.sections()}
    sdg6 = sections["SDG 6: Clean water and sanitation"]
    assert sdg6.matches[0].goal == 6
    assert set(sdg6.pages) <= set(m.pages_for(6))
    assert "6.3" in m.goals()[[g.goal for g in m.goals()].index(6)].targets


def test_table_of_contents_is_skipped(sr_pdf_mapping):
    toc = [p for p in sr_pdf_mapping.paragraphs if p.skipped == "toc"]
    assert toc and all(p.page == 2 and not p.matches for p in toc)


def test_docx_drafts_map_too():
    for path in (SR_DOCX, SF_V2_DOCX):
        mapping = map_draft(load_draft(path))
        _check_page_level_evidence(mapping)
        assert {6, 11, 13} <= {g.goal for g in mapping.goals()}


def test_san_fernando_v1_is_silent_on_the_sea_and_v2_is_not():
    v1, v2 = map_draft(SF_V1_PDF, "san-fernando"), map_draft(SF_V2_PDF, "san-fernando")
    _check_page_level_evidence(v2)
    sea_v1 = v1.paragraphs_for(14)
    sea_v2 = v2.paragraphs_for(14)
    assert len(sea_v2) >= 3 * max(len(sea_v1), 1)
    assert {"14.4", "14.5", "14.b"} <= {t for p in sea_v2 for m in p.matches for t in m.targets}


def test_japanese_summary_maps_with_page_level_evidence():
    mapping = map_draft(SF_JA_PDF)
    assert mapping.lang == "ja"
    _check_page_level_evidence(mapping)
    sea = mapping.paragraphs_for(14, "14.4")
    assert sea and {p.page for p in sea} == {3}
    assert any("漁獲量" in m.terms for p in sea for m in p.matches)
    assert {1, 3, 4, 5, 6, 8, 11, 13, 14, 17} <= {g.goal for g in mapping.goals()}


def test_frames(sr_pdf_mapping):
    goal_rows = sr_pdf_mapping.to_frame()
    target_rows = sr_pdf_mapping.to_frame("target")
    assert list(goal_rows.columns) == [
        "ref",
        "page",
        "page_label",
        "section",
        "kind",
        "goal",
        "target",
        "score",
        "terms",
        "evidence",
    ]
    assert len(target_rows) >= len(goal_rows)
    assert goal_rows["score"].between(0, 1).all()
    assert ((goal_rows["goal"] >= 1) & (goal_rows["goal"] <= 17)).all()
    sections = sr_pdf_mapping.section_frame()
    assert {"section", "goal", "score", "paragraphs"} <= set(sections.columns)
    summary = sr_pdf_mapping.goal_frame()
    assert summary["paragraphs"].min() >= 1
    with pytest.raises(MappingError, match="allowed: goal, target"):
        sr_pdf_mapping.to_frame("indicator")  # type: ignore[arg-type]


def test_map_draft_of_pasted_text():
    draft = draft_from_text("SDG 6\n\nSeptage is not treated.\fMangroves are cut.", title="t")
    mapping = map_draft(draft)
    assert [p.goals() for p in mapping.paragraphs] == [(6,), (6,), (14,)]
    assert mapping.pages_for(14) == (2,)
    assert mapping.paragraph("p2.1").matches[0].target == "14.2"


# -- CLI -----------------------------------------------------------------------------------


def test_cli_table(capsys):
    assert main(["map", str(SF_JA_PDF)]) == 0
    out = capsys.readouterr().out
    assert "san-fernando-summary-ja.pdf: 5 pages" in out
    assert "Goals found" in out and "SDG 14" in out and "漁獲量" in out


def test_cli_csv_target_level(capsys):
    assert (
        main(["map", str(SR_PDF), "--format", "csv", "--level", "target", "--city", "santa-rosa"])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {"ref", "page", "goal", "target", "score", "terms"} <= set(rows[0])
    assert any(r["goal"] == "6" and r["target"] == "6.3" for r in rows)


def test_cli_json_from_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Fish catch of municipal fisherfolk fell."))
    assert main(["map", "-", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["goals"][0]["goal"] == 14
    para = data["paragraphs"][0]
    evidence = para["matches"][0]["evidence"]
    assert all(para["text"][e["start"] : e["end"]] == e["text"] for e in evidence)


def test_cli_errors_are_one_line(capsys, tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    assert main(["map", str(junk)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: junk.pdf: not a readable PDF") and "Traceback" not in err
    assert main(["map", str(SR_PDF), "--city", "atlantis"]) == 2
    assert "unknown city 'atlantis'" in capsys.readouterr().err


def test_cli_help_has_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["map", "--help"])
    out = capsys.readouterr().out
    assert "Example" in out and "vlr map" in out and "--level" in out


@pytest.mark.slow
def test_a_2000_page_pdf_is_read_and_mapped(tmp_path):
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(str(SF_V2_PDF))
    sea_page = next(i for i, page in enumerate(reader.pages) if "fisherfolk" in page.extract_text())
    writer = PdfWriter()
    for _ in range(2000):
        writer.add_page(reader.pages[sea_page])
    path = tmp_path / "big.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    mapping = map_draft(path)
    assert mapping.draft.page_count == 2000
    assert 14 in {g.goal for g in mapping.goals()}
    assert mapping.pages_for(14)[-1] == 2000


def _stdin_bytes(monkeypatch, data: bytes) -> None:
    """Standard input as a console gives it: a text stream over raw bytes."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), errors="surrogateescape"))


def test_cli_stdin_that_is_not_utf8_is_one_clear_error(capsys, monkeypatch):
    _stdin_bytes(monkeypatch, b"\xff\xfe")
    assert main(["map", "-"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "error: standard input is not UTF-8 text; save the draft as UTF-8 or pass the file\n"
    )


def test_cli_stdin_utf8_with_bom(capsys, monkeypatch):
    text = "\ufeffFish catch of municipal fisherfolk fell. 漁獲量が減った。"
    _stdin_bytes(monkeypatch, text.encode("utf-8"))
    assert main(["map", "-", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["paragraphs"][0]["text"].startswith("Fish catch")
    assert data["goals"][0]["goal"] == 14


def test_cli_map_of_a_folder_says_it_is_a_folder(capsys, tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    assert main(["map", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "is a folder, not a draft file" in err and "without an extension" not in err


# -- the main subject of a programme description ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "goal", "not_first"),
    [
        (
            "Safe Parking. People who live in their cars can park overnight in secured lots "
            "with restrooms. Caseworkers meet them there to help them find housing.",
            1,
            11,
        ),
        (
            "Food Security Hackathon. Students and food banks built an app that shows families "
            "where to find free meals. The app runs on the City's open data portal, in "
            "partnership with the university.",
            2,
            17,
        ),
        (
            "Youth Sports. Free after-school basketball and swimming leagues keep children "
            "active all year. Games are played in city parks and school gyms.",
            3,
            11,
        ),
        (
            "Rent relief. The program helps tenants who fell behind on rent during the pandemic "
            "so that they can stay in their homes. Landlords receive the back rent directly.",
            1,
            3,
        ),
    ],
    ids=["parking", "hackathon", "sports", "rent"],
)
def test_the_programme_subject_outranks_its_context(text, goal, not_first):
    matches = map_text(text, lang="en")
    assert matches[0].goal == goal, [(m.goal, m.why()) for m in matches]
    assert all(m.goal != not_first for m in matches[:1])
    assert_offsets(text, matches)


def test_context_words_are_weighed_less_and_say_so():
    text = (
        "Food Security Hackathon. Students and food banks built an app that shows families "
        "where to find free meals. The app runs on the City's open data portal."
    )
    evidence = [e for e in find_evidence(text) if e.text == "open data"]
    assert evidence and evidence[0].context == "means" and evidence[0].factor < 1
    assert evidence[0].weight < evidence[0].term_weight
    top = map_text(text)[0]
    assert top.goal == 2 and "food bank" in top.why() and "title" in top.why()


def test_a_passage_about_the_means_still_maps_to_them():
    assert goals("Open data. The city publishes its budgets for anyone to reuse.")[:1] == [17]
    # one sentence states its subject and its means together: the partnership counts
    text = "The City partnered with a private hospital group and two universities on research."
    assert 17 in goals(text)
    assert all(e.factor >= 1 for e in find_evidence(text) if e.context)


def test_a_weak_word_counts_by_where_it_stands():
    # "park" (weight 0.8) as a programme's title is its subject; in passing, it is not enough
    assert goals("Park upgrades. Works start next year.") == [11]
    passing = "The works start next year. Contractors were chosen. One site is by a park."
    assert goals(passing, meaning=False) == []
    # a weak word that does not clearly lead another one is not enough either
    assert goals("Park and ICT upgrades. Works start next year.") == []
    places = {
        e.text: e.place
        for e in find_evidence(
            "Rent relief. It helps tenants so that families keep their homes. Fisherfolk too."
        )
    }
    assert places["Rent relief"] == "name"
    assert places["Fisherfolk"] == ""


def test_title_lead_and_purpose_places():
    text = (
        "Summer Meals. Children get a free lunch at libraries. Volunteers serve the meals "
        "so that no child goes hungry. Fisherfolk donate fish."
    )
    by_word = {e.text: e for e in find_evidence(text)}
    assert by_word["Summer Meals"].place == "name"
    assert by_word["free lunch"].place == "lead"
    assert by_word["hungry"].place == "purpose"
    assert by_word["Fisherfolk"].place == ""
    assert by_word["free lunch"].weight > by_word["free lunch"].term_weight


def test_japanese_programme_descriptions():
    assert goals("住居確保給付金。家賃の支払いが困難になった世帯に家賃相当額を支給する。")[:1] == [
        1
    ]
    assert goals("子どもがスポーツに親しめるよう、公園や学校の体育館を開放している。")[:1] == [3]


# -- issue 18 round 2: weak subjects, inflections, kinds -----------------------------------


def test_a_weak_subject_in_the_lead_is_suggested_alone():
    # "women" (0.5) alone is below the threshold, but it is the subject of the sentence
    matches = map_text("This year, most of the new firefighters were women.")
    assert [m.goal for m in matches] == [5]
    assert matches[0].score < 0.5  # the score shows that the evidence is weak
    assert "'women'" in matches[0].why() and "lead" in matches[0].why()
    # context words never make a weak suggestion (a report's thanks, a partner)
    assert goals("本レビューにご協力いただいたすべての方に感謝する。") == []
    assert goals("The City thanks its partners for their support.") == []
    # nor does a weak word when another goal's words are as strong
    assert goals("Women and police officers met in the hall.") == []


def test_english_terms_match_their_inflections():
    hits = {e.text: e.term for e in find_evidence("Renters who rented; farming and farmers.")}
    assert hits.get("farming", "").startswith("farm") and hits.get("farmers", "").startswith("farm")
    # generated kinds are nouns: no -ing or -ed forms ("train" would find "training")
    assert all(e.goal != 11 for e in find_evidence("Staff were trained in data entry."))


def test_kinds_of_category_words_are_found_with_their_category():
    text = "Bear watch. Rangers follow the brown bears in the hills above the city."
    matches = map_text(text)
    assert matches[0].goal == 15
    bear = [e for e in matches[0].evidence if e.text == "brown bears"]
    assert bear and bear[0].source.startswith("kinds_en.csv:")
    # the longest term wins, and a hand-written term keeps its own goal and weight
    assert [e.text for e in find_evidence("the brown bear cub")] == ["brown bear"]


def test_the_generated_kinds_name_a_listed_category_and_do_not_repeat_en_csv():
    folder = PROJECT / "data" / "reference" / "vocabulary"
    heads = {
        row["head"]: row
        for row in csv.DictReader(
            io.StringIO(
                "\n".join(
                    line
                    for line in (folder / "kinds.csv").read_text(encoding="utf-8").splitlines()
                    if not line.startswith("#")
                )
            )
        )
    }
    hand = {
        row[0].lower()
        for row in csv.reader((folder / "en.csv").read_text(encoding="utf-8").splitlines())
        if row and not row[0].startswith("#")
    }
    lines = (folder / "kinds_en.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert len(rows) > 1000
    for row in rows:
        head = heads[row["note"].removeprefix("a kind of ")]
        assert (row["goal"], row["target"], row["weight"]) == (
            head["goal"],
            head["target"],
            head["weight"],
        )
        assert row["term"] not in hand
    assert not {"train", "clean", "local", "sole", "cold"} & {row["term"] for row in rows}


def test_cli_lists_the_front_matter_it_skipped(capsys):
    assert main(["map", str(SF_V2_DOCX)]) == 0
    out = capsys.readouterr().out
    tail = out.split("Skipped as front matter")[1]
    assert "table of contents:" in tail and "list of acronyms and abbreviations: 38" in tail
    assert main(["map", str(SF_V2_DOCX), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    reasons = {s["reason"] for s in data["skipped"]}
    assert reasons == {"toc", "acronyms"}
    assert all(p["matches"][0]["why"] for p in data["paragraphs"])


# -- a programme's name on the line above its description --------------------------------


@pytest.mark.parametrize("layout", ["## ", ""], ids=["heading", "bold-line"])
def test_a_programme_name_above_its_description_is_read_with_it(layout):
    """Drafts set a programme's name on its own line; the mapper reads "Name. Description".

    Without it "Mangrove Restoration" gets no suggestion (the description never says
    mangrove), and "Dengue Control Teams" is read as water (6) from "standing water".
    """
    cards = [
        ("Mangrove Restoration", "Volunteers planted 120 hectares along the gulf in 2024.", 14),
        (
            "Dengue Control Teams",
            "Barangay teams inspect households every week in the rainy season and clear "
            "standing water.",
            3,
        ),
    ]
    for title, body, goal in cards:
        assert goal not in goals(body)[:1]  # the description alone misses it
        draft = draft_from_text(f"{layout}{title}\n\n{body}\n", markdown=True, lang="en")
        heading, para = draft.paragraphs()
        mapping = map_draft(draft)
        found = next(p for p in mapping.paragraphs if p.ref == para.ref)
        assert found.matches[0].goal == goal, (title, found.matches)
        named = [e for e in found.matches[0].evidence if e.place == "heading"]
        assert named and all(heading.text[e.start : e.end] == e.text for e in named)
        assert "(heading, " in found.matches[0].why()
        rest = [e for m in found.matches for e in m.evidence if e.place != "heading"]
        assert all(para.text[e.start : e.end] == e.text for e in rest)


def test_chapter_headings_and_introductions_are_not_programme_names():
    text = (
        "## SDG 14: Life below water\n\nVolunteers planted 120 hectares along the gulf.\n\n"
        "## 4. Mangrove Restoration\n\nVolunteers planted 120 hectares along the gulf.\n\n"
        "The city commits to:\n\nVolunteers planted 120 hectares along the gulf.\n"
    )
    draft = draft_from_text(text, markdown=True, lang="en")
    bodies = [p for p in map_draft(draft).paragraphs if p.text.startswith("Volunteers")]
    assert len(bodies) == 3
    for p in bodies:
        assert not any(e.place == "heading" for m in p.matches for e in m.evidence), p.ref
    assert card_title(draft.paragraphs()[0], draft.paragraphs()[1]) == ""
