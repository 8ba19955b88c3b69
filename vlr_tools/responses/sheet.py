"""Write the response sheet a partner city fills in: one row per recommendation.

``vlr recommendations export --review ID OUT.xlsx --lang ja`` (and ``vlr memo``,
beside the memo) writes an Excel workbook with:

- a **Responses** sheet: the review's recommendations in the memo's order,
  with their id, criterion, priority, text and the draft's pages in grey,
  locked columns; yellow columns for the city (response from a dropdown,
  planned action, responsible office, target date with date validation,
  comment), and at the top who filled it in and when;
- an **Instructions** sheet in the chosen language;
- a very hidden ``_vlr`` sheet naming the review and the sheet's id, so the
  import knows which review and which export a returned file belongs to.

What the sheet listed is also kept in the review (record kind
``response_sheet``), so the import can tell an edited locked cell, an added
or a deleted row from what was sent.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._shared import page_ranges
from ..errors import ResponseSheetError
from ..i18n import check_lang, t
from .model import SHEET_KIND, RecommendationRow, recommendation_rows, response_labels

#: Name of the very hidden sheet that says which review and export a file is.
META_SHEET = "_vlr"
META_FORMAT = "vlr-response-sheet"
META_FORMAT_VERSION = 1
#: Layout of the Responses sheet (1-based rows; the column letters are fixed).
FILLED_BY_CELL = "D3"
DATE_CELL = "D4"
HEADER_ROW = 6
FIRST_ROW = 7
#: Columns: (key, width). The first five are locked, the others the city fills in.
COLUMNS: tuple[tuple[str, float], ...] = (
    ("id", 9),
    ("criterion", 32),
    ("priority", 10),
    ("recommendation", 58),
    ("pages", 12),
    ("response", 18),
    ("action", 40),
    ("office", 22),
    ("target_date", 16),
    ("comment", 36),
)
LOCKED = ("id", "criterion", "priority", "recommendation", "pages")

_BAND = "17375E"
_LOCKED_FILL = "ECEFF3"
_INPUT_FILL = "FFF4C2"
_RULE = "C9D2DC"


@dataclass(frozen=True)
class ExportedSheet:
    """A response sheet written for a review."""

    path: Path
    sheet_id: str
    review_id: str
    lang: str
    rows: tuple[RecommendationRow, ...]


def sheet_filename(city_slug: str, version: str, lang: str) -> str:
    """``santa-rosa-v1-response-sheet-en.xlsx``: the name it has beside the memo."""
    return f"{city_slug}-{version}-response-sheet-{lang}.xlsx"


def pages_text(pages: tuple[int, ...], lang: str) -> str:
    """The pages of the draft cited, as the memo words them (``pp. 3–4`` / ``3–4ページ``)."""
    if not pages:
        return ""
    key = "memo.pages_one" if len(pages) == 1 else "memo.pages_many"
    return t(key, lang, pages=page_ranges(pages))


#: Characters a worksheet cannot hold (XML 1.0 forbids C0 controls but tab, LF, CR).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sheet_text(text: object) -> str:
    """Text as a cell can hold it: control characters (a stray bell in a comment) removed."""
    return _CONTROL.sub("", "" if text is None else str(text))


def locked_values(row: RecommendationRow, lang: str) -> dict[str, str]:
    """The grey, locked cells of one row, exactly as written."""
    return {
        "id": row.id,
        "criterion": sheet_text(f"{row.criterion_id} {row.question}".strip()),
        "priority": t(f"memo.priority.{row.priority}", lang),
        "recommendation": sheet_text(row.text),
        "pages": pages_text(row.pages, lang),
    }


def _put_text(cell: Any, text: str | None) -> None:
    """Write text into a cell as text: one starting with "=" must not become a formula."""
    cell.value = text
    if isinstance(text, str) and text.startswith("="):
        cell.data_type = "s"


def headers(lang: str) -> list[str]:
    return [t(f"responses.col.{key}", lang) for key, _ in COLUMNS]


def export_sheet(
    ws: Any,
    review_id: str,
    path: str | Path,
    *,
    lang: str = "en",
    reviewer: str | None = None,
) -> ExportedSheet:
    """Write the response sheet of ``review_id`` in ``lang`` to ``path`` (an .xlsx file).

    Raises :class:`ResponseSheetError` when the review has no recommendation
    yet. Each export gets a new id and is recorded in the review.

    >>> export_sheet(ws, review.id, "santa-rosa-response.xlsx", lang="ja")  # doctest: +SKIP
    """
    from ..review import open_review
    from ..workspace.model import iso, now

    check_lang(lang)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ResponseSheetError(
            f"{path.name}: a response sheet is an Excel workbook; name it *.xlsx"
        )
    opened = open_review(ws, review_id)
    rows = recommendation_rows(ws, review_id, lang)
    if not rows:
        raise ResponseSheetError(
            f"review {review_id} has no recommendation yet, so there is nothing for the city "
            "to answer; rate criteria with a recommendation first (vlr checklist rate ... "
            "--recommendation TEXT)"
        )
    sheet_id = uuid.uuid4().hex[:12]
    exported_at = iso(now())
    book = _workbook(opened, rows, lang, sheet_id, exported_at)
    ws.put(
        review_id,
        SHEET_KIND,
        sheet_id,
        {
            "sheet_id": sheet_id,
            "lang": lang,
            "file": path.name,
            "exported_at": exported_at,
            "version": opened.version,
            "headers": headers(lang),
            "rows": [locked_values(r, lang) | {"criterion_id": r.criterion_id} for r in rows],
        },
        # Writing a memo needs no reviewer's name; the history then says the
        # workbench recorded the sheet it wrote beside it.
        reviewer=reviewer or ws.reviewer or "vlr (response sheet export)",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: a half-written workbook never
    # replaces a complete one.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        book.save(tmp)
        # mkstemp makes the file readable by its owner only; the sheet is a
        # document to share, like the memo beside it.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return ExportedSheet(path, sheet_id, review_id, lang, tuple(rows))


def _lines(text: str, width_chars: float) -> int:
    """About how many lines ``text`` takes in a wrapped cell of ``width_chars``."""
    total = 0
    for line in str(text).splitlines() or [""]:
        wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)
        total += max(1, math.ceil(wide / max(width_chars - 1, 1)))
    return total


def _workbook(
    opened: Any, rows: list[RecommendationRow], lang: str, sheet_id: str, when: str
) -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = t("responses.sheet.responses", lang)
    city, version = opened.city_name, opened.version
    thin = Side(style="thin", color=_RULE)
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    locked_fill = PatternFill("solid", fgColor=_LOCKED_FILL)
    input_fill = PatternFill("solid", fgColor=_INPUT_FILL)
    open_cell = Protection(locked=False)

    sheet["A1"] = t("responses.title", lang, city=city, version=version)
    sheet["A1"].font = Font(size=14, bold=True, color=_BAND)
    today = dt.date.today().isoformat()
    sheet["A2"] = t("responses.subtitle", lang, review=opened.id, date=today)
    sheet["A2"].font = Font(italic=True, color="4A5561")
    for cell, label in ((FILLED_BY_CELL, "filled_by"), (DATE_CELL, "date_sent")):
        row = sheet[cell].row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        sheet.cell(row=row, column=1, value=t(f"responses.{label}", lang)).font = Font(bold=True)
        target = sheet[cell]
        target.fill, target.border, target.protection = input_fill, box, open_cell
    sheet[DATE_CELL].number_format = "yyyy-mm-dd"
    if opened.illustrative:
        sheet.cell(
            row=HEADER_ROW - 1, column=1, value=t("responses.illustrative", lang)
        ).font = Font(bold=True, color="4D3800")

    for n, (label, (_key, width)) in enumerate(zip(headers(lang), COLUMNS, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=n, value=label)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_BAND)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = box
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 32

    for offset, rec in enumerate(rows):
        r = FIRST_ROW + offset
        values = locked_values(rec, lang)
        height = 1
        for n, (key, width) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=r, column=n)
            _put_text(cell, values.get(key))
            cell.alignment, cell.border = wrap, box
            if key in LOCKED:
                cell.fill = locked_fill
                height = max(height, _lines(values[key], width))
            else:
                cell.fill, cell.protection = input_fill, open_cell
            if key == "target_date":
                cell.number_format = "yyyy-mm-dd"
        sheet.row_dimensions[r].height = min(15 * height + 4, 400)
    last = FIRST_ROW + len(rows) - 1

    choices = response_labels(lang)
    listed = ", ".join(choices)
    response_col = get_column_letter(1 + [k for k, _ in COLUMNS].index("response"))
    date_col = get_column_letter(1 + [k for k, _ in COLUMNS].index("target_date"))
    pick = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=t("responses.validation.response_title", lang),
        error=t("responses.validation.response_error", lang, choices=listed),
        promptTitle=t("responses.validation.response_title", lang),
        prompt=t("responses.validation.response_prompt", lang, choices=listed),
    )
    pick.add(f"{response_col}{FIRST_ROW}:{response_col}{last}")
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="DATE(2000,1,1)",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=t("responses.validation.date_title", lang),
        error=t("responses.validation.date_error", lang),
        promptTitle=t("responses.validation.date_title", lang),
        prompt=t("responses.validation.date_prompt", lang),
    )
    dates.add(f"{date_col}{FIRST_ROW}:{date_col}{last}")
    dates.add(DATE_CELL)
    sheet.add_data_validation(pick)
    sheet.add_data_validation(dates)

    sheet.freeze_panes = f"A{FIRST_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # Locked cells stay as sent; columns and rows may still be resized.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False

    _instructions(book, opened, lang)
    _meta(book, opened, lang, sheet_id, when, sheet.title)
    book.properties.title = t("responses.title", lang, city=city, version=version)
    book.properties.creator = "VLR Review Workbench"
    book.properties.language = "ja-JP" if lang == "ja" else "en-GB"
    book.active = 0
    return book


def _instructions(book: Any, opened: Any, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    from .model import response_kinds

    sheet = book.create_sheet(t("responses.sheet.instructions", lang))
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 90
    sheet["A1"] = t("responses.instructions.title", lang)
    sheet["A1"].font = Font(size=14, bold=True, color=_BAND)
    choices = "、".join(response_labels(lang)) if lang == "ja" else ", ".join(response_labels(lang))
    row = 3
    for n in range(1, 7):
        text = t(
            f"responses.instructions.{n}",
            lang,
            city=opened.city_name,
            version=opened.version,
            choices=choices,
        )
        sheet.cell(row=row, column=1, value=f"{n}.").alignment = Alignment(vertical="top")
        cell = sheet.cell(row=row, column=2, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 15 * _lines(text, 90) + 4
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value=t("responses.instructions.choices", lang)).font = Font(
        bold=True
    )
    for kind in response_kinds():
        row += 1
        sheet.cell(row=row, column=1, value=kind.label(lang)).font = Font(bold=True)
        cell = sheet.cell(row=row, column=2, value=t(f"responses.meaning.{kind.id}", lang))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if opened.illustrative:
        row += 2
        sheet.cell(row=row, column=1, value=t("responses.illustrative", lang)).font = Font(
            bold=True, color="4D3800"
        )
    sheet.protection.sheet = True


def _meta(book: Any, opened: Any, lang: str, sheet_id: str, when: str, responses: str) -> None:
    sheet = book.create_sheet(META_SHEET)
    for key, value in (
        ("format", META_FORMAT),
        ("format_version", META_FORMAT_VERSION),
        ("review_id", opened.id),
        ("city", opened.slug),
        ("version", opened.version),
        ("sheet_id", sheet_id),
        ("lang", lang),
        ("exported_at", when),
        ("sheet", responses),
        ("filled_by_cell", FILLED_BY_CELL),
        ("date_cell", DATE_CELL),
        ("header_row", HEADER_ROW),
        ("first_row", FIRST_ROW),
    ):
        sheet.append([key, value])
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def response_sheet_name(ws: Any, review_id: str, lang: str = "en") -> str | None:
    """The file name the review's response sheet has beside the memo, or None when the
    review has no recommendation to answer (then no sheet goes with the memo)."""
    review = ws.review(review_id)
    if not recommendation_rows(ws, review_id, lang):
        return None
    return sheet_filename(review.city, review.version, lang)


def write_response_sheet(
    ws: Any, review_id: str, folder: str | Path, lang: str = "en"
) -> ExportedSheet | None:
    """Write the review's response sheet into ``folder`` (where its memo goes), named
    by :func:`sheet_filename`; None when the review has no recommendation yet.

    >>> write_response_sheet(ws, review.id, "exports/santa-rosa", "ja")  # doctest: +SKIP
    """
    name = response_sheet_name(ws, review_id, lang)
    if name is None:
        return None
    return export_sheet(ws, review_id, Path(folder) / name, lang=lang)
