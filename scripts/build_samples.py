#!/usr/bin/env python3
"""Build the sample cities' files from their editable sources.

For every city under ``data/cities/<slug>/`` (see ``data/cities/README.md``):

* each draft source (``sources/draft-vN.md``, Markdown with YAML front matter)
  and the Japanese summary, if any, become a PDF (WeasyPrint) and a DOCX
  (python-docx), at the paths ``city.yaml`` names;
* ``sources/indicators.csv`` becomes ``indicators.xlsx``;
* ``sources/consultations.yaml`` + ``sources/participants.csv`` become
  ``consultations.xlsx``.

Usage::

    .venv/bin/python scripts/build_samples.py                 # build every city
    .venv/bin/python scripts/build_samples.py --city santa-rosa
    .venv/bin/python scripts/build_samples.py --check         # exit 1 on drift
    .venv/bin/python scripts/build_samples.py --where "persons with disabilities"

The output is deterministic: dates in document properties come from the
source's front matter, never from the clock, so ``--check`` can rebuild into a
temporary folder and compare the text content with the committed files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vlr_tools.cities import City, DraftFiles, list_cities, load_city  # noqa: E402
from vlr_tools.errors import DataFileError, Problem, VlrError  # noqa: E402
from vlr_tools.indicators.table import COLUMNS as INDICATOR_COLUMNS  # noqa: E402
from vlr_tools.paths import CITIES_DIR  # noqa: E402

#: Visible on every title page and in document properties.
ILLUSTRATIVE_LABEL = "ILLUSTRATIVE SAMPLE — not an official document"
ILLUSTRATIVE_LABEL_JA = "例示用サンプル — 公式文書ではありません"
PAGEBREAK = "<!-- pagebreak -->"

_INT_COLUMNS = {"SDG goal", "Baseline year", "Latest year"}
_NUMBER_COLUMNS = {"Baseline value", "Latest value", "2030 target"}


# ---------------------------------------------------------------------------
# Markdown source
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A parsed draft source: front matter plus Markdown tokens."""

    path: Path
    meta: dict[str, Any]
    body: str

    @property
    def lang(self) -> str:
        return str(self.meta.get("lang", "en"))

    @property
    def date(self) -> dt.date:
        return _as_date(self.meta["date"], self.path, "date")

    @property
    def header_text(self) -> str:
        """Running header: city, draft version and the illustrative label."""
        if self.meta.get("header"):
            return str(self.meta["header"])
        return f"{self.meta['city']} — Draft {self.meta['version']} — Illustrative sample draft"

    @property
    def subject(self) -> str:
        return str(
            self.meta.get("subject")
            or f"Illustrative sample draft Voluntary Local Review of {self.meta['city']} "
            f"(draft {self.meta['version']}); made up for training, not an official document."
        )


REQUIRED_META = ("title", "city", "version", "date", "lang", "illustrative", "author")


def read_source(path: Path) -> Source:
    """Split a Markdown file into YAML front matter and body, and check the front matter."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not match:
        raise DataFileError(f"{path}: must start with YAML front matter between '---' lines")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: front matter is not valid YAML: {exc}") from exc
    problems = [
        Problem(f"front matter key {key!r} is required", file=str(path))
        for key in REQUIRED_META
        if meta.get(key) in (None, "")
    ]
    if meta.get("illustrative") is not True:
        problems.append(Problem("front matter must say 'illustrative: true'", file=str(path)))
    if meta.get("lang") not in ("en", "ja"):
        problems.append(
            Problem("front matter 'lang'", file=str(path), value=meta.get("lang"), allowed="en, ja")
        )
    if problems:
        raise DataFileError(f"{path}: draft source is malformed", problems)
    return Source(path=path, meta=meta, body=text[match.end() :])


def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # html=True only so the page-break comment survives; any other raw HTML
    # is refused in _tokens(), so a source cannot inject markup.
    return MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")


def _tokens(src: Source) -> list[Any]:
    md = _markdown()
    tokens = md.parse(src.body)
    for tok in tokens:
        bad_inline = tok.type == "inline" and any(
            ch.type == "html_inline" for ch in tok.children or ()
        )
        if (tok.type == "html_block" and tok.content.strip() != PAGEBREAK) or bad_inline:
            line = (tok.map[0] + 1) if tok.map else "?"
            raise DataFileError(
                f"{src.path}: raw HTML is not allowed (body line {line}); "
                f"allowed: Markdown and the line {PAGEBREAK}"
            )
    return tokens


def _slugify(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def _inline_text(token: Any) -> str:
    return "".join(
        ch.content if ch.type in ("text", "code_inline") else " " if "break" in ch.type else ""
        for ch in token.children or ()
    )


# ---------------------------------------------------------------------------
# PDF (WeasyPrint)
# ---------------------------------------------------------------------------

CSS = """
@page {
  size: A4;
  margin: 24mm 20mm 22mm 22mm;
  @top-left { content: %(header)s; font-size: 8pt; color: #555; }
  @top-right { content: %(label)s; font-size: 8pt; color: #a40000; font-weight: bold; }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8.5pt; color: #333; }
}
@page :first {
  @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; }
}
html { font-family: %(fonts)s; font-size: 10.5pt; line-height: 1.42; color: #1a1a1a;
       font-variant-ligatures: none; }
body { margin: 0; }
h1, h2, h3 { font-family: %(fonts)s; color: #0b3d62; line-height: 1.2; break-after: avoid; }
h1 { font-size: 19pt; break-before: page; margin: 0 0 10pt; padding-bottom: 4pt;
     border-bottom: 2pt solid #0b3d62; }
h2 { font-size: 13.5pt; margin: 16pt 0 6pt; }
h3 { font-size: 11.5pt; margin: 12pt 0 4pt; color: #1f5f8b; }
p { margin: 0 0 7pt; text-align: justify; orphans: 2; widows: 2; }
ul, ol { margin: 0 0 7pt; padding-left: 18pt; }
li { margin-bottom: 2.5pt; }
blockquote { margin: 8pt 0 10pt; padding: 6pt 10pt; border-left: 3pt solid #7aa6c8;
             background: #f1f6fa; font-style: italic; }
table { border-collapse: collapse; width: 100%%; margin: 4pt 0 12pt; font-size: 8.6pt;
        line-height: 1.25; }
thead { display: table-header-group; }
th { background: #dce7f0; font-weight: bold; text-align: left; }
th, td { border: 0.6pt solid #8096aa; padding: 3pt 4pt; vertical-align: top; }
tr { break-inside: avoid; }
td:first-child { white-space: nowrap; }
code { font-family: "Noto Sans Mono", monospace; font-size: 9pt; }
.pagebreak { break-after: page; height: 0; }
.titlepage { height: 245mm; position: relative; }
.titlepage .label { border: 2pt solid #a40000; color: #a40000; font-weight: bold;
                    font-size: 12pt; padding: 6pt 10pt; text-align: center; }
.titlepage .label-ja { font-size: 10pt; margin-top: 3pt; }
.titlepage .city { margin-top: 38mm; font-size: 14pt; color: #1f5f8b; letter-spacing: 0.5pt; }
.titlepage .title { font-size: 28pt; font-weight: bold; color: #0b3d62; line-height: 1.15;
                    margin-top: 6pt; }
.titlepage .subtitle { font-size: 15pt; color: #333; margin-top: 8pt; }
.titlepage .version { margin-top: 22mm; font-size: 12pt; }
.titlepage .author { margin-top: 4pt; font-size: 11pt; color: #333; }
.titlepage .notice { position: absolute; bottom: 0; font-size: 9pt; color: #444;
                     border-top: 0.8pt solid #999; padding-top: 6pt; }
.contents h2 { break-before: avoid; }
.contents ol { list-style: none; padding-left: 0; }
.contents li { margin-bottom: 1.5pt; }
.contents li a { color: #1a1a1a; text-decoration: none; }
.contents li a::after { content: leader('.') target-counter(attr(href), page); }
.contents li.l2 { padding-left: 14pt; font-size: 9.5pt; }
a { color: #0b3d62; }
"""


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_html(src: Source) -> str:
    """The draft as a standalone HTML page ready for WeasyPrint."""
    md = _markdown()
    tokens = _tokens(src)
    used: set[str] = set()
    toc: list[tuple[int, str, str]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag in ("h1", "h2"):
            text = _inline_text(tokens[i + 1])
            anchor = _slugify(text, used)
            tok.attrSet("id", anchor)
            toc.append((int(tok.tag[1]), text, anchor))
        elif tok.type == "html_block":  # only the page-break comment gets here
            tok.content = '<div class="pagebreak"></div>\n'
    body = md.renderer.render(tokens, md.options, {})

    meta = src.meta
    esc = html.escape
    lang = src.lang
    fonts = (
        '"Noto Sans CJK JP", "Noto Sans", sans-serif'
        if lang == "ja"
        else '"Noto Sans", "Noto Sans CJK JP", sans-serif'
    )
    css = CSS % {
        "header": _css_string(src.header_text),
        "label": _css_string("ILLUSTRATIVE SAMPLE"),
        "fonts": fonts,
    }
    label_ja = f'<div class="label-ja">{esc(ILLUSTRATIVE_LABEL_JA)}</div>' if lang == "ja" else ""
    title_page = f"""
<section class="titlepage">
  <div class="label">{esc(ILLUSTRATIVE_LABEL)}{label_ja}</div>
  <div class="city">{esc(str(meta.get("organisation") or meta["city"]))}</div>
  <div class="title">{esc(str(meta["title"]))}</div>
  <div class="subtitle">{esc(str(meta.get("subtitle") or ""))}</div>
  <div class="version">{esc(_version_line(src))}</div>
  <div class="author">{esc(str(meta["author"]))}</div>
  <div class="notice">{esc(str(meta.get("notice") or _default_notice(src)))}</div>
</section>"""
    contents = ""
    if meta.get("toc"):
        heading = "目次" if lang == "ja" else "Contents"
        items = "\n".join(
            f'<li class="l{level}"><a href="#{anchor}">{esc(text)}</a></li>'
            for level, text, anchor in toc
            if level == 1 or meta.get("toc") == 2
        )
        contents = (
            f'<section class="contents" style="break-before: page">'
            f"<h2>{heading}</h2><ol>{items}</ol></section>"
        )
    head = "\n".join(
        f'<meta name="{name}" content="{esc(value)}">'
        for name, value in (
            ("author", str(meta["author"])),
            ("description", src.subject),
            ("keywords", _keywords(src)),
            ("generator", "vlr-tools scripts/build_samples.py"),
            ("dcterms.created", src.date.isoformat() + "T09:00:00+08:00"),
            ("dcterms.modified", src.date.isoformat() + "T09:00:00+08:00"),
        )
    )
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8">
<title>{esc(_doc_title(src))}</title>
{head}
<style>{css}</style></head>
<body>{title_page}{contents}
{body}</body></html>"""


def _doc_title(src: Source) -> str:
    return f"{src.meta['title']} (Illustrative sample, draft {src.meta['version']})"


def _keywords(src: Source) -> str:
    return ", ".join(
        ["Illustrative sample", "Voluntary Local Review", "SDGs", str(src.meta["city"])]
    )


def _version_line(src: Source) -> str:
    date = src.date
    if src.lang == "ja":
        return f"版: {src.meta['version']} ・ {date.year}年{date.month}月{date.day}日"
    status = src.meta.get("status", "Draft for review")
    return f"{status} · Version {src.meta['version']} · {date.day} {date:%B %Y}"


def _default_notice(src: Source) -> str:
    return (
        "Illustrative sample draft made up for training with the VLR Review Workbench. "
        "Apart from public census and administrative facts, its content, figures, "
        "consultations and people are invented. It is not an official document of the city."
    )


def build_pdf(src: Source, out: Path) -> None:
    """Render the draft to an A4 PDF with page numbers and a running header."""
    from weasyprint import HTML

    out.parent.mkdir(parents=True, exist_ok=True)
    doc = HTML(string=render_html(src), base_url=str(src.path.parent)).render()
    doc.write_pdf(out, uncompressed_pdf=False)


# ---------------------------------------------------------------------------
# DOCX (python-docx)
# ---------------------------------------------------------------------------


def build_docx(src: Source, out: Path) -> None:
    """Write the draft as a Word document with real headings, tables and page fields."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    meta = src.meta
    latin = "Noto Sans"
    east_asian = "Noto Sans CJK JP"
    for style_name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[style_name]
        style.font.name = latin
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), latin)
        fonts.set(qn("w:eastAsia"), east_asian)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    doc.styles["Normal"].font.size = Pt(10.5)

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(24), Mm(22)
    section.left_margin, section.right_margin = Mm(22), Mm(20)
    section.different_first_page_header_footer = True
    header_p = section.header.paragraphs[0]
    header_p.text = f"{src.header_text}"
    header_p.style = doc.styles["Header"]
    footer_p = section.footer.paragraphs[0]
    footer_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer_p.add_run("Page ")
    _field(footer_p, "PAGE", "1")
    footer_p.add_run(" of ")
    _field(footer_p, "NUMPAGES", "1")

    # Title page.
    label = doc.add_paragraph()
    label.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = label.add_run(ILLUSTRATIVE_LABEL)
    run.bold = True
    run.font.color.rgb = RGBColor(0xA4, 0x00, 0x00)
    if src.lang == "ja":
        run = label.add_run("\n" + ILLUSTRATIVE_LABEL_JA)
        run.font.color.rgb = RGBColor(0xA4, 0x00, 0x00)
    for _ in range(4):
        doc.add_paragraph()
    doc.add_paragraph(str(meta.get("organisation") or meta["city"]))
    doc.add_paragraph(str(meta["title"]), style="Title")
    if meta.get("subtitle"):
        doc.add_paragraph(str(meta["subtitle"]), style="Subtitle")
    for _ in range(3):
        doc.add_paragraph()
    doc.add_paragraph(_version_line(src))
    doc.add_paragraph(str(meta["author"]))
    for _ in range(3):
        doc.add_paragraph()
    notice = doc.add_paragraph()
    notice_run = notice.add_run(str(meta.get("notice") or _default_notice(src)))
    notice_run.italic = True
    notice_run.font.size = Pt(9)

    tokens = _tokens(src)
    if meta.get("toc"):
        heading = "目次" if src.lang == "ja" else "Contents"
        p = doc.add_paragraph(heading, style="TOC Heading")
        p.paragraph_format.page_break_before = True
        _toc_field(doc, tokens, 2 if meta.get("toc") == 2 else 1)

    _DocxWriter(doc, WD_BREAK).write(tokens)

    # A4 for any section python-docx may have added (it adds none today).
    for sec in doc.sections:
        if sec.start_type != WD_SECTION.NEW_PAGE:
            sec.page_width, sec.page_height = Mm(210), Mm(297)

    created = dt.datetime.combine(src.date, dt.time(9, 0))
    props = doc.core_properties
    props.title = _doc_title(src)
    props.subject = src.subject
    props.author = str(meta["author"])
    props.comments = (
        "ILLUSTRATIVE SAMPLE: drafts, indicator values, consultations and people in this "
        "document are made up for training. Not an official document."
    )
    props.keywords = _keywords(src)
    props.category = "Illustrative sample data"
    props.language = "ja-JP" if src.lang == "ja" else "en-PH"
    props.last_modified_by = str(meta["author"])
    props.revision = int(str(meta["version"]).lstrip("v") or 1)
    props.created = created
    props.modified = created
    props.last_printed = created
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    _freeze_zip(out, src.date)


def _field(paragraph: Any, instr: str, placeholder: str) -> None:
    """Append a Word field (PAGE, NUMPAGES...) with a cached placeholder result."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child: Any) -> None:
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instr} "
    run_with(code)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    text = OxmlElement("w:t")
    text.text = placeholder
    run_with(text)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _toc_field(doc: Any, tokens: Sequence[Any], depth: int) -> None:
    """A Word TOC field whose cached result lists the chapters (Word/LO refresh page numbers)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    entries = [
        (int(tok.tag[1]), _inline_text(tokens[i + 1]))
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and int(tok.tag[1]) <= depth
    ]
    first = doc.add_paragraph()
    for kind, text in (
        ("begin", None),
        ("instr", f' TOC \\o "1-{depth}" \\h \\z \\u '),
        ("sep", None),
    ):
        r = OxmlElement("w:r")
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), "begin" if kind == "begin" else "separate")
        r.append(el)
        first._p.append(r)
    last = first
    for n, (level, text) in enumerate(entries):
        p = first if n == 0 else doc.add_paragraph()
        p.add_run(("    " if level > 1 else "") + text)
        p.paragraph_format.space_after = Pt(1)
        last = p
    r = OxmlElement("w:r")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    r.append(end)
    last._p.append(r)


class _DocxWriter:
    """Walks markdown-it block tokens and writes python-docx paragraphs and tables."""

    def __init__(self, doc: Any, wd_break: Any) -> None:
        self.doc = doc
        self.wd_break = wd_break
        self.lists: list[list[Any]] = []  # stack of [kind, counter]
        self.quote = 0
        self.break_next = False

    def write(self, tokens: Sequence[Any]) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                level = int(tok.tag[1])
                p = self.doc.add_heading(level=min(level, 3))
                self._inline(p, tokens[i + 1])
                if level == 1 or self.break_next:
                    p.paragraph_format.page_break_before = True
                self.break_next = False
                i += 3
                continue
            if kind == "paragraph_open":
                p = self._new_paragraph()
                self._inline(p, tokens[i + 1])
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                start = int(tok.attrGet("start") or 1)
                self.lists.append([kind, start - 1])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                self.lists[-1][1] += 1
                self.lists[-1].append("fresh")
            elif kind == "list_item_close":
                if self.lists[-1][-1] == "fresh":
                    self.lists[-1].pop()
            elif kind == "blockquote_open":
                self.quote += 1
            elif kind == "blockquote_close":
                self.quote -= 1
            elif kind == "table_open":
                end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
                self._table(tokens[i : end + 1])
                i = end + 1
                continue
            elif kind == "html_block":  # the page-break comment
                self.break_next = True
            elif kind in ("fence", "code_block"):
                p = self._new_paragraph()
                r = p.add_run(tok.content.rstrip("\n"))
                r.font.name = "Noto Sans Mono"
            elif kind == "hr":
                pass
            i += 1

    def _new_paragraph(self) -> Any:
        from docx.shared import Pt

        style = None
        prefix = ""
        if self.lists:
            entry = self.lists[-1]
            depth = min(len(self.lists), 3)
            suffix = "" if depth == 1 else f" {depth}"
            if entry[-1] == "fresh":
                entry.pop()
                if entry[0] == "bullet_list_open":
                    style = "List Bullet" + suffix
                else:
                    # Numbers as text: Word's 'List Number' would continue the
                    # count across separate lists.
                    style = "List" + suffix
                    prefix = f"{entry[1]}. "
            else:
                style = "List Continue" + suffix
        elif self.quote:
            style = "Quote"
        p = self.doc.add_paragraph(style=style)
        if prefix:
            p.add_run(prefix)
        if not self.lists and not self.quote:
            p.paragraph_format.space_after = Pt(6)
        if self.break_next:
            p.paragraph_format.page_break_before = True
            self.break_next = False
        return p

    def _inline(self, p: Any, token: Any, *, bold: bool = False) -> None:
        state = {"b": bold, "i": False}
        for ch in token.children or ():
            t = ch.type
            if t == "text":
                r = p.add_run(ch.content)
                r.bold = state["b"] or None
                r.italic = state["i"] or None
            elif t == "code_inline":
                r = p.add_run(ch.content)
                r.font.name = "Noto Sans Mono"
            elif t == "softbreak":
                p.add_run(" ")
            elif t == "hardbreak":
                p.add_run().add_break()
            elif t == "strong_open":
                state["b"] = True
            elif t == "strong_close":
                state["b"] = bold
            elif t == "em_open":
                state["i"] = True
            elif t == "em_close":
                state["i"] = False
            elif t == "image":
                p.add_run(ch.content)

    def _table(self, tokens: Sequence[Any]) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        rows: list[list[tuple[Any, str, bool]]] = []
        header = False
        for j, tok in enumerate(tokens):
            if tok.type == "thead_open":
                header = True
            elif tok.type == "thead_close":
                header = False
            elif tok.type == "tr_open":
                rows.append([])
            elif tok.type in ("th_open", "td_open"):
                align = (tok.attrGet("style") or "").replace("text-align:", "").strip()
                rows[-1].append((tokens[j + 1], align, header))
        ncols = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=ncols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        # Column widths like Word's "AutoFit to contents": every column gets
        # room for its longest word, the rest of the 168 mm text width goes
        # to the columns with long text (about 1.55 mm per character at 8.5 pt).
        least = [8.0] * ncols
        want = [8.0] * ncols
        for row in rows:
            for c_index, (inline, _align, _head) in enumerate(row):
                text = _inline_text(inline)
                word = max((len(w) for w in text.split()), default=0)
                least[c_index] = max(least[c_index], word * 1.55 + 3.5)
                want[c_index] = max(want[c_index], min(len(text), 45) * 1.55 + 3.5)
        room = 168.0
        if sum(least) >= room:
            mm = [w * room / sum(least) for w in least]
        elif sum(want) <= room:
            mm = [w * room / sum(want) for w in want]
        else:
            extra = [w - m for w, m in zip(want, least, strict=True)]
            mm = [
                m + (room - sum(least)) * e / sum(extra) for m, e in zip(least, extra, strict=True)
            ]
        widths = [Mm(w) for w in mm]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
            for cell in column.cells:
                cell.width = width
        for r_index, row in enumerate(rows):
            cells = table.rows[r_index].cells
            for c_index, (inline, align, is_head) in enumerate(row):
                p = cells[c_index].paragraphs[0]
                self._inline(p, inline, bold=is_head)
                p.paragraph_format.space_after = Pt(0)
                for run in p.runs:
                    run.font.size = Pt(8.5)
                if align == "right":
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif align == "center":
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if is_head:
                    shading = OxmlElement("w:shd")
                    shading.set(qn("w:val"), "clear")
                    shading.set(qn("w:color"), "auto")
                    shading.set(qn("w:fill"), "DCE7F0")
                    cells[c_index]._tc.get_or_add_tcPr().append(shading)
            if row and row[0][2]:
                # Repeat the header row on every page, as Word's "Repeat as header row".
                tr_pr = table.rows[r_index]._tr.get_or_add_trPr()
                mark = OxmlElement("w:tblHeader")
                mark.set(qn("w:val"), "true")
                tr_pr.append(mark)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)


# ---------------------------------------------------------------------------
# Spreadsheets (openpyxl)
# ---------------------------------------------------------------------------


def _workbook_properties(wb: Any, city: City, title: str, when: dt.date) -> None:
    stamp = dt.datetime.combine(when, dt.time(9, 0))
    props = wb.properties
    props.title = title
    props.subject = "Illustrative sample data made up for training; not official city data."
    props.creator = "City Planning and Development Office (illustrative)"
    props.description = city.illustrative_note
    props.keywords = "Illustrative sample, VLR, SDGs, " + city.name
    props.category = "Illustrative sample data"
    props.created = stamp
    props.modified = stamp
    props.lastModifiedBy = props.creator


def _freeze_zip(path: Path, when: dt.date) -> None:
    """Make a DOCX/XLSX byte-for-byte reproducible.

    python-docx and openpyxl stamp zip entries (and openpyxl the 'modified'
    property) with the current time; rewrite both from the source's date so
    that rebuilding an unchanged source leaves git with nothing to commit.
    """
    import zipfile

    stamp = (when.year, when.month, when.day, 9, 0, 0)
    iso = f"{when.isoformat()}T09:00:00Z"
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + iso.encode() + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    tmp.replace(path)


def _number(text: str) -> Any:
    """A CSV cell as a number when it reads as one, else the text (None when empty)."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", "")) if re.fullmatch(r"-?[\d,]*\.?\d+", text) else None
    except ValueError:
        value = None
    if value is None:
        return text
    return int(value) if value.is_integer() and "." not in text else value


def build_indicators(city: City, source: Path, out: Path) -> None:
    """Write indicators.xlsx (sheet 'Indicators' + 'About') from sources/indicators.csv."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    with source.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    if header is None or tuple(h.strip() for h in header) != INDICATOR_COLUMNS:
        raise DataFileError(
            f"{source}: header row must be exactly the indicator columns",
            [
                Problem(
                    "wrong header",
                    file=str(source),
                    row=1,
                    value=header,
                    allowed=" | ".join(INDICATOR_COLUMNS),
                )
            ],
        )
    problems = [
        Problem(f"expected {len(INDICATOR_COLUMNS)} cells", file=str(source), row=n, value=len(r))
        for n, r in enumerate(rows, start=2)
        if len(r) != len(INDICATOR_COLUMNS)
    ]
    if problems:
        raise DataFileError(f"{source}: indicator rows are malformed", problems)

    wb = Workbook()
    ws = wb.active
    ws.title = "Indicators"
    ws.append(list(INDICATOR_COLUMNS))
    for row in rows:
        values: list[Any] = []
        for name, cell in zip(INDICATOR_COLUMNS, row, strict=True):
            if name in _INT_COLUMNS or name in _NUMBER_COLUMNS:
                values.append(_number(cell))
            else:
                values.append(cell.strip() or None)
        ws.append(values)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DCE7F0")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = (10, 34, 46, 14, 8, 12, 9, 11, 9, 11, 11, 30, 24, 40)
    for col, width in zip("ABCDEFGHIJKLMN", widths, strict=True):
        ws.column_dimensions[col].width = width
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:N{ws.max_row}"

    about = wb.create_sheet("About")
    about.append([f"{city.official_name}: local SDG indicators (ILLUSTRATIVE SAMPLE)"])
    about.append([city.illustrative_note])
    about.append(
        [
            "Global indicator codes follow the UN global indicator framework "
            "(A/RES/71/313 and refinements); an empty code marks a local proxy."
        ]
    )
    about.append(["Public facts used: " + "; ".join(city.public_facts)])
    about["A1"].font = Font(bold=True, size=12)
    about.column_dimensions["A"].width = 120
    _workbook_properties(
        wb,
        city,
        f"{city.name} local SDG indicators (illustrative sample)",
        city.drafts[0].date or dt.date(2024, 1, 1),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    _freeze_zip(out, city.drafts[0].date or dt.date(2024, 1, 1))


def build_consultations(city: City, source: Path, participants: Path, out: Path) -> None:
    """Write consultations.xlsx from sources/consultations.yaml and sources/participants.csv.

    The log looks the way a city office keeps it: a merged title row, header
    labels as the office typed them, dates as typed (text) or real Excel dates
    (YAML dates), an optional totals row and a footnote.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    spec = yaml.safe_load(source.read_text(encoding="utf-8"))
    if not isinstance(spec, dict):
        raise DataFileError(f"{source}: expected a mapping with title, columns, consultations")
    columns = [(str(k), str(v)) for k, v in (_pairs(spec.get("columns"), source))]
    entries = spec.get("consultations")
    if not isinstance(entries, list) or not entries:
        raise DataFileError(f"{source}: key 'consultations' must be a non-empty list")
    keys = {k for k, _ in columns}
    problems = []
    for n, entry in enumerate(entries, start=1):
        unknown = sorted(set(entry) - keys)
        if unknown:
            problems.append(
                Problem(
                    f"consultations[{n}] has keys not in 'columns'",
                    file=str(source),
                    value=unknown,
                    allowed=", ".join(sorted(keys)),
                )
            )
    if problems:
        raise DataFileError(f"{source}: consultation entries are malformed", problems)

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor=str(spec.get("header_fill", "FFF2CC")))
    wb = Workbook()
    ws = wb.active
    ws.title = "Consultations"
    ncol = len(columns)
    last = get_column_letter(ncol)
    ws.append([str(spec["title"])])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=13)
    ws["A1"].alignment = Alignment(horizontal="center")
    header_row = 2
    if spec.get("subtitle"):
        ws.append([str(spec["subtitle"])])
        ws.merge_cells(f"A2:{last}2")
        ws["A2"].font = Font(italic=True)
        ws["A2"].alignment = Alignment(horizontal="center")
        header_row = 3
    ws.append([label for _, label in columns])
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.border = border
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    date_format = str(spec.get("date_number_format", "mm/dd/yyyy"))
    totals: dict[str, float] = {}
    for entry in entries:
        values = [_cell_value(entry.get(key)) for key, _ in columns]
        ws.append(values)
        for key, value in zip((k for k, _ in columns), values, strict=True):
            if isinstance(value, int | float) and key in set(spec.get("total_columns") or ()):
                totals[key] = totals.get(key, 0) + value
    for row_cells in ws.iter_rows(min_row=header_row + 1):
        for cell in row_cells:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, dt.date):
                cell.number_format = date_format
    if spec.get("total_columns"):
        ws.append(["TOTAL" if i == 0 else totals.get(key) for i, (key, _) in enumerate(columns)])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
            cell.border = border
    for note in spec.get("footnotes") or ():
        ws.append([])
        ws.append([str(note)])
    widths = spec.get("widths") or {}
    for i, (key, label) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = float(
            widths.get(key, min(max(len(label) + 2, 12), 40))
        )
    ws.row_dimensions[header_row].height = 45
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)

    with participants.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        p_header = next(reader, None)
        p_rows = [row for row in reader if any(c.strip() for c in row)]
    if not p_header:
        raise DataFileError(f"{participants}: empty file; expected a header row")
    bad_rows = [
        Problem(f"expected {len(p_header)} cells", file=str(participants), row=n, value=len(r))
        for n, r in enumerate(p_rows, start=2)
        if len(r) != len(p_header)
    ]
    if bad_rows:
        raise DataFileError(f"{participants}: participant rows are malformed", bad_rows)
    ps = wb.create_sheet("Participants")
    p_last = get_column_letter(len(p_header))
    ps.append([str(spec.get("participants_title") or "Participants (illustrative)")])
    ps.merge_cells(f"A1:{p_last}1")
    ps["A1"].font = Font(bold=True, size=12)
    ps.append(p_header)
    for cell in ps[2]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.border = border
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in p_rows:
        ps.append(
            [_number(c) if re.fullmatch(r"\d{1,3}", c.strip()) else c.strip() or None for c in row]
        )
    for i, label in enumerate(p_header, start=1):
        ps.column_dimensions[get_column_letter(i)].width = min(max(len(label) + 4, 12), 36)
    ps.freeze_panes = "A3"
    _workbook_properties(
        wb,
        city,
        f"{city.name} VLR stakeholder consultations (illustrative sample)",
        city.drafts[0].date or dt.date(2024, 1, 1),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    _freeze_zip(out, city.drafts[0].date or dt.date(2024, 1, 1))


def _pairs(value: Any, source: Path) -> Iterator[tuple[Any, Any]]:
    if not isinstance(value, list) or not value:
        raise DataFileError(f"{source}: key 'columns' must be a list of [key, header label] pairs")
    for n, item in enumerate(value, start=1):
        if isinstance(item, list) and len(item) == 2:
            yield item[0], item[1]
        elif isinstance(item, Mapping) and len(item) == 1:
            yield next(iter(item.items()))
        else:
            raise DataFileError(f"{source}: columns[{n}] must be [key, header label]")


def _cell_value(value: Any) -> Any:
    if isinstance(value, bool):  # YAML 1.1 reads an unquoted yes/no as a boolean
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, str):
        return value.strip() or None
    return value


# ---------------------------------------------------------------------------
# Build, text extraction and --check
# ---------------------------------------------------------------------------


def _as_date(value: Any, path: Path, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DataFileError(f"{path}: front matter {key!r} must be YYYY-MM-DD") from exc


def _documents(city: City) -> list[DraftFiles]:
    return [*city.drafts, *((city.japanese,) if city.japanese else ())]


def outputs(city: City) -> list[Path]:
    """Every generated file of a city (absolute paths)."""
    paths: list[Path] = []
    for d in _documents(city):
        paths += [d.pdf, d.docx]
    return [*paths, city.indicators_path, city.consultations_path]


def build_city(city: City, out_root: Path | None = None, log: Any = print) -> list[Path]:
    """Build every generated file of ``city``; into ``out_root/<slug>/`` when given."""

    def target(path: Path) -> Path:
        if out_root is None:
            return path
        return out_root / city.slug / path.relative_to(city.folder)

    built: list[Path] = []
    for d in _documents(city):
        src = read_source(d.source)
        build_pdf(src, target(d.pdf))
        build_docx(src, target(d.docx))
        built += [target(d.pdf), target(d.docx)]
    sources = city.folder / "sources"
    build_indicators(city, sources / "indicators.csv", target(city.indicators_path))
    build_consultations(
        city,
        sources / "consultations.yaml",
        sources / "participants.csv",
        target(city.consultations_path),
    )
    built += [target(city.indicators_path), target(city.consultations_path)]
    for path in built:
        log(f"built {_shown(path)}")
    return built


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def normalise(text: str) -> str:
    """Text for comparisons and phrase search: NFKC, one space between words."""
    # pdfium reports a hyphen at a line end as U+FFFE; keep it a hyphen so
    # "SR-C08" split over two lines of a table cell is still found.
    text = text.replace("\ufffe", "-")
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def pdf_pages(path: Path) -> list[str]:
    """The whitespace-normalised text of each page of a PDF (pypdfium2)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append(normalise(textpage.get_text_range()))
            textpage.close()
            page.close()
        return pages
    finally:
        pdf.close()


def docx_lines(path: Path) -> list[str]:
    """Paragraphs (with style), table cells, header/footer text and core properties of a DOCX."""
    from docx import Document

    doc = Document(str(path))
    lines = []
    body = doc.element.body
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, doc)
            lines.append(f"[{p.style.name if p.style is not None else ''}] {normalise(p.text)}")
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                lines.append("| " + " | ".join(normalise(c.text) for c in row.cells))
    for sec in doc.sections:
        lines.append("header: " + normalise(" ".join(p.text for p in sec.header.paragraphs)))
        lines.append("footer: " + normalise(" ".join(p.text for p in sec.footer.paragraphs)))
    cp = doc.core_properties
    lines += [
        f"title: {cp.title}",
        f"subject: {cp.subject}",
        f"comments: {cp.comments}",
        f"created: {cp.created}",
    ]
    return lines


def xlsx_lines(path: Path) -> list[str]:
    """Every non-empty cell value of every sheet, plus merged ranges."""
    from openpyxl import load_workbook

    wb = load_workbook(str(path))
    lines = []
    for ws in wb.worksheets:
        lines.append(f"sheet {ws.title}: merged {sorted(str(r) for r in ws.merged_cells.ranges)}")
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    lines.append(f"{ws.title}!{cell.coordinate} = {cell.value!r}")
    lines.append(f"title: {wb.properties.title}")
    return lines


def content_lines(path: Path) -> list[str]:
    """The comparable text content of a generated file, by its extension."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return [f"--- page {n} ---\n{text}" for n, text in enumerate(pdf_pages(path), start=1)]
    if suffix == ".docx":
        return docx_lines(path)
    if suffix == ".xlsx":
        return xlsx_lines(path)
    raise ValueError(f"cannot compare {path}")


def check_city(city: City, log: Any = print) -> list[str]:
    """Rebuild ``city`` into a temporary folder; return the drift against committed files."""
    drift: list[str] = []
    with tempfile.TemporaryDirectory(prefix="vlr-samples-") as tmp:
        build_city(city, Path(tmp), log=lambda _msg: None)
        for committed in outputs(city):
            fresh = Path(tmp) / city.slug / committed.relative_to(city.folder)
            rel = _shown(committed)
            if not committed.is_file():
                drift.append(f"{rel}: missing (run scripts/build_samples.py)")
                continue
            old, new = content_lines(committed), content_lines(fresh)
            if old != new:
                first = next(
                    (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
                    min(len(old), len(new)),
                )
                was = old[first] if first < len(old) else "(end)"
                now = new[first] if first < len(new) else "(end)"
                drift.append(
                    f"{rel}: differs from its source; first at item {first + 1}:\n"
                    f"    committed: {was[:200]!r}\n    rebuilt:   {now[:200]!r}"
                )
            else:
                log(f"ok {rel}")
    return drift


def where(phrase: str, cities: Iterable[City]) -> list[str]:
    """Pages of every generated PDF on which ``phrase`` occurs (case-insensitive)."""
    needle = normalise(phrase).casefold()
    found = []
    for city in cities:
        for d in _documents(city):
            if not d.pdf.is_file():
                continue
            pages = [n for n, text in enumerate(pdf_pages(d.pdf), 1) if needle in text.casefold()]
            found.append(f"{city.slug} {d.version}: {pages or 'nowhere'}")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build the sample cities' draft PDFs/DOCX and spreadsheets from their sources.",
        epilog="Example: .venv/bin/python scripts/build_samples.py --city santa-rosa --check",
    )
    parser.add_argument("--city", action="append", help="slug of a city (repeatable; default: all)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild into a temp folder and compare with the committed files",
    )
    parser.add_argument(
        "--where", metavar="PHRASE", help="print the PDF pages on which PHRASE occurs, and stop"
    )
    parser.add_argument("--root", type=Path, default=CITIES_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        slugs = args.city or list(list_cities(args.root))
        cities = [load_city(slug, args.root) for slug in slugs]
        if args.where:
            print("\n".join(where(args.where, cities)))
            return 0
        if args.check:
            drift = [line for city in cities for line in check_city(city)]
            if drift:
                print("sample files are out of date:\n" + "\n".join(drift), file=sys.stderr)
                return 1
            print(f"ok: {len(cities)} city(ies) match their sources")
            return 0
        for city in cities:
            build_city(city)
        return 0
    except VlrError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
