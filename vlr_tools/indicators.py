"""A city's local SDG indicators: read the spreadsheet, find data gaps, align to global indicators.

A city keeps its indicators in a workbook (sheet "Indicators") or a CSV with
the columns::

    ID | Local indicator | Definition | Unit | SDG goal | Global indicator code |
    Baseline year | Baseline value | Latest year | Latest value | 2030 target |
    Data source | Disaggregation | Notes

The header row may come after a few title rows. :func:`load_indicators`
reads it into frozen :class:`LocalIndicator` records and reports *every*
malformed cell at once (file, sheet, row, column, value, what is allowed).

A missing baseline, source or second data point is not an error: it is what
a reviewer is looking for. :func:`indicator_gaps` lists those as findings, and
:func:`align_indicators` suggests the global indicator each local one
corresponds to, with the reason.

>>> table = load_indicators("data/cities/santa-rosa/indicators.xlsx")  # doctest: +SKIP
>>> indicator_gaps(table).query("gap == 'no_source'")["id"].tolist()  # doctest: +SKIP
['SR-IND-05', 'SR-IND-09', ...]
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DataFileError, Problem, UnknownCodeError
from .framework import Framework, Indicator, code_sort_key, get_framework, normalise_code
from .i18n import check_lang, t

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COLUMNS",
    "GAP_KINDS",
    "REQUIRED_COLUMNS",
    "IndicatorTable",
    "LocalIndicator",
    "align_indicators",
    "gap_kinds",
    "indicator_gaps",
    "load_indicators",
]

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

#: Data-gap kinds found by :func:`indicator_gaps`, in the order a memo lists them.
#: (Names shared with the memo's ``memo.indicator_problem.*`` texts.)
GAP_KINDS: tuple[str, ...] = (
    "no_data",
    "no_baseline",
    "single_point",
    "no_source",
    "no_unit",
    "no_target",
    "no_disaggregation",
)


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

    >>> table = load_indicators("data/cities/san-fernando/indicators.xlsx")  # doctest: +SKIP
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


# --------------------------------------------------------------------------- data gaps


def gap_kinds(indicator: LocalIndicator) -> tuple[str, ...]:
    """The data gaps of one indicator, as :data:`GAP_KINDS` names, in that order.

    - ``no_data``: no value at all;
    - ``no_baseline``: the baseline year or the baseline value is missing;
    - ``single_point``: exactly one value, so no trend can be shown;
    - ``no_source``, ``no_unit``, ``no_target`` (no 2030 target),
      ``no_disaggregation`` (not broken down by sex, age, barangay...).
    """
    gaps: list[str] = []
    if not indicator.has_data:
        gaps.append("no_data")
    if indicator.baseline_year is None or indicator.baseline_value is None:
        gaps.append("no_baseline")
    if indicator.data_points == 1:
        gaps.append("single_point")
    if not indicator.source:
        gaps.append("no_source")
    if not indicator.unit:
        gaps.append("no_unit")
    if indicator.target_2030 is None:
        gaps.append("no_target")
    if not indicator.disaggregation:
        gaps.append("no_disaggregation")
    return tuple(gaps)


def indicator_gaps(
    table: IndicatorTable | Iterable[LocalIndicator], lang: str = "en"
) -> pd.DataFrame:
    """Data gaps of every indicator: one row per (indicator, gap).

    Columns: ``id, name, goal, global_code, proxy, gap, message, row``.
    ``gap`` is one of :data:`GAP_KINDS`; ``message`` says it in ``lang``.
    These are findings for the review (checklist E1, E3, C4), not errors.

    >>> gaps = indicator_gaps(load_indicators("data/cities/santa-rosa/indicators.xlsx"))  # doctest: +SKIP
    >>> gaps.groupby("gap").size()  # doctest: +SKIP
    """
    import pandas as pd

    check_lang(lang)
    rows = []
    for ind in table:
        for gap in gap_kinds(ind):
            rows.append(
                {
                    "id": ind.id,
                    "name": ind.name,
                    "goal": ind.goal,
                    "global_code": ind.global_code,
                    "proxy": ind.proxy,
                    "gap": gap,
                    "message": t(f"coverage.gap.{gap}", lang),
                    "row": ind.row,
                }
            )
    frame = pd.DataFrame(
        rows, columns=["id", "name", "goal", "global_code", "proxy", "gap", "message", "row"]
    )
    frame["goal"] = frame["goal"].astype("Int64")
    frame["row"] = frame["row"].astype("Int64")
    return frame


# --------------------------------------------------------------------------- alignment

#: Words that say nothing about *what* an indicator measures.
_STOPWORDS = frozenset(
    """a an and are as at be by for from in into is it its of on or per the their this to
    with within which who whose that than all any each other out over under up
    number proportion share percentage percent rate ratio total level levels annual
    year years yearly per cent city city's local residents households household
    population people persons person e g i ie eg""".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+")
_CODE_IN_TEXT = re.compile(r"(?<![\w.])(\d{1,2}\.(?:\d{1,2}|[a-z])\.\d{1,2})(?![\w.])")
# A target code in a note ("proxy for 3.8", "(3.8)"); only after such words,
# since a bare "12.4" in a note is more often a value than a target.
_TARGET_IN_TEXT = re.compile(
    r"(?:\b(?:for|to|target|sdg)\s+|\()(\d{1,2}\.(?:\d{1,2}|[a-z]))(?![\w.])", re.IGNORECASE
)


def _stem(word: str) -> str:
    """A light English stemmer: enough to match 'deaths' with 'death', 'managed' with 'manage'."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ied", "y")):
        if word.endswith(suffix):
            return word[: -len(suffix)] + repl
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed", "ion", "ment"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _tokens(text: str) -> list[tuple[str, str]]:
    """(stem, surface word) pairs of the content words of ``text`` (English and Japanese)."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    out: list[tuple[str, str]] = []
    for match in _WORD.finditer(folded):
        word = match.group(0).replace("'", "")
        if word in _STOPWORDS or (word.isdigit() and len(word) < 2):
            continue
        out.append((_stem(word), match.group(0)))
    # Japanese has no spaces: character bigrams of each CJK run match well enough
    # between a local definition and the provisional translation of a title.
    for run in _CJK_RUN.findall(folded):
        if len(run) == 1:
            out.append((run, run))
        out += [(run[i : i + 2], run[i : i + 2]) for i in range(len(run) - 1)]
    return out


@dataclass(frozen=True)
class _Candidate:
    indicator: Indicator
    vector: dict[str, float]
    norm: float
    title: str


class _Index:
    """TF-IDF vectors of every global indicator title (with its targets' titles)."""

    def __init__(self, fw: Framework) -> None:
        self.fw = fw
        docs: list[tuple[Indicator, Counter[str]]] = []
        for ind in fw.indicators:
            bag: Counter[str] = Counter()
            for stem, _ in _tokens(ind.title_en) + _tokens(ind.title_ja):
                bag[stem] += 1.0  # type: ignore[assignment]
            for target in dict.fromkeys(ind.targets):
                tgt = fw.target(target)
                for stem, _ in _tokens(tgt.title_en):
                    bag[stem] += 0.3  # type: ignore[assignment]
            docs.append((ind, bag))
        df: Counter[str] = Counter()
        for _, bag in docs:
            df.update(set(bag))
        n = len(docs)
        self.idf = {term: math.log((n + 1) / (count + 0.5)) for term, count in df.items()}
        self.default_idf = math.log((n + 1) / 0.5)
        self.candidates: list[_Candidate] = []
        for ind, bag in docs:
            vec = {term: weight * self.idf[term] for term, weight in bag.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            self.candidates.append(_Candidate(ind, vec, norm, ind.title_en))
        self.by_code = {c: cand for cand in self.candidates for c in cand.indicator.codes}

    def vector(
        self, parts: Sequence[tuple[str, float]]
    ) -> tuple[dict[str, float], float, dict[str, str]]:
        vec: dict[str, float] = {}
        surface: dict[str, str] = {}
        for text, weight in parts:
            for stem, word in _tokens(text):
                vec[stem] = vec.get(stem, 0.0) + weight * self.idf.get(stem, self.default_idf)
                surface.setdefault(stem, word)
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return vec, norm, surface

    @staticmethod
    def cosine(a: dict[str, float], an: float, cand: _Candidate) -> float:
        if len(a) > len(cand.vector):
            dot = sum(w * a.get(term, 0.0) for term, w in cand.vector.items())
        else:
            dot = sum(w * cand.vector.get(term, 0.0) for term, w in a.items())
        return dot / (an * cand.norm)


@lru_cache(maxsize=4)
def _index(fw: Framework) -> _Index:
    return _Index(fw)


#: How much better another global indicator must fit before the given code is questioned.
QUESTION_MARGIN = 0.12
#: Similarity below which a local proxy is said to have no global counterpart.
PROXY_MATCH_MIN = 0.30
#: Similarity below which another global indicator is not worth listing as an alternative.
ALTERNATIVE_MIN = 0.15


def _vocabulary_hints(text: str) -> tuple[set[str], set[int]]:
    """Targets and goals the mapping vocabulary finds in ``text`` (empty if unavailable)."""
    try:
        from .mapping import map_text
    except ImportError:  # the mapping module is optional for alignment
        return set(), set()
    try:
        matches = map_text(text, lang=None)
    except Exception:  # noqa: BLE001 - a hint only; alignment works without it
        return set(), set()
    targets = {str(m.target) for m in matches if getattr(m, "target", None)}
    goals = {int(m.goal) for m in matches}
    return targets, goals


def _score_candidates(
    ind: LocalIndicator, index: _Index, hints: Callable[[str], tuple[set[str], set[int]]]
) -> list[tuple[float, _Candidate, list[str]]]:
    vec, norm, surface = index.vector([(ind.name, 1.0), (ind.definition, 0.7), (ind.unit, 0.3)])
    if not vec:
        return []
    from rapidfuzz import fuzz

    hint_targets, hint_goals = hints(ind.text)
    name = unicodedata.normalize("NFKC", ind.name).lower()
    scored: list[tuple[float, _Candidate, list[str]]] = []
    for cand in index.candidates:
        sim = index.cosine(vec, norm, cand)
        if sim <= 0.02:
            continue
        fuzzy = fuzz.token_set_ratio(name, cand.title.lower()) / 100.0
        score = 0.8 * sim + 0.2 * fuzzy * sim**0.5
        goals = set(cand.indicator.goals)
        if ind.goal and ind.goal in goals:
            score += 0.08
        if hint_targets & set(cand.indicator.targets):
            score += 0.08
        elif hint_goals & goals:
            score += 0.03
        shared = [surface[s] for s in vec if s in cand.vector]
        scored.append((min(score, 1.0), cand, shared))
    scored.sort(key=lambda x: (-x[0], code_sort_key(x[1].indicator.code)))
    return scored


def align_indicators(
    table: IndicatorTable | Iterable[LocalIndicator],
    *,
    lang: str = "en",
    framework: Framework | None = None,
    use_vocabulary: bool = True,
) -> pd.DataFrame:
    """Suggest the global indicator each local indicator corresponds to, with the reason.

    For each row: the code given (checked against the framework), the best
    matching global indicator by the words of its name and definition
    (TF-IDF over official titles, a fuzzy title match, the SDG goal column
    and the mapping vocabulary's targets), and a ``status``:

    - ``confirmed``: the given code fits (or fits about as well as anything);
    - ``check``: a code is given but another global indicator fits clearly
      better (e.g. 11.6.2 given for a solid-waste definition: 11.6.1 fits);
    - ``goal_mismatch``: the given code belongs to another goal than the
      ``SDG goal`` column;
    - ``proxy_match``: no code given, but a global indicator fits; the local
      indicator may be a proxy for it (or could report it directly);
    - ``proxy``: no code given and no global indicator fits: a local proxy.

    Columns: ``id, name, goal, given_code, given_title, status,
    suggested_code, suggested_title, score, alternatives, shared_words,
    reason``. Titles and reasons are in ``lang``.
    """
    import pandas as pd

    check_lang(lang)
    fw = framework or get_framework()
    index = _index(fw)
    hints = _vocabulary_hints if use_vocabulary else (lambda _text: (set(), set()))
    rows = []
    for ind in table:
        scored = _score_candidates(ind, index, hints)
        best = scored[0] if scored else None
        given = ind.global_code
        given_ind = fw.indicator(given) if given else None
        given_score = 0.0
        given_shared: list[str] = []
        if given_ind is not None:
            for score, cand, shared in scored:
                if cand.indicator.code == given_ind.code:
                    given_score, given_shared = score, shared
                    break
        noted = _noted_codes(ind, fw, index, scored)
        status, suggested, reason_key, fmt = _judge(
            ind, fw, given_ind, given_score, given_shared, best, noted, lang
        )
        alternatives = [
            _listing(cand.indicator, ind.goal)
            for score, cand, _ in scored[:4]
            if score >= ALTERNATIVE_MIN
            and (suggested is None or cand.indicator.code != suggested.code)
        ][:3]
        shared_words = (
            given_shared
            if suggested is not None and given_ind is not None and suggested.code == given_ind.code
            else (
                best[2]
                if best and suggested is not None and best[1].indicator.code == suggested.code
                else []
            )
        )
        rows.append(
            {
                "id": ind.id,
                "name": ind.name,
                "goal": ind.goal,
                "given_code": given,
                "given_title": fw.title(given, lang) if given else "",
                "status": status,
                "suggested_code": _listing(suggested, ind.goal, given)
                if suggested is not None
                else "",
                "suggested_title": suggested.title(lang) if suggested is not None else "",
                "score": round(
                    given_score
                    if status == "confirmed"
                    else (best[0] if best and status != "proxy" else 0.0),
                    3,
                ),
                "alternatives": alternatives,
                "shared_words": list(dict.fromkeys(shared_words)),
                "reason": t(reason_key, lang, **fmt),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "id",
            "name",
            "goal",
            "given_code",
            "given_title",
            "status",
            "suggested_code",
            "suggested_title",
            "score",
            "alternatives",
            "shared_words",
            "reason",
        ],
    )
    frame["goal"] = frame["goal"].astype("Int64")
    return frame


def _noted_codes(
    ind: LocalIndicator,
    fw: Framework,
    index: _Index,
    scored: list[tuple[float, _Candidate, list[str]]],
) -> list[str]:
    """Global codes the sheet's notes point at ("Local proxy for 11.7.1", "(3.8)").

    A target code stands for its best-fitting indicator.
    """
    text = f"{ind.notes} {ind.definition}"
    codes = [c for c in _CODE_IN_TEXT.findall(text) if c in index.by_code]
    for target in _TARGET_IN_TEXT.findall(text):
        try:
            code = normalise_code(target)
            listings = fw.listings(code)
        except UnknownCodeError:
            continue
        ranked = [
            cand.indicator.code
            for _, cand, _ in scored
            if set(cand.indicator.codes) & set(listings)
        ]
        pick = ranked[0] if ranked else (fw.indicator(listings[0]).code if listings else None)
        if pick and pick not in codes:
            codes.append(pick)
    return codes


def _listing(indicator: Indicator, goal: int | None, given: str = "") -> str:
    """The code to show for ``indicator``: the one given, else its listing under ``goal``."""
    if given and given in indicator.codes:
        return given
    for code in indicator.codes:
        if goal and code.split(".")[0] == str(goal):
            return code
    return indicator.code


def _words(words: Sequence[str], lang: str) -> str:
    shown = list(dict.fromkeys(words))[:5]
    sep = "、" if lang == "ja" else ", "
    return sep.join(shown) if shown else t("coverage.align.no_words", lang)


def _judge(
    ind: LocalIndicator,
    fw: Framework,
    given: Indicator | None,
    given_score: float,
    given_shared: list[str],
    best: tuple[float, _Candidate, list[str]] | None,
    noted: list[str],
    lang: str,
) -> tuple[str, Indicator | None, str, dict[str, Any]]:
    """Status, suggested indicator, reason key and its fields for one local indicator."""
    code = ind.global_code
    if given is not None:
        if ind.goal and ind.goal not in given.goals:
            return (
                "goal_mismatch",
                best[1].indicator if best and best[1].indicator.code != given.code else given,
                "coverage.align.goal_mismatch",
                {"code": code, "goal": ind.goal, "goals": ", ".join(map(str, given.goals))},
            )
        if (
            best is not None
            and best[1].indicator.code != given.code
            and best[0] >= PROXY_MATCH_MIN
            and best[0] >= given_score + QUESTION_MARGIN
        ):
            other = best[1].indicator
            return (
                "check",
                other,
                "coverage.align.check",
                {
                    "code": code,
                    "other": other.code,
                    "words": _words(best[2], lang),
                    "title": other.title(lang),
                },
            )
        return (
            "confirmed",
            given,
            "coverage.align.confirmed" if given_shared else "coverage.align.confirmed_weak",
            {"code": code, "words": _words(given_shared, lang)},
        )
    if noted:
        hinted = fw.indicator(noted[0])
        return (
            "proxy_match",
            hinted,
            "coverage.align.proxy_noted",
            {"other": noted[0], "title": hinted.title(lang)},
        )
    if best is not None and best[0] >= PROXY_MATCH_MIN:
        other = best[1].indicator
        return (
            "proxy_match",
            other,
            "coverage.align.proxy_match",
            {"other": other.code, "words": _words(best[2], lang), "title": other.title(lang)},
        )
    return ("proxy", None, "coverage.align.proxy", {})
