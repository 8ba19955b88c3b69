"""A city's indicators as frozen records: :class:`LocalIndicator`, :class:`IndicatorTable`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UnknownCodeError
from ..framework import Framework, get_framework

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
#: The sheet read from a workbook unless another is named.
SHEET = "Indicators"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Observation:
    """One value of an indicator as the table gave it.

    ``value`` is the number read (None for a "no data" mark), ``unit`` and
    ``flag`` what the cell carried ("%", "p" for provisional, "*"...),
    ``text`` the cell exactly as written, ``column`` the heading it stood
    under ("2019", "Baseline value"), ``role`` "baseline", "latest" or ""
    (another year), and ``formula`` the formula when the cell was computed.
    """

    year: int | None
    value: float | None
    unit: str = ""
    flag: str = ""
    text: str = ""
    column: str = ""
    role: str = ""
    formula: str = ""


@dataclass(frozen=True)
class LocalIndicator:
    """One row of a city's indicator sheet.

    ``global_codes`` holds the global indicator code(s) given (empty for a
    local proxy) and ``targets`` the target codes given instead of an
    indicator ("11.6"); values are floats, years ints, and a blank cell is
    None. ``row`` is the spreadsheet row (or CSV line) the record came from;
    ``sheet``, ``page`` and ``table`` say where else (a draft's annex table
    has a page and a table number). ``series`` keeps every value read, with
    its year, unit, flag and the cell's text.
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
    targets: tuple[str, ...] = ()
    series: tuple[Observation, ...] = ()
    sheet: str | None = None
    page: int | None = None
    table: int | None = None

    @property
    def where(self) -> str:
        """Where the row came from, for a finding to cite: "page 27, table 1, row 5"."""
        parts = [f"sheet '{self.sheet}'"] if self.sheet else []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.table is not None:
            parts.append(f"table {self.table}")
        parts.append(f"row {self.row}")
        return ", ".join(parts)

    def to_record(self) -> dict[str, Any]:
        """The indicator as JSON-ready data for the workspace."""
        values = asdict(self)
        for key in ("global_codes", "disaggregation", "targets"):
            values[key] = list(values[key])
        return values

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> LocalIndicator:
        """The indicator back from :meth:`to_record` data (unknown keys ignored)."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        for key in ("global_codes", "disaggregation", "targets"):
            values[key] = tuple(values.get(key) or ())
        obs_names = {f.name for f in fields(Observation)}
        values["series"] = tuple(
            Observation(**{k: v for k, v in o.items() if k in obs_names})
            for o in values.get("series") or ()
        )
        return cls(**values)

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
        for code in (*self.global_codes, *self.targets):
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
            targets = {_target_of(fw, code) for code in ind.global_codes} | set(ind.targets)
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
    """Read a city's indicator table (``.xlsx`` or ``.csv``, any layout) and check every cell.

    The table is found wherever it is (title rows above, notes below, several
    tables, one sheet per goal; one column per year or baseline/latest
    columns; see :mod:`vlr_tools.indicators.reading`). Raises
    :class:`~vlr_tools.errors.DataFileError` listing *every* problem (missing
    name, an unknown global code with the closest ones, a goal outside 1-17,
    a value that is not a number or a known mark, a year out of range, a
    duplicate ID) with file, sheet, row, column, the cell's text and what is
    allowed. Blank values are not errors: see :func:`indicator_gaps`. Use
    :func:`~vlr_tools.indicators.read_indicator_file` for the "what I
    understood" report as well.

    >>> table = load_indicators("san-fernando-indicators.xlsx")  # doctest: +SKIP
    >>> len(table), table.get("SF-IND-28").global_code  # doctest: +SKIP
    (36, '11.6.2')
    """
    from .sources import read_indicator_file

    return read_indicator_file(Path(path), sheet=sheet, framework=framework).table()
