"""``vlr demo``: the scripted review of both sample cities writes all 16 memos."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from vlr_tools.cli import main
from vlr_tools.demo import MARKER, WORKSPACE_FOLDER, fresh_workspace_dir, run_demo
from vlr_tools.errors import MemoError
from vlr_tools.memo.notebook import external_resources
from vlr_tools.paths import CITIES_DIR

EXPECTED = sorted(
    f"{slug}/{slug}-{version}-review-memo-{lang}.{ext}"
    for slug, version in (("santa-rosa", "v1"), ("san-fernando", "v2"))
    for lang in ("en", "ja")
    for ext in ("html", "pdf", "docx", "md")
)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """Run ``vlr demo`` once per test session, through the CLI."""
    out = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    code = main(["demo", "--out", str(out)])
    return out, code, lines


def _participants() -> set[str]:
    """Names, e-mails and phone numbers of the sample logs' (fictional) participants."""
    found: set[str] = set()
    for slug in ("santa-rosa", "san-fernando"):
        wb = openpyxl.load_workbook(CITIES_DIR / slug / "consultations.xlsx", read_only=True)
        rows = list(wb["Participants"].iter_rows(values_only=True))
        header = next(i for i, r in enumerate(rows) if r and r[0] == "No.")
        columns = [str(c or "").lower() for c in rows[header]]
        wanted = [i for i, c in enumerate(columns) if "name" in c or "mail" in c or "mobile" in c]
        for row in rows[header + 1 :]:
            for i in wanted:
                if row[i]:
                    found.add(str(row[i]).strip())
        wb.close()
    return {f for f in found if len(f) > 4}


def _text_of(path: Path) -> str:
    if path.suffix in (".html", ".md"):
        return path.read_text(encoding="utf-8")
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        return re.sub(r"<[^>]+>", "", xml)
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


@pytest.mark.slow
def test_demo_writes_sixteen_memos(demo_run, capsys):
    out, code, _ = demo_run
    assert code == 0
    written = sorted(
        str(p.relative_to(out)) for p in out.glob("*/*-review-memo-*.*") if p.is_file()
    )
    assert written == EXPECTED
    for name in written:
        assert (out / name).stat().st_size > 2000, name
    assert (out / WORKSPACE_FOLDER / MARKER).is_file()


@pytest.mark.slow
def test_demo_memos_are_labelled_illustrative_and_hold_no_personal_data(demo_run):
    out, _, _ = demo_run
    people = _participants()
    assert len(people) > 20  # the check is real: the logs do hold personal data
    for name in EXPECTED:
        text = _text_of(out / name)
        leaked = sorted(p for p in people if p in text)
        assert not leaked, f"{name} shows personal data: {leaked[:5]}"
        marker = (
            "例示用のサンプルデータ"
            if name.endswith(("-ja.html", "-ja.pdf", "-ja.docx", "-ja.md"))
            else "Illustrative sample data"
        )
        assert marker in text, name


@pytest.mark.slow
def test_demo_html_is_offline_and_san_fernando_shows_the_carry_over(demo_run):
    out, _, _ = demo_run
    for name in EXPECTED:
        if name.endswith(".html"):
            assert external_resources((out / name).read_text(encoding="utf-8")) == [], name
    md = (out / "san-fernando" / "san-fernando-v2-review-memo-en.md").read_text(encoding="utf-8")
    section = md.split("## What changed since the previous draft", 1)[1].split("\n## ", 1)[0]
    assert "from the review of v1 were checked against v2" in section


def _demo_files(out: Path, ext: str) -> list[Path]:
    return [out / name for name in EXPECTED if name.endswith(ext)]


@pytest.mark.slow
def test_demo_html_memos_are_light_and_script_free(demo_run):
    out, _, _ = demo_run
    files = _demo_files(out, ".html")
    assert len(files) == 4
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert path.stat().st_size < 1_000_000, f"{path.name}: {path.stat().st_size} bytes"
        assert "<script" not in text, path.name
        assert text.count("<svg ") == text.count('role="img"') >= 2, path.name


@pytest.mark.slow
def test_demo_html_memos_pass_the_nu_html_checker(demo_run, nu_html_checker):
    out, _, _ = demo_run
    assert nu_html_checker(_demo_files(out, ".html")) == []


@pytest.mark.slow
@pytest.mark.browser
def test_demo_html_memos_have_no_serious_axe_violations(demo_run, axe_checker):
    """axe-core on a desktop and a 375-px phone screen: nothing serious or critical."""
    out, _, _ = demo_run
    found = axe_checker(_demo_files(out, ".html"))
    serious = [v for v in found if v[3] in ("serious", "critical")]
    assert serious == [], serious


@pytest.mark.slow
def test_demo_pdf_memos_are_tagged_with_their_language(demo_run):
    import pypdf

    out, _, _ = demo_run
    for path in _demo_files(out, ".pdf"):
        root = pypdf.PdfReader(str(path)).trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root, path.name
        assert root["/Lang"] == ("ja" if path.name.endswith("-ja.pdf") else "en"), path.name


def test_demo_never_deletes_a_folder_it_did_not_make(tmp_path):
    folder = tmp_path / WORKSPACE_FOLDER
    folder.mkdir()
    (folder / "precious.txt").write_text("someone's work", encoding="utf-8")
    with pytest.raises(MemoError, match="holds files the demo did not make"):
        fresh_workspace_dir(folder)
    assert (folder / "precious.txt").exists()
    (folder / "precious.txt").unlink()
    (folder / MARKER).write_text("demo", encoding="utf-8")
    (folder / "workspace.sqlite").write_text("old demo", encoding="utf-8")
    fresh = fresh_workspace_dir(folder)
    assert sorted(p.name for p in fresh.iterdir()) == [MARKER]


@pytest.mark.slow
def test_run_demo_reports_progress(tmp_path):
    """A quick run (Markdown only, one language) shows each step as it happens."""
    lines: list[str] = []
    result = run_demo(tmp_path, progress=lines.append, formats=("md",), langs=("en",))
    assert [p.name for p in result.files] == [
        "santa-rosa-v1-review-memo-en.md",
        "san-fernando-v2-review-memo-en.md",
    ]
    text = "\n".join(lines)
    assert "[1/2] santa-rosa" in text and "[2/2] san-fernando" in text
    assert "consultation log:" in text and "SDG mapping:" in text and "annotations:" in text
    assert "checklist: scripted review" in text and "carried" in text  # San Fernando v1 -> v2
    assert "FAILED" not in text, text
    assert set(result.reviews) == {"santa-rosa", "san-fernando"}
