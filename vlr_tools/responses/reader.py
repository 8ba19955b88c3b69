"""Read a city's returned response sheet back into its review.

``vlr recommendations import FILE --review ID`` checks the whole sheet first
and lists every problem with its sheet, row and column:

- a file that is not the workbench's response sheet, or is one of another
  review, or of an export this review does not know;
- headings changed or columns moved;
- rows added (no id, or an id the sheet did not list), deleted (an id
  missing) or listed twice;
- a locked cell (id, criterion, priority, recommendation, pages) edited;
- a formula anywhere the city types;
- a response that is not one of the list, or no response at all;
- a date that is not a date ("next year");
- nobody named as having sent it.

Nothing is stored while any problem is left, unless the reviewer asks to keep
the rows that are fine (``accept_valid``); problems with the sheet as a
whole (another review, changed headings, no sender) are never accepted.
Each stored answer records who sent it, when, from which file and export.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .._shared import clip
from ..errors import Problem, ResponseSheetError
from .model import RESPONSE_KIND, SHEET_KIND, CityResponse, parse_response, response_labels
from .sheet import COLUMNS, LOCKED, META_FORMAT, META_SHEET

_ISO_LIKE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
#: Excel day numbers of 2000-01-01 and 2100-12-31: a bare number in this range is a date.
_SERIAL_RANGE = (36526, 73415)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Longest text a city may type in one cell (Excel's own limit is 32,767).
MAX_TEXT = 4000


@dataclass(frozen=True)
class ImportResult:
    """What an import stored, and the problems of the rows it left out (``accept_valid``)."""

    review_id: str
    sheet_id: str
    file: str
    sent_by: str
    sent_on: dt.date
    stored: tuple[CityResponse, ...]
    skipped: tuple[Problem, ...] = ()


@dataclass
class _Read:
    """A sheet as read: valid answers, and problems by whether they sink the whole sheet."""

    sheet_id: str = ""
    sheet_name: str = ""
    sent_by: str = ""
    sent_on: dt.date | None = None
    answers: list[CityResponse] = field(default_factory=list)
    fatal: list[Problem] = field(default_factory=list)
    rows: list[Problem] = field(default_factory=list)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _CONTROL.sub("", str(value)).strip()


def _norm(value: object) -> str:
    return " ".join(_text(value).split())


def _is_formula(cell: Any) -> bool:
    # Text that merely starts with "=" (a reviewer's own words, written as text) is text.
    return bool(cell.data_type == "f")


def parse_date(value: object) -> dt.date | None:
    """A date from a cell: a date, an Excel day number, or text such as 2026-03-31.

    Raises ValueError for anything else ("next year", 31/03/2026: the order of
    day and month is ambiguous)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValueError("a number, not a date")
    match = _ISO_LIKE.match(str(value))
    if match:
        year, month, day = (int(x) for x in match.groups())
        return dt.date(year, month, day)  # ValueError for 2026-02-30
    raise ValueError("not a date")


def _open(path: Path, name: str) -> Any:
    from openpyxl import load_workbook

    if not path.is_file():
        raise ResponseSheetError(f"{name}: no such file")
    if not zipfile.is_zipfile(path):
        raise ResponseSheetError(
            f"{name}: not an Excel workbook (.xlsx); save the response sheet as .xlsx and "
            "import it again"
        )
    try:
        return load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ResponseSheetError(f"{name}: cannot be read as an Excel workbook ({exc})") from exc


def _meta(book: Any, name: str) -> dict[str, str]:
    if META_SHEET not in book.sheetnames:
        raise ResponseSheetError(
            f"{name}: not a response sheet made by the workbench (it has no hidden "
            f"'{META_SHEET}' sheet). Export one with `vlr recommendations export --review ID "
            "FILE.xlsx`, send it to the city, and import the file it returns"
        )
    meta = {
        _text(row[0]): _text(row[1])
        for row in book[META_SHEET].iter_rows(min_col=1, max_col=2, values_only=True)
        if row and row[0]
    }
    if meta.get("format") != META_FORMAT:
        raise ResponseSheetError(f"{name}: the '{META_SHEET}' sheet is not a response sheet's")
    return meta


def read_sheet(
    ws: Any,
    review_id: str,
    path: str | Path,
    *,
    sent_by: str | None = None,
    sent_on: dt.date | None = None,
) -> _Read:
    """Check a returned sheet against the export it came from; every problem is collected."""
    path = Path(path)
    name = path.name
    review = ws.review(review_id)
    book = _open(path, name)
    meta = _meta(book, name)
    found = meta.get("review_id", "")
    if found != review_id:
        other = f"{meta.get('city', '?')} draft {meta.get('version', '?')}"
        raise ResponseSheetError(
            f"{name}: this response sheet belongs to review {found} ({other}), not to review "
            f"{review_id} ({review.city} draft {review.version}); import it with "
            f"--review {found}"
        )
    out = _Read(sheet_id=meta.get("sheet_id", ""))
    export = ws.get(review_id, SHEET_KIND, out.sheet_id) if out.sheet_id else None
    if export is None:
        raise ResponseSheetError(
            f"{name}: review {review_id} has no record of exporting sheet "
            f"{out.sheet_id or '(no id)'}; was it exported from another workspace? Export a new "
            "sheet from this one"
        )
    sheet_name = meta.get("sheet") or ""
    if sheet_name not in book.sheetnames:
        raise ResponseSheetError(
            f"{name}: the sheet '{sheet_name}' is missing (found: {', '.join(book.sheetnames)}); "
            "it holds the responses and must keep its name"
        )
    out.sheet_name = sheet_name
    sheet = book[sheet_name]
    header_row = int(meta.get("header_row") or 6)
    first_row = int(meta.get("first_row") or header_row + 1)
    expected_headers = list(export.data.get("headers") or [])
    keys = [k for k, _ in COLUMNS]

    def where(row: int | None, col: int | None = None) -> dict[str, Any]:
        column = None
        if col is not None:
            from openpyxl.utils import get_column_letter

            column = f"{get_column_letter(col)} ({expected_headers[col - 1]})"
        return {"file": name, "sheet": sheet_name, "row": row, "column": column}

    for col, label in enumerate(expected_headers, start=1):
        got = _norm(sheet.cell(row=header_row, column=col).value)
        if got != _norm(label):
            out.fatal.append(
                Problem(
                    "the column headings were changed or columns moved; the columns must stay "
                    "as exported",
                    value=got,
                    allowed=label,
                    **where(header_row, col),
                )
            )
    if out.fatal:
        return out

    # Who sent the sheet, and when: the cells at the top, unless the reviewer says.
    who_cell = meta.get("filled_by_cell") or "D3"
    date_cell = meta.get("date_cell") or "D4"
    out.sent_by = _text(sent_by) or _text(sheet[who_cell].value)
    if not out.sent_by:
        out.fatal.append(
            Problem(
                f"nobody is named as having filled in the sheet: fill in cell {who_cell} or "
                "pass --sent-by NAME",
                file=name,
                sheet=sheet_name,
            )
        )
    out.sent_on = sent_on
    if out.sent_on is None:
        try:
            out.sent_on = parse_date(sheet[date_cell].value)
        except ValueError:
            out.fatal.append(
                Problem(
                    f"cell {date_cell} (date sent) is not a date, or pass --received DATE",
                    file=name,
                    sheet=sheet_name,
                    value=_text(sheet[date_cell].value),
                    allowed="a date such as 2026-03-31",
                )
            )

    exported = {str(r["id"]): r for r in export.data.get("rows") or []}
    seen: dict[str, int] = {}
    allowed_responses = ", ".join(response_labels(str(export.data.get("lang") or "en")))
    for row in range(first_row, max(sheet.max_row, first_row) + 1):
        cells = [sheet.cell(row=row, column=col) for col in range(1, len(keys) + 1)]
        if all(_text(c.value) == "" for c in cells):
            continue
        problems: list[Problem] = []
        for col, cell in enumerate(cells, start=1):
            if _is_formula(cell):
                problems.append(
                    Problem(
                        "a formula is not allowed; type the value itself",
                        value=_text(cell.value),
                        **where(row, col),
                    )
                )
        rid = _text(cells[0].value)
        sent = exported.get(rid)
        if not rid:
            problems.append(
                Problem(
                    "a row was added: it has no recommendation ID; answer only the rows "
                    "the sheet lists",
                    **where(row, 1),
                )
            )
        elif sent is None:
            problems.append(
                Problem(
                    "unknown recommendation ID (a row was added or an ID changed)",
                    value=rid,
                    allowed=_some(list(exported)),
                    **where(row, 1),
                )
            )
        elif rid in seen:
            problems.append(
                Problem(
                    f"recommendation {rid} is listed twice (also row {seen[rid]})",
                    **where(row, 1),
                )
            )
        if sent is not None and rid not in seen:
            seen[rid] = row
            for col, key in enumerate(keys, start=1):
                if (
                    key in LOCKED
                    and key != "id"
                    and _norm(cells[col - 1].value) != _norm(sent[key])
                ):
                    problems.append(
                        Problem(
                            "a locked cell was changed; it must stay as exported: "
                            f"{clip(str(sent[key]), 90)!r}",
                            value=clip(_text(cells[col - 1].value), 90),
                            **where(row, col),
                        )
                    )
        values = {key: cells[n].value for n, key in enumerate(keys)}
        response = parse_response(values["response"]) if _text(values["response"]) else None
        if not _text(values["response"]):
            problems.append(
                Problem("no response chosen", allowed=allowed_responses, **where(row, 6))
            )
        elif response is None:
            problems.append(
                Problem(
                    "not one of the responses",
                    value=_text(values["response"]),
                    allowed=allowed_responses,
                    **where(row, 6),
                )
            )
        target: dt.date | None = None
        try:
            target = parse_date(values["target_date"])
        except ValueError as exc:
            col = 1 + keys.index("target_date")
            problems.append(
                Problem(
                    f"the target date is {exc}",
                    value=_text(values["target_date"]),
                    allowed="a date such as 2026-03-31",
                    **where(row, col),
                )
            )
        for key in ("action", "office", "comment"):
            if len(_text(values[key])) > MAX_TEXT:
                problems.append(
                    Problem(
                        f"more than {MAX_TEXT} characters; shorten it or send the details apart",
                        **where(row, 1 + keys.index(key)),
                    )
                )
        if problems:
            out.rows.extend(problems)
            continue
        assert sent is not None and response is not None
        out.answers.append(
            CityResponse(
                recommendation_id=rid,
                criterion_id=str(sent.get("criterion_id") or rid.rsplit("-", 1)[-1]),
                response=response,
                planned_action=_text(values["action"]),
                office=_text(values["office"]),
                target_date=target,
                comment=_text(values["comment"]),
                recommendation=str(sent.get("recommendation") or ""),
                file=name,
                sheet_id=out.sheet_id,
            )
        )
    for rid in exported:
        if rid not in seen:
            out.rows.append(
                Problem(
                    f"the row of recommendation {rid} is missing (deleted?); every row the "
                    "sheet listed must stay",
                    file=name,
                    sheet=sheet_name,
                )
            )
    return out


def _some(ids: list[str], n: int = 6) -> str:
    return ", ".join(ids[:n]) + (f" and {len(ids) - n} more" if len(ids) > n else "")


def import_responses(
    ws: Any,
    review_id: str,
    path: str | Path,
    *,
    sent_by: str | None = None,
    received: dt.date | None = None,
    accept_valid: bool = False,
    reviewer: str | None = None,
) -> ImportResult:
    """Check a city's returned response sheet and store its answers in ``review_id``.

    ``sent_by`` and ``received`` override the sheet's "filled in by" and
    "date sent" cells. Raises :class:`ResponseSheetError` listing every
    problem, and stores nothing, unless ``accept_valid`` keeps the rows that
    are fine (their problems come back in ``skipped``).

    >>> import_responses(ws, review.id, "santa-rosa-response.xlsx")  # doctest: +SKIP
    """
    path = Path(path)
    read = read_sheet(ws, review_id, path, sent_by=sent_by, sent_on=received)
    name = path.name
    if read.fatal:
        raise ResponseSheetError(f"{name}: nothing stored; the sheet has problems", read.fatal)
    if read.rows and not accept_valid:
        raise ResponseSheetError(
            f"{name}: nothing stored; fix these and import again, or pass --accept-valid to "
            f"store the {len(read.answers)} row(s) without problems",
            read.rows,
        )
    sent_on = read.sent_on or dt.date.today()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    answers = [replace(a, sent_by=read.sent_by, sent_on=sent_on) for a in read.answers]
    if answers:
        ws.put_many(
            review_id,
            RESPONSE_KIND,
            [(a.criterion_id, a.data() | {"sha256": digest}) for a in answers],
            reviewer=reviewer,
        )
    stored = tuple(
        CityResponse.from_record(ws.get(review_id, RESPONSE_KIND, a.criterion_id)) for a in answers
    )
    return ImportResult(
        review_id=review_id,
        sheet_id=read.sheet_id,
        file=name,
        sent_by=read.sent_by,
        sent_on=sent_on,
        stored=stored,
        skipped=tuple(read.rows),
    )
