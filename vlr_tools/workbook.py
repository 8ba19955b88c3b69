"""The one workbook reader: cell values of an XLSX file, and what a file really is.

(At the end, the few layout helpers the workbooks we send cities share:
:func:`wrap_cell`, :func:`print_wide`.)

Indicator tables and consultation logs are both read here. Cell values,
dates and merged cells come from python-calamine (the Rust calamine reader
that pandas also uses as an engine): it reads a 50,000-row, 20-column log in
about 2 s on the team's 2-core machines, where openpyxl's read-only mode
needs about 9 s and the hand-written XML walker this module replaces about
2.5-12 s (see the CHANGELOG for the measurements). fastexcel is faster
still but hands out Arrow column batches (pyarrow needed) with one type per
column, which does not fit sheets with title rows, notes and mixed cells.

calamine gives a formula's cached result, not the formula, and leaves error
values (``#REF!``) blank. A city's table must not be trusted where a cell is
computed, so a second, cheap pass looks at the sheet XML: only when it holds
a formula (``<f``) or an error (``t="e"``) are those cells located and their
values replaced by :class:`Formula` / :class:`CellError`.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import iterparse

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


class XlsxReadError(Exception):
    """The file cannot be read as a workbook; the message says why in plain words."""


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula; ``text`` starts with "=" (``=(shared formula)`` when unknown)."""

    text: str
    cached: object = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class CellError:
    """A cell holding an Excel error value such as ``#REF!``."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class SheetData:
    """One worksheet: its name and its non-empty rows as (row number, values).

    ``merged`` lists merged ranges as (first row, first column, last row,
    last column), rows 1-based as Excel numbers them, columns 0-based;
    ``rows_read`` counts every row read (blank ones too) and ``truncated``
    says the sheet had more rows than the reader was asked to read.
    """

    name: str
    rows: list[tuple[int, list[object]]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    rows_read: int = 0
    truncated: bool = False


def sniff(path: Path) -> str:
    """What the file is by its first bytes: "zip", "cfb", "pdf", "empty", "text" or "binary"."""
    with open(path, "rb") as fh:
        head = fh.read(2048)
    if not head:
        return "empty"
    if head.startswith(ZIP_SIGNATURE) or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(CFB_SIGNATURE):
        return "cfb"
    if head.startswith(b"%PDF"):
        return "pdf"
    if b"\x00" in head and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        return "binary"
    return "text"


def cfb_is_encrypted(path: Path) -> bool:
    """True if an OLE compound file holds an encrypted OOXML package.

    Excel saves a password-protected .xlsx as a compound file whose directory
    has the streams "EncryptionInfo" and "EncryptedPackage" (MS-OFFCRYPTO).
    Directory names are UTF-16LE, so looking for those bytes is enough.
    """
    data = path.read_bytes()
    return "EncryptedPackage".encode("utf-16-le") in data or (
        "EncryptionInfo".encode("utf-16-le") in data
    )


def serial_to_datetime(value: float, date1904: bool = False) -> dt.datetime:
    """An Excel date serial number as a datetime."""
    epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
    return epoch + dt.timedelta(days=float(value))


def read_workbook(path: Path, *, max_rows: int | None = None) -> list[SheetData]:
    """Every worksheet's non-empty rows. Raises XlsxReadError with a plain reason.

    ``max_rows`` stops reading a sheet after that many rows (``truncated``
    then says so), so a 100,000-row sheet costs no more than the limit.
    """
    import python_calamine as pc

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise XlsxReadError(f"the ZIP container is damaged ({exc})") from exc
    with zf:
        names = set(zf.namelist())
        if "xl/workbook.xml" not in names:
            raise XlsxReadError(_zip_kind(names))
        try:
            parts = dict(_sheet_list(zf))
            specials = {
                name: _special_cells(zf, part) for name, part in parts.items() if part in names
            }
        except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile) as exc:
            # xml.etree.ElementTree.ParseError subclasses SyntaxError
            raise XlsxReadError(f"the workbook's XML is damaged ({exc})") from exc
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types (and PanicException)
        raise XlsxReadError(f"the workbook cannot be read ({_reason(exc)})") from exc
    out: list[SheetData] = []
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
                continue  # chart sheets and dialog sheets have no cell data
            try:
                sheet = wb.get_sheet_by_name(meta.name)
            except Exception as exc:
                raise XlsxReadError(f"sheet {meta.name!r} cannot be read ({_reason(exc)})") from exc
            out.append(_sheet_data(meta.name, sheet, specials.get(meta.name) or {}, max_rows))
    finally:
        wb.close()
    return out


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


def _sheet_data(
    name: str, sheet: object, special: dict[tuple[int, int], object], max_rows: int | None
) -> SheetData:
    start = getattr(sheet, "start", None) or (0, 0)
    first_row, first_col = int(start[0]), int(start[1])
    by_row: dict[int, list[tuple[int, object]]] = {}
    for (r, c), value in special.items():
        by_row.setdefault(r, []).append((c, value))
    rows: list[tuple[int, list[object]]] = []
    read = 0
    truncated = False
    for offset, raw in enumerate(sheet.iter_rows()):  # type: ignore[attr-defined]
        if max_rows is not None and read >= max_rows:
            truncated = True
            break
        read += 1
        row_no = first_row + offset + 1
        values: list[object] = [None] * first_col if first_col else []
        for cell in raw:
            if cell == "":
                values.append(None)
            elif type(cell) is float and cell.is_integer() and abs(cell) < 1e15:
                values.append(int(cell))
            else:
                values.append(cell)
        while values and values[-1] is None:
            values.pop()
        for c, value in by_row.get(row_no, ()):
            if c >= len(values):
                values.extend([None] * (c + 1 - len(values)))
            if isinstance(value, Formula):
                value = Formula(value.text, values[c])
            values[c] = value
        if values:
            rows.append((row_no, values))
    merged = [
        (int(a[0]) + 1, int(a[1]), int(b[0]) + 1, int(b[1]))
        for a, b in (getattr(sheet, "merged_cell_ranges", None) or [])
    ]
    return SheetData(name, rows, merged, read, truncated)


def _zip_kind(names: set[str]) -> str:
    if "word/document.xml" in names:
        return "it is a Word document (.docx) renamed, not an Excel workbook"
    if "ppt/presentation.xml" in names:
        return "it is a PowerPoint file renamed, not an Excel workbook"
    if "content.xml" in names and "mimetype" in names:
        return "it is an OpenDocument file (.ods/.odt); save it from LibreOffice as .xlsx"
    return "it is a ZIP archive but not an Excel workbook (no xl/workbook.xml inside)"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_list(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part name in the ZIP) of every sheet, in workbook order."""
    rels: dict[str, str] = {}
    rels_part = "xl/_rels/workbook.xml.rels"
    if rels_part in zf.namelist():
        with zf.open(rels_part) as fh:
            for _, el in iterparse(fh):
                if _local(el.tag) == "Relationship":
                    target = el.get("Target", "")
                    if target.startswith("/"):
                        target = target.lstrip("/")
                    else:
                        target = str(PurePosixPath("xl") / target)
                    # normalise "xl/../xl/worksheets/sheet1.xml"
                    parts: list[str] = []
                    for piece in target.split("/"):
                        if piece == "..":
                            if parts:
                                parts.pop()
                        elif piece and piece != ".":
                            parts.append(piece)
                    rels[el.get("Id", "")] = "/".join(parts)
    sheets: list[tuple[str, str]] = []
    with zf.open("xl/workbook.xml") as fh:
        for _, el in iterparse(fh):
            if _local(el.tag) == "sheet":
                rid = el.get(f"{{{_REL_NS}}}id") or el.get(f"{{{_STRICT_REL_NS}}}id") or ""
                sheets.append((el.get("name", "Sheet"), rels.get(rid, "")))
    return sheets


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb'\b(r|t)="([^"]*)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)


def _special_cells(zf: zipfile.ZipFile, part: str) -> dict[tuple[int, int], object]:
    """Cells of one sheet that hold a formula or an error value: (row, column) -> value."""
    data = zf.read(part)
    if b"<f" not in data and b":f " not in data and b't="e"' not in data:
        return {}
    from html import unescape

    out: dict[tuple[int, int], object] = {}
    for match in _CELL.finditer(data):
        inner = match.group(2) or b""
        attrs = dict(_ATTR.findall(match.group(1)))
        ref = attrs.get(b"r", b"").decode()
        if not ref:
            continue
        col = _column_index(ref)
        row = int(ref[len(ref.rstrip("0123456789")) :] or 0)
        formula = _FORMULA.search(inner)
        if formula is not None:
            text = unescape((formula.group(1) or b"").decode("utf-8", "replace"))
            out[(row, col)] = Formula("=" + text if text else "=(shared formula)")
        elif attrs.get(b"t") == b"e":
            value = _VALUE.search(inner)
            out[(row, col)] = CellError(value.group(1).decode() if value else "#ERROR")
    return out


def _column_index(ref: str) -> int:
    """0-based column of a cell reference such as "AB12"."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + (ord(ch) - 64)
        else:
            break
    return n - 1


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --------------------------------------------------------------------------- workbooks we write


def text_width(text: str) -> int:
    """How many narrow characters ``text`` takes on screen (a Japanese character takes two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_cell(ws: Any, row: int, column: int, width: int, *, line: float = 15) -> None:
    """Wrap a cell's text and make its row tall enough for it (a row does not grow by itself
    in every spreadsheet program, so a long line would show cut off)."""
    from openpyxl.styles import Alignment

    cell = ws.cell(row=row, column=column)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    lines = 1 + text_width(str(cell.value or "")) // max(width - 5, 10)
    current = ws.row_dimensions[row].height or 0
    ws.row_dimensions[row].height = max(current, line * lines)


def print_wide(ws: Any, repeat_rows: str | None = None) -> None:
    """Print a sheet landscape and one page wide, with its heading rows on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if repeat_rows:
        ws.print_title_rows = repeat_rows


__all__ = [
    "CellError",
    "Formula",
    "SheetData",
    "XlsxReadError",
    "cfb_is_encrypted",
    "column_letter",
    "print_wide",
    "read_workbook",
    "serial_to_datetime",
    "sniff",
    "text_width",
    "wrap_cell",
]
