"""A review of any city's real draft: the intake, the review's inputs, and the README's commands.

The drafts here are made by the tests in layouts unlike the samples: two
columns with running headers and footers, a contents page, an image-only
cover, headings without numbers; a Word document; a Japanese PDF; a scanned
PDF. They go through the README's new-city commands to a memo, on SQLite and
on PostgreSQL.
"""

from __future__ import annotations

import os
import re
import shlex
import uuid
import zipfile
from pathlib import Path

import pytest

from vlr_tools.cli import main
from vlr_tools.errors import CityError, DocumentError, ScannedDraftError, WorkspaceValueError
from vlr_tools.intake import add_city, add_draft, import_indicators, start_review
from vlr_tools.review import open_review
from vlr_tools.workspace import open_workspace

PROJECT_DIR = Path(__file__).resolve().parent.parent
README = PROJECT_DIR / "README.md"

_STYLE = """
@page { size: A4; margin: 2cm;
  @top-center { content: "Baguio City VLR 2026 - Draft for consultation"; font-size: 8pt }
  @bottom-center { content: "Page " counter(page); font-size: 8pt } }
body { font-family: "Noto Sans", "Noto Sans CJK JP", sans-serif; font-size: 10pt }
.cols { column-count: 2; column-gap: 1cm }
h1, h2 { break-before: page }
"""

LAYOUT_HTML = f"""<html><head><style>{_STYLE}</style></head><body>
<div style="height: 22cm; background: #2a6"><svg width="300" height="300">
<circle cx="150" cy="150" r="100" fill="#fff"/></svg></div>
<h1>Contents</h1><p>Water and sanitation ........ 3</p><p>How we prepared this review ........ 4</p>
<h2>Water and sanitation</h2><div class="cols">
<p>Households with access to safely managed drinking water rose to 82 percent in 2023.
Wastewater treatment now covers the central business district and two public markets.</p>
<p>Flooding in low-lying barangays affects informal settler families every typhoon season;
the city disaster risk reduction and management office keeps evacuation centres ready and
has mapped the flood-prone areas with the barangays.</p>
<p>Solid waste collection reached all 128 barangays and the recycling rate of municipal
solid waste improved after the materials recovery facilities opened.</p></div>
<h2>How we prepared this review</h2><div class="cols">
<p>The City Planning and Development Office led an inter-department team. The city council
endorsed the review. We consulted women's groups, youth, persons with disabilities and
indigenous peoples' organisations in every district.</p>
<p>Our comprehensive development plan and the land use plan guide the targets in this
review; we will repeat the review every three years.</p></div>
</body></html>"""

JAPANESE_HTML = f"""<html lang="ja"><head><style>{_STYLE}</style></head><body>
<h1>自発的自治体レビュー（案）</h1>
<p>本市は、持続可能な開発目標の達成に向けた取組を市民とともに進めている。</p>
<h2>安全な水と衛生</h2>
<p>安全に管理された飲料水を利用できる世帯の割合は、2023年に82パーセントに達した。下水処理の対象区域も拡大している。</p>
<h2>防災とまちづくり</h2>
<p>低地の地区では台風のたびに浸水被害が発生しており、避難所の整備と防災訓練を進めている。ごみの分別とリサイクルも拡大した。</p>
</body></html>"""

INDICATORS_CSV = """\
ID,Local indicator,Definition,Unit,SDG goal,Global indicator code,Baseline year,Baseline value,Latest year,Latest value,2030 target,Data source,Disaggregation,Notes
BG-01,Households with safely managed drinking water,Share of households,%,6,6.1.1,2019,74,2023,82,95,CBMS,barangay,
BG-02,Barangays with solid waste collection,Barangays served,barangays,11,,2018,100,2023,128,128,City ENRO,,
BG-03,Families displaced by floods,Families per year,families,11,11.5.1,,,2023,5400,,CDRRMO,sex,
"""

CONSULTATIONS_CSV = """\
Ref. No.,Date,Activity,Stakeholder groups,No. of participants - Male,Female,SDGs discussed,Issues raised,Response,IAP2 level
BG-C01,2026-09-10,Barangay assembly on flooding,Urban poor; Barangay officials,20,25,"11, 13",Evacuation centres too far,Two new centres planned (p. 3),Consult
BG-C02,2026-09-24,Women's sector forum,Women,2,31,"5, 6",Water refilling costs,Water subsidy considered,Involve
BG-C03,2026-10-05,Youth dialogue,Children and youth,14,16,4,,,
"""


def _pdf(html: str, path: Path) -> Path:
    import weasyprint

    weasyprint.HTML(string=html).write_pdf(str(path))
    return path


def _docx(path: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    doc.core_properties.title = "Iloilo City Voluntary Local Review (draft)"
    doc.add_heading("Iloilo City Voluntary Local Review", 0)
    doc.add_paragraph("Prepared by the City Planning and Development Office.")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Clean water for every household", 1)
    doc.add_paragraph(
        "Households with access to safely managed drinking water rose to 82 percent in 2023, "
        "and the water district extended pipes to upland barangays."
    )
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Living with floods", 1)
    doc.add_paragraph(
        "Flooding along the river affects informal settler families; the disaster risk "
        "reduction office runs early warning drills with the barangays."
    )
    doc.save(str(path))
    return path


@pytest.fixture
def drafts(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("drafts")
    return {
        "layout": _pdf(LAYOUT_HTML, folder / "Baguio VLR draft.pdf"),
        "docx": _docx(folder / "iloilo-draft.docx"),
        "ja": _pdf(JAPANESE_HTML, folder / "ja-draft.pdf"),
    }


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ws_location(request, tmp_path):
    """A fresh workspace location: a folder, or a schema of the test PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "ws")
        return
    base = os.environ.get("VLR_TEST_DATABASE_URL")
    if not base:
        if os.environ.get("VLR_REQUIRE_POSTGRES"):
            pytest.fail("VLR_TEST_DATABASE_URL is required (scripts/test starts PostgreSQL)")
        pytest.skip("PostgreSQL tests need VLR_TEST_DATABASE_URL")
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    admin = sa.create_engine(base)
    schema = f"vlrtest_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin.dispose()


@pytest.fixture
def ws(tmp_path):
    workspace = open_workspace(tmp_path / "ws", reviewer="Intake Tester")
    yield workspace
    workspace.close()


# -- the README's commands, as a new user runs them ------------------------------------


def readme_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Review a new city's draft", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's new-city section has no command block"
    return [line for line in block.group(1).splitlines() if line.startswith("vlr ")]


def _run_readme(folder: Path, draft: Path, location: str, capsys, monkeypatch) -> str:
    monkeypatch.chdir(folder)
    monkeypatch.setenv("VLR_CONFIG", str(folder / "config.yaml"))
    monkeypatch.delenv("VLR_REVIEWER", raising=False)
    (folder / "draft.pdf").write_bytes(draft.read_bytes())
    (folder / "indicators.csv").write_text(INDICATORS_CSV, encoding="utf-8")
    (folder / "consultations.csv").write_text(CONSULTATIONS_CSV, encoding="utf-8")
    review_id = ""
    for line in readme_commands():
        args = shlex.split(line.replace("REVIEW_ID", review_id or "REVIEW_ID"))[1:]
        if args[0] != "workspace" or args[1] not in ("whoami",):
            args += ["--workspace", location]
        capsys.readouterr()
        code = main(args)
        out, err = capsys.readouterr()
        assert code == 0, f"{line}\n{out}\n{err}"
        if args[:2] == ["workspace", "new"]:
            review_id = out.strip().splitlines()[0]
            assert "pages with no text layer: 1" in err  # the image-only cover, named
            assert "next:" in err and f"vlr memo --review {review_id}" in err
    assert review_id
    return review_id


def test_readme_new_city_commands_make_a_filled_memo(
    tmp_path, drafts, ws_location, capsys, monkeypatch
):
    review_id = _run_readme(tmp_path, drafts["layout"], ws_location, capsys, monkeypatch)
    memo = (tmp_path / "memos" / "baguio" / "baguio-v1-review-memo-en.md").read_text("utf-8")
    # The city's name from its profile, never its slug; a real city is not illustrative.
    assert "Baguio City, Benguet, Philippines" in memo
    assert "illustrative" not in memo.lower()
    # Every section filled from what was recorded.
    for empty in (
        "was not mapped to the SDGs",
        "No consultation record was loaded",
        "No indicator table was loaded",
        "No comments were anchored",
        "No checklist ratings were recorded",
    ):
        assert empty not in memo
    assert re.search(r"SDG 6\b|\| 6 ", memo)
    assert "Which source and year?" in memo and "safely managed drinking water" in memo
    assert "BG-01" in memo and "BG-03" in memo
    assert "State the data limitations." in memo
    assert re.search(r"\b3 consultations?\b", memo) or "| 3 |" in memo
    ja = (tmp_path / "memos" / "baguio" / "baguio-v1-review-memo-ja.md").read_text("utf-8")
    assert "Baguio City" in ja
    assert (tmp_path / "baguio-review.zip").is_file()
    # The stored draft, byte for byte, and the page check against it.
    with open_workspace(ws_location, reviewer="Intake Tester") as ws:
        rv = open_review(ws, review_id)
        assert ws.blob(rv.draft_file.sha256) == drafts["layout"].read_bytes()
        assert rv.draft.page_count == 4 and rv.draft_file.info["no_text_pages"] == [1]
    assert main(["checklist", "rate", review_id, "B2", "met", "--pages", "5"] + [
        "--workspace", ws_location, "--reviewer", "X"]) == 2  # fmt: skip
    assert "beyond the draft" in capsys.readouterr().err


@pytest.mark.parametrize("which", ["docx", "ja"])
def test_other_layouts_through_the_intake_to_a_memo(tmp_path, drafts, which):
    from vlr_tools.memo import build_memo
    from vlr_tools.memo.render import render_memo

    ws = open_workspace(tmp_path / "ws", reviewer="Intake Tester")
    add_city(ws, "iloilo", "Iloilo City", country="Philippines", coastal=True)
    intake = add_draft(ws, "iloilo", drafts[which], version="v1")
    assert intake.stored.lang == ("ja" if which == "ja" else "en")
    assert intake.stored.pages == (3 if which == "docx" else intake.draft.page_count)
    rv = start_review(ws, "iloilo", "v1").review
    csv = tmp_path / "ind.csv"
    csv.write_text(INDICATORS_CSV, encoding="utf-8")
    import_indicators(ws, rv.id, csv)
    opened = open_review(ws, rv.id)
    mapping = opened.mapping()
    assert 6 in {m.goal for p in mapping.paragraphs for m in p.matches}
    assert ws.get(rv.id, "mapping_run", "latest") is not None  # the suggestions the reviewer saw
    from vlr_tools.annotations.store import annotate

    quote = "82パーセント" if which == "ja" else "safely managed drinking water"
    page = next(p.page for p in opened.draft.paragraphs() if quote in p.text)
    annotate(ws, rv.id, opened.draft, page=page, quote=quote, comment="Source?", kind="question")
    memo = build_memo(ws, rv.id, "en")
    out = render_memo(memo, ["md"], tmp_path / "out")[0].path.read_text("utf-8")
    assert "Iloilo City" in out and "Source?" in out and "BG-01" in out
    assert "was not mapped to the SDGs" not in out
    ws.close()


# -- bad input: nothing half-stored, one clear message --------------------------------------


def _counts(ws) -> tuple[int, int]:
    return len(ws.drafts()), len(ws.cities())


def test_bad_drafts_are_refused_and_nothing_is_stored(ws, tmp_path, drafts, monkeypatch):
    add_city(ws, "baguio", "Baguio City")
    before = _counts(ws)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    html = tmp_path / "download.pdf"
    html.write_text("<!DOCTYPE html><html><body>Sign in to download</body></html>")
    corrupt = tmp_path / "broken.docx"
    with zipfile.ZipFile(corrupt, "w") as zf:
        zf.writestr("word/document.xml", "<w:document>not xml")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(drafts["layout"].read_bytes()[:3000])
    cases = {
        empty: "0 bytes",
        html: "web page (HTML)",
        corrupt: "broken.docx",
        truncated: "truncated.pdf",
    }
    for path, fragment in cases.items():
        with pytest.raises(DocumentError) as err:
            add_draft(ws, "baguio", path, version="v1")
        assert fragment in str(err.value)
        assert "\n" not in str(err.value).strip()
    monkeypatch.setenv("VLR_MAX_DRAFT_MB", "0.001")
    with pytest.raises(DocumentError, match=r"over the draft size limit of 1 kB"):
        add_draft(ws, "baguio", drafts["layout"], version="v1")
    assert _counts(ws) == before


def test_encrypted_pdf_is_refused(ws, tmp_path, drafts):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(str(drafts["layout"])).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    add_city(ws, "baguio", "Baguio City")
    with pytest.raises(DocumentError, match="password"):
        add_draft(ws, "baguio", locked, version="v1")
    assert ws.drafts() == []


def test_unknown_city_suggests_close_slugs(ws, drafts):
    add_city(ws, "baguio", "Baguio City")
    with pytest.raises(CityError, match=r"did you mean baguio\?"):
        add_draft(ws, "bagiuo", drafts["layout"], version="v1")


def test_same_file_twice_is_stored_once_and_a_different_file_needs_replace(ws, drafts):
    add_city(ws, "baguio", "Baguio City")
    first = add_draft(ws, "baguio", drafts["layout"], version="v1")
    again = add_draft(ws, "baguio", drafts["layout"], version="v1")
    assert again.unchanged and again.stored.sha256 == first.stored.sha256
    add_draft(ws, "baguio", drafts["layout"], version="v2")  # same bytes, second version
    assert len(ws.drafts("baguio")) == 2
    with pytest.raises(WorkspaceValueError, match="--replace"):
        add_draft(ws, "baguio", drafts["docx"], version="v1")
    assert ws.find_draft("baguio", "v1").sha256 == first.stored.sha256
    rv = start_review(ws, "baguio", "v1", map_now=False, precheck_now=False).review
    from vlr_tools.annotations.store import annotate

    opened = open_review(ws, rv.id)
    annotate(
        ws, rv.id, opened.draft, page=3, quote="informal settler", comment="?", kind="question"
    )
    from vlr_tools.coverage.decisions import decide

    decide(ws, rv.id, "p3.2", 11, None, "add", reviewer="Intake Tester")
    replaced = add_draft(ws, "baguio", drafts["docx"], version="v1", replace_existing=True)
    assert replaced.replaced is not None and replaced.reviews_to_reanchor == (rv.id,)
    assert any("re-anchor" in line for line in replaced.report())
    # the decision names a paragraph by reference: it is moved or set aside, and said so
    assert [m.review_id for m in replaced.decisions_moved] == [rv.id]
    assert any(f"review {rv.id}: " in line for line in replaced.report())


def test_a_real_city_cannot_be_illustrative(ws):
    with pytest.raises(CityError, match="sample cities are illustrative"):
        add_city(ws, "baguio", "Baguio City", illustrative=True, illustrative_note="x")
    from vlr_tools.errors import CityProfileError

    with pytest.raises(CityProfileError) as err:
        add_city(ws, "Baguio City", "", population=-3)
    text = str(err.value)
    assert "column 'slug'" in text and "column 'name'" in text and "column 'population'" in text
    assert ws.cities() == []


def _scanned(source: Path, out: Path) -> Path:
    """An image-only PDF made from the pages of ``source`` (what a scanner gives)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(source))
    images = [pdf[i].render(scale=2).to_pil().convert("RGB") for i in range(len(pdf))]
    images[0].save(out, save_all=True, append_images=images[1:], resolution=144)
    return out


def test_scanned_pdf_needs_ocr_and_keeps_the_original(ws, tmp_path, drafts):
    import shutil

    if shutil.which("ocrmypdf") is None:
        pytest.fail("ocrmypdf is missing: ./scripts/setup installs it")
    scanned = _scanned(drafts["layout"], tmp_path / "scanned.pdf")
    add_city(ws, "baguio", "Baguio City")
    with pytest.raises(ScannedDraftError, match="--ocr"):
        add_draft(ws, "baguio", scanned, version="v1")
    assert ws.drafts() == []
    done = add_draft(ws, "baguio", scanned, version="v1", ocr=True, lang="en")
    assert done.stored.ocr_pages and 3 in done.stored.ocr_pages
    assert ws.blob(done.stored.sha256) == scanned.read_bytes()  # the original is what is kept
    assert done.stored.text_sha256 and done.stored.text_sha256 != done.stored.sha256
    rv = start_review(ws, "baguio", "v1", precheck_now=False).review
    text = open_review(ws, rv.id).draft.text.lower()
    assert "drinking water" in text
    assert any("read by OCR" in line for line in done.report())


def test_draft_get_writes_the_stored_bytes_back(tmp_path, drafts, capsys):
    loc = str(tmp_path / "ws")
    who = ["--workspace", loc, "--reviewer", "CLI Tester"]
    assert main(["city", "add", "iloilo", "--name", "Iloilo City", "--coastal", "yes", *who]) == 0
    assert main(["draft", "add", "iloilo", str(drafts["docx"]), "--version", "v1", *who]) == 0
    out = capsys.readouterr().out
    assert "3 pages" in out and "language en" in out
    copy = tmp_path / "copy.docx"
    assert main(["draft", "get", "iloilo", str(copy), "--version", "v1", *who]) == 0
    assert copy.read_bytes() == drafts["docx"].read_bytes()
    assert main(["city", "show", "iloilo", *who]) == 0
    shown = capsys.readouterr().out
    assert "Iloilo City" in shown and "coastal" in shown and "True" in shown
    assert main(["draft", "add", "ilolio", str(drafts["docx"]), "--version", "v1", *who]) == 2
    assert "did you mean iloilo?" in capsys.readouterr().err


def test_sample_city_reaches_the_workspace_through_the_same_intake(ws):
    from vlr_tools.intake import start_sample_review

    rv = start_sample_review(ws, "san-fernando", "v1")
    profile = ws.city("san-fernando")
    assert profile.illustrative and profile.coastal is True
    opened = open_review(ws, rv.id)
    assert opened.draft_file is not None and opened.indicators is not None
    assert len(opened.consultations) > 0
    assert opened.draft.name.endswith(".pdf")


def test_workspace_new_with_a_bad_draft_leaves_no_city_behind(tmp_path, capsys):
    bad = tmp_path / "draft.pdf"
    bad.write_text("<html><body>Sign in</body></html>")
    loc = str(tmp_path / "ws")
    args = ["workspace", "new", "--city", "baguio", "--city-name", "Baguio City"]
    assert main([*args, "--draft", str(bad), "--workspace", loc, "--reviewer", "X"]) == 2
    assert "web page (HTML)" in capsys.readouterr().err
    with open_workspace(loc) as ws:
        assert ws.cities() == [] and ws.drafts() == [] and ws.reviews() == []


# -- the review keeps how its draft was read ------------------------------------------------

# Typed in a word processor: generous leading, programme titles in bold body type. Reader
# version 1 made a paragraph of every line of such a draft; version 2 keeps the paragraphs.
SPACED_HTML = """<html><head><style>
body { font-size: 11pt; line-height: 2.2 } h2 { font-size: 14pt } p { margin: 0 0 14pt 0 }
</style></head><body>
<h2>2. SDG 3: Good Health and Well-being</h2>
<p><b>Youth Sports Leagues</b></p>
<p>The city runs free basketball, volleyball and football leagues for young people aged 12 to
21 in every district, with coaches trained in first aid and in mental health support; about
3,200 young people took part in 2025 and the leagues now reach every barangay of the city.</p>
<p><b>Dengue Control Teams</b></p>
<p>Barangay teams inspect households for mosquito breeding sites every week in the rainy
season, and dengue cases fell from 1,150 in 2019 to 430 in 2025 while deaths from the disease
fell to none; the teams also teach families how to clean water containers every week.</p>
</body></html>"""


def _spaced_review(ws, tmp_path):
    add_city(ws, "legazpi", "Legazpi City", country="Philippines", coastal=True)
    add_draft(ws, "legazpi", _pdf(SPACED_HTML, tmp_path / "legazpi.pdf"), version="v1")
    return start_review(ws, "legazpi", "v1", precheck_now=False).review


def _forget_read_files(monkeypatch):
    """A new process: nothing read yet."""
    import vlr_tools.review as review

    monkeypatch.setattr(review, "_DRAFTS", {})


def test_a_review_keeps_its_reading_and_its_references_when_the_reader_changes(
    ws, tmp_path, monkeypatch
):
    import vlr_tools.review as review
    from vlr_tools.coverage.decisions import decide, load_decisions
    from vlr_tools.documents import READER_VERSION

    rv = _spaced_review(ws, tmp_path)
    first = open_review(ws, rv.id).draft
    sport = next(p for p in first.paragraphs() if p.text.startswith("The city runs free"))
    assert sport.text.endswith("every barangay of the city.")  # one paragraph, not three lines
    decide(ws, rv.id, sport.ref, 3, None, "add", reviewer="Intake Tester")
    kept = ws.get(rv.id, review.READING_KIND, ws.find_draft("legazpi", "v1").text_source)
    assert kept is not None and kept.data["reader"] == READER_VERSION

    # A later version of the reader would read the file otherwise: the review does not ask it.
    _forget_read_files(monkeypatch)

    def other_reader(*_args, **_kw):
        raise AssertionError("the kept reading should have been used")

    monkeypatch.setattr(review, "_read_draft", other_reader)
    again = open_review(ws, rv.id).draft
    assert again.paragraphs() == first.paragraphs()
    [decision] = load_decisions(ws, rv.id)
    assert again.find(decision.paragraph_ref).text == sport.text


def test_a_review_begun_before_readings_were_kept_gets_the_reading_its_mapping_fits(
    ws, tmp_path, monkeypatch
):
    import vlr_tools.review as review
    from vlr_tools.coverage.decisions import decide, load_decisions
    from vlr_tools.documents import load_draft
    from vlr_tools.mapping import map_draft

    rv = _spaced_review(ws, tmp_path)
    stored = ws.find_draft("legazpi", "v1")
    path = open_review(ws, rv.id).draft_path
    # As such a review was left: a mapping saved on reader 1's reading, no reading kept,
    # and a reviewer's decision on a paragraph of that reading (the first line of a card).
    old = load_draft(path, reader=1)
    line = next(p for p in old.paragraphs() if p.text.startswith("The city runs free"))
    assert line.text.endswith("aged 12 to")
    review.save_mapping(ws, rv.id, map_draft(old, meaning=False), reviewer="Intake Tester")
    ws.delete(rv.id, review.READING_KIND, stored.text_source, reviewer="Intake Tester")
    decide(ws, rv.id, line.ref, 3, None, "add", reviewer="Intake Tester")
    _forget_read_files(monkeypatch)

    opened = open_review(ws, rv.id)
    assert opened.draft.paragraphs() == old.paragraphs()
    [decision] = load_decisions(ws, rv.id)
    assert opened.draft.find(decision.paragraph_ref).text == line.text
    assert ws.get(rv.id, review.READING_KIND, stored.text_source).data["reader"] == 1

    # Evidence that fits no reading: the review says so instead of guessing quietly.
    run = ws.get(rv.id, review.MAPPING_KIND, review.MAPPING_KEY).data
    for item in run["paragraphs"].values():
        for match in item["matches"]:
            for ev in match["evidence"]:
                ev["start"] += 1
    ws.put(rv.id, review.MAPPING_KIND, review.MAPPING_KEY, run, reviewer="Intake Tester")
    ws.delete(rv.id, review.READING_KIND, stored.text_source, reviewer="Intake Tester")
    _forget_read_files(monkeypatch)
    with pytest.warns(UserWarning, match="no reader version reproduces"):
        closest = open_review(ws, rv.id).draft
    # none fits better than the newest reader's reading, so that one is used
    assert closest.paragraphs() == load_draft(path).paragraphs() != old.paragraphs()


def test_a_kept_reading_that_is_not_readable_is_read_again(ws, tmp_path, monkeypatch):
    import vlr_tools.review as review

    rv = _spaced_review(ws, tmp_path)
    key = ws.find_draft("legazpi", "v1").text_source
    good = open_review(ws, rv.id).draft
    ws.put(
        rv.id,
        review.READING_KIND,
        key,
        {"reader": 2, "lang": "en", "pages": "?"},
        reviewer="Intake Tester",
    )
    _forget_read_files(monkeypatch)
    with pytest.warns(UserWarning, match="kept reading of a draft is not readable"):
        again = open_review(ws, rv.id).draft
    assert again.paragraphs() == good.paragraphs()
