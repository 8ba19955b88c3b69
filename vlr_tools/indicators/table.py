"""Read a city's indicator sheet (.xlsx or .csv) into checked, frozen records."""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataFileError, Problem, UnknownCodeError
from ..framework import Framework, get_framework, normalise_code

if TYPE_CHECKING:
    import pandas as pd


#: The columns of the indicator sheet, in the order cities are asked to use.
COLUMNS: tuple[str, ...] = (
    "ID",
    "Local indicator",
    "Definition",
    "Unit",
    "SDG goal",
    "Global indicator code",
    "Baseline year",
    "Baseline value",
    "Latest year",
    "Latest value",
    "2030 target",
    "Data source",
    "Disaggregation",
    "Notes",
)
#: Columns without which the sheet cannot be read; the others may be left out.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "ID",
    "Local indicator",
    "SDG goal",
    "Global indicator code",
    "Baseline year",
    "Baseline value",
    "Latest year",
    "Latest value",
    "Data source",
)
#: Other spellings of a column seen in city workbooks (lower-case, single spaces).
_ALIASES: dict[str, str] = {
    "indicator id": "ID",
    "no.": "ID",
    "local indicator name": "Local indicator",
    "indicator": "Local indicator",
    "indicator name": "Local indicator",
    "sdg": "SDG goal",
    "goal": "SDG goal",
    "sdg goal no.": "SDG goal",
    "global indicator": "Global indicator code",
    "sdg indicator code": "Global indicator code",
    "global code": "Global indicator code",
    "target 2030": "2030 target",
    "target (2030)": "2030 target",
    "source": "Data source",
    "data sources": "Data source",
    "disaggregated by": "Disaggregation",
    "remarks": "Notes",
}
_FIELDS: dict[str, str] = {
    "ID": "id",
    "Local indicator": "name",
    "Definition": "definition",
    "Unit": "unit",
    "SDG goal": "goal",
    "Global indicator code": "global_codes",
    "Baseline year": "baseline_year",
    "Baseline value": "baseline_value",
    "Latest year": "latest_year",
    "Latest value": "latest_value",
    "2030 target": "target_2030",
    "Data source": "source",
    "Disaggregation": "disaggregation",
    "Notes": "notes",
}
#: The sheet read from a workbook unless another is named.
SHEET = "Indicators"
#: How many rows above the header may hold titles, logos' alt text, notes...
HEADER_SEARCH_ROWS = 30
#: Years a baseline or latest value may carry.
FIRST_YEAR = 1990
#: Cell text that means "no value" (a data gap, not an error).
_BLANKS = frozenset({"", "-", "–", "—", "n/a", "na", "n.a.", "none", "nil", "tbd", "..", "…"})
#: Disaggregation text that means "not disaggregated".
_NO_DISAGGREGATION = frozenset({"none", "no", "not disaggregated", "n/a", "na", "-", "—", "–"})


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class LocalIndicator:
    """One row of a city's indicator sheet.

    ``global_codes`` holds the global indicator code(s) given (empty for a
    local proxy); values are floats, years ints, and a blank cell is None.
    ``row`` is the spreadsheet row (or CSV line) the record came from.
    """

    id: str
    name: str
    goal: int | None
    definition: str = ""
    unit: str = ""
    global_codes: tuple[str, ...] = ()
    baseline_year: int | None = None
    baseline_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    target_2030: float | None = None
    source: str = ""
    disaggregation: tuple[str, ...] = ()
    notes: str = ""
    row: int = 0

    @property
    def global_code(self) -> str:
        """The first global indicator code given, or "" for a local proxy."""
        return self.global_codes[0] if self.global_codes else ""

    @property
    def proxy(self) -> bool:
        """True for a local indicator with no global indicator code."""
        return not self.global_codes

    @property
    def data_points(self) -> int:
        """How many values the sheet gives (baseline, latest): 0, 1 or 2."""
        return (self.baseline_value is not None) + (self.latest_value is not None)

    @property
    def has_data(self) -> bool:
        """True when at least one value is given."""
        return self.data_points > 0

    @property
    def has_trend(self) -> bool:
        """True when two data points allow a trend (baseline and latest value)."""
        return self.data_points >= 2

    @property
    def goals(self) -> tuple[int, ...]:
        """The goal of the ``SDG goal`` column, then any other goal its global codes serve."""
        found: list[int] = [self.goal] if self.goal else []
        for code in self.global_codes:
            found.append(int(code.split(".")[0]))
        return tuple(dict.fromkeys(found))

    @property
    def text(self) -> str:
        """Name and definition: what the indicator measures, for text matching."""
        return ". ".join(p for p in (self.name, self.definition) if p)


@dataclass(frozen=True)
class IndicatorTable:
    """The indicators read from one file, in sheet order."""

    path: Path | None
    sheet: str | None
    indicators: tuple[LocalIndicator, ...]
    header_row: int = 1
    columns: tuple[str, ...] = field(default=COLUMNS)

    def __iter__(self) -> Iterator[LocalIndicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, indicator_id: str) -> LocalIndicator | None:
        """The indicator with ``indicator_id``, or None."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        return None

    def for_goal(self, goal: int) -> tuple[LocalIndicator, ...]:
        """Indicators that measure ``goal`` (by the goal column or a global code)."""
        return tuple(i for i in self.indicators if goal in i.goals)

    def for_target(self, target: str) -> tuple[LocalIndicator, ...]:
        """Indicators whose global code(s) sit under ``target`` (e.g. "11.6")."""
        fw = get_framework()
        out = []
        for ind in self.indicators:
            targets = {_target_of(fw, code) for code in ind.global_codes}
            if target in targets:
                out.append(ind)
        return tuple(out)

    @property
    def name(self) -> str:
        return self.path.name if self.path else "indicators"

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator, with ``proxy``, ``data_points`` and the source ``row``."""
        import pandas as pd

        rows = [
            {
                "id": i.id,
                "name": i.name,
                "definition": i.definition,
                "unit": i.unit,
                "goal": i.goal,
                "global_code": i.global_code,
                "global_codes": list(i.global_codes),
                "baseline_year": i.baseline_year,
                "baseline_value": i.baseline_value,
                "latest_year": i.latest_year,
                "latest_value": i.latest_value,
                "target_2030": i.target_2030,
                "source": i.source,
                "disaggregation": "; ".join(i.disaggregation),
                "notes": i.notes,
                "proxy": i.proxy,
                "data_points": i.data_points,
                "row": i.row,
            }
            for i in self.indicators
        ]
        frame = pd.DataFrame(rows, columns=list(_FRAME_COLUMNS))
        for column in ("goal", "baseline_year", "latest_year", "data_points", "row"):
            frame[column] = frame[column].astype("Int64")
        for column in ("baseline_value", "latest_value", "target_2030"):
            frame[column] = frame[column].astype("Float64")
        return frame

    @property
    def frame(self) -> pd.DataFrame:
        """Shorthand for :meth:`to_frame`."""
        return self.to_frame()


_FRAME_COLUMNS = (
    "id",
    "name",
    "definition",
    "unit",
    "goal",
    "global_code",
    "global_codes",
    "baseline_year",
    "baseline_value",
    "latest_year",
    "latest_value",
    "target_2030",
    "source",
    "disaggregation",
    "notes",
    "proxy",
    "data_points",
    "row",
)


def _target_of(fw: Framework, code: str) -> str:
    try:
        return fw.indicator(code).target_of(code)
    except (UnknownCodeError, ValueError):
        return ".".join(code.split(".")[:2])


# --------------------------------------------------------------------------- reading


def load_indicators(
    path: str | Path, *, sheet: str | None = None, framework: Framework | None = None
) -> IndicatorTable:
    """Read a city's indicator sheet (``.xlsx`` or ``.csv``) and check every cell.

    The header row is found among the first rows (title rows above it are
    fine); column names are matched ignoring case and spacing. Raises
    :class:`~vlr_tools.errors.DataFileError` listing *every* problem
    (missing ID or name, an unknown or malformed global code, a goal outside
    1-17, a non-numeric value, a year out of range, a duplicate ID) with
    file, sheet, row, column, the value found and what is allowed. Blank
    values are not errors: see :func:`indicator_gaps`.

    >>> table = load_indicators("san-fernando-indicators.xlsx")  # doctest: +SKIP
    >>> len(table), table.get("SF-IND-28").global_code  # doctest: +SKIP
    (36, '11.6.2')
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: indicator file not found")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows, sheet_name = _read_xlsx(path, sheet)
    elif suffix == ".csv":
        rows, sheet_name = _read_csv(path), None
    elif suffix == ".xls":
        raise DataFileError(
            f"{path}: the old Excel .xls format cannot be read; save it as .xlsx or CSV"
        )
    else:
        raise DataFileError(
            f"{path}: cannot read {suffix or 'a file without extension'} as an indicator "
            "sheet; allowed: .xlsx, .csv"
        )
    return _parse(path, sheet_name, rows, framework or get_framework())


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[tuple[int, tuple[Any, ...]]], str]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise DataFileError(
            f"{path}: not a readable Excel workbook ({type(exc).__name__}); "
            "save it again as .xlsx or export the sheet as CSV"
        ) from exc
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            wanted = next((n for n in names if n.strip().lower() == SHEET.lower()), None)
            if wanted is None and len(names) == 1:
                wanted = names[0]
        else:
            wanted = sheet if sheet in names else None
        if wanted is None:
            raise DataFileError(
                f"{path}: no sheet {sheet or SHEET!r}",
                [
                    Problem(
                        f"no sheet named {sheet or SHEET!r}",
                        file=path.name,
                        allowed=f"one of the sheets {', '.join(repr(n) for n in names)}",
                    )
                ],
            )
        ws = wb[wanted]
        rows = [
            (number, tuple(row))
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
    finally:
        wb.close()
    return rows, wanted


def _read_csv(path: Path) -> list[tuple[int, tuple[Any, ...]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the CSV as 'CSV UTF-8'"
        ) from exc
    # Cities save CSV with commas, semicolons (European Excel) or tabs: use the
    # delimiter under which the header row is found.
    parsed: list[tuple[int, tuple[Any, ...]]] = []
    for delimiter in (",", ";", "\t"):
        reader = csv.reader(text.splitlines(), delimiter=delimiter)
        rows: list[tuple[int, tuple[Any, ...]]] = []
        try:
            for record in reader:
                rows.append((reader.line_num, tuple(record)))
        except csv.Error as exc:
            raise DataFileError(f"{path}: line {reader.line_num}: not valid CSV ({exc})") from exc
        if _find_header(rows) is not None:
            return rows
        parsed = parsed or rows
    return parsed


def _norm_header(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    text = re.sub(r"\s+", " ", text).strip(" :*")
    return text


_CANONICAL = {c.lower(): c for c in COLUMNS}


def _column_name(value: Any) -> str | None:
    key = _norm_header(value)
    return _CANONICAL.get(key) or _ALIASES.get(key)


def _find_header(rows: list[tuple[int, tuple[Any, ...]]]) -> tuple[int, dict[str, int]] | None:
    for position, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for index, cell in enumerate(cells):
            name = _column_name(cell)
            if name and name not in found:
                found[name] = index
        if "ID" in found and "Local indicator" in found:
            return position, found
    return None


def _parse(
    path: Path,
    sheet: str | None,
    rows: list[tuple[int, tuple[Any, ...]]],
    fw: Framework,
) -> IndicatorTable:
    file = path.name
    header = _find_header(rows)
    if header is None:
        raise DataFileError(
            f"{path}: no header row found",
            [
                Problem(
                    f"no row with the columns 'ID' and 'Local indicator' in the first "
                    f"{HEADER_SEARCH_ROWS} rows",
                    file=file,
                    sheet=sheet,
                    allowed="a header row with the columns " + " | ".join(COLUMNS),
                )
            ],
        )
    position, columns = header
    header_row = rows[position][0]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise DataFileError(
            f"{path}: columns missing from the header",
            [
                Problem(
                    f"column {name!r} is missing",
                    file=file,
                    sheet=sheet,
                    row=header_row,
                    allowed="the columns " + " | ".join(COLUMNS),
                )
                for name in missing
            ],
        )
    problems: list[Problem] = []
    indicators: list[LocalIndicator] = []
    seen: dict[str, int] = {}
    this_year = dt.date.today().year
    for number, cells in rows[position + 1 :]:
        values = {name: (cells[i] if i < len(cells) else None) for name, i in columns.items()}
        if _blank_row(cells):
            continue
        cell = _CellReader(file, sheet, number, problems)
        record = _parse_row(values, cell, fw, this_year)
        if record is None:
            continue
        if record.id in seen:
            problems.append(
                Problem(
                    f"ID {record.id!r} is used twice (first in row {seen[record.id]})",
                    file=file,
                    sheet=sheet,
                    row=number,
                    column="ID",
                    value=record.id,
                    allowed="a unique ID per indicator",
                )
            )
        else:
            seen[record.id] = number
        indicators.append(record)
    if problems:
        raise DataFileError(f"{path}: the indicator sheet has problems", problems)
    return IndicatorTable(
        path=path,
        sheet=sheet,
        indicators=tuple(indicators),
        header_row=header_row,
        columns=tuple(c for c in COLUMNS if c in columns),
    )


def _blank_row(cells: Sequence[Any]) -> bool:
    filled = [i for i, c in enumerate(cells) if not _is_blank_cell(c)]
    if not filled:
        return True
    # A lone note in the first column ("Values are illustrative.") is not an
    # indicator; a lone ID is (it gets a "name missing" problem).
    if filled == [0] and isinstance(cells[0], str) and re.search(r"\s", cells[0].strip()):
        return True
    return False


def _is_blank_cell(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _CellReader:
    """Converts one row's cells, recording a Problem for each bad one."""

    def __init__(self, file: str, sheet: str | None, row: int, problems: list[Problem]) -> None:
        self.file, self.sheet, self.row, self.problems = file, sheet, row, problems

    def bad(self, column: str, message: str, value: Any, allowed: str) -> None:
        self.problems.append(
            Problem(
                message,
                file=self.file,
                sheet=self.sheet,
                row=self.row,
                column=column,
                value=value,
                allowed=allowed,
            )
        )

    def text(self, column: str, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = unicodedata.normalize("NFKC", str(value)).strip()
        return re.sub(r"\s+", " ", text)

    def number(self, column: str, value: Any) -> float | None:
        if value is None or isinstance(value, bool):
            if value is not None:
                self._not_number(column, value)
            return None
        if isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                self._not_number(column, value)
                return None
            return float(value)
        if isinstance(value, dt.date | dt.datetime | dt.time):
            self._not_number(column, value)
            return None
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if text.lower() in _BLANKS:
            return None
        cleaned = text.replace(",", "").replace(" ", "").rstrip("%")
        try:
            number = float(cleaned)
        except ValueError:
            self._not_number(column, value)
            return None
        if not math.isfinite(number):
            self._not_number(column, value)
            return None
        return number

    def _not_number(self, column: str, value: Any) -> None:
        self.bad(
            column,
            "not a number",
            value,
            "a number such as 12.5 or 1,234 (a trailing % is fine), or a blank cell for no data",
        )
        return None

    def year(self, column: str, value: Any, this_year: int) -> int | None:
        allowed = f"a year from {FIRST_YEAR} to {this_year + 1}, or a blank cell"
        if value is None:
            return None
        if isinstance(value, dt.date | dt.datetime):
            self.bad(column, "a date, not a year", value, allowed + " (write the year only)")
            return None
        if isinstance(value, bool):
            self.bad(column, "not a year", value, allowed)
            return None
        if isinstance(value, int | float):
            number: float = float(value)
        else:
            text = unicodedata.normalize("NFKC", str(value)).strip()
            if text.lower() in _BLANKS:
                return None
            try:
                number = float(text)
            except ValueError:
                self.bad(column, "not a year", value, allowed)
                return None
        if not number.is_integer():
            self.bad(column, "not a whole year", value, allowed)
            return None
        year = int(number)
        if not FIRST_YEAR <= year <= this_year + 1:
            self.bad(column, "year out of range", value, allowed)
            return None
        return year

    def goal(self, column: str, value: Any) -> int | None:
        if value is None:
            return None
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not text or text.lower() in _BLANKS:
            return None
        try:
            code = normalise_code(text)
        except UnknownCodeError:
            code = ""
        if not code or "." in code or not 1 <= int(code) <= 17:
            self.bad(column, "not an SDG goal", value, "a goal number from 1 to 17 (e.g. 11)")
            return None
        return int(code)

    def codes(self, column: str, value: Any, fw: Framework) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, float):
            # A code such as 3.3 typed into a number cell: keep what Excel shows.
            value = repr(value)
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if not text or text.lower() in _BLANKS:
            return ()
        out: list[str] = []
        allowed = "a global indicator code such as 11.6.1 (several separated by ';'), or blank for a local proxy"
        for part in re.split(r"[;,/]|\s+and\s+", text):
            part = part.strip()
            if not part:
                continue
            try:
                code = normalise_code(part)
            except UnknownCodeError:
                self.bad(column, "not a global indicator code", part, allowed)
                continue
            if code.count(".") != 2:
                level = "a goal" if "." not in code else "a target"
                self.bad(column, f"{code} is {level}, not an indicator", part, allowed)
                continue
            try:
                fw.indicator(code)
            except UnknownCodeError:
                self.bad(
                    column,
                    f"no global indicator {code} in the SDG framework",
                    part,
                    allowed + "; see `vlr framework show " + ".".join(code.split(".")[:2]) + "`",
                )
                continue
            if code not in out:
                out.append(code)
        return tuple(out)


def _parse_row(
    values: dict[str, Any], cell: _CellReader, fw: Framework, this_year: int
) -> LocalIndicator | None:
    ident = cell.text("ID", values.get("ID"))
    name = cell.text("Local indicator", values.get("Local indicator"))
    if not ident:
        cell.bad("ID", "ID missing", None, "a unique indicator ID such as SR-IND-01")
    if not name:
        cell.bad("Local indicator", "indicator name missing", None, "the indicator's name")
    goal = cell.goal("SDG goal", values.get("SDG goal"))
    codes = cell.codes("Global indicator code", values.get("Global indicator code"), fw)
    if goal is None and not codes and _is_blank_cell(values.get("SDG goal")):
        cell.bad(
            "SDG goal",
            "SDG goal missing",
            None,
            "a goal number from 1 to 17, or a global indicator code to derive it from",
        )
    if goal is None and codes:
        goal = int(codes[0].split(".")[0])
    baseline_year = cell.year("Baseline year", values.get("Baseline year"), this_year)
    latest_year = cell.year("Latest year", values.get("Latest year"), this_year)
    if baseline_year and latest_year and baseline_year > latest_year:
        cell.bad(
            "Latest year",
            f"latest year {latest_year} is before the baseline year {baseline_year}",
            latest_year,
            f"a year from {baseline_year} on",
        )
    disaggregation_text = cell.text("Disaggregation", values.get("Disaggregation"))
    disaggregation = tuple(
        part.strip()
        for part in re.split(r"[;,]", disaggregation_text)
        if part.strip() and part.strip().lower() not in _NO_DISAGGREGATION
    )
    if not ident or not name:
        return None
    return LocalIndicator(
        id=ident,
        name=name,
        goal=goal,
        definition=cell.text("Definition", values.get("Definition")),
        unit=cell.text("Unit", values.get("Unit")),
        global_codes=codes,
        baseline_year=baseline_year,
        baseline_value=cell.number("Baseline value", values.get("Baseline value")),
        latest_year=latest_year,
        latest_value=cell.number("Latest value", values.get("Latest value")),
        target_2030=cell.number("2030 target", values.get("2030 target")),
        source=_blank_to_empty(cell.text("Data source", values.get("Data source"))),
        disaggregation=disaggregation,
        notes=cell.text("Notes", values.get("Notes")),
        row=cell.row,
    )


def _blank_to_empty(text: str) -> str:
    return "" if text.lower() in _BLANKS else text
