"""Where indicator tables come from: a workbook, a CSV, or the tables on a draft's pages.

Each source becomes :class:`~.reading.Grid` rows for the one reader
(:func:`~.reading.read_grids`). A draft's tables keep the page (and table on
that page) every row came from, so findings can cite it; the heading just
above a table ("SDG 4: Quality Education") is kept as a row above it, where
the reader takes it as the goal of the table's rows.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import DataFileError, Problem
from ..framework import Framework
from ..workbook import XlsxReadError, cfb_is_encrypted, read_workbook, sniff
from .reading import Grid, Reading, read_grids

#: Rows read from one sheet at most (``VLR_MAX_INDICATOR_ROWS`` changes it).
DEFAULT_MAX_ROWS = 20_000
ALLOWED_FILES = ".xlsx, .csv"


def max_rows() -> int:
    """How many rows of one sheet the reader takes."""
    try:
        return max(10, int(os.environ.get("VLR_MAX_INDICATOR_ROWS") or DEFAULT_MAX_ROWS))
    except ValueError:
        return DEFAULT_MAX_ROWS


def _fatal(path: Path, message: str, allowed: str = ALLOWED_FILES) -> DataFileError:
    return DataFileError(
        f"{path.name}: cannot be read as an indicator table",
        [Problem(message, file=path.name, allowed=allowed)],
    )


def file_grids(path: Path, sheet: str | None = None) -> tuple[list[Grid], str]:
    """The grids of an indicator file (every sheet, or ``sheet``) and its kind (xlsx/csv)."""
    if not path.is_file():
        raise DataFileError(f"{path}: indicator file not found")
    kind = sniff(path)
    suffix = path.suffix.lower()
    if kind == "empty":
        raise _fatal(path, "the file is empty (0 bytes)")
    if kind == "cfb":
        if cfb_is_encrypted(path):
            raise _fatal(
                path,
                "the workbook is password-protected (encrypted); open it in Excel, remove the "
                "password (File > Info > Protect Workbook > Encrypt with Password) and save a copy",
            )
        raise _fatal(
            path,
            "this is the old Excel .xls format (Excel 97-2003); open it in Excel or LibreOffice "
            "and save it as .xlsx, or export the sheet as CSV",
        )
    if kind == "pdf" or suffix in (".pdf", ".docx"):
        raise _fatal(
            path,
            f"this is a {'PDF' if kind == 'pdf' else suffix} file, not a spreadsheet; for the "
            "tables of the draft itself use `vlr indicators extract --review ID --pages N-M`",
        )
    if kind == "zip":
        if suffix not in (".xlsx", ".xlsm", ".xltx", ".xltm"):
            raise _fatal(path, f"cannot read {suffix or 'a file without extension'}")
        limit = max_rows()
        try:
            sheets = read_workbook(path, max_rows=limit)
        except XlsxReadError as exc:
            raise _fatal(
                path,
                f"not a readable Excel workbook ({exc}); save it again as .xlsx or export "
                "the sheet as CSV",
            ) from exc
        names = [s.name for s in sheets]
        if sheet is not None:
            sheets = [s for s in sheets if s.name == sheet]
            if not sheets:
                raise DataFileError(
                    f"{path.name}: no sheet {sheet!r}",
                    [
                        Problem(
                            f"no sheet named {sheet!r}",
                            file=path.name,
                            allowed="one of the sheets " + ", ".join(repr(n) for n in names),
                        )
                    ],
                )
        grids = [
            Grid(
                file=path.name,
                sheet=s.name,
                rows=s.rows,
                merged=s.merged,
                rows_read=s.rows_read,
                truncated=s.truncated,
            )
            for s in sheets
        ]
        return grids, "xlsx"
    if kind == "binary" or suffix in (".xls", ".xlsx", ".xlsm"):
        if suffix == ".xls":
            raise _fatal(path, "the old Excel .xls format cannot be read; save it as .xlsx or CSV")
        raise _fatal(path, "not a readable Excel workbook (the bytes are not a workbook)")
    if suffix not in (".csv", ".tsv", ".txt"):
        raise _fatal(path, f"cannot read {suffix or 'a file without extension'}")
    return [_csv_grid(path)], "csv"


def _csv_grid(path: Path) -> Grid:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fatal(
            path,
            f"not UTF-8 text (byte {exc.start}); save the CSV as 'CSV UTF-8'",
            "a CSV file in UTF-8",
        ) from exc
    limit = max_rows()
    best: Grid | None = None
    best_width = -1
    for delimiter in (",", ";", "\t"):
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows: list[tuple[int, list[object]]] = []
        read = 0
        truncated = False
        try:
            for record in reader:
                if read >= limit:
                    truncated = True
                    break
                read += 1
                values: list[object] = [c.strip() or None for c in record]
                while values and values[-1] is None:
                    values.pop()
                if values:
                    rows.append((reader.line_num, values))
        except csv.Error as exc:
            raise _fatal(path, f"line {reader.line_num}: not valid CSV ({exc})") from exc
        grid = Grid(path.name, None, rows, rows_read=read, truncated=truncated)
        if _has_header(grid):
            return grid
        width = max((len(v) for _, v in rows[:50]), default=0)
        if width > best_width:
            best, best_width = grid, width
    assert best is not None
    return best


def _has_header(grid: Grid) -> bool:
    from ..column_mapping import Forced
    from .cells import load_vocabulary
    from .reading import _find_headers

    probe = Grid(grid.file, grid.sheet, grid.rows[:60])
    return bool(_find_headers(probe, load_vocabulary(), Forced()))


# --------------------------------------------------------------------------- drafts


def parse_pages(text: str, page_count: int) -> list[int]:
    """Pages named as "26-30", "26,28" or "27" (1-based), checked against the draft."""
    pages: list[int] = []
    allowed = f"page numbers from 1 to {page_count}, as N, N-M or N,M (e.g. 26-30)"
    for part in str(text).replace(" ", "").split(","):
        if not part:
            continue
        try:
            if "-" in part:
                low, high = (int(x) for x in part.split("-", 1))
            else:
                low = high = int(part)
        except ValueError:
            raise DataFileError(f"pages {text!r}: not page numbers; allowed: {allowed}") from None
        if low < 1 or high > page_count or low > high:
            raise DataFileError(f"pages {text!r}: outside the draft; allowed: {allowed}")
        pages.extend(range(low, high + 1))
    if not pages:
        raise DataFileError(f"no pages given; allowed: {allowed}")
    return sorted(set(pages))


def draft_grids(path: Path, fmt: str, pages: Iterable[int], *, shown: str) -> Grid:
    """The tables on ``pages`` of a stored draft, as one grid (rows keep page and table)."""
    wanted = sorted(set(pages))
    if fmt == "pdf":
        tables = _pdf_tables(path, wanted)
    elif fmt == "docx":
        tables = _docx_tables(path, wanted)
    else:
        raise DataFileError(
            f"{shown}: tables can be read from PDF and Word drafts; this draft is {fmt}. "
            "Import the indicator table from the city's spreadsheet with `vlr indicators import`"
        )
    rows: list[tuple[int, list[object]]] = []
    where: dict[int, tuple[int, int, int]] = {}
    number = 0
    per_page: dict[int, int] = {}
    for page, title, cells in tables:
        per_page[page] = per_page.get(page, 0) + 1
        table_no = per_page[page]
        number += 2  # a blank row between tables, as on a sheet
        if title:
            rows.append((number, [title]))
            where[number] = (page, table_no, 0)
            number += 1
        for k, row in enumerate(cells, start=1):
            number += 1
            rows.append((number, list(row)))
            where[number] = (page, table_no, k)
    return Grid(shown, None, rows, where=where, rows_read=len(rows))


def _pdf_tables(path: Path, pages: list[int]) -> list[tuple[int, str, list[list[object]]]]:
    """(page, heading above, rows) of every ruled table on ``pages`` (pdfplumber)."""
    import pdfplumber

    out: list[tuple[int, str, list[list[object]]]] = []
    try:
        pdf = pdfplumber.open(str(path), pages=pages)
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise DataFileError(f"{path.name}: the PDF cannot be read for tables ({exc})") from exc
    with pdf:
        for page in pdf.pages:
            found = page.find_tables()
            top = 0.0
            for table in found:
                rows = [[_clean(c) for c in row] for row in table.extract()]
                x0, t0, x1, _b = table.bbox
                title = _text_above(page, top, t0)
                top = table.bbox[3]
                out.append((page.page_number, title, rows))
    return out


def _text_above(page: Any, top: float, bottom: float) -> str:
    """The last line of text between ``top`` and a table's top (its heading, if any)."""
    if bottom - top < 2:
        return ""
    try:
        region = page.crop((0, max(0, top), page.width, bottom))
        lines = [ln.strip() for ln in (region.extract_text() or "").splitlines() if ln.strip()]
    except ValueError:
        return ""
    return lines[-1] if lines else ""


def _clean(cell: object) -> object:
    if cell is None:
        return None
    text = " ".join(str(cell).split())
    # A cell's text wrapped after a dash: "15–\n24" and "TB-\nDOTS" are one word.
    text = re.sub(r"(?<=\w)([–-]) (?=\w)", r"\1", text)
    return text or None


def _docx_tables(path: Path, pages: list[int]) -> list[tuple[int, str, list[list[object]]]]:
    """(page, heading above, rows) of every table of a DOCX that starts on ``pages``.

    Pages follow the draft reader's rules (explicit and recorded page breaks).
    A cell spanning several columns repeats its text in each (so a merged
    "Baseline" over "Year | Value" is read as a two-row header).
    """
    import docx
    from docx.text.paragraph import Paragraph

    from ..documents import _W, _page_break_before, _PageState, _walk_runs

    document = docx.Document(str(path))
    state = _PageState()
    wanted = set(pages)
    out: list[tuple[int, str, list[list[object]]]] = []
    last_text = ""
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            para = Paragraph(element, document)
            if _page_break_before(para):
                state.page_break()
            parts: list[str] = []
            _walk_runs(element, state, parts, [])
            text = " ".join("".join(parts).split())
            if text:
                last_text = text
        elif element.tag == f"{_W}tbl":
            start = state.page
            rows: list[list[object]] = []
            for tr in element.iterchildren(f"{_W}tr"):
                row: list[object] = []
                for tc in tr.iterchildren(f"{_W}tc"):
                    chunk: list[str] = []
                    first: list[int] = []
                    for child in tc.iterchildren(f"{_W}p"):
                        piece: list[str] = []
                        _walk_runs(child, state, piece, first)
                        chunk.append("".join(piece))
                    value = " ".join(" ".join(chunk).split()) or None
                    row.extend([value] * _grid_span(tc))
                rows.append(row)
            if start in wanted:
                out.append((start, last_text, rows))
            last_text = ""
    return out


def _grid_span(tc: Any) -> int:
    from ..documents import _W

    props = tc.find(f"{_W}tcPr")
    if props is None:
        return 1
    span = props.find(f"{_W}gridSpan")
    try:
        return max(1, int(span.get(f"{_W}val"))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def read_indicator_file(
    path: Path,
    *,
    sheet: str | None = None,
    table: int | None = None,
    columns: Mapping[str, str] | None = None,
    saved: Mapping[str, str] | None = None,
    framework: Framework | None = None,
) -> Reading:
    """Read an indicator file (.xlsx or .csv, any layout): the indicators and what was understood.

    A file that cannot be read at all (not a spreadsheet, encrypted,
    corrupt) raises :class:`~vlr_tools.errors.DataFileError`; problems of
    the table itself are in ``Reading.problems`` (``Reading.table()``
    raises them all at once).

    >>> reading = read_indicator_file(Path("indicators.xlsx"))  # doctest: +SKIP
    >>> print("\\n".join(reading.lines()))                   # doctest: +SKIP
    """
    path = Path(path)
    grids, kind = file_grids(path, sheet)
    return read_grids(
        grids,
        origin=kind,
        file=path.name,
        table=table,
        columns=columns,
        saved=saved,
        framework=framework,
    )


def read_draft_tables(
    path: Path,
    fmt: str,
    pages: Iterable[int],
    *,
    shown: str,
    table: int | None = None,
    columns: Mapping[str, str] | None = None,
    saved: Mapping[str, str] | None = None,
    framework: Framework | None = None,
) -> Reading:
    """Read the indicator table(s) on ``pages`` of a draft (PDF or DOCX) through the same reader."""
    grid = draft_grids(path, fmt, pages, shown=shown)
    reading = read_grids(
        [grid],
        origin=fmt,
        file=shown,
        table=table,
        columns=columns,
        saved=saved,
        framework=framework,
    )
    if not grid.rows:
        reading.problems[:] = [
            Problem(
                f"no table found on pages {_pages_text(pages)} of the draft",
                file=shown,
                allowed="the pages of the draft's indicator annex (a table with ruled lines "
                "in a PDF, a Word table in a DOCX); `vlr draft get` writes the draft out to look",
            )
        ]
    return reading


def _pages_text(pages: Iterable[int]) -> str:
    from ..documents import _page_list

    return _page_list(sorted(set(pages)))


__all__ = [
    "DEFAULT_MAX_ROWS",
    "draft_grids",
    "file_grids",
    "max_rows",
    "parse_pages",
    "read_draft_tables",
    "read_indicator_file",
]
