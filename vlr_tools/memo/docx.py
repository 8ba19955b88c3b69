"""Render a memo as an editable Word document (python-docx).

The city's planning office edits this file, so it uses Word's own structure:
the Title and Heading 1-4 styles (the navigation pane and a Word table of
contents work), real tables with a repeating header row, bullet and number
list styles, charts as PNG pictures with a description (alt text), a running
header, page numbers "N / M" in the footer, and core properties (title,
author, subject, keywords, language).

User-typed text only ever goes into text runs: nothing is parsed as a field
code or markup, and characters XML cannot hold (control characters) are
removed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..i18n import t
from .model import Bullets, Cell, Chart, Facts, Finding, Memo, Notice, Section, Table, Text
from .words import comment_label
from .words import labels as html_labels

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

FONTS = {
    # (Latin font, East Asian font). Word substitutes a font the reader lacks;
    # LibreOffice/fontconfig pick a Noto font of the same coverage.
    "en": ("Arial", "Yu Gothic"),
    "ja": ("Arial", "Yu Gothic"),
}
LANG_TAGS = {"en": "en-GB", "ja": "ja-JP"}

# Cell shading and text colours for tones (the HTML memo's palette).
TONES: dict[str, tuple[str | None, str | None, bool]] = {
    "met": ("DCF1E1", "12522B", True),
    "partly_met": ("FFF1CC", "5C4300", True),
    "not_met": ("FBE0DF", "8A1C1C", True),
    "not_applicable": ("ECEFF3", "374151", False),
    "not_rated": ("ECEFF3", "374151", False),
    "high": (None, "8A1C1C", True),
    "medium": (None, "5C4300", True),
    "low": (None, "4A5561", False),
    "yes": (None, "12522B", True),
    "no": (None, "8A1C1C", True),
    "muted": (None, "4A5561", False),
}
HEADER_FILL = "E8EEF5"
BAND = "17375E"


def clean(text: object) -> str:
    """Text safe for a Word run: control characters removed, never None."""
    return _CONTROL.sub("", "" if text is None else str(text))


def docx_bytes(
    memo: Memo,
    images: Mapping[str, bytes] | None = None,
    *,
    chart_note: str | None = None,
) -> bytes:
    """The memo as DOCX bytes; charts without an image get a note and their data table."""
    writer = _Writer(memo, dict(images or {}), chart_note)
    return writer.build()


def write_docx(
    memo: Memo,
    path: Path,
    images: Mapping[str, bytes] | None = None,
    *,
    chart_note: str | None = None,
) -> Path:
    """Write the memo as a DOCX file at ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(docx_bytes(memo, images, chart_note=chart_note))
    return path


class _Writer:
    def __init__(self, memo: Memo, images: dict[str, bytes], chart_note: str | None) -> None:
        from docx import Document

        self.memo = memo
        self.images = images
        self.labels = html_labels(memo.lang)
        if chart_note:
            self.labels["chart_missing"] = chart_note
        self.doc: Any = Document()
        self._figure_no = 0
        self._cell_style_id: str | None = None

    # -- document set-up ---------------------------------------------------

    def build(self) -> bytes:
        self._setup_styles()
        self._setup_page()
        self._properties()
        self._cover()
        self._contents()
        for n, section in enumerate(self.memo.sections):
            self._section(section, 1, first=n == 0)
        self._colophon()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    def _setup_styles(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor

        latin, east = FONTS.get(self.memo.lang, FONTS["en"])
        styles = self.doc.styles
        for name in (
            "Normal",
            "Title",
            "Subtitle",
            "Heading 1",
            "Heading 2",
            "Heading 3",
            "Heading 4",
            "List Bullet",
            "List Number",
            "Caption",
        ):
            style = styles[name]
            style.font.name = latin
            rpr = style.element.get_or_add_rPr()
            fonts = rpr.get_or_add_rFonts()
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attr), latin)
            fonts.set(qn("w:eastAsia"), east)
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                if fonts.get(qn(attr)) is not None:
                    del fonts.attrib[qn(attr)]
        normal = styles["Normal"]
        normal.font.size = Pt(10.5)
        normal.paragraph_format.space_after = Pt(5)
        normal.paragraph_format.line_spacing = 1.15
        rpr = normal.element.get_or_add_rPr()
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = rpr.makeelement(qn("w:lang"), {})
            rpr.append(lang)
        # w:val is the language of Latin-script text (English names and
        # comments stay English in a Japanese memo, and must wrap at spaces);
        # w:eastAsia that of Japanese text. The document language is in the
        # core properties.
        lang.set(qn("w:val"), "en-GB")
        lang.set(qn("w:eastAsia"), "ja-JP")
        for level, size in ((1, 17), (2, 13.5), (3, 11.5), (4, 10.5)):
            style = styles[f"Heading {level}"]
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.color.rgb = RGBColor.from_string(BAND if level < 4 else "1B1F24")
            style.paragraph_format.space_before = Pt(16 if level == 1 else 11)
            style.paragraph_format.space_after = Pt(5)
            style.paragraph_format.keep_with_next = True
        styles["Title"].font.size = Pt(30)
        styles["Title"].font.color.rgb = RGBColor.from_string(BAND)
        styles["Subtitle"].font.size = Pt(17)
        styles["Subtitle"].font.color.rgb = RGBColor.from_string("1B1F24")
        if "Memo Note" not in [s.name for s in styles]:
            note = styles.add_style("Memo Note", WD_STYLE_TYPE.PARAGRAPH)
            note.base_style = normal
            note.font.italic = True
            note.font.color.rgb = RGBColor.from_string("4A5561")
            note.paragraph_format.left_indent = Pt(8)
            small = styles.add_style("Memo Small", WD_STYLE_TYPE.PARAGRAPH)
            small.base_style = normal
            small.font.size = Pt(9)
            small.font.color.rgb = RGBColor.from_string("4A5561")
            cell = styles.add_style("Memo Table Text", WD_STYLE_TYPE.PARAGRAPH)
            cell.base_style = normal
            cell.font.size = Pt(9)
            cell.paragraph_format.space_after = Pt(0)
            cell.paragraph_format.line_spacing = 1.0

    def _setup_page(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt, RGBColor

        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        run = header.add_run(clean(self.memo.running_header))
        run.font.size = Pt(8.5)
        run.font.color.rgb = RGBColor.from_string("4A5561")
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # Our own PAGE / NUMPAGES fields: the only field codes in the document.
        _field(footer, "PAGE")
        footer.add_run(" / ")
        _field(footer, "NUMPAGES")
        for r in footer.runs:
            r.font.size = Pt(8.5)

    def _properties(self) -> None:
        props = self.doc.core_properties
        memo = self.memo
        props.title = clean(memo.title)[:255]
        props.subject = clean(memo.cover.subtitle)[:255]
        props.author = clean(memo.author)[:255]
        props.keywords = clean(", ".join(memo.keywords))[:255]
        props.language = LANG_TAGS.get(memo.lang, "en-GB")
        props.category = clean(t("memo.title", memo.lang))
        props.comments = clean(memo.cover.illustrative)[:255]
        props.created = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
        props.last_modified_by = "VLR Review Workbench"

    # -- parts -------------------------------------------------------------

    def _cover(self) -> None:
        from docx.enum.text import WD_BREAK
        from docx.shared import Pt, RGBColor

        cover = self.memo.cover
        if cover.organisation:
            p = self.doc.add_paragraph()
            r = p.add_run(clean(cover.organisation).upper())
            r.font.size = Pt(9.5)
            r.font.color.rgb = RGBColor.from_string("4A5561")
            p.paragraph_format.space_after = Pt(30)
        self.doc.add_paragraph(clean(cover.title), style="Title")
        self.doc.add_paragraph(clean(cover.city), style="Subtitle")
        p = self.doc.add_paragraph(clean(cover.subtitle))
        p.paragraph_format.space_after = Pt(18)
        self._facts(cover.facts)
        if cover.illustrative:
            self._boxed(cover.illustrative, "FFF6DD", "4D3800", bold=True)
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _contents(self) -> None:
        self.doc.add_paragraph(clean(self.labels["contents"]), style="Heading 1")
        self._numbered([s.title for s in self.memo.sections])

    def _numbered(self, items: list[str] | tuple[str, ...]) -> None:
        # Numbers are written as text: Word's list numbering would continue
        # from one list to the next unless each list got its own numbering
        # definition, and a city editing the memo expects each list to start at 1.
        from docx.shared import Cm

        for n, item in enumerate(items, start=1):
            p = self.doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.8)
            p.paragraph_format.first_line_indent = Cm(-0.6)
            p.paragraph_format.space_after = Cm(0.1)
            p.add_run(f"{n}.\t")
            p.add_run(clean(item))
            p.paragraph_format.tab_stops.add_tab_stop(Cm(0.8))

    def _section(self, section: Section, level: int, first: bool = False) -> None:
        from docx.enum.text import WD_BREAK

        if level == 1:
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.doc.add_paragraph(clean(section.title), style=f"Heading {min(level, 4)}")
        for block in section.blocks:
            self._block(block, level)
        for sub in section.subsections:
            self._section(sub, level + 1)

    def _block(self, block: object, level: int) -> None:
        if isinstance(block, Text):
            style = {"small": "Memo Small"}.get(block.style, "Normal")
            p = self.doc.add_paragraph(style=style)
            run = p.add_run(clean(block.text))
            if block.style == "lead":
                from docx.shared import Pt

                run.font.size = Pt(11.5)
        elif isinstance(block, Notice):
            if block.tone == "illustrative":
                self._boxed(block.text, "FFF6DD", "4D3800", bold=True)
            elif block.tone == "partial":
                self._boxed(block.text, "FFF1CC", "5C4300", bold=True)
            else:
                self._boxed(block.text, "F2F4F7", "1B1F24", italic=block.tone == "missing")
        elif isinstance(block, Bullets):
            if block.ordered:
                self._numbered(block.items)
            else:
                for item in block.items:
                    self.doc.add_paragraph(clean(item), style="List Bullet")
        elif isinstance(block, Facts):
            self._facts(block)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Finding):
            self._finding(block, level)
        elif isinstance(block, Chart):
            self._chart(block)

    def _facts(self, facts: Facts) -> None:
        from docx.shared import Cm

        if not facts.items:
            return
        table = self.doc.add_table(rows=0, cols=2)
        table.autofit = False
        table.columns[0].width, table.columns[1].width = Cm(4.5), Cm(12.5)
        for label, value in facts.items:
            row = table.add_row()
            _keep_row_together(row)
            row.cells[0].width, row.cells[1].width = Cm(4.5), Cm(12.5)
            self._cell_text(row.cells[0], label, bold=True)
            self._cell_text(row.cells[1], value)
        self.doc.add_paragraph()

    def _table(self, table: Table, caption: bool = True) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        if caption and table.caption:
            p = self.doc.add_paragraph(style="Caption")
            p.add_run(clean(table.caption))
        ncols = len(table.columns)
        grid = self.doc.add_table(rows=1, cols=ncols)
        grid.style = self.doc.styles["Table Grid"]
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = _widths(table, ncols, total_cm=17.0)
        grid.autofit = False
        for i, column in enumerate(grid.columns):
            column.width = Cm(widths[i])
        header = grid.rows[0]
        _repeat_header(header)
        for i, name in enumerate(table.columns):
            cell = header.cells[i]
            cell.width = Cm(widths[i])
            self._cell_text(cell, name, bold=True)
            _shade(cell, HEADER_FILL)
            if table.is_numeric(i):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for values in table.rows:
            row = grid.add_row()
            _keep_row_together(row)
            for i, value in enumerate(values[:ncols]):
                cell = row.cells[i]
                cell.width = Cm(widths[i])
                fill, colour, bold = TONES.get(value.tone, (None, None, False))
                self._cell_text(cell, value.text, bold=bold or i == 0, colour=colour)
                if fill:
                    _shade(cell, fill)
                if table.is_numeric(i):
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.doc.add_paragraph()

    def _cell_text(
        self, cell: Any, text: str, *, bold: bool = False, colour: str | None = None
    ) -> None:
        from docx.shared import RGBColor

        paragraph = cell.paragraphs[0]
        # Set the style by its id: python-docx's paragraph.style = ... looks the
        # style up among all of them on every call, the bulk of writing a memo
        # with a thousand table cells.
        if self._cell_style_id is None:
            self._cell_style_id = self.doc.styles["Memo Table Text"].style_id
        paragraph._p.get_or_add_pPr().style = self._cell_style_id
        run = paragraph.add_run(clean(text))
        run.bold = bold
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)

    def _finding(self, finding: Finding, level: int) -> None:
        from docx.shared import Pt, RGBColor

        self.doc.add_paragraph(
            clean(f"{finding.criterion_id} · {finding.question}"),
            style=f"Heading {min(level + 1, 4)}",
        )
        p = self.doc.add_paragraph()
        fill, colour, _ = TONES.get(finding.rating, (None, None, False))
        r = p.add_run(clean(f" {finding.rating_label} "))
        r.bold = True
        if colour:
            r.font.color.rgb = RGBColor.from_string(colour)
        if fill:
            _shade_run(r, fill)
        if finding.pages:
            p.add_run("   ")
            p.add_run(clean(self.labels["evidence"] + self.labels["sep"])).bold = True
            p.add_run(clean(finding.pages))
        if finding.priority_label:
            p.add_run("   ")
            p.add_run(clean(self.labels["priority"] + self.labels["sep"])).bold = True
            pr = p.add_run(clean(finding.priority_label))
            _, pcol, _ = TONES.get(finding.priority, (None, None, False))
            if pcol:
                pr.font.color.rgb = RGBColor.from_string(pcol)
        for who, text in finding.comments:
            p = self.doc.add_paragraph()
            label = comment_label(who, self.memo.lang) + self.labels["sep"]
            p.add_run(clean(label)).bold = True
            p.add_run(clean(text))
        if finding.recommendation:
            p = self.doc.add_paragraph()
            _shade_paragraph(p, "F6F8FA")
            p.add_run(clean(self.labels["recommendation"] + self.labels["sep"])).bold = True
            p.add_run(clean(finding.recommendation))
        if finding.note:
            p = self.doc.add_paragraph(style="Memo Small")
            p.add_run(clean(self.labels["note"] + self.labels["sep"])).bold = True
            p.add_run(clean(finding.note))
        p.paragraph_format.space_after = Pt(10)

    def _chart(self, chart: Chart) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        self._figure_no += 1
        title = self.doc.add_paragraph(style="Caption")
        title.add_run(clean(chart.title))
        title.paragraph_format.keep_with_next = True
        png = self.images.get(chart.key)
        if png:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            width = Cm(16.5)
            shape = p.add_run().add_picture(io.BytesIO(png), width=width)
            doc_pr = shape._inline.docPr
            doc_pr.set("descr", clean(chart.alt))
            doc_pr.set("title", clean(chart.title))
            doc_pr.set("name", f"Chart {self._figure_no}")
        else:
            self._boxed(self.labels["chart_missing"], "F2F4F7", "1B1F24", italic=True)
            self.doc.add_paragraph(clean(chart.alt), style="Memo Small")
        if png or chart.table_follows:
            # The picture carries the numbers (labels) and its description; or
            # the next block is a table with the same numbers.
            return
        small = self.doc.add_paragraph(style="Memo Small")
        small.add_run(clean(self.labels["data_table"]))
        small.paragraph_format.keep_with_next = True
        self._table(chart.table, caption=False)

    def _boxed(
        self, text: str, fill: str, colour: str, *, bold: bool = False, italic: bool = False
    ) -> None:
        from docx.shared import Pt, RGBColor

        p = self.doc.add_paragraph()
        _shade_paragraph(p, fill, border=True)
        run = p.add_run(clean(text))
        run.bold = bold
        run.italic = italic
        run.font.color.rgb = RGBColor.from_string(colour)
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.space_after = Pt(8)

    def _colophon(self) -> None:
        self.doc.add_paragraph()
        self.doc.add_paragraph(clean(self.labels["colophon"]), style="Memo Small")


# -- low-level OOXML helpers -------------------------------------------------

# Elements that must follow w:shd in their parent (the OOXML schema's order;
# Word rejects a file whose properties are out of order).
_TC_AFTER_SHD = (
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
)
_P_AFTER_SHD = (
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_R_AFTER_SHD = (
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)


#: Table text is 9 pt: one em in centimetres.
_EM_CM = 9 / 72 * 2.54
#: Word's default left + right cell margins (0.19 cm each) and a little slack.
_CELL_PAD_CM = 0.45


def _text_cm(word: str) -> float:
    """About how wide ``word`` is in 9 pt bold: CJK characters one em, others 0.62 em."""
    return sum(_EM_CM if ord(ch) >= 0x2E80 else 0.62 * _EM_CM for ch in word)


def _widths(table: Table, ncols: int, total_cm: float) -> list[float]:
    """Column widths in cm: the table's relative widths, but every column at least
    as wide as the longest word of its header (a narrow 「目標」 or "Goal" column
    would otherwise wrap mid-word); the other columns give up the difference."""
    weights = list(table.widths[:ncols]) if len(table.widths) >= ncols else [1.0] * ncols
    total = sum(weights) or 1.0
    widths = [total_cm * w / total for w in weights]
    need = [
        max((_text_cm(w) for w in str(name).split()), default=0.0) + _CELL_PAD_CM
        for name in table.columns[:ncols]
    ]
    planned, fixed = widths, set[int]()
    # Widening one column narrows the others, which may then be too narrow in turn.
    for _ in range(ncols):
        short = {i for i in range(ncols) if i not in fixed and widths[i] < need[i]}
        if not short:
            break
        fixed |= short
        spare = total_cm - sum(need[i] for i in fixed)
        rest = sum(widths[i] for i in range(ncols) if i not in fixed)
        if spare <= 0 or rest <= 0:
            return planned  # the headers cannot all fit: keep the planned widths
        widths = [need[i] if i in fixed else widths[i] * spare / rest for i in range(ncols)]
    return widths


def _field(paragraph: Any, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, placeholder, end):
        run._r.append(element)


def _keep_row_together(row: Any) -> None:
    """Keep a table row on one page (w:cantSplit)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        # First child: cantSplit precedes tblHeader in the schema's order.
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    # Schema order matters to Word: cantSplit comes before tblHeader.
    tr_pr.append(OxmlElement("w:cantSplit"))
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.insert_element_before(shd, *_TC_AFTER_SHD)


def _shade_run(run: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_pr = run._r.get_or_add_rPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    r_pr.insert_element_before(shd, *_R_AFTER_SHD)


def _shade_paragraph(paragraph: Any, fill: str, border: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p_pr = paragraph._p.get_or_add_pPr()
    if border:
        borders = OxmlElement("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), "8")
            edge.set(qn("w:space"), "4")
            edge.set(qn("w:color"), "B88A00" if fill == "FFF6DD" else "C9D2DC")
            borders.append(edge)
        p_pr.insert_element_before(borders, "w:shd", *_P_AFTER_SHD)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    p_pr.insert_element_before(shd, *_P_AFTER_SHD)


__all__ = ["Cell", "docx_bytes", "write_docx", "clean"]
