"""Front matter that is not SDG content: contents, acronym lists, glossaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from vlr_tools.documents import draft_from_text, load_draft
from vlr_tools.front_matter import REASONS, is_acronym_line, skip_reasons
from vlr_tools.mapping import map_draft

DRAFTS = Path(__file__).resolve().parent.parent / "data" / "cities"
SF_V2_PDF = DRAFTS / "san-fernando/drafts/san-fernando-vlr-draft-v2.pdf"
SF_V2_DOCX = DRAFTS / "san-fernando/drafts/san-fernando-vlr-draft-v2.docx"
SR_DOCX = DRAFTS / "santa-rosa/drafts/santa-rosa-vlr-draft-v1.docx"


@pytest.mark.parametrize(
    "line",
    [
        "DRR – Disaster Risk Reduction",
        "DRR - Disaster Risk Reduction",
        "CSWDO: City Social Welfare and Development Office",
        "4Ps Pantawid Pamilyang Pilipino Program",
        "DepEd | Department of Education",
        "MPA\tMarine protected area",
        "SDG Sustainable Development Goal",
        "ICT　情報通信技術",
        "KPI 重要業績評価指標（Key Performance Indicator）",
        "NPO：特定非営利活動法人などの民間非営利団体",
    ],
)
def test_acronym_lines(line):
    assert is_acronym_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Poverty incidence fell to 9.6 percent.",
        "SDG 6 improved: more households have piped water.",
        "The DRR office trained 59 barangays.",
        "MRF coverage rose in all barangays",  # capitals are not the initials of what follows
        "5.1 SDG 1: No Poverty",
        "Typhoons – the city's main hazard",
        "LED 照明に切り替えた。",  # a sentence, not an expansion
        "DX推進計画を策定した",
        "Wi-Fi 環境を整えた",  # one capital and no digit: not an acronym
    ],
)
def test_lines_that_are_not_acronym_definitions(line):
    assert not is_acronym_line(line)


def test_a_titled_acronym_list_and_glossary_are_skipped_but_not_the_text_after_them():
    draft = draft_from_text(
        "# Acronyms\n\nDRR – Disaster Risk Reduction\n\nMPA – Marine protected area\n\n"
        "# Glossary\n\nInformal settler families: households living on land they do not own.\n\n"
        "# Poverty\n\nPoverty incidence fell and fisherfolk caught more fish.",
        markdown=True,
    )
    assert skip_reasons(draft.paragraphs()) == [
        "",
        "acronyms",
        "acronyms",
        "",
        "glossary",
        "",
        "",
    ]
    mapping = map_draft(draft)
    assert {p.ref for p in mapping.skipped()} == {"p1.2", "p1.3", "p1.5"}
    assert [p.ref for p in mapping.skipped("glossary")] == ["p1.5"]
    assert all(not p.matches for p in mapping.skipped())
    # the goals named in the front matter (11, 14 via "marine protected area") are not covered
    # by it; only the content paragraph counts
    assert mapping.paragraph("p1.7").goals() and not mapping.paragraphs_for(14)[0].skipped


def test_a_run_of_acronym_lines_without_a_title_is_skipped():
    lines = [
        "BFAR – Bureau of Fisheries and Aquatic Resources",
        "CDRRMO – City Disaster Risk Reduction and Management Office",
        "MPA – Marine protected area",
        "VAWC – Violence against women and their children",
    ]
    draft = draft_from_text("\n\n".join(["Fish catch of municipal fisherfolk fell.", *lines]))
    reasons = skip_reasons(draft.paragraphs())
    assert reasons == ["", "acronyms", "acronyms", "acronyms", "acronyms"]
    # two such lines are not a list: they stay content
    draft = draft_from_text("\n\n".join(lines[:2]))
    assert skip_reasons(draft.paragraphs()) == ["", ""]


def test_a_plain_acronyms_line_starts_the_list():
    draft = draft_from_text(
        "Acronyms\n\nDRR – Disaster Risk Reduction\n\nMPA – Marine protected area"
    )
    assert skip_reasons(draft.paragraphs()) == ["", "acronyms", "acronyms"]


def test_pdf_drafts_skip_the_contents_and_the_abbreviations():
    mapping = map_draft(SF_V2_PDF)
    acronyms = mapping.skipped("acronyms")
    assert len(acronyms) >= 30 and {p.page for p in acronyms} == {4}
    assert "MPA" in " ".join(p.text for p in acronyms)
    assert {p.page for p in mapping.skipped("toc")} == {2}
    assert not any(p.page == 4 for p in mapping.paragraphs_for(14))


@pytest.mark.parametrize("path", [SF_V2_DOCX, SR_DOCX])
def test_docx_contents_without_a_heading_are_skipped(path):
    draft = load_draft(path)
    mapping = map_draft(draft)
    toc = mapping.skipped("toc")
    assert len(toc) >= 20 and {p.page for p in toc} == {2}
    assert any(p.text.startswith("SDG 6") or "SDG 6:" in p.text for p in toc)
    # nothing on the contents page counts for a goal, and the foreword after it is mapped
    assert not any(p.page == 2 for p in mapping.mapped())
    assert any(p.page == 3 for p in mapping.mapped())


def test_a_japanese_list_of_terms_and_abbreviations_is_skipped():
    draft = draft_from_text(
        "# 用語・略語一覧\n\nSDGs　持続可能な開発目標\n\nICT　情報通信技術\n\n"
        "PPA　電力購入契約（第三者所有による太陽光発電設備の導入方式）\n\n"
        "# 第1章　はじめに\n\n本市は再生可能エネルギーの導入を進めている。",
        markdown=True,
    )
    assert skip_reasons(draft.paragraphs()) == ["", "acronyms", "acronyms", "acronyms", "", ""]


def test_every_reason_has_words_for_the_reviewer():
    assert set(REASONS) == {"toc", "acronyms", "glossary"}
    assert all(REASONS.values())
