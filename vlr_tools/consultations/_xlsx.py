"""Read the cell values of an XLSX workbook quickly, and tell what a file really is.

openpyxl's read-only mode needs about 9 s for 50,000 rows of 20 columns on
the team's 2-core machines; the import must validate and store such a log in
under 10 s. A consultation log needs only cell values, so this reader walks
the sheet XML with the C ElementTree parser and keeps each row's cells
(about 2.5 s for the same file). It reads shared and inline strings, numbers,
booleans, error values and formulas, and turns numbers in date-formatted
cells into dates the way Excel shows them.

Formulas come back as :class:`Formula` (the formula text, "=" first) so the
importer can flag them instead of trusting a cached result.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree.ElementTree import Element, iterparse

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"

# Built-in number formats that Excel shows as dates (ECMA-376 part 1, 18.8.30,
# plus the East Asian date formats 27-36 and 50-58).
_BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


class XlsxReadError(Exception):
    """The file cannot be read as a workbook; the message says why in plain words."""


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula; ``text`` starts with "="."""

    text: str

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
    """One worksheet: its name and its non-empty rows as (row number, values)."""

    name: str
    rows: list[tuple[int, list[object]]]


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


def read_workbook(path: Path) -> list[SheetData]:
    """Every worksheet's non-empty rows. Raises XlsxReadError with a plain reason."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise XlsxReadError(f"the ZIP container is damaged ({exc})") from exc
    with zf:
        names = set(zf.namelist())
        if "xl/workbook.xml" not in names:
            raise XlsxReadError(_zip_kind(names))
        try:
            sheets, date1904 = _sheet_list(zf)
            strings = _shared_strings(zf) if "xl/sharedStrings.xml" in names else []
            date_styles = _date_styles(zf) if "xl/styles.xml" in names else frozenset()
            out = []
            for name, part in sheets:
                if part not in names:
                    continue  # chart sheets and dialog sheets have no cell data
                with zf.open(part) as fh:
                    rows = list(_sheet_rows(fh, strings, date_styles, date1904))
                out.append(SheetData(name, rows))
        except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile) as exc:
            # xml.etree.ElementTree.ParseError subclasses SyntaxError
            raise XlsxReadError(f"the workbook's XML is damaged ({exc})") from exc
    return out


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


def _sheet_list(zf: zipfile.ZipFile) -> tuple[list[tuple[str, str]], bool]:
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
    date1904 = False
    with zf.open("xl/workbook.xml") as fh:
        for _, el in iterparse(fh):
            local = _local(el.tag)
            if local == "workbookPr":
                date1904 = el.get("date1904", "0").lower() in ("1", "true")
            elif local == "sheet":
                rid = el.get(f"{{{_REL_NS}}}id") or el.get(f"{{{_STRICT_REL_NS}}}id") or ""
                sheets.append((el.get("name", "Sheet"), rels.get(rid, "")))
    return sheets, date1904


def _text_of(si: Element) -> str:
    """Text of a shared string item, without Japanese phonetic (rPh) runs."""
    parts: list[str] = []
    for child in si:
        local = _local(child.tag)
        if local == "t":
            parts.append(child.text or "")
        elif local == "r":
            for sub in child:
                if _local(sub.tag) == "t":
                    parts.append(sub.text or "")
    return "".join(parts)


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    out: list[str] = []
    with zf.open("xl/sharedStrings.xml") as fh:
        for _, el in iterparse(fh):
            if _local(el.tag) == "si":
                out.append(_text_of(el))
                el.clear()
    return out


_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _is_date_code(code: str) -> bool:
    body = _QUOTED.sub("", code).lower()
    return any(ch in body for ch in "dy") or ("m" in body and "h" not in body and "s" not in body)


def _date_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    with zf.open("xl/styles.xml") as fh:
        in_cell_xfs = False
        for event, el in iterparse(fh, events=("start", "end")):
            local = _local(el.tag)
            if local == "cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and local == "numFmt":
                custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
            elif event == "end" and local == "xf" and in_cell_xfs:
                xf_formats.append(int(el.get("numFmtId", "0")))
    out = set()
    for index, fmt in enumerate(xf_formats):
        if fmt in _BUILTIN_DATE_FORMATS or (fmt in custom and _is_date_code(custom[fmt])):
            out.add(index)
    return frozenset(out)


def _column_index(ref: str) -> int:
    """0-based column of a cell reference such as "AB12"."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + (ord(ch) - 64)
        else:
            break
    return n - 1


def serial_to_datetime(value: float, date1904: bool = False) -> dt.datetime:
    """An Excel date serial number as a datetime."""
    epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
    return epoch + dt.timedelta(days=float(value))


def _sheet_rows(
    fh: IO[bytes], strings: list[str], date_styles: frozenset[int], date1904: bool
) -> Iterator[tuple[int, list[object]]]:
    ns = ""
    row_tag = c_tag = v_tag = ""
    last_row = 0
    for _event, el in iterparse(fh):
        tag = el.tag
        if not ns:
            ns = tag[: tag.index("}") + 1] if tag.startswith("{") else "{}"
            ns = "" if ns == "{}" else ns
            row_tag, c_tag, v_tag = ns + "row", ns + "c", ns + "v"
        if tag != row_tag:
            continue
        row_no = int(el.get("r") or last_row + 1)
        last_row = row_no
        values: list[object] = []
        for position, c in enumerate(el):
            if c.tag != c_tag:
                continue
            # Fast path (almost every cell): one <v> child, a shared string or number.
            value: object
            if len(c) == 1 and c[0].tag == v_tag:
                kind = c.get("t")
                text = c[0].text
                if kind == "s" and text is not None:
                    value = strings[int(text)]
                elif kind is None or kind == "n":
                    value = _number(text, c.get("s"), date_styles, date1904)
                else:
                    value = _cell_value(c, ns, strings, date_styles, date1904)
            elif len(c) == 0:
                continue
            else:
                value = _cell_value(c, ns, strings, date_styles, date1904)
            if value is None or value == "":
                continue
            ref = c.get("r")
            col = _column_index(ref) if ref else position
            if col >= len(values):
                values.extend([None] * (col + 1 - len(values)))
            values[col] = value
        el.clear()
        if values:
            yield row_no, values


def _number(
    text: str | None, style: str | None, date_styles: frozenset[int], date1904: bool
) -> object:
    if text is None:
        return None
    number = float(text)
    if style is not None and date_styles and int(style) in date_styles:
        try:
            return serial_to_datetime(number, date1904)
        except OverflowError:
            return number
    return int(number) if number.is_integer() and "E" not in text.upper() else number


def _cell_value(
    c: Element, ns: str, strings: list[str], date_styles: frozenset[int], date1904: bool
) -> object:
    kind = c.get("t", "n")
    v_text = None
    formula = None
    inline = None
    for child in c:
        tag = child.tag
        if tag == ns + "v":
            v_text = child.text
        elif tag == ns + "f":
            formula = child.text or ""
        elif tag == ns + "is":
            inline = _text_of(child)
    if formula is not None and formula != "":
        return Formula("=" + formula)
    if kind == "s":
        return strings[int(v_text)] if v_text is not None else None
    if kind == "inlineStr":
        return inline
    if kind == "str":
        return v_text
    if v_text is None:
        return None
    if kind == "b":
        return v_text.strip() in ("1", "true")
    if kind == "e":
        return CellError(v_text)
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(v_text.rstrip("Z"))
        except ValueError:
            return v_text
    return _number(v_text, c.get("s"), date_styles, date1904)
