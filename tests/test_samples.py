"""The generated sample files: drafts, spreadsheets, answer keys, and their generator.

Generic over every city in ``data/cities/``: the PDFs have real page numbers,
the DOCX files real headings and tables, the spreadsheets the planted gaps,
the answer keys point at pages that hold (or lack) what they say, and
``scripts/build_samples.py --check`` finds the committed files up to date.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from vlr_tools.cities import (
    City,
    DraftFiles,
    list_cities,
    load_city,
    load_claim_key,
    load_review_key,
)
from vlr_tools.framework import get_framework
from vlr_tools.paths import CITIES_DIR, PROJECT_DIR, REFERENCE_DIR

SCRIPT = PROJECT_DIR / "scripts" / "build_samples.py"
CITIES = list_cities()


def _load_script():
    spec = importlib.util.spec_from_file_location("build_samples", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_samples"] = module
    spec.loader.exec_module(module)
    return module


build_samples = _load_script()


@cache
def pages(pdf: Path) -> tuple[str, ...]:
    """Normalised, case-folded text of each page (same normalisation as the key)."""
    return tuple(text.casefold() for text in build_samples.pdf_pages(pdf))


def norm(phrase: str) -> str:
    return build_samples.normalise(phrase).casefold()


def documents(city: City) -> list[DraftFiles]:
    return [*city.drafts, *((city.japanese,) if city.japanese else ())]


ALL_DRAFTS = [(slug, d.version) for slug in CITIES for d in load_city(slug).drafts]
ALL_DOCS = [(slug, d.version) for slug in CITIES for d in documents(load_city(slug))]


def doc_of(slug: str, version: str) -> DraftFiles:
    city = load_city(slug)
    return city.japanese if version == "ja" and city.japanese else city.draft(version)


# -- the generator -------------------------------------------------------------


@pytest.mark.slow
def test_committed_files_match_their_sources():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert f"ok: {len(CITIES)} city(ies) match their sources" in result.stdout


@pytest.mark.slow
def test_check_reports_drift_after_a_source_changes(tmp_path, capsys):
    shutil.copytree(CITIES_DIR / "santa-rosa", tmp_path / "santa-rosa")
    source = tmp_path / "santa-rosa" / "sources" / "draft-v1.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\nA sentence added after the build.\n",
        encoding="utf-8",
    )
    rows = tmp_path / "santa-rosa" / "sources" / "indicators.csv"
    rows.write_text(rows.read_text(encoding="utf-8").replace("SR-IND-37", "SR-IND-99"))
    assert build_samples.main(["--root", str(tmp_path), "--check"]) == 1
    err = capsys.readouterr().err
    assert "santa-rosa-vlr-draft-v1.pdf: differs from its source" in err
    assert "santa-rosa-vlr-draft-v1.docx: differs" in err
    assert "indicators.xlsx: differs" in err
    assert "consultations.xlsx" not in err
    assert "A sentence added after the build." in err


def test_rebuilding_gives_the_same_bytes(tmp_path):
    """Rebuilding an unchanged source must leave git nothing to commit."""
    city = load_city("santa-rosa")
    sources = city.folder / "sources"
    src = build_samples.read_source(city.draft("v1").source)
    built = []
    for run in ("a", "b"):
        folder = tmp_path / run
        build_samples.build_consultations(
            city, sources / "consultations.yaml", sources / "participants.csv", folder / "c.xlsx"
        )
        build_samples.build_indicators(city, sources / "indicators.csv", folder / "i.xlsx")
        build_samples.build_docx(src, folder / "d.docx")
        built.append([(folder / n).read_bytes() for n in ("c.xlsx", "i.xlsx", "d.docx")])
    assert built[0] == built[1]
    props = load_workbook(tmp_path / "a" / "c.xlsx").properties
    assert props.created.date() == props.modified.date() == city.drafts[0].date
    assert Document(str(tmp_path / "a" / "d.docx")).core_properties.modified.date() == src.date


def test_raw_html_in_a_source_is_refused_with_its_line(tmp_path):
    src = tmp_path / "draft.md"
    src.write_text(
        "---\ntitle: T\ncity: C\nversion: v1\ndate: 2024-01-01\nlang: en\n"
        "illustrative: true\nauthor: A\n---\n\n# One\n\nText <script>x</script>\n",
        encoding="utf-8",
    )
    with pytest.raises(
        build_samples.DataFileError, match=r"raw HTML is not allowed \(body line 4\)"
    ):
        build_samples.build_docx(build_samples.read_source(src), tmp_path / "x.docx")


def test_source_without_illustrative_front_matter_is_refused(tmp_path):
    src = tmp_path / "draft.md"
    src.write_text("---\ntitle: T\nlang: xx\n---\n# One\n", encoding="utf-8")
    with pytest.raises(build_samples.DataFileError) as info:
        build_samples.read_source(src)
    message = str(info.value)
    assert "illustrative: true" in message and "'version' is required" in message
    assert "allowed: en, ja" in message


def test_indicator_csv_with_a_wrong_header_is_refused(tmp_path):
    csv_path = tmp_path / "indicators.csv"
    csv_path.write_text("ID,Name\nX,Y\n", encoding="utf-8")
    with pytest.raises(build_samples.DataFileError, match="row 1.*allowed: ID \\| Local indicator"):
        build_samples.build_indicators(load_city("santa-rosa"), csv_path, tmp_path / "i.xlsx")


def test_where_finds_the_pages_of_a_phrase(capsys):
    assert build_samples.main(["--city", "santa-rosa", "--where", "SDG 5: Gender equality"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"santa-rosa v1: \[\d+(, \d+)*\]", out)


# -- PDFs ----------------------------------------------------------------------


@pytest.mark.parametrize("slug,version", ALL_DRAFTS)
def test_draft_pdf_is_long_with_page_numbers_and_running_header(slug, version):
    pdf = doc_of(slug, version).pdf
    text = pages(pdf)
    total = len(text)
    assert total >= 20
    assert "illustrative sample — not an official document" in text[0]
    for number, page in enumerate(text[1:], start=2):
        assert f"page {number} of {total}" in page, f"{pdf.name} page {number}"
        assert f"draft {version}" in page and "illustrative" in page


@pytest.mark.parametrize("slug,version", ALL_DOCS)
def test_pdf_metadata_says_illustrative(slug, version):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(doc_of(slug, version).pdf))
    try:
        meta = pdf.get_metadata_dict()
    finally:
        pdf.close()
    assert "Illustrative" in meta["Title"]
    assert "llustrative" in meta["Subject"]
    assert meta["CreationDate"].startswith("D:20")


def test_japanese_summary_renders_with_a_cjk_font():
    from pypdf import PdfReader

    cities = [load_city(slug) for slug in CITIES if load_city(slug).japanese]
    assert cities, "at least one city needs a Japanese summary"
    for city in cities:
        assert city.japanese is not None
        text = pages(city.japanese.pdf)
        assert len(text) >= 2
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]{10}", " ".join(text))
        assert "page 2 of" in text[1]
        reader = PdfReader(str(city.japanese.pdf))
        fonts = {
            str(font.get_object()["/BaseFont"])
            for page in reader.pages
            for font in (page["/Resources"].get("/Font") or {}).values()
        }
        assert any("NotoSansCJK" in re.sub(r"[ -]", "", f) for f in fonts), fonts


# -- DOCX ----------------------------------------------------------------------


@pytest.mark.parametrize("slug,version", ALL_DOCS)
def test_docx_has_word_headings_tables_breaks_and_page_field(slug, version):
    draft = doc_of(slug, version)
    doc = Document(str(draft.docx))
    source = draft.source.read_text(encoding="utf-8")
    chapters = len(re.findall(r"^# ", source, re.M))
    h1 = [p for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert len(h1) == chapters >= 3
    assert all(p.paragraph_format.page_break_before for p in h1)
    assert any(p.style is not None and p.style.name == "Heading 2" for p in doc.paragraphs)
    assert len(doc.tables) == len(re.findall(r"^\|[ :-]*-{3}", source, re.M))
    assert doc.tables, "drafts need real tables"
    for table in doc.tables:
        first_row = table.rows[0]._tr
        assert first_row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    # Every chapter starts a page; so does each '<!-- pagebreak -->' (merged
    # with the chapter break when a chapter follows) and the contents page.
    after_breaks = re.findall(r"^<!-- pagebreak -->\s*\n\s*(\S+)", source, re.M)
    front = build_samples.read_source(draft.source).meta
    expected = chapters + sum(1 for nxt in after_breaks if nxt != "#") + bool(front.get("toc"))
    breaks = sum(1 for p in doc.paragraphs if p.paragraph_format.page_break_before)
    assert breaks == expected
    footer_xml = doc.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    props = doc.core_properties
    assert "Illustrative" in props.title
    assert "llustrative" in props.subject and "ILLUSTRATIVE" in props.comments
    assert props.created is not None and props.created.date() == front["date"]
    assert "ILLUSTRATIVE SAMPLE" in doc.paragraphs[0].text


@pytest.mark.slow
def test_libreoffice_opens_a_docx_and_keeps_page_numbers(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is missing: run ./scripts/setup")
    docx = load_city("santa-rosa").draft("v1").docx
    result = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    out = tmp_path / (docx.stem + ".pdf")
    assert out.is_file(), result.stderr
    text = build_samples.pdf_pages(out)
    assert len(text) >= 20
    assert f"Page 2 of {len(text)}" in text[1]
    assert "Santa Rosa City — Draft v1" in text[1]


# -- answer keys ---------------------------------------------------------------


def _key_cases():
    for slug in CITIES:
        for w in load_review_key(slug):
            for ev in w.evidence:
                yield pytest.param(slug, w.id, ev.version, id=f"{slug}-{w.id}-{ev.version}")


@pytest.mark.parametrize("slug,wid,version", list(_key_cases()))
def test_answer_key_pages_hold_or_lack_what_the_key_says(slug, wid, version):
    city = load_city(slug)
    weakness = next(w for w in load_review_key(city) if w.id == wid)
    ev = weakness.evidence_for(version)
    assert ev is not None
    _check_evidence(city, wid, version, ev)


def _check_evidence(city: City, wid: str, version: str, ev) -> None:
    text = pages(city.draft(version).pdf)
    for page in ev.pages:
        assert 1 <= page <= len(text), f"{wid}: page {page} of {len(text)}"
    cited = [text[p - 1] for p in ev.pages]
    for phrase in ev.present:
        assert any(norm(phrase) in page for page in cited), f"{wid}: {phrase!r} not on {ev.pages}"
    if ev.present:
        for page_no, page in zip(ev.pages, cited, strict=True):
            assert any(norm(p) in page for p in ev.present), f"{wid}: page {page_no} holds none"
    whole = " ".join(text)
    for phrase in ev.absent:
        found = [n for n, page in enumerate(text, 1) if norm(phrase) in page]
        assert norm(phrase) not in whole, f"{wid}: {phrase!r} is on pages {found}"


def _claim_key_cases():
    for slug in CITIES:
        for k in load_claim_key(slug):
            for ev in k.evidence:
                yield pytest.param(slug, k.id, ev.version, id=f"{slug}-{k.id}-{ev.version}")


@pytest.mark.parametrize("slug,cid,version", list(_claim_key_cases()))
def test_claim_key_pages_hold_what_the_key_says(slug, cid, version):
    """The figure inconsistencies of the answer keys are on the pages they name."""
    city = load_city(slug)
    planted = next(k for k in load_claim_key(city) if k.id == cid)
    ev = planted.evidence_for(version)
    assert ev is not None
    _check_evidence(city, cid, version, ev)
    if planted.indicator:
        assert planted.indicator in indicator_rows(slug), f"{cid}: {planted.indicator} unknown"


@cache
def indicator_rows(slug: str) -> dict[str, dict[str, object]]:
    ws = load_workbook(load_city(slug).indicators_path, read_only=True)["Indicators"]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return {str(r[0]): dict(zip(header, r, strict=True)) for r in rows[1:] if r[0]}


def _header_index(header: list[str], *words: str) -> int:
    for i, label in enumerate(header):
        if any(w in label.casefold() for w in words):
            return i
    raise AssertionError(f"no column with {words} in {header}")


@cache
def consultation_rows(slug: str) -> dict[str, dict[str, object]]:
    """Consultation rows keyed by reference, with 'response' and 'iap2' cells."""
    ws = load_workbook(load_city(slug).consultations_path, read_only=True)["Consultations"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if any("iap2" in str(c).casefold() for c in r))
    header = [str(c or "") for c in rows[at]]
    ref = _header_index(header, "ref", "id")
    response = _header_index(header, "reflected", "response")
    iap2 = _header_index(header, "iap2")
    out = {}
    for r in rows[at + 1 :]:
        if r[ref] and re.fullmatch(r"[A-Z]+-C\d+", str(r[ref])):
            out[str(r[ref])] = {"response": r[response], "iap2": r[iap2]}
    return out


def _blank(value: object) -> bool:
    return value is None or str(value).strip() in ("", "-", "—", "n/a", "N/A")


@pytest.mark.parametrize("slug", CITIES)
def test_answer_key_details_match_the_spreadsheets(slug):
    indicators = indicator_rows(slug)
    consultations = consultation_rows(slug)
    groups_file = REFERENCE_DIR / "stakeholders" / "groups.yaml"
    group_ids = {g["id"] for g in yaml.safe_load(groups_file.read_text(encoding="utf-8"))}
    for w in load_review_key(slug):
        d = w.detail
        if "goal" in d:
            assert 1 <= int(d["goal"]) <= 17
        if "group" in d:
            assert d["group"] in group_ids, (w.id, d["group"])
        for ind in d.get("indicators") or ():
            row = indicators.get(ind)
            assert row is not None, f"{w.id}: {ind} not in indicators.xlsx"
            if w.kind == "indicator_no_baseline":
                assert _blank(row["Baseline year"]), (w.id, ind)
            if w.kind == "indicator_no_source":
                assert _blank(row["Data source"]), (w.id, ind)
            if w.kind == "indicator_single_point":
                points = sum(not _blank(row[c]) for c in ("Baseline value", "Latest value"))
                assert points < 2, (w.id, ind)
        for ref in d.get("consultations") or ():
            assert ref in consultations, f"{w.id}: {ref} not in the consultation log"
            if w.kind == "consultation_no_response":
                assert _blank(consultations[ref]["response"]), (w.id, ref)
            if w.kind == "consultation_no_iap2":
                assert _blank(consultations[ref]["iap2"]), (w.id, ref)


@pytest.mark.parametrize("slug", CITIES)
def test_carried_over_passages_are_where_the_key_says(slug):
    data = yaml.safe_load(load_city(slug).review_key_path.read_text(encoding="utf-8"))
    city = load_city(slug)
    for item in data.get("carryover") or ():
        v1, v2 = pages(city.draft("v1").pdf), pages(city.draft("v2").pdf)
        old = norm(item["v1_text"])
        assert all(old in v1[p - 1] for p in item["v1_pages"]), item["v1_text"]
        whole_v2 = " ".join(v2)
        if item["outcome"] == "unchanged":
            assert all(old in v2[p - 1] for p in item["v2_pages"]), item["v1_text"]
        elif item["outcome"] == "changed":
            new = norm(item["v2_text"])
            assert all(new in v2[p - 1] for p in item["v2_pages"]), item["v2_text"]
            assert old not in whole_v2, item["v1_text"]
        else:
            assert item["outcome"] == "deleted"
            assert old not in whole_v2, item["v1_text"]


# -- spreadsheets ---------------------------------------------------------------


@pytest.mark.parametrize("slug", CITIES)
def test_indicators_have_thirty_rows_global_codes_local_proxies_and_gaps(slug):
    path = load_city(slug).indicators_path
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames[0] == "Indicators"
    header = next(wb["Indicators"].iter_rows(max_row=1, values_only=True))
    assert tuple(header) == build_samples.INDICATOR_COLUMNS
    rows = list(indicator_rows(slug).values())
    assert len(rows) >= 30
    fw = get_framework()
    coded = [r for r in rows if not _blank(r["Global indicator code"])]
    for r in coded:
        indicator = fw.indicator(str(r["Global indicator code"]))  # raises on a wrong code
        goals = {code.split(".")[0] for code in indicator.codes}  # 11.5.1 is also 1.5.1
        assert str(r["SDG goal"]) in goals, r["ID"]
    assert len(coded) >= 10
    assert len(rows) - len(coded) >= 3, "needs local proxies with no global match"
    assert any(_blank(r["Baseline year"]) for r in rows)
    assert any(_blank(r["Data source"]) for r in rows)
    assert any(_blank(r["Baseline value"]) and not _blank(r["Latest value"]) for r in rows)
    for r in rows:
        assert isinstance(r["SDG goal"], int) and 1 <= r["SDG goal"] <= 17
        for year in ("Baseline year", "Latest year"):
            assert _blank(r[year]) or 2000 <= int(str(r[year])) <= 2025


@pytest.mark.parametrize("slug", CITIES)
def test_consultation_log_looks_kept_by_a_city_office(slug):
    wb = load_workbook(load_city(slug).consultations_path)
    assert wb.sheetnames[:2] == ["Consultations", "Participants"]
    log = wb["Consultations"]
    assert any(str(r).startswith("A1:") for r in log.merged_cells.ranges)
    assert "ILLUSTRATIVE" in str(log["A1"].value)
    assert len(consultation_rows(slug)) >= 12
    people = wb["Participants"]
    rows = [list(r) for r in people.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if any("email" in str(c).casefold() for c in r))
    header = [str(c or "") for c in rows[at]]
    email = _header_index(header, "email")
    mobile = _header_index(header, "mobile", "phone")
    note = _header_index(header, "note")
    _header_index(header, "consent")
    _header_index(header, "name")
    people_rows = [r for r in rows[at + 1 :] if any(r)]
    assert len(people_rows) >= 60
    for r in people_rows:
        assert "fictional" in str(r[note]).casefold()
        assert _blank(r[email]) or str(r[email]).endswith("@example.org")
        assert re.fullmatch(r"\+63 900 000 \d{4}", str(r[mobile])), r[mobile]
    refs = {str(r[_header_index(header, "consultation")]) for r in people_rows}
    assert refs <= set(consultation_rows(slug))


@pytest.mark.parametrize("slug", CITIES)
def test_every_file_of_a_city_says_illustrative(slug):
    city = load_city(slug)
    assert city.illustrative
    assert "illustrative" in city.review_key_path.read_text(encoding="utf-8").casefold()
    for path in (city.indicators_path, city.consultations_path):
        wb = load_workbook(path, read_only=True)
        assert "illustrative" in (wb.properties.title or "").casefold()
        assert "illustrative" in (wb.properties.subject or "").casefold()
    for draft in documents(city):
        assert "illustrative: true" in draft.source.read_text(encoding="utf-8")
        assert "illustrative sample" in pages(draft.pdf)[0]
        props = Document(str(draft.docx)).core_properties
        assert "illustrative" in (props.comments + props.subject).casefold()
