"""Import a consultation log kept as a city office keeps it (XLSX or CSV).

The header row is found by matching known headings (English and Filipino,
see ``log_columns.yaml``), not by position, so a merged title row, a
two-row header or re-ordered columns do not matter. Every sheet with a
recognisable header is read: consultation tables and participant tables
(sign-in sheets). Validation collects EVERY problem, each with file, sheet,
spreadsheet row, column (the header as written), the value and what is
allowed. No row is dropped silently: a row is valid, rejected (with its
problems) or skipped with a warning that says why.

>>> result = read_consultation_log("consultations.xlsx")   # doctest: +SKIP
>>> result.ok, len(result.consultations), len(result.problems)  # doctest: +SKIP
>>> result.write_rejects("to-fix.xlsx")                   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._shared import collector_paused
from ..column_mapping import (
    HEADING,
    IGNORE,
    NOT_RECOGNISED,
    ColumnUse,
    Forced,
    forced_headings,
    mapping_used,
)
from ..errors import ConsultationLogError, Problem
from ..stakeholders import Stakeholders, get_stakeholders, normalise_text
from ..workbook import (
    CellError,
    Formula,
    SheetData,
    XlsxReadError,
    cfb_is_encrypted,
    column_letter,
    read_workbook,
    sniff,
)
from .model import Consultation, Participant, consultation_id, participant_id
from .parsing import (
    DATE_FORMS,
    SDG_ALLOWED,
    date_writing,
    parse_count,
    parse_date,
    parse_flag,
    parse_groups,
    parse_sdgs,
)
from .report import DateOrder, LogTableFound, label, understood_dict, understood_lines
from .vocab import (
    REQUIRED_COLUMNS,
    TABLES,
    ColumnMatcher,
    Engagement,
    get_columns,
    get_engagement,
)

_TOTAL_WORDS = frozenset(
    ["total", "totals", "grand total", "sub total", "subtotal", "kabuuan", "total kabuuan"]
)
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
#: How many rows from the top of a sheet are searched for the header row.
HEADER_SEARCH_ROWS = 30
MIN_HEADER_MATCHES = 3

CONSULTATION_TEXT = (
    "ref", "title", "venue", "organiser", "contact_person", "language", "accessibility",
    "issues", "response", "consent", "evidence", "notes",
)  # fmt: skip
COUNT_FIELDS = ("total", "male", "female", "youth", "seniors")
PARTICIPANT_TEXT = (
    "ref", "consultation", "name", "organisation", "barangay", "address", "phone", "email",
    "contact", "signature", "notes",
)  # fmt: skip


@dataclass(frozen=True)
class RejectedRow:
    """A row that could not be imported, with its cells as written and its problems."""

    table: str  # "consultations" | "participants"
    sheet: str | None
    row: int
    headers: tuple[str, ...]
    values: tuple[object, ...]
    problems: tuple[Problem, ...]


@dataclass
class ImportResult:
    """What an import found: valid records, problems, warnings and rejected rows.

    ``problems`` are errors: each belongs to a rejected row (or the whole
    file). ``warnings`` did not stop a row (a formula kept as text, a
    non-UTF-8 CSV, an unrecognised column, a skipped note row).
    """

    path: Path
    consultations: tuple[Consultation, ...] = ()
    participants: tuple[Participant, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    rejected: tuple[RejectedRow, ...] = ()
    rows_read: int = 0
    skipped: int = 0
    tables: tuple[str, ...] = field(default=())
    #: What was understood: the tables and their columns, sheets not read, the date rule.
    found: tuple[LogTableFound, ...] = ()
    not_read: tuple[tuple[str | None, str, dict[str, Any]], ...] = ()
    date_order: DateOrder | None = None
    sheets_read: int = 0
    #: Column name -> heading(s) as written (what ``columns=`` / ``--columns`` takes).
    mapping: dict[str, str] = field(default_factory=dict)
    #: The review whose saved column mapping was used ("" for none).
    saved_from: str = ""
    #: Warnings the report already says in its own words (skipped rows, the date rule).
    said: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every row was valid."""
        return not self.problems

    def summary(self) -> str:
        """One line for a reviewer: counts of records, rejected rows, problems."""
        return (
            f"{self.path.name}: {len(self.consultations)} consultation(s) and "
            f"{len(self.participants)} participant(s) valid; {len(self.rejected)} row(s) rejected "
            f"with {len(self.problems)} problem(s); {len(self.warnings)} warning(s)"
        )

    def lines(
        self, lang: str = "en", *, details: bool = False, limit: int = 8, warnings: bool = True
    ) -> list[str]:
        """The "what I understood" report for a reviewer, in ``lang`` (en or ja)."""
        return understood_lines(self, lang, details=details, limit=limit, warnings=warnings)

    def understood(self) -> dict[str, Any]:
        """What was understood, as JSON-ready data."""
        return understood_dict(self)

    def raise_if_problems(self) -> None:
        """Raise :class:`ConsultationLogError` listing every problem, if any."""
        if self.problems:
            raise ConsultationLogError(
                f"{self.path.name}: {len(self.rejected)} row(s) have problems", self.problems
            )

    def write_rejects(self, path: str | Path) -> Path:
        """Write the rejected rows, as read, plus a "Problem" column to an XLSX to fix.

        One sheet per source sheet/table. Cells are written as text where they
        could run as formulas, so the file is safe to open.
        """
        from .export import write_rejects

        return write_rejects(self, Path(path))


# --------------------------------------------------------------------------- entry points


def read_consultation_log(
    path: str | Path,
    *,
    dayfirst: bool | str | None = None,
    today: dt.date | None = None,
    stakeholders: Stakeholders | None = None,
    columns: Mapping[str, str] | None = None,
    saved: Mapping[str, str] | None = None,
) -> ImportResult:
    """Read and validate a consultation log (.xlsx or .csv).

    ``dayfirst`` resolves dates such as 03/04/2024: True (day first), False
    (month first), None (report them as ambiguous) or "auto" (follow the
    unambiguous slashed dates of the same file, e.g. 11/28/2024, if they all
    agree; the choice is reported as a warning). ``columns`` is the
    reviewer's column mapping (``{"Date": "Petsa ng pulong"}``: a field's
    name or column name -> the heading as written, ``ignore`` to leave a
    column out), ``saved`` one saved with the city's last log (used when
    ``columns`` is not given). Raises :class:`ConsultationLogError` when the
    file as a whole cannot be read (wrong type, password-protected, empty, no
    header row) or the mapping names an unknown field; row-level problems are
    in the returned result, and :meth:`ImportResult.lines` says what was
    understood.
    """
    path = Path(path)
    if not path.is_file():
        raise ConsultationLogError(f"{path}: file not found")
    matchers = get_columns()
    forced = forced_headings(
        columns,
        saved,
        field_of=lambda name: field_named(name, matchers),
        key=normalise_text,
        file=path.name,
        allowed=_fields_allowed(),
    )
    if forced.problems:
        raise ConsultationLogError(f"{path.name}: the column mapping is not right", forced.problems)
    with collector_paused():
        return _read_log(path, dayfirst, today, stakeholders, forced)


def _read_log(
    path: Path,
    dayfirst: bool | str | None,
    today: dt.date | None,
    stakeholders: Stakeholders | None,
    forced: Forced,
) -> ImportResult:
    sheets, warnings = _read_sheets(path)
    said: list[Problem] = []
    evidence = 0
    if dayfirst == "auto":
        dayfirst, note, evidence = _guess_date_order(sheets)
        if note:
            said.append(Problem(note, file=path.name))
        order = DateOrder.of(dayfirst, "guessed", evidence)
    else:
        order = DateOrder.of(dayfirst if isinstance(dayfirst, bool) else None, "given")
    reader = _LogReader(
        path,
        dayfirst=dayfirst if isinstance(dayfirst, bool) else None,
        today=today or dt.date.today(),
        stakeholders=stakeholders or get_stakeholders(),
        engagement=get_engagement(),
        columns=get_columns(),
        forced=forced,
    )
    reader.warnings.extend(warnings + said)
    reader.said.extend(said)
    result = reader.read(sheets)
    result.date_order = order
    return result


def field_named(name: str, matchers: Mapping[str, ColumnMatcher] | None = None) -> str | None:
    """The log field a reviewer's name means: a field ("pwd_present"), a column name
    ("PWD present", "参加者ID"), or a heading the reader knows ("Petsa")."""
    matchers = matchers or get_columns()
    key = normalise_text(name)
    for table in TABLES:
        for field_name in matchers[table].fields:
            if key == normalise_text(field_name):
                return field_name
    for table in TABLES:
        for field_name in matchers[table].fields:
            if key in {normalise_text(label(table, field_name, lang)) for lang in ("en", "ja")}:
                return field_name
    for table in TABLES:
        found = matchers[table].match(name)
        if found:
            return found
    return None


def _fields_allowed() -> str:
    from ..i18n import t

    matchers = get_columns()
    names = {table: ", ".join(label(table, f) for f in matchers[table].fields) for table in TABLES}
    return t(
        "consultations.understood.columns_allowed",
        "en",
        fields=names["consultations"],
        participants=names["participants"],
    )


def validate_consultation(
    values: dict[str, object],
    *,
    record_id: str | None = None,
    dayfirst: bool | None = None,
    today: dt.date | None = None,
    where: str = "form",
) -> tuple[Consultation | None, list[Problem]]:
    """Validate one consultation given as ``field -> value`` (e.g. from a form).

    Uses the same rules as the importer. Returns the record (None if invalid)
    and the problems; ``Problem.column`` is the field name.
    """
    reader = _LogReader(
        Path(where),
        dayfirst=dayfirst,
        today=today or dt.date.today(),
        stakeholders=get_stakeholders(),
        engagement=get_engagement(),
        columns=get_columns(),
    )
    fields = [f for f in reader.columns["consultations"].fields if f in values]
    table = _Table("consultations", None, 0, [(i, f, f) for i, f in enumerate(fields)], [])
    row = [values[f] for f in fields]
    records, rejected = reader.parse_consultations(table, [(1, row)], single=True)
    problems = [p for r in rejected for p in r.problems]
    if records:
        record = records[0]
        if record_id:
            record = record.replace(record_id=record_id)
        return record.replace(source=""), problems
    return None, problems


# --------------------------------------------------------------------------- files


def _guess_date_order(sheets: list[SheetData]) -> tuple[bool | None, str, int]:
    """Day-first or month-first, judged from typed dates such as 28/11/2024 in the file."""
    pattern = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")
    day_first = month_first = 0
    for sheet in sheets:
        for _, values in sheet.rows:
            for value in values:
                if isinstance(value, str):
                    match = pattern.match(value)
                    if match:
                        a, b = int(match[1]), int(match[2])
                        day_first += a > 12 >= b
                        month_first += b > 12 >= a
    if day_first and not month_first:
        return (
            True,
            f"dates read day first (DD/MM/YYYY), as {day_first} unambiguous date(s) in the file are",
            day_first,
        )
    if month_first and not day_first:
        return (
            False,
            f"dates read month first (MM/DD/YYYY), as {month_first} unambiguous date(s) in the file are",
            month_first,
        )
    return None, "", 0


def _fatal(path: Path, message: str, allowed: str | None = None) -> ConsultationLogError:
    return ConsultationLogError(
        f"{path.name} cannot be read as a consultation log",
        [Problem(message, file=path.name, allowed=allowed)],
    )


def _read_sheets(path: Path) -> tuple[list[SheetData], list[Problem]]:
    kind = sniff(path)
    suffix = path.suffix.lower()
    allowed = "an Excel workbook (.xlsx) or a CSV file (.csv)"
    if kind == "empty":
        raise _fatal(path, "the file is empty (0 bytes)", allowed)
    if kind == "cfb":
        if cfb_is_encrypted(path):
            raise _fatal(
                path,
                "the workbook is password-protected (encrypted); open it in Excel, remove the "
                "password (File > Info > Protect Workbook > Encrypt with Password) and save a copy",
                allowed,
            )
        raise _fatal(
            path,
            "this is an old Excel 97-2003 (.xls) or other OLE file; open it in Excel or "
            "LibreOffice and save it as .xlsx",
            allowed,
        )
    if kind == "pdf":
        raise _fatal(path, "this is a PDF file, not a spreadsheet", allowed)
    if kind == "binary":
        raise _fatal(path, "this is not a spreadsheet (unrecognised binary file)", allowed)
    if kind == "zip":
        try:
            return read_workbook(path), []
        except XlsxReadError as exc:
            raise _fatal(path, f"cannot read the workbook: {exc}", allowed) from exc
    # plain text
    if suffix in EXCEL_SUFFIXES or suffix == ".xls":
        head = path.read_bytes()[:512].lstrip().lower()
        what = "an HTML page" if head.startswith((b"<!doctype html", b"<html")) else "a text file"
        raise _fatal(
            path,
            f"this is {what} named {suffix}, not an Excel workbook; if it is CSV, rename it to .csv",
            allowed,
        )
    return _read_csv(path)


def _decode(path: Path) -> tuple[str, list[Problem]]:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _fatal(
            path,
            f"the CSV is not UTF-8 (bad byte at position {utf8_error.start}) nor Windows-1252; "
            "save it from Excel as 'CSV UTF-8 (Comma delimited)'",
            "a CSV file in UTF-8",
        ) from exc
    warning = Problem(
        "the CSV is not UTF-8; it was read as Windows-1252 (cp1252). Check letters such as "
        "ñ and é; to avoid this, save it from Excel as 'CSV UTF-8 (Comma delimited)'",
        file=path.name,
    )
    return text, [warning]


def _read_csv(path: Path) -> tuple[list[SheetData], list[Problem]]:
    text, warnings = _decode(path)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    rows: list[tuple[int, list[object]]] = []
    for number, record in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        values: list[object] = []
        for cell in record:
            cell = cell.strip()
            # Excel would run these as formulas when the CSV is opened.
            values.append(Formula(cell) if cell.startswith("=") and len(cell) > 1 else cell or None)
        if any(v is not None for v in values):
            rows.append((number, values))
    return [SheetData("", rows)], warnings


# --------------------------------------------------------------------------- tables


@dataclass
class _Table:
    kind: str
    sheet: str | None
    header_row: int
    columns: list[tuple[int, str, str]]  # (index, field, header as written)
    rows: list[tuple[int, list[object]]]
    all_headers: dict[int, str] = field(default_factory=dict)
    #: How each matched column got its field (heading, your mapping, saved mapping).
    how: dict[int, str] = field(default_factory=dict)
    #: Columns the column mapping left out: index -> how.
    ignored: dict[int, str] = field(default_factory=dict)
    header_rows: tuple[int, ...] = ()
    found: LogTableFound | None = None

    def uses(self) -> list[ColumnUse]:
        """Every column of the header and what it became."""
        matched = {i: (f, h) for i, f, h in self.columns}
        out = []
        for i, heading in sorted(self.all_headers.items()):
            if i in matched:
                field_name, heading = matched[i]
                out.append(ColumnUse(i, heading, field_name, self.how.get(i, HEADING)))
            elif i in self.ignored:
                out.append(ColumnUse(i, heading, None, self.ignored[i]))
            else:
                out.append(ColumnUse(i, heading, None, NOT_RECOGNISED))
        return out


def _header_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return ""
    return " ".join(str(value).split())


@dataclass
class _Match:
    columns: list[tuple[int, str, str]]  # (index, field, header as written)
    headers: dict[int, str]  # header text per column index
    own: int  # columns matched on their own text
    how: dict[int, str]
    ignored: dict[int, str]


def _match_row(
    row: list[object], above: list[object] | None, matcher: ColumnMatcher, forced: Forced
) -> _Match:
    """Columns of a candidate header row; ``above`` is a group-header row over it.

    A cell is tried on its own first, then as "group header - cell" (a merged
    "No. of participants" over "Male"). The reviewer's column mapping
    (``forced``) is tried before the known headings.
    """
    width = max(len(row), len(above) if above is not None else 0)
    carried = ""
    group_above: list[str] = []
    if above is not None:
        for i in range(width):
            cell = _header_text(above[i]) if i < len(above) else ""
            carried = cell or carried
            group_above.append(carried)
    columns: list[tuple[int, str, str]] = []
    headers: dict[int, str] = {}
    how: dict[int, str] = {}
    ignored: dict[int, str] = {}
    used: set[str] = set()
    own = 0
    for i in range(width):
        text = _header_text(row[i]) if i < len(row) else ""
        candidates: list[str] = []
        if text:
            candidates.append(text)
        if group_above and group_above[i]:
            above_text = _header_text(above[i]) if above is not None and i < len(above) else ""
            if not text and above_text:
                candidates.append(above_text)  # a header cell of the upper row, nothing below
            elif text and group_above[i] != text:
                candidates.append(f"{group_above[i]} - {text}")
        if not candidates:
            continue
        headers[i] = candidates[0]
        mapped = forced.field_of(*candidates)
        if mapped is not None and mapped[0] == IGNORE:
            headers[i] = mapped[1]
            ignored[i] = forced.how
            continue
        if mapped is not None and mapped[0] in matcher.synonyms and mapped[0] not in used:
            used.add(mapped[0])
            columns.append((i, mapped[0], mapped[1]))
            headers[i] = mapped[1]
            # A saved mapping that names a heading the reader knows anyway changes nothing.
            how[i] = HEADING if matcher.match(mapped[1]) == mapped[0] else forced.how
            own += bool(text)
            continue
        for n, candidate in enumerate(candidates):
            found = matcher.match(candidate)
            if found and found not in used:
                used.add(found)
                columns.append((i, found, candidate))
                headers[i] = candidate
                own += n == 0 and bool(text)
                break
    return _Match(columns, headers, own, how, ignored)


def _find_table(
    sheet: SheetData, matchers: dict[str, ColumnMatcher], forced: Forced
) -> tuple[_Table | None, int]:
    """The best header row of a sheet (kind, columns) and its match score."""
    best: _Table | None = None
    best_score = 0.0
    top = sheet.rows[:HEADER_SEARCH_ROWS]
    name_hint = normalise_text(sheet.name)
    for index, (row_no, values) in enumerate(top):
        above = top[index - 1][1] if index and top[index - 1][0] == row_no - 1 else None
        for kind, matcher in matchers.items():
            for candidate_above in (None, above) if above is not None else (None,):
                match = _match_row(values, candidate_above, matcher, forced)
                if candidate_above is not None and match.own == 0:
                    continue  # a data row under the header, not a second header row
                score = float(len(match.columns))
                if kind == "participants" and any(
                    w in name_hint for w in ("particip", "kalahok", "attend")
                ):
                    score += 0.5
                if kind == "consultations" and "particip" not in name_hint:
                    score += 0.25
                if score > best_score:
                    best_score = score
                    best = _Table(
                        kind,
                        sheet.name or None,
                        row_no,
                        match.columns,
                        [],
                        match.headers,
                        match.how,
                        match.ignored,
                        (row_no - 1, row_no) if candidate_above is not None else (row_no,),
                    )
    if best is None or best_score < MIN_HEADER_MATCHES:
        return None, int(best_score)
    best.rows = [(n, v) for n, v in sheet.rows if n > best.header_row]
    return best, int(best_score)


# --------------------------------------------------------------------------- the reader


class _LogReader:
    def __init__(
        self,
        path: Path,
        *,
        dayfirst: bool | None,
        today: dt.date,
        stakeholders: Stakeholders,
        engagement: Engagement,
        columns: dict[str, ColumnMatcher],
        forced: Forced | None = None,
    ) -> None:
        self.path = path
        self.forced = forced or Forced()
        self.said: list[Problem] = []
        self.file = path.name
        self.dayfirst = dayfirst
        self.today = today
        self.stakeholders = stakeholders
        self.engagement = engagement
        self.columns = columns
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.skipped = 0
        self._headers_by_source: dict[str | None, dict[str, str]] = {}
        # Cells of every valid consultation row, to give back a duplicate as read.
        self._raw_rows: dict[
            tuple[str | None, int], tuple[tuple[str, ...], tuple[object, ...]]
        ] = {}

    # -- helpers ---------------------------------------------------------------
    def _problem(
        self, table: _Table, row: int, header: str | None, message: str, value=None, allowed=None
    ) -> Problem:
        return Problem(
            message,
            file=self.file,
            sheet=table.sheet,
            row=row,
            column=header,
            value=_shown(value),
            allowed=allowed,
        )

    def _column(
        self, table: _Table, rows: Sequence[tuple[int, list[object]]], index: int
    ) -> list[object]:
        return [values[index] if index < len(values) else None for _, values in rows]

    # -- whole file -------------------------------------------------------------
    def read(self, sheets: list[SheetData]) -> ImportResult:
        tables: list[_Table] = []
        fatal: list[Problem] = []
        empty: list[Problem] = []
        not_read: list[tuple[str | None, str, dict[str, Any]]] = []
        for sheet in sheets:
            where: dict[str, Any] = {"file": self.file, "sheet": sheet.name or None}
            if not sheet.rows:
                empty.append(Problem("the sheet is empty", **where))
                not_read.append((sheet.name or None, "empty", {}))
                continue
            table, score = _find_table(sheet, self.columns, self.forced)
            if table is None:
                not_read.append(
                    (sheet.name or None, "no_header", {"rows": HEADER_SEARCH_ROWS, "score": score})
                )
                expected = self.columns["consultations"]
                fatal.append(
                    Problem(
                        "no header row found in the first "
                        f"{HEADER_SEARCH_ROWS} rows (best row matched {score} known heading(s))",
                        allowed="a header row with at least 3 known headings such as "
                        + ", ".join(
                            expected.example_headers(f, 1)
                            for f in ("ref", "date", "venue", "groups", "iap2")
                        ),
                        **where,
                    )
                )
                continue
            missing = [
                f for f in REQUIRED_COLUMNS[table.kind] if f not in {c[1] for c in table.columns}
            ]
            if missing:
                not_read.append(
                    (
                        sheet.name or None,
                        "missing",
                        {
                            "kind": table.kind,
                            "row": table.header_row,
                            "missing": ", ".join(label(table.kind, m) for m in missing),
                        },
                    )
                )
                matcher = self.columns[table.kind]
                fatal.append(
                    Problem(
                        f"the {table.kind} table (header in row {table.header_row}) has no "
                        + " and no ".join(f"'{m}' column" for m in missing),
                        row=table.header_row,
                        allowed="; ".join(f"{m}: {matcher.example_headers(m)}" for m in missing)
                        + '; or name the column: --columns "'
                        + ";".join(f"{label(table.kind, m)}=YOUR HEADING" for m in missing)
                        + '"',
                        **where,
                    )
                )
                continue
            tables.append(table)
        if not tables:
            raise ConsultationLogError(
                f"{self.file}: no consultation table could be read", [*fatal, *empty]
            )
        # Other sheets (instructions, lists, an "About" sheet) are reported, not fatal.
        self.problems.extend(p for p in fatal if "no header row" not in p.message)
        self.warnings.extend(p for p in fatal if "no header row" in p.message)
        self.warnings.extend(empty)
        self.said.extend(empty)
        consultations: list[Consultation] = []
        participants: list[Participant] = []
        rejected: list[RejectedRow] = []
        rows_read = 0
        for table in tables:
            self._warn_unmatched(table)
            rows_read += len(table.rows)
            table.found = LogTableFound(
                table.kind,
                table.sheet,
                table.header_rows or (table.header_row,),
                table.uses(),
                rows=len(table.rows),
            )
        for table in (t for t in tables if t.kind == "consultations"):
            records, bad = self.parse_consultations(table, table.rows)
            consultations.extend(records)
            rejected.extend(bad)
            if not records and not bad:
                # A header alone is a log still to be filled in, not "0 valid": say so.
                place = f"sheet {table.sheet!r}" if table.sheet else "the file"
                self.problems.append(
                    self._problem(
                        table,
                        table.header_row,
                        None,
                        f"{place} has a header but no consultation rows",
                        allowed="one row per consultation under the header "
                        f"(row {table.header_row})",
                    )
                )
        self._check_duplicates(consultations, rejected, "record_id", "Ref. No.")
        known = {c.record_id for c in consultations} | {
            str(r.values[i]).strip()
            for r in rejected
            if r.table == "consultations"
            for i, h in enumerate(r.headers)
            if h and self.columns["consultations"].match(h) == "ref" and r.values[i] is not None
        }
        for table in (t for t in tables if t.kind == "participants"):
            records_p, bad = self.parse_participants(table, known, consultations)
            participants.extend(records_p)
            rejected.extend(bad)
        row_problems = [p for r in rejected for p in r.problems]
        found = [t.found for t in tables if t.found is not None]
        self._count_outcomes(found, consultations, participants, rejected)
        return ImportResult(
            path=self.path,
            consultations=tuple(consultations),
            participants=tuple(participants),
            problems=tuple(self.problems + row_problems),
            warnings=tuple(self.warnings),
            rejected=tuple(sorted(rejected, key=lambda r: (r.sheet or "", r.row))),
            rows_read=rows_read,
            skipped=self.skipped,
            tables=tuple(f"{t.kind}:{t.sheet or ''}" for t in tables),
            found=tuple(found),
            not_read=tuple(not_read),
            sheets_read=len(sheets),
            mapping=mapping_used((c for f in found for c in f.columns), self._label_of),
            said=tuple(self.said),
        )

    def _label_of(self, field_name: str) -> str:
        in_log = field_name in self.columns["consultations"].synonyms
        return label("consultations" if in_log else "participants", field_name)

    @staticmethod
    def _count_outcomes(
        found: list[LogTableFound],
        consultations: list[Consultation],
        participants: list[Participant],
        rejected: list[RejectedRow],
    ) -> None:
        """Valid and rejected rows per table, for the report."""
        by_place: dict[tuple[str, str | None], LogTableFound] = {
            (f.kind, f.sheet): f for f in found
        }
        for records, kind in ((consultations, "consultations"), (participants, "participants")):
            for record in records:
                table = by_place.get((kind, _source_sheet(record.source)))
                if table is not None:
                    table.valid += 1
        for row in rejected:
            table = by_place.get((row.table, row.sheet))
            if table is not None:
                table.rejected += 1

    def _check_duplicates(
        self, records: list[Consultation], rejected: list[RejectedRow], attr: str, label: str
    ) -> None:
        """Reject the second and later rows that share a record id (never merge silently)."""
        first: dict[str, Consultation] = {}
        moved: list[Consultation] = []
        kept: list[Consultation] = []
        for record in records:
            key = getattr(record, attr)
            if key in first:
                moved.append(record)
            else:
                first[key] = record
                kept.append(record)
        records[:] = kept
        for record in moved:
            original = first[record.record_id]
            table_row = _source_row(record.source)
            message = (
                f"same {label} as {original.source or 'another row'}"
                if record.ref
                else f"duplicate of {original.source or 'another row'} (same date, title, venue and groups)"
            )
            problem = Problem(
                message,
                file=self.file,
                sheet=_source_sheet(record.source),
                row=table_row,
                column=self._header_for(record, "ref") if record.ref else None,
                value=record.ref or None,
                allowed="a unique Ref. No. per consultation",
            )
            rejected.append(self._reject_record(record, problem))

    def _header_for(self, record: Consultation, field_name: str) -> str | None:
        return self._headers_by_source.get(_source_sheet(record.source), {}).get(field_name)

    def _reject_record(self, record: Consultation, problem: Problem) -> RejectedRow:
        sheet = _source_sheet(record.source)
        row = _source_row(record.source) or 0
        headers, values = self._raw_rows.get((sheet, row), ((), ()))
        return RejectedRow("consultations", sheet, row, headers, values, (problem,))

    def _warn_unmatched(self, table: _Table) -> None:
        matched = {c[0] for c in table.columns} | set(table.ignored)
        extra = [h for i, h in sorted(table.all_headers.items()) if i not in matched]
        if extra:
            self.warnings.append(
                Problem(
                    "column(s) not recognised and not imported: "
                    + ", ".join(repr(h) for h in extra),
                    file=self.file,
                    sheet=table.sheet,
                    row=table.header_row,
                    allowed="headings listed in data/reference/stakeholders/log_columns.yaml "
                    "(add a synonym there to import such a column)",
                )
            )

    # -- consultations -------------------------------------------------------------
    def parse_consultations(
        self, table: _Table, rows: list[tuple[int, list[object]]], single: bool = False
    ) -> tuple[list[Consultation], list[RejectedRow]]:
        cols = {f: (i, h) for i, f, h in table.columns}
        headers = _row_headers(table)
        self._headers_by_source[table.sheet] = {f: h for f, (i, h) in cols.items()}
        n = len(rows)
        errors: list[list[Problem]] = [[] for _ in range(n)]
        warns: list[list[Problem]] = [[] for _ in range(n)]
        parsed: dict[str, list[Any]] = {}

        def run(field_name: str, parser: Callable[[object], tuple[Any, Any]], default: Any) -> None:
            if field_name not in cols:
                parsed[field_name] = [default] * n
                return
            index, header = cols[field_name]
            cache: dict[tuple[str, object], tuple[Any, Any]] = {}
            out: list[Any] = []
            for k, value in enumerate(self._column(table, rows, index)):
                key = (type(value).__name__, value)
                try:
                    hit = cache[key]
                except KeyError:
                    hit = cache[key] = parser(value)
                except TypeError:  # unhashable: never happens for cell values, but be safe
                    hit = parser(value)
                result, issue = hit
                out.append(result)
                if issue:
                    kind, message, allowed = issue
                    problem = self._problem(table, rows[k][0], header, message, value, allowed)
                    (warns if kind == "warning" else errors)[k].append(problem)
            parsed[field_name] = out

        for name in CONSULTATION_TEXT:
            run(name, self._text, "")
        run("date", self._date, None)
        run("format", self._format, "")
        run("groups", self._groups, ())
        for name in COUNT_FIELDS:
            run(name, self._count, None)
        run("pwd_present", self._flag, None)
        run("ip_present", self._flag, None)
        run("sdgs", self._sdgs, ((), ()))
        run("targets", self._sdgs, ((), ()))
        run("iap2", self._iap2, None)

        records: list[Consultation] = []
        rejected: list[RejectedRow] = []
        writings: Counter[str] | None = None
        written: dict[tuple[str, object], str] = {}
        if "date" in cols and table.found is not None:
            writings = table.found.dates.setdefault(column_letter(cols["date"][0]), Counter())
        for k, (row_no, values) in enumerate(rows):
            row_errors = errors[k]
            get = {f: parsed[f][k] for f in parsed}
            if not single and self._skippable(table, row_no, values, get, "consultations"):
                continue
            if writings is not None:
                raw = values[cols["date"][0]] if cols["date"][0] < len(values) else None
                if raw is not None and not (isinstance(raw, str) and self.engagement.is_blank(raw)):
                    key = (type(raw).__name__, raw)
                    if key not in written:  # a log repeats its dates a lot
                        written[key] = date_writing(raw)
                    writings[written[key]] += 1
            if (
                "date" in cols
                and get["date"] is None
                and not any(p.column == cols["date"][1] for p in row_errors)
            ):
                row_errors.append(
                    self._problem(
                        table, row_no, cols["date"][1], "the date is missing", None, DATE_FORMS
                    )
                )
            if not get["groups"] and not any(
                p.column == cols.get("groups", (0, None))[1] for p in row_errors
            ):
                row_errors.append(
                    self._problem(
                        table,
                        row_no,
                        cols.get("groups", (0, "groups"))[1],
                        "no stakeholder group named",
                        None,
                        self._groups_allowed(),
                    )
                )
            row_errors.extend(self._count_consistency(table, row_no, get, cols))
            goals = tuple(sorted(set(get["sdgs"][0]) | set(get["targets"][0])))
            targets = tuple(dict.fromkeys((*get["sdgs"][1], *get["targets"][1])))
            source = _source(self.file, table.sheet, row_no)
            self.warnings.extend(warns[k])
            if row_errors:
                rejected.append(
                    RejectedRow(
                        "consultations",
                        table.sheet,
                        row_no,
                        headers,
                        tuple(values[: len(headers)])
                        + (None,) * max(0, len(headers) - len(values)),
                        tuple(row_errors),
                    )
                )
                continue
            self._raw_rows[(table.sheet, row_no)] = (headers, tuple(values[: len(headers)]))
            date = get["date"]
            record = Consultation(
                record_id=consultation_id(
                    get["ref"], date, get["title"], get["venue"], get["groups"]
                ),
                date=date,
                ref=get["ref"],
                title=get["title"],
                venue=get["venue"],
                format=get["format"],
                organiser=get["organiser"],
                contact_person=get["contact_person"],
                groups=get["groups"],
                total=get["total"],
                male=get["male"],
                female=get["female"],
                youth=get["youth"],
                seniors=get["seniors"],
                pwd_present=get["pwd_present"],
                ip_present=get["ip_present"],
                language=get["language"],
                accessibility=get["accessibility"],
                sdgs=goals,
                targets=targets,
                issues=get["issues"],
                response=get["response"],
                iap2=get["iap2"],
                consent=get["consent"],
                evidence=get["evidence"],
                notes=get["notes"],
                source=source,
            )
            records.append(record)
        return records, rejected

    def _skippable(
        self, table: _Table, row_no: int, values: list[object], get: dict[str, Any], kind: str
    ) -> bool:
        """Rows that are not records: notes, footers, unused numbered template rows.

        They are skipped with a warning, never silently.
        """
        mapped = {c[0] for c in table.columns}
        filled = [i for i, v in enumerate(values) if v is not None and str(v).strip()]
        filled_mapped = [i for i in filled if i in mapped]
        ref_index = next((i for i, f, _ in table.columns if f == "ref"), None)
        reason = None
        first_text = normalise_text(values[filled[0]]) if filled else ""
        if first_text in _TOTAL_WORDS:
            reason, key = "is a totals row", "totals"
        elif not filled_mapped:
            reason, key = "has values only in unrecognised columns", "unrecognised_only"
        elif ref_index is not None and filled_mapped == [ref_index] and len(filled) == 1:
            value = str(values[ref_index]).strip()
            if len(value) > 25 or " " in value:
                reason, key = "looks like a note, not a record", "note"
            else:
                reason = "has only a reference number (an unused template row?)"
                key = "ref_only"
        elif (
            len(filled) == 1
            and len(str(values[filled[0]])) > 40
            and not isinstance(values[filled[0]], dt.date)
        ):
            reason, key = "looks like a note, not a record", "note"
        if reason is None:
            return False
        self.skipped += 1
        if table.found is not None:
            table.found.skipped.append((row_no, key))
        shown = next((values[i] for i in filled), None)
        warning = Problem(
            f"row skipped: it {reason}",
            file=self.file,
            sheet=table.sheet,
            row=row_no,
            value=_shown(shown),
        )
        self.warnings.append(warning)
        self.said.append(warning)
        return True

    def _count_consistency(
        self, table: _Table, row_no: int, get: dict[str, Any], cols: dict[str, tuple[int, str]]
    ) -> list[Problem]:
        out = []
        male, female, total = get["male"], get["female"], get["total"]
        if total is not None and male is not None and female is not None and male + female > total:
            out.append(
                self._problem(
                    table,
                    row_no,
                    cols["total"][1],
                    f"male + female ({male + female}) is more than the total",
                    total,
                    "a total of at least male + female",
                )
            )
        whole = (
            total
            if total is not None
            else (male + female if male is not None and female is not None else None)
        )
        if whole is not None:
            for name, label in (("youth", "youth"), ("seniors", "senior citizens")):
                if get[name] is not None and get[name] > whole:
                    out.append(
                        self._problem(
                            table,
                            row_no,
                            cols[name][1],
                            f"more {label} ({get[name]}) than participants ({whole})",
                            get[name],
                            f"at most {whole}",
                        )
                    )
        return out

    def _groups_allowed(self) -> str:
        return (
            "stakeholder groups in data/reference/stakeholders/groups.yaml, e.g. Women, Youth, "
            "PWD, Senior citizens, IPs, Fisherfolk, Farmers, Urban poor, NGOs, Business, "
            "Academe, Barangay officials (separate several with ';')"
        )

    # -- parsers returning (value, (severity, message, allowed) | None) ---------------
    def _text(self, value: object) -> tuple[str, Any]:
        if value is None:
            return "", None
        if isinstance(value, Formula):
            return value.text, ("warning", "a formula; kept as text, not calculated", None)
        if isinstance(value, CellError):
            return "", ("error", f"the cell shows the Excel error {value}", "text")
        if isinstance(value, dt.datetime):
            return value.date().isoformat() if value.time() == dt.time() else value.isoformat(
                " "
            ), None
        if isinstance(value, dt.date):
            return value.isoformat(), None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if text.lower().startswith(("javascript:", "data:", "vbscript:")):
            return "", (
                "error",
                "a script link is not allowed",
                "text, a file name or an http(s) link",
            )
        return text, None

    def _date(self, value: object) -> tuple[Any, Any]:
        if (
            value is not None
            and not isinstance(value, dt.date | int | float)
            and self.engagement.is_blank(value)
        ):
            return None, None
        result, error = parse_date(value, dayfirst=self.dayfirst, today=self.today)
        if error:
            return None, ("error", error[0], error[1])
        return result, None

    def _format(self, value: object) -> tuple[str, Any]:
        text, issue = self._text(value)
        if issue or not text:
            return text, issue
        found = self.engagement.formats.resolve(text)
        if found:
            return found, None
        return text, (
            "warning",
            "format not in the list; kept as written",
            self.engagement.formats.allowed(),
        )

    def _groups(self, value: object) -> tuple[tuple[str, ...], Any]:
        if isinstance(value, Formula | CellError):
            return (), (
                "error",
                "a formula or error, not stakeholder groups",
                self._groups_allowed(),
            )
        if value is not None and self.engagement.is_blank(value):
            return (), None
        ids, unknown = parse_groups(value, self.stakeholders)
        if unknown:
            parts = []
            for text, close in unknown:
                parts.append(
                    f"unknown stakeholder group {text!r}"
                    + (f" (closest: {', '.join(close)})" if close else "")
                )
            return (), ("error", "; ".join(parts), self._groups_allowed())
        return ids, None

    def _count(self, value: object) -> tuple[int | None, Any]:
        result, error = parse_count(value, self.engagement)
        return result, (("error", error[0], error[1]) if error else None)

    def _flag(self, value: object) -> tuple[bool | None, Any]:
        result, error = parse_flag(value, self.engagement)
        return result, (("error", error[0], error[1]) if error else None)

    def _sdgs(self, value: object) -> tuple[tuple[tuple[int, ...], tuple[str, ...]], Any]:
        if (
            value is not None
            and not isinstance(value, int | float | Formula)
            and self.engagement.is_blank(value)
        ):
            return ((), ()), None
        goals, targets, bad = parse_sdgs(value)
        if bad:
            return ((), ()), ("error", "unknown SDG code(s): " + ", ".join(bad), SDG_ALLOWED)
        return (goals, targets), None

    def _iap2(self, value: object) -> tuple[str | None, Any]:
        text, issue = self._text(value)
        if issue and issue[0] == "error":
            return None, issue
        if not text or self.engagement.is_blank(text):
            return None, None
        found = self.engagement.iap2_levels.resolve(text)
        if found is None:
            # "Consult (level 2)", "Involve - workshop"
            for word in normalise_text(text).split():
                found = self.engagement.iap2_levels.resolve(word)
                if found:
                    break
        if found is None:
            return None, ("error", "unknown IAP2 level", self.engagement.iap2_levels.allowed())
        return found, None

    # -- participants ------------------------------------------------------------------
    def parse_participants(
        self, table: _Table, known: set[str], consultations: list[Consultation]
    ) -> tuple[list[Participant], list[RejectedRow]]:
        cols = {f: (i, h) for i, f, h in table.columns}
        headers = _row_headers(table)
        rows = table.rows
        if "consultation" not in cols and "ref" in cols and known:
            # A sign-in sheet's "Ref. No." usually names the consultation attended.
            index = cols["ref"][0]
            refs = [
                str(v[index]).strip() for _, v in rows if index < len(v) and v[index] is not None
            ]
            if refs and sum(r in known for r in refs) >= len(refs) / 2:
                cols["consultation"] = cols.pop("ref")
        by_ref = {c.ref.casefold(): c.record_id for c in consultations if c.ref}
        only = consultations[0].record_id if len(consultations) == 1 else ""
        out: list[Participant] = []
        rejected: list[RejectedRow] = []
        seen: dict[str, int] = {}
        cache: dict[tuple[str, str, object], tuple[Any, Any]] = {}

        def cell(values: list[object], name: str) -> object:
            if name not in cols:
                return None
            index = cols[name][0]
            return values[index] if index < len(values) else None

        def parse(
            name: str, parser: Callable[[object], tuple[Any, Any]], value: object
        ) -> tuple[Any, Any]:
            key = (name, type(value).__name__, value)
            if key not in cache:
                cache[key] = parser(value)
            return cache[key]

        for row_no, values in rows:
            problems: list[Problem] = []
            warns: list[Problem] = []
            got: dict[str, Any] = {}
            parsers: dict[str, Callable[[object], tuple[Any, Any]]] = {
                **{name: self._text for name in PARTICIPANT_TEXT},
                "sex": self._sex,
                "age": self._age,
                "group": self._participant_group,
                "pwd": self._flag,
                "ip": self._flag,
                "consent": self._flag,
            }
            for name, parser in parsers.items():
                value = cell(values, name)
                result, issue = parse(name, parser, value)
                got[name] = result
                if issue:
                    severity, message, allowed = issue
                    problem = self._problem(table, row_no, cols[name][1], message, value, allowed)
                    (warns if severity == "warning" else problems).append(problem)
            if self._skippable(table, row_no, values, got, "participants"):
                continue
            if not got["name"] and not any(p.column == cols["name"][1] for p in problems):
                problems.append(
                    self._problem(
                        table,
                        row_no,
                        cols["name"][1],
                        "the name is missing",
                        None,
                        "the participant's name",
                    )
                )
            consultation = got["consultation"]
            if consultation:
                resolved = by_ref.get(consultation.casefold())
                if resolved:
                    consultation = resolved
                elif consultation not in known and known:
                    problems.append(
                        self._problem(
                            table,
                            row_no,
                            cols["consultation"][1],
                            "names no consultation in this log",
                            consultation,
                            "a Ref. No. from the consultations sheet",
                        )
                    )
            elif only:
                consultation = only
            elif consultations:
                header = cols["consultation"][1] if "consultation" in cols else None
                problems.append(
                    self._problem(
                        table,
                        row_no,
                        header,
                        "which consultation the participant attended is not said",
                        None,
                        "a column with the consultation's Ref. No.",
                    )
                )
            self.warnings.extend(warns)
            if problems:
                rejected.append(
                    RejectedRow(
                        "participants",
                        table.sheet,
                        row_no,
                        headers,
                        tuple(values[: len(headers)]),
                        tuple(problems),
                    )
                )
                continue
            pid = participant_id(
                got["ref"],
                consultation,
                got["name"],
                got["phone"] or got["email"] or got["contact"],
            )
            if pid in seen:
                rejected.append(
                    RejectedRow(
                        "participants",
                        table.sheet,
                        row_no,
                        headers,
                        tuple(values[: len(headers)]),
                        (
                            self._problem(
                                table,
                                row_no,
                                cols.get("ref", cols["name"])[1],
                                f"same participant as row {seen[pid]}",
                                got["ref"] or got["name"],
                                "each participant once per consultation",
                            ),
                        ),
                    )
                )
                continue
            seen[pid] = row_no
            out.append(
                Participant(
                    participant_id=pid,
                    consultation=consultation,
                    name=got["name"],
                    sex=got["sex"],
                    age=got["age"],
                    group=got["group"],
                    organisation=got["organisation"],
                    barangay=got["barangay"],
                    address=got["address"],
                    phone=got["phone"],
                    email=got["email"],
                    contact=got["contact"],
                    pwd=got["pwd"],
                    ip=got["ip"],
                    consent=got["consent"],
                    signature=got["signature"],
                    source=_source(self.file, table.sheet, row_no),
                )
            )
        return out, rejected

    def _sex(self, value: object) -> tuple[str | None, Any]:
        text, issue = self._text(value)
        if issue or not text or self.engagement.is_blank(text):
            return None, issue
        found = self.engagement.sexes.resolve(text)
        if found is None:
            return None, ("error", "unknown sex", self.engagement.sexes.allowed())
        return found, None

    def _age(self, value: object) -> tuple[str, Any]:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text, issue = self._text(value)
        if issue or not text or self.engagement.is_blank(text):
            return "", issue
        compact = text.replace(" ", "").replace("–", "-")
        match = re.fullmatch(r"(\d{1,3})(?:-(\d{1,3})|\+)?", compact)
        if not match or int(match[1]) > 120 or (match[2] and int(match[2]) > 120):
            return "", (
                "error",
                "not an age",
                "a whole number of years (0-120) or a band such as 15-30 or 60+",
            )
        return compact, None

    def _participant_group(self, value: object) -> tuple[str | None, Any]:
        ids, issue = self._groups(value)
        return (ids[0] if ids else None), issue


def _row_headers(table: _Table) -> tuple[str, ...]:
    width = max([*table.all_headers.keys(), -1]) + 1
    return tuple(table.all_headers.get(i, "") for i in range(width))


def _source(file: str, sheet: str | None, row: int) -> str:
    return f"{file}, sheet '{sheet}', row {row}" if sheet else f"{file}, row {row}"


def _source_row(source: str) -> int | None:
    try:
        return int(source.rsplit("row ", 1)[1])
    except (IndexError, ValueError):
        return None


def _source_sheet(source: str) -> str | None:
    if "sheet '" not in source:
        return None
    return source.split("sheet '", 1)[1].rsplit("', row", 1)[0]


def _shown(value: object) -> object:
    """A cell value as a Problem shows it: text for formulas and dates."""
    if isinstance(value, Formula | CellError):
        return value.text
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
