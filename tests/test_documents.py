"""Draft ingestion: PDF, DOCX, Markdown and text into pages, sections and paragraphs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from vlr_tools.documents import detect_lang, draft_from_text, load_draft
from vlr_tools.errors import DocumentError

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE_DRAFTS = sorted((PROJECT / "data" / "cities").glob("*/drafts/*.*"))

PDF_HTML = """<html><head><style>
@page { size: A5; margin: 2cm;
  @top-center { content: "Test City VLR draft"; font-size: 8pt }
  @bottom-center { content: "Page " counter(page); font-size: 8pt } }
body { font-size: 11pt } h1 { font-size: 20pt } h2 { font-size: 15pt }
table { font-size: 9pt; border-collapse: collapse } td, th { padding: 2pt 12pt }
</style></head><body>
<h1>1. Introduction</h1>
<p>Households connected to piped water rose from 71 to 82 percent between 2018 and 2023,
but supply remains intermittent in the upland barangays.</p>
<ul><li>First item about tuberculosis control.</li><li>Second item about solid waste.</li></ul>
<h2>1.1 Indicators</h2>
<table><tr><th>ID</th><th>Indicator</th><th>Value</th></tr>
<tr><td>SR-1</td><td>Households with piped water</td><td>82%</td></tr>
<tr><td>SR-2</td><td>Fish catch of municipal fisherfolk</td><td>865 t</td></tr></table>
<h1 style="page-break-before: always">2. Coast</h1>
<p>The fish catch of municipal fisherfolk fell. Commercial vessels enter municipal waters.</p>
<p style="page-break-before: always">A third page with text.</p>
</body></html>"""


@pytest.fixture(scope="module")
def made_pdf(tmp_path_factory) -> Path:
    """A three-page PDF with running header, page numbers, headings, a list and a table."""
    import weasyprint

    path = tmp_path_factory.mktemp("pdf") / "made.pdf"
    weasyprint.HTML(string=PDF_HTML).write_pdf(str(path))
    return path


# -- Markdown and text -----------------------------------------------------------------


def test_markdown_pages_headings_lists_tables(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text(
        "---\ntitle: Test VLR\nlang: en\n---\n"
        "# 1. Water\n\nPiped **water** reached 82% of households.\n\n"
        "- septic tanks\n- desludging\n\n"
        "| ID | Indicator |\n|---|---|\n| W-1 | Piped water |\n"
        "<!-- pagebreak -->\n## 1.1 Coast\n\nFisherfolk catch fell.\n",
        encoding="utf-8",
    )
    d = load_draft(path)
    assert (d.title, d.lang, d.page_count, d.format) == ("Test VLR", "en", 2, "md")
    paras = d.paragraphs()
    assert [(p.ref, p.kind) for p in paras] == [
        ("p1.1", "heading"),
        ("p1.2", "text"),
        ("p1.3", "list"),
        ("p1.4", "list"),
        ("p1.5", "table"),
        ("p1.6", "table"),
        ("p2.1", "heading"),
        ("p2.2", "text"),
    ]
    assert paras[1].text == "Piped water reached 82% of households."  # inline markup stripped
    assert paras[5].text == "W-1 | Piped water"
    assert paras[7].section == "1.1 Coast" and paras[7].section_ref == "p2.1"
    assert paras[6].level == 2
    assert d.find("p2.2").page == 2
    assert [s.title for s in d.sections()] == ["1. Water", "1.1 Coast"]


def test_plain_text_form_feed_starts_page_and_headings_are_guessed(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(
        "INTRODUCTION\n\nThe city prepared its first review.\nIt covers nine goals.\n"
        "\f2. Water and Sanitation\n\nSeptage is not treated.\n",
        encoding="utf-8",
    )
    d = load_draft(path)
    assert d.page_count == 2
    kinds = [(p.ref, p.kind) for p in d.paragraphs()]
    assert kinds == [("p1.1", "heading"), ("p1.2", "text"), ("p2.1", "heading"), ("p2.2", "text")]
    assert d.paragraphs()[1].text == "The city prepared its first review. It covers nine goals."


def test_text_in_shift_jis_is_read(tmp_path):
    path = tmp_path / "ja.txt"
    path.write_bytes("漁業者の漁獲量が減少した。".encode("cp932"))
    d = load_draft(path)
    assert d.lang == "ja" and d.paragraphs()[0].text == "漁業者の漁獲量が減少した。"


def test_draft_from_text_and_language_detection():
    d = draft_from_text("Title line\n\nA paragraph about water.\f漁獲量が減った。")
    assert d.page_count == 2
    assert detect_lang("漁獲量が減少した。小規模漁業者") == "ja"
    assert detect_lang("Fish catch fell.") == "en"
    with pytest.raises(DocumentError, match="unknown language"):
        draft_from_text("text", lang="fr")


def test_unknown_reference_messages():
    d = draft_from_text("One paragraph.")
    assert d.get("p1.1") is not None and d.get("p9.9") is None
    with pytest.raises(DocumentError, match="not a paragraph reference"):
        d.find("page 1")
    with pytest.raises(DocumentError, match="no paragraph p3.1"):
        d.find("p3.1")
    with pytest.raises(DocumentError, match="no page 4"):
        d.page(4)


# -- DOCX --------------------------------------------------------------------------------


def _docx(path: Path) -> Path:
    import docx
    from docx.enum.text import WD_BREAK

    doc = docx.Document()
    doc.core_properties.title = "DOCX test draft"
    doc.add_heading("1. Health", level=1)
    doc.add_paragraph("Tuberculosis notifications fell in 2023.")
    doc.add_paragraph("Immunisation drive", style="List Bullet")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "ID", "Indicator"
    table.cell(1, 0).text, table.cell(1, 1).text = "H-1", "TB treatment success"
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("2. Water", level=2)
    doc.add_paragraph("Septage is not treated.")
    doc.save(str(path))
    return path


def test_docx_headings_lists_tables_and_page_breaks(tmp_path):
    d = load_draft(_docx(tmp_path / "draft.docx"))
    assert d.title == "DOCX test draft" and d.format == "docx"
    assert d.page_count == 2
    got = [(p.ref, p.kind, p.level, p.text) for p in d.paragraphs()]
    assert got == [
        ("p1.1", "heading", 1, "1. Health"),
        ("p1.2", "text", 0, "Tuberculosis notifications fell in 2023."),
        ("p1.3", "list", 0, "Immunisation drive"),
        ("p1.4", "table", 0, "ID | Indicator"),
        ("p1.5", "table", 0, "H-1 | TB treatment success"),
        ("p2.1", "heading", 2, "2. Water"),
        ("p2.2", "text", 0, "Septage is not treated."),
    ]


def test_encrypted_docx_is_named_as_such(tmp_path):
    # An encrypted Office file is an OLE compound file holding an "EncryptedPackage"
    # stream instead of a ZIP; this synthetic stand-in has the same signature.
    path = tmp_path / "locked.docx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(DocumentError, match="password-protected"):
        load_draft(path)


def test_old_word_file_renamed_docx(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(DocumentError, match=r"Word 97-2003 \(.doc\)"):
        load_draft(path)


# -- PDF ---------------------------------------------------------------------------------


def test_pdf_pages_labels_headings_lists_tables(made_pdf):
    d = load_draft(made_pdf)
    assert d.format == "pdf" and d.page_count == 3
    assert [p.label for p in d.pages] == ["1", "2", "3"]
    texts = [p.text for p in d.paragraphs()]
    assert not any("Test City VLR draft" in t for t in texts), "running header kept"
    assert not any(t.startswith("Page ") for t in texts), "footer kept"
    got = [(p.ref, p.kind, p.level) for p in d.paragraphs()]
    assert got[:8] == [
        ("p1.1", "heading", 1),
        ("p1.2", "text", 0),
        ("p1.3", "list", 0),
        ("p1.4", "list", 0),
        ("p1.5", "heading", 2),
        ("p1.6", "table", 0),
        ("p1.7", "table", 0),
        ("p1.8", "table", 0),
    ]
    para = d.find("p1.2")
    assert para.text.startswith("Households connected to piped water rose from 71 to 82")
    assert para.text.endswith("upland barangays.")  # wrapped lines joined into one paragraph
    assert d.find("p1.3").text == "First item about tuberculosis control."
    assert d.find("p1.8").text == "SR-2 Fish catch of municipal fisherfolk 865 t"
    assert d.find("p2.2").section == "2. Coast" and d.find("p3.1").page == 3
    assert d.title == "1. Introduction"


def test_scanned_pdf_without_text_layer(tmp_path):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path, "PDF")
    with pytest.raises(DocumentError, match="scanned PDF with no text layer; run OCR"):
        load_draft(path)


def test_password_protected_pdf(tmp_path, made_pdf):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(str(made_pdf)).pages:
        writer.add_page(page)
    writer.encrypt("secret", algorithm="RC4-128")  # RC4 needs no extra crypto package
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(DocumentError, match="password-protected"):
        load_draft(path)


def test_pdf_with_blank_pages_warns(tmp_path, made_pdf):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(str(made_pdf)).pages[0])
    for _ in range(3):
        writer.add_blank_page(width=420, height=595)
    path = tmp_path / "blanks.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    d = load_draft(path)
    assert d.page_count == 4
    assert d.warnings and "3 of 4 pages have no text layer" in d.warnings[0]


def test_truncated_pdf(tmp_path, made_pdf):
    path = tmp_path / "cut.pdf"
    path.write_bytes(made_pdf.read_bytes()[:300])
    with pytest.raises(DocumentError, match="not a readable PDF"):
        load_draft(path)


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.md", "empty.txt"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty"):
        load_draft(path)


def test_whitespace_only_text(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("   \n\n\t\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="contains no text"):
        load_draft(path)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("junk.txt", "does not look like a text file"),
        ("junk.md", "does not look like a text file"),
        ("junk.pdf", "not a readable PDF"),
        ("junk.docx", "not a readable DOCX"),
    ],
)
def test_binary_junk(tmp_path, name, message):
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(DocumentError, match=message):
        load_draft(path)


def test_unsupported_extension_and_missing_file(tmp_path):
    with pytest.raises(DocumentError, match=r"cannot read \.odt; allowed: \.pdf, \.docx"):
        load_draft(tmp_path / "draft.odt")
    with pytest.raises(DocumentError, match="file not found"):
        load_draft(tmp_path / "missing.pdf")
    (tmp_path / "folder.pdf").mkdir()
    with pytest.raises(DocumentError, match="is a folder"):
        load_draft(tmp_path / "folder.pdf")


def test_messages_carry_the_file_name(tmp_path):
    path = tmp_path / "my-draft.docx"
    path.write_bytes(io.BytesIO(b"PK\x03\x04 not really a zip").getvalue())
    with pytest.raises(DocumentError, match="my-draft.docx"):
        load_draft(path)


# -- the sample drafts -------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_DRAFTS, ids=lambda p: p.name)
def test_sample_drafts_ingest(path):
    d = load_draft(path)
    paras = d.paragraphs()
    assert len(paras) > 30
    assert len({p.ref for p in paras}) == len(paras)
    assert d.paragraphs("heading"), "no headings found"
    assert d.lang == ("ja" if "-ja." in path.name else "en")
    assert not d.warnings
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        assert d.page_count == len(PdfReader(str(path)).pages)
        # PDF bullets are attached to their items and table rows stay whole
        assert not [p.ref for p in paras if p.text.strip() in {"•", "• •"}]
        assert d.paragraphs("table") and d.paragraphs("list")
    else:
        assert d.paragraphs("table")


def test_sample_pdf_page_labels_and_sections():
    d = load_draft(PROJECT / "data/cities/santa-rosa/drafts/santa-rosa-vlr-draft-v1.pdf")
    assert d.page_label(5) == "5"
    heads = [p.text for p in d.paragraphs("heading")]
    assert "2.2 Scope and choice of goals" in heads
    scope = d.search("SDG 14 (Life below water) is not applicable")
    assert scope and scope[0].section == "2.2 Scope and choice of goals"


def test_text_from_stdin_bytes_is_utf8_only():
    from vlr_tools.documents import text_from_stdin_bytes

    assert text_from_stdin_bytes("\ufeff漁獲量".encode()) == "漁獲量"
    assert text_from_stdin_bytes(b"plain") == "plain"
    for data in (b"\xff\xfe", "caf\xe9".encode("latin-1"), "漁獲量".encode("cp932")):
        with pytest.raises(DocumentError, match="standard input is not UTF-8 text"):
            text_from_stdin_bytes(data)


def test_draft_from_text_with_undecodable_bytes_is_a_document_error():
    with pytest.raises(DocumentError, match="not valid Unicode"):
        draft_from_text("ok \udcff\udcfe", title="pasted text")


def test_a_folder_is_not_read_as_a_file_without_extension(tmp_path):
    for name in ("drafts", "drafts.pdf"):
        (tmp_path / name).mkdir()
        with pytest.raises(DocumentError, match="is a folder, not a draft file"):
            load_draft(tmp_path / name)


# A draft typed in a word processor: generous leading, chapters in larger type,
# each programme's title in bold body type, a numbered list after a colon.
SPACED_HTML = """<html><head><style>
@page { size: A4; margin: 2.5cm }
body { font-size: 11pt; line-height: 1.9 } h1 { font-size: 26pt } h2 { font-size: 14pt }
p { margin: 0 0 14pt 0 } p.item { margin: 0 }
</style></head><body>
<h1>Legazpi City Voluntary Local Review, an illustrative test draft for intake</h1>
<h2>2. SDG 1: No Poverty</h2>
<p>This section describes the programmes the city runs under this goal, their results so far
and the gaps the city has found in its data, with the offices that run them.</p>
<p><b>Rent Relief for Evacuated Families</b></p>
<p>Families who lost their homes to lahar flows receive a monthly rent subsidy of three
thousand pesos for up to a year while resettlement sites are prepared for them.</p>
<p><b>Savings Accounts for Every Child</b></p>
<p>Every child born in the city receives a savings account with an initial deposit from the
city, and parents can add to it at any barangay hall; by 2025 nearly nine thousand were open.</p>
<p>Next steps the city commits to:</p>
<p class="item">1. Extend Coverage to Every Barangay by 2028</p>
<p class="item">2. Publish Yearly Figures by Sex and Age</p>
<h2>3. SDG 3: Good Health</h2>
<p>Twenty barangay health stations were upgraded with birthing rooms and cold-chain storage
for vaccines, and facility-based deliveries rose between 2021 and 2025.</p>
</body></html>"""


def test_pdf_with_generous_leading_keeps_paragraphs_chapters_and_lists(tmp_path):
    import weasyprint

    path = tmp_path / "spaced.pdf"
    weasyprint.HTML(string=SPACED_HTML).write_pdf(str(path))
    paras = load_draft(path).paragraphs()
    shape = [(p.kind, p.level if p.kind == "heading" else 0, p.text[:24]) for p in paras]
    assert shape == [
        ("heading", 1, "Legazpi City Voluntary L"),  # a title wrapped in large type is one heading
        ("heading", 2, "2. SDG 1: No Poverty"),
        ("text", 0, "This section describes t"),  # wrapped lines are one paragraph
        ("heading", 3, "Rent Relief for Evacuate"),  # bold body type ranks below the chapter
        ("text", 0, "Families who lost their "),
        ("heading", 3, "Savings Accounts for Eve"),
        ("text", 0, "Every child born in the "),
        ("text", 0, "Next steps the city comm"),
        ("list", 0, "1. Extend Coverage to Ev"),  # numbered after a colon: a list, not chapters
        ("list", 0, "2. Publish Yearly Figure"),
        ("heading", 2, "3. SDG 3: Good Health"),
        ("text", 0, "Twenty barangay health s"),
    ]
    assert paras[2].text.endswith("with the offices that run them.")


def test_numbered_lines_after_a_colon_are_a_list_in_plain_text(tmp_path):
    path = tmp_path / "steps.txt"
    path.write_text(
        "Next Steps\n\nThe city commits to:\n\n1. Extend Coverage to Every Barangay\n\n"
        "2. Publish Yearly Figures\n\n5. Water Supply\n\nPiped water reached most homes.\n",
        encoding="utf-8",
    )
    kinds = [(p.kind, p.text) for p in load_draft(path).paragraphs()]
    assert kinds[:4] == [
        ("heading", "Next Steps"),
        ("text", "The city commits to:"),
        ("list", "1. Extend Coverage to Every Barangay"),
        ("list", "2. Publish Yearly Figures"),
    ]
    # a list goes on only with the next number: "5. Water Supply" is a chapter
    assert kinds[4] == ("heading", "5. Water Supply")


def test_numbered_lines_in_a_run_are_a_list_without_a_colon(tmp_path):
    path = tmp_path / "recommendations.txt"
    path.write_text(
        "Our Recommendations\n\n1. Train Barangay Health Workers\n2. Open Two More Stations\n\n"
        "Piped water reached most homes.\n",
        encoding="utf-8",
    )
    kinds = [(p.kind, p.text) for p in load_draft(path).paragraphs()]
    assert kinds == [
        ("heading", "Our Recommendations"),
        ("list", "1. Train Barangay Health Workers"),  # the next line carries number 2
        ("list", "2. Open Two More Stations"),
        ("text", "Piped water reached most homes."),
    ]


def test_pdf_list_numbers_set_off_by_a_tab_are_not_a_table():
    """Word's numbered lists put a tab after the number; pdfium sees a cell gap there."""
    from vlr_tools.documents import _Line, _lines_to_blocks

    def line(text, top, cells=False):
        return _Line(text, top, top - 9, 90.0, 11.0, cells)

    lines = [
        line("The city commits to:", 300),
        line("1. Extend the programme to every barangay", 280, cells=True),
        line("2. Publish yearly figures by sex and age", 263, cells=True),
        line("Indicators reported by the planning office:", 240),
        line("Households with piped water 82%", 220, cells=True),
        line("Health stations 20", 203, cells=True),
    ]
    blocks = [(b.kind, b.text) for b in _lines_to_blocks(1, lines, body_size=11.0)]
    assert blocks == [
        ("text", "The city commits to:"),
        ("list", "1. Extend the programme to every barangay"),
        ("list", "2. Publish yearly figures by sex and age"),
        ("text", "Indicators reported by the planning office:"),
        ("table", "Households with piped water 82%"),
        ("table", "Health stations 20"),
    ]


@pytest.mark.parametrize("path", SAMPLE_DRAFTS, ids=lambda p: p.name)
def test_a_kept_reading_gives_back_the_same_draft(path):
    import json

    from vlr_tools.documents import draft_from_reading, reading_of

    draft = load_draft(path)
    kept = json.loads(json.dumps(reading_of(draft)))  # as the workspace stores it
    again = draft_from_reading(kept, path=path)
    assert again == draft and again.title == draft.title and again.lang == draft.lang
    assert [s.title for s in again.sections()] == [s.title for s in draft.sections()]


def test_reader_versions(made_pdf):
    from vlr_tools.documents import READER_VERSION, READERS

    assert READER_VERSION == max(READERS) and all(READERS.values())
    assert load_draft(made_pdf, reader=1).paragraphs() == load_draft(made_pdf).paragraphs()
    with pytest.raises(DocumentError, match="unknown reader version 9; allowed: 1, 2"):
        load_draft(made_pdf, reader=9)


# Word's Heading 1 and Heading 2 exported to PDF: 14 and 13 pt over 10.5 pt body, both
# within 1.12 to 1.45 times the body type; a title page in 26 pt; sub-headings in bold body.
TIERS_HTML = "<html><head><style>body { font-size: 10.5pt } h1 { font-size: 26pt }" + (
    " h2 { font-size: 14pt } h3 { font-size: 13pt } p { margin: 0 0 8pt 0 }</style></head>"
    "<body><h1>Voluntary Local Review</h1>"
    + "".join(
        f"<h2>{n}. Chapter {n}</h2><p>Introduction to chapter {n} of the review.</p>"
        + "".join(
            f"<h3>{n}.{k} Section {k}</h3><p><b>Where We Stand</b></p>"
            f"<p>The text of section {n}.{k}, about what the city did.</p>"
            for k in (1, 2)
        )
        for n in (1, 2, 3)
    )
    + "</body></html>"
)


def test_pdf_heading_levels_follow_the_type_sizes_the_outline_uses(tmp_path):
    import weasyprint

    path = tmp_path / "tiers.pdf"
    weasyprint.HTML(string=TIERS_HTML).write_pdf(str(path))
    levels = {p.text: p.level for p in load_draft(path).paragraphs("heading")}
    assert levels["Voluntary Local Review"] == 1
    assert levels["1. Chapter 1"] == levels["3. Chapter 3"] == 1
    assert levels["1.1 Section 1"] == levels["3.2 Section 2"] == 2
    assert levels["Where We Stand"] == 3  # bold body type: below the sized headings
    # read as before version 2: chapters and sections at one level
    old = {p.text: p.level for p in load_draft(path, reader=1).paragraphs("heading")}
    assert old["1. Chapter 1"] == old["1.1 Section 1"] == 2


# A cover page without a title in the file's metadata: the issuing office in smaller type
# above the title, then a foreword whose heading comes first among the styled headings.
def _covered_docx(path: Path, *, title_pt: float) -> Path:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    doc = docx.Document()
    doc.core_properties.title = ""
    for text, size in (("City Government of Naga", 14), ("Naga City VLR 2026", title_pt)):
        doc.add_paragraph().add_run(text).font.size = Pt(size)
    doc.add_paragraph("Draft for internal discussion")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Message from the City Mayor", level=1)
    doc.add_paragraph("Naga has long believed that good government is done with people.")
    doc.save(str(path))
    return path


def test_a_draft_without_a_metadata_title_is_named_by_its_largest_cover_line(tmp_path):
    import weasyprint

    pdf = tmp_path / "cover.pdf"
    weasyprint.HTML(
        string="<html><body style='font-size:11pt'><p style='font-size:14pt'>"
        "City Government of Naga</p><h1 style='font-size:28pt'>Naga City VLR 2026</h1>"
        "<h2 style='font-size:16pt;page-break-before:always'>Message from the City Mayor</h2>"
        "<p>Naga has long believed that good government is done with people.</p></body></html>"
    ).write_pdf(str(pdf))
    assert load_draft(pdf).title == "Naga City VLR 2026"
    assert load_draft(_covered_docx(tmp_path / "cover.docx", title_pt=28)).title == (
        "Naga City VLR 2026"
    )
    # a cover in body type names nothing: the first heading names the draft, as before
    plain = load_draft(_covered_docx(tmp_path / "plain.docx", title_pt=11))
    assert plain.title == "Message from the City Mayor"


# A Japanese draft typed in Word and saved as PDF by LibreOffice: justified lines with Latin
# digits in them, every paragraph indented by one character, programme names in bold body
# type on their own lines, a little space after each paragraph.
JA_CARDS = [
    (
        "特定健診の受診勧奨",
        "国民健康保険の特定健診を受けていない方に、はがきと SMS で個別にお知らせしています。"
        "令和 6 年度の受診率は 41.2%で、令和 3 年度の 36.8%から 4.4 ポイント上がりました。"
        "休日の集団健診を年 12 回に増やし、仕事をしている方も受けやすくしています。"
        "未受診の理由を尋ねる調査も行い、結果を次の年度の案内に生かしています。",
    ),
    (
        "通いの場への支援",
        "自治会や地区社会福祉協議会が運営する高齢者の通いの場に、立ち上げ費用と運営費の一部を"
        "補助しています。令和 7 年度末で市内 87 か所となり、年間の延べ参加者数は約 2 万 3 千人"
        "でした。体操や会食を通じて、閉じこもりの予防にも役立っています。運営を担う方の研修も"
        "年 4 回開いています。",
    ),
    (
        "健康ポイント事業",
        "令和 5 年度から、ウォーキングや健診の受診、健康講座への参加などでポイントがたまり、"
        "市内の協力店で使える特典と交換できる事業を行っています。令和 7 年度の参加者は 6,420 人"
        "で、前年度より 1,180 人増えました。参加者のうち 40 歳代・50 歳代の割合は 31.5%となり、"
        "働く世代にも広がりつつあります。",
    ),
]


def test_a_japanese_word_draft_saved_as_pdf_keeps_names_and_paragraphs(tmp_path):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from vlr_tools.pages import render_docx

    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK JP")
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.space_after = Pt(4)
    doc.add_heading("第2章　目標3　すべての人に健康と福祉を", level=1)
    for name, text in JA_CARDS:
        doc.add_paragraph().add_run(name).bold = True
        doc.add_paragraph(text).paragraph_format.first_line_indent = Pt(10.5)
    source = tmp_path / "cards.docx"
    doc.save(str(source))
    data = render_docx(source)
    assert data is not None, "LibreOffice is needed (scripts/setup installs it)"
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(data)

    expected = [("heading", "第 2 章 目標 3 すべての人に健康と福祉を")]
    for name, text in JA_CARDS:
        expected += [("text", name), ("text", text)]

    def squeeze(value: str) -> str:  # pdfium sets spaces around Latin digits
        return "".join(value.split())

    got = [(p.kind, squeeze(p.text)) for p in load_draft(pdf).paragraphs()]
    assert got == [(kind, squeeze(text)) for kind, text in expected]
    # read as before version 3: each line a paragraph of its own
    assert len(load_draft(pdf, reader=2).paragraphs()) > len(expected) + 4


def test_justified_japanese_with_digits_off_the_baseline_is_not_a_table(tmp_path):
    """Digits whose ink sits lower than the Japanese around them (a Latin font's digits in a
    Japanese line, as LibreOffice sets them) were grouped apart from their line, so the gaps
    between them looked like the gaps between table cells."""
    import weasyprint

    low = '<span style="vertical-align:-2pt">{}</span>'.format
    text = (
        f"令和{low('5')}年度から、ウォーキングや健診の受診、健康講座への参加などでポイントが"
        "たまり、市内の協力店で使える特典と交換できる事業を行っています。"
        f"令和{low('7')}年度の参加者は{low('6,420')}人で、前年度より{low('1,180')}人増えました。"
        f"参加者のうち{low('40')}歳代・{low('50')}歳代の割合は{low('31.5')}%となり、"
        "働く世代にも広がりつつあります。"
    )
    paragraph = f'<p style="text-align:justify;text-indent:1em">{text}</p>'
    pdf = tmp_path / "digits.pdf"
    weasyprint.HTML(
        string="<html><body style=\"font-family:'Noto Serif CJK JP';font-size:10.5pt;"
        f'line-height:1.6">{paragraph}{paragraph}</body></html>'
    ).write_pdf(str(pdf))
    paras = load_draft(pdf).paragraphs()
    assert [p.kind for p in paras] == ["text", "text"]
    assert paras[0].text.startswith("令和5年度から") and paras[0].text.endswith(
        "広がりつつあります。"
    )
    assert "table" in [p.kind for p in load_draft(pdf, reader=2).paragraphs()]  # as before
