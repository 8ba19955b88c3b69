"""Understand an indicator table in whatever layout a city keeps it, and say what was understood.

One reader for every source (a workbook, a CSV, the tables of a draft's
annex): each arrives as a :class:`Grid` of rows. The reader

1. finds the header row(s): headings matched by field in English, Filipino
   and Japanese (``table_reading.yaml``), a two-row header read as
   "upper lower" ("Baseline" over "Year | Value"), year headings
   ("2015", "CY 2016", "2023 (p)") as year columns;
2. finds the tables: a sheet may hold several, one per goal or one after
   another; tables with the same columns are parts of one indicator table,
   two different tables that both look like it are a question for the
   reviewer (``table=N``);
3. recognises the layout: *long* (baseline and latest columns) or *wide*
   (one column per year; the baseline is the earliest year with a value
   and the latest the latest year with one, and the report says so);
4. carries section rows ("GOAL 6: CLEAN WATER…") and a sheet named after
   a goal down as the goal of the rows below;
5. reads every value with its unit, flag and text (:func:`~.cells.parse_value`)
   and every code against the framework (:func:`~.cells.parse_codes`).

The result, :class:`Reading`, holds the :class:`~.table.IndicatorTable`
and what was understood: which column became what, which rows were skipped
and why, how each year column was read, which values became the baseline
and the latest, and every problem (file, sheet/page, row, column, the
cell's text, what is allowed). Nothing is stored here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..column_mapping import (
    HEADING,
    IGNORE,
    NOT_RECOGNISED,
    YEAR_HEADING,
    ColumnUse,
    Forced,
    forced_headings,
    mapping_used,
    place_text,
)
from ..errors import Problem
from ..framework import Framework, get_framework
from ..i18n import Said
from .cells import (
    FIELDS,
    VALUE_ALLOWED,
    Vocabulary,
    cell_text,
    fold,
    goal_heading,
    heading_field,
    heading_year,
    is_note,
    load_vocabulary,
    looks_like_year_heading,
    names_an_indicator,
    parse_codes,
    parse_goal,
    parse_value,
    parse_year,
    year_allowed,
)
from .table import COLUMNS, IndicatorTable, LocalIndicator, Observation

#: Value fields of the long layout, and the year field each goes with.
_VALUE_FIELDS = {"baseline_value": "baseline_year", "latest_value": "latest_year"}
_NO_DISAGGREGATION = frozenset({"none", "no", "notdisaggregated", "n/a", "na", "-", "—", "–", ""})


# --------------------------------------------------------------------------- the input


@dataclass
class Grid:
    """Rows of cells from one sheet, one CSV, or the tables of a draft's pages.

    ``where`` maps a row number to (page, table, row in that table) for a
    draft's tables, so problems and records cite the page.
    """

    file: str
    sheet: str | None
    rows: list[tuple[int, list[object]]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    where: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    rows_read: int = 0
    truncated: bool = False

    def place(self, row: int) -> dict[str, Any]:
        """Problem/record location fields of ``row``."""
        if row in self.where:
            page, table, in_table = self.where[row]
            return {"sheet": self.sheet, "page": page, "table": table, "row": in_table}
        return {"sheet": self.sheet, "row": row}

    def cite(self, row: int, lang: str = "en") -> str:
        """Where ``row`` is, as a reviewer reads it ("page 27, table 2, row 4")."""
        return place_text(self.place(row), lang)


# --------------------------------------------------------------------------- what was understood


@dataclass
class YearColumn:
    """How one year column was read: values, blanks, flagged values, problems."""

    heading: str
    year: int
    letter: str
    values: int = 0
    blanks: int = 0
    flagged: int = 0
    problems: int = 0


@dataclass
class TableFound:
    """One table found in the input, and what became of it."""

    number: int
    sheet: str | None
    header_rows: tuple[int, ...]
    last_row: int
    columns: list[ColumnUse]
    layout: str = "long"
    pages: tuple[int, ...] = ()
    used: bool = True
    why_not: Said | None = None
    indicators: int = 0
    #: (where, text, goal): a section row or sheet name that gave the rows below a goal.
    sections: list[tuple[dict[str, Any], str, int]] = field(default_factory=list)
    #: (where, why): a row under the header that is not an indicator.
    skipped: list[tuple[dict[str, Any], Said]] = field(default_factory=list)
    year_columns: list[YearColumn] = field(default_factory=list)
    names: tuple[str, ...] = ()

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(c.field for c in self.columns if c.field and c.field != "year")

    @property
    def signature(self) -> tuple[str, frozenset[str]]:
        return self.layout, self.fields

    def span(self, lang: str = "en") -> str:
        """Where the table is: "sheet 'Data', rows 4-7" or "pages 26-28"."""
        if self.pages:
            pages = sorted(set(self.pages))
            return place_text({"sheet": self.sheet, "pages": (pages[0], pages[-1])}, lang)
        return place_text({"sheet": self.sheet, "rows": (self.header_rows[0], self.last_row)}, lang)


@dataclass(frozen=True)
class Choice:
    """Which values became an indicator's baseline and latest (wide layout)."""

    id: str
    baseline: tuple[int, float, str] | None
    latest: tuple[int, float, str] | None
    years_with_data: int


@dataclass
class Reading:
    """What the reader understood of one input, the indicators, and every problem."""

    file: str
    origin: str  # xlsx | csv | docx | pdf
    tables: list[TableFound] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    notes: list[Said] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    indicators: tuple[LocalIndicator, ...] = ()
    mapping: dict[str, str] = field(default_factory=dict)  # column name -> heading(s) as written
    saved_from: str = ""  # the review whose saved column mapping was used
    ids_made: bool = False  # no ID column: IDs were made from goal and name
    sheets: tuple[str, ...] = ()
    pages: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.indicators)

    @property
    def used_tables(self) -> list[TableFound]:
        return [t for t in self.tables if t.used]

    @property
    def layout(self) -> str:
        layouts = sorted({t.layout for t in self.used_tables})
        return "+".join(layouts) or "none"

    def table(self) -> IndicatorTable:
        """The indicators as an :class:`IndicatorTable` (raises if there were problems)."""
        from pathlib import Path

        from ..errors import DataFileError

        if self.problems:
            raise DataFileError(f"{self.file}: the indicator table has problems", self.problems)
        used = self.used_tables
        header = used[0].header_rows[-1] if used else 1
        columns = tuple(
            c for c in COLUMNS if any(_FIELD_OF_COLUMN.get(c) in t.fields for t in used)
        )
        return IndicatorTable(
            path=Path(self.file),
            sheet=used[0].sheet if used else None,
            indicators=self.indicators,
            header_row=header,
            columns=columns,
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (kept with the stored table)."""
        return {
            "file": self.file,
            "origin": self.origin,
            "layout": self.layout,
            "rows_read": self.rows_read,
            "sheets": list(self.sheets),
            "pages": list(self.pages),
            "mapping": dict(self.mapping),
            "saved_from": self.saved_from,
            "ids_made": self.ids_made,
            "notes": [str(n) for n in self.notes],
            "tables": [
                {
                    "number": t.number,
                    "where": t.span(),
                    "layout": t.layout,
                    "used": t.used,
                    "why_not": str(t.why_not or ""),
                    "indicators": t.indicators,
                    "columns": [
                        {
                            "letter": c.letter,
                            "heading": c.heading,
                            "field": c.field,
                            "how": c.how,
                            "year": c.year,
                        }
                        for c in t.columns
                    ],
                    "sections": [[place_text(w), text, g] for w, text, g in t.sections],
                    "skipped": [[place_text(w), str(why)] for w, why in t.skipped],
                    "year_columns": [vars(y) for y in t.year_columns],
                }
                for t in self.tables
            ],
            "choices": [
                {
                    "id": c.id,
                    "baseline": list(c.baseline) if c.baseline else None,
                    "latest": list(c.latest) if c.latest else None,
                    "years_with_data": c.years_with_data,
                }
                for c in self.choices
            ],
        }

    def lines(self, lang: str = "en", *, details: bool = False, limit: int = 8) -> list[str]:
        """The "what I understood" report for a reviewer, in ``lang`` (en or ja)."""
        from .report import understood_lines

        return understood_lines(self, lang, details=details, limit=limit)


_FIELD_OF_COLUMN = {
    "ID": "id",
    "Local indicator": "name",
    "Definition": "definition",
    "Unit": "unit",
    "SDG goal": "goal",
    "Global indicator code": "codes",
    "Baseline year": "baseline_year",
    "Baseline value": "baseline_value",
    "Latest year": "latest_year",
    "Latest value": "latest_value",
    "2030 target": "target_2030",
    "Data source": "source",
    "Disaggregation": "disaggregation",
    "Notes": "notes",
}


# --------------------------------------------------------------------------- headers


@dataclass
class _Header:
    position: int  # index in grid.rows of the (lower) header row
    rows: tuple[int, ...]  # spreadsheet rows of the header
    columns: list[ColumnUse]
    score: int
    texts: frozenset[str]


def _group_of(text: str, vocab: Vocabulary) -> str | None:
    key = fold(text)
    for group in ("baseline", "latest", "year", "value"):
        if key in vocab.groups.get(group, frozenset()):
            return group
    return None


def _match_header(
    cells: list[object],
    above: list[object] | None,
    vocab: Vocabulary,
    forced: Forced,
) -> tuple[list[ColumnUse], int] | None:
    """Columns of a candidate header row (``above``: the upper row of a two-row header)."""
    width = max(len(cells), len(above) if above else 0)
    groups: list[str] = []
    carried = ""
    for i in range(width):
        own = cell_text(above[i]) if above and i < len(above) else ""
        carried = own or carried
        groups.append(carried)
    columns: list[ColumnUse] = []
    used: set[str] = set()
    years: set[int] = set()
    for i in range(width):
        raw = cells[i] if i < len(cells) else None
        text = cell_text(raw)
        group = groups[i] if above else ""
        own_above = cell_text(above[i]) if above and i < len(above) else ""
        heading = f"{group} {text}".strip() if group and group != text else text
        if not text and own_above:
            heading = own_above
        if not heading:
            continue
        found: str | None = None
        how = HEADING
        year: int | None = None
        flag = ""
        mapped = forced.field_of(*dict.fromkeys((heading, text, own_above)))
        if mapped is not None:
            (found, heading), how = mapped, forced.how
            # A saved mapping that names a heading the reader knows anyway changes nothing.
            if heading_field(heading, vocab) == found:
                how = HEADING
        if found is None and text:
            sub = _group_of(text, vocab)
            gkind = _group_of(group, vocab) if group else None
            if sub in ("year", "value") and gkind in ("baseline", "latest"):
                found = f"{gkind}_{sub}"
            elif not isinstance(raw, str) or not re.search(r"[^\d\s()*pe.]", text, re.I):
                year, flag = heading_year(raw, vocab)
                if year is not None:
                    found, heading = "year", text
            if found is None:
                year, flag = heading_year(text, vocab) if found is None else (year, flag)
                if year is not None and heading_field(text, vocab) is None:
                    found, heading = "year", text
            if found is None:
                found = heading_field(text, vocab)
                if found is not None:
                    heading = text
            if found is None and group:
                found = heading_field(f"{group} {text}", vocab)
        elif found is None and own_above:
            found = heading_field(own_above, vocab)
        if found == IGNORE:
            columns.append(ColumnUse(i, heading, None, how))
            continue
        if found == "year":
            if year in years:
                columns.append(ColumnUse(i, heading, None, NOT_RECOGNISED, year))
                continue
            years.add(year)  # type: ignore[arg-type]
            columns.append(ColumnUse(i, heading, "year", YEAR_HEADING, year, flag))
        elif found and found not in used:
            used.add(found)
            columns.append(ColumnUse(i, heading, found, how))
        else:
            columns.append(ColumnUse(i, heading, None, NOT_RECOGNISED))
    if "name" not in used:
        return None
    if len(used) < 2 and len(years) < 2:
        return None
    return columns, len(used) + (len(years) if len(years) >= 2 else 0)


def _find_headers(grid: Grid, vocab: Vocabulary, forced: Forced) -> list[_Header]:
    rows = grid.rows
    found: list[_Header] = []
    merged_above = _merged_map(grid)
    skip_until = -1
    # Only a row with an indicator-name heading (or the row above one) can start a header.
    forced_names = {k: v for k, v in forced.headings.items() if v == "name"}
    named = [any(names_an_indicator(c, vocab, forced_names) for c in cells) for _, cells in rows]
    for position, (number, cells) in enumerate(rows):
        if position <= skip_until:
            continue
        if not named[position] and not (position + 1 < len(rows) and named[position + 1]):
            continue
        plain = _match_header(cells, None, vocab, forced)
        combined = None
        if position + 1 < len(rows) and rows[position + 1][0] == number + 1:
            upper = _filled(cells, number, merged_above)
            combined = _match_header(rows[position + 1][1], upper, vocab, forced)
            alone = _match_header(rows[position + 1][1], None, vocab, forced)
            if combined is not None and alone is not None and alone[1] >= combined[1]:
                combined = None  # a title row above the header adds nothing to it
        if plain is None and combined is None:
            continue
        if combined is not None and (plain is None or combined[1] > plain[1]):
            columns, score = combined
            lower_number, lower_cells = rows[position + 1]
            header = _Header(
                position + 1,
                (number, lower_number),
                columns,
                score,
                frozenset(fold(c) for c in [*cells, *lower_cells] if cell_text(c)),
            )
            skip_until = position + 1
        else:
            assert plain is not None
            header = _Header(
                position,
                (number,),
                plain[0],
                plain[1],
                frozenset(fold(c) for c in cells if cell_text(c)),
            )
        found.append(header)
    return found


def _is_title(cells: list[object]) -> bool:
    """A row of one text that is not a note: a table's title or a goal heading."""
    texts = [cell_text(c) for c in cells if cell_text(c)]
    return len(texts) == 1 and not is_note(texts[0])


def _merged_map(grid: Grid) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, column) of every cell inside a merged range -> its top-left cell."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, c2 in grid.merged:
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 400:
            continue
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                out[(r, c)] = (r1, c1)
    return out


def _filled(
    cells: list[object], number: int, merged: dict[tuple[int, int], tuple[int, int]]
) -> list[object]:
    """An upper header row with each merged range's text in every cell it covers."""
    out = list(cells)
    for (r, c), (r1, c1) in merged.items():
        if r == number and r1 == number and c != c1 and c1 < len(cells):
            while len(out) <= c:
                out.append(None)
            if out[c] in (None, ""):
                out[c] = cells[c1]
    return out


# --------------------------------------------------------------------------- the reader


@dataclass
class _Context:
    grid: Grid
    vocab: Vocabulary
    fw: Framework
    this_year: int
    problems: list[Problem]
    warnings: list[Problem]


def read_grids(
    grids: list[Grid],
    *,
    origin: str,
    file: str,
    table: int | None = None,
    columns: Mapping[str, str] | None = None,
    saved: Mapping[str, str] | None = None,
    framework: Framework | None = None,
    this_year: int | None = None,
) -> Reading:
    """Understand the indicator table(s) in ``grids`` (see the module docstring).

    ``columns`` is the reviewer's column mapping (field or column name ->
    heading as written), ``saved`` a mapping saved with an earlier version
    of the city's table (used where its headings are present); ``table``
    picks one of several different tables (numbered as the report numbers
    them).
    """
    vocab = load_vocabulary()
    fw = framework or get_framework()
    year_now = this_year or dt.date.today().year
    reading = Reading(file=file, origin=origin)
    reading.sheets = tuple(g.sheet for g in grids if g.sheet)
    forced = forced_headings(
        columns,
        saved,
        field_of=vocab.field_of,
        key=fold,
        file=file,
        allowed=vocab.allowed_columns(),
    )
    reading.problems.extend(forced.problems)
    if reading.problems:
        return reading
    all_tables: list[tuple[TableFound, Grid, _Header, int]] = []
    counter = 0
    for grid in grids:
        reading.rows_read += grid.rows_read or len(grid.rows)
        if grid.truncated:
            reading.problems.append(
                Problem(
                    f"the sheet has more rows than the reader takes: {grid.rows_read:,} rows "
                    "were read and the rest was not; nothing was stored",
                    file=file,
                    sheet=grid.sheet,
                    allowed=f"an indicator table of at most {grid.rows_read:,} rows "
                    "(VLR_MAX_INDICATOR_ROWS raises the limit); split the sheet or send "
                    "the indicator table alone",
                )
            )
            continue
        headers = _find_headers(grid, vocab, forced)
        for k, header in enumerate(headers):
            end = (
                headers[k + 1].position - (len(headers[k + 1].rows) - 1)
                if k + 1 < len(headers)
                else len(grid.rows)
            )
            if (
                k + 1 < len(headers)
                and _is_title(grid.rows[end - 1][1])
                and end - 1 > header.position
            ):
                end -= 1  # the next table's title ("GOAL 11: ...") belongs to the next table
            counter += 1
            last = grid.rows[end - 1][0] if end > 0 else header.rows[-1]
            found = TableFound(
                number=counter,
                sheet=grid.sheet,
                header_rows=header.rows,
                last_row=last,
                columns=header.columns,
                layout="wide"
                if sum(1 for c in header.columns if c.field == "year") >= 2
                and not ({"baseline_value", "latest_value"} & {c.field for c in header.columns})
                else "long",
            )
            if grid.where:
                found.header_rows = tuple(grid.where.get(r, (0, 0, r))[2] for r in header.rows)
                found.pages = tuple(
                    grid.where[n][0] for n, _ in grid.rows[header.position : end] if n in grid.where
                )
            all_tables.append((found, grid, header, end))
    reading.tables = [t for t, *_ in all_tables]
    if not all_tables:
        if not reading.problems:
            reading.problems.append(_no_table_problem(file, grids, vocab))
        return reading
    # Read every table, then decide which make up the indicator table.
    parsed: dict[int, list[LocalIndicator]] = {}
    choices: dict[int, list[Choice]] = {}
    table_problems: dict[int, list[Problem]] = {}
    previous: TableFound | None = None
    last_goal: int | None = None
    for found, grid, header, end in all_tables:
        ctx = _Context(grid, vocab, fw, year_now, [], reading.warnings)
        continues = previous is not None and previous.signature == found.signature
        records, picked, last_goal = _read_table(
            ctx, found, header, end, reading, last_goal if continues else None
        )
        previous = found
        parsed[found.number] = records
        choices[found.number] = picked
        table_problems[found.number] = ctx.problems
        found.indicators = len(records)
        found.names = tuple(fold(r.name) for r in records)
    chosen = _choose_tables(reading, table, file)
    if chosen is None:
        return reading
    chosen_records: list[LocalIndicator] = []
    for found in reading.tables:
        if found.number in chosen:
            chosen_records.extend(parsed[found.number])
            reading.choices.extend(choices[found.number])
            reading.problems.extend(table_problems[found.number])
    if any(r.id.startswith(_UNNAMED) for r in chosen_records):
        chosen_records, renamed = _name_ids(chosen_records, reading)
        reading.choices = [replace(c, id=renamed.get(c.id, c.id)) for c in reading.choices]
        reading.ids_made = True
    _check_ids(chosen_records, reading, file)
    reading.indicators = tuple(chosen_records)
    reading.mapping = mapping_used(
        (c for t in reading.used_tables for c in t.columns), reading_label
    )
    reading.pages = tuple(sorted({p for t in reading.used_tables for p in t.pages}))
    if not chosen_records and not reading.problems:
        reading.problems.append(
            Problem(
                "the indicator table has a header but no indicator rows",
                file=file,
                sheet=reading.used_tables[0].sheet if reading.used_tables else None,
                row=reading.used_tables[0].header_rows[-1] if reading.used_tables else None,
                allowed="one row per indicator under the header",
            )
        )
    return reading


def _no_table_problem(file: str, grids: list[Grid], vocab: Vocabulary) -> Problem:
    sheets = [g.sheet for g in grids if g.sheet]
    looked = "in the sheet(s) " + ", ".join(repr(s) for s in sheets) if sheets else "in the file"
    examples = "; ".join(
        f"{vocab.labels[f]}: " + ", ".join(repr(w) for w in vocab.examples[f]["en"][:3])
        for f in ("name", "baseline_value", "latest_value")
    )
    return Problem(
        f"no indicator table found {looked}: no row with an indicator-name heading and "
        "value or year headings",
        file=file,
        allowed="a header row with an indicator-name column and baseline/latest or year "
        f"columns ({examples}; year headings such as 2015, 2016 ...), or name the columns "
        'with --columns "Local indicator=YOUR HEADING;..."',
    )


def _choose_tables(reading: Reading, table: int | None, file: str) -> set[int] | None:
    """The numbers of the tables that make up the indicator table, or None (a problem)."""
    tables = reading.tables
    if table is not None:
        wanted = [t for t in tables if t.number == table]
        if not wanted:
            reading.problems.append(
                Problem(
                    f"there is no table {table}",
                    file=file,
                    allowed="one of the tables found: "
                    + "; ".join(f"{t.number} ({t.span()})" for t in tables),
                )
            )
            return None
        for t in tables:
            t.used = t.number == table
            if not t.used:
                t.why_not = Said("indicators.why_not.chosen", {"table": table})
        return {table}
    # Tables with the same columns are one table split by goal, page or sheet.
    groups: dict[tuple[str, frozenset[str]], list[TableFound]] = {}
    for t in tables:
        groups.setdefault(t.signature, []).append(t)
    candidates = [g for g in groups.values() if any(t.indicators for t in g)]
    if len(candidates) > 1:
        reading.problems.append(
            Problem(
                "more than one table looks like the indicator table: "
                + "; ".join(
                    f"table {g[0].number} ({g[0].span()}, {sum(t.indicators for t in g)} rows, "
                    f"{g[0].layout} layout)"
                    for g in candidates
                ),
                file=file,
                allowed="say which with --table N (in the notebook: table=N)",
            )
        )
        for t in tables:
            t.used = False
            t.why_not = Said("indicators.why_not.several")
        return None
    group = candidates[0] if candidates else next(iter(groups.values()))
    # Two parts of one layout naming the same indicators are two versions: ask.
    seen: dict[str, int] = {}
    for t in group:
        overlap = [n for n in t.names if n in seen]
        if t.names and len(overlap) >= max(2, len(t.names) // 2):
            first = seen[overlap[0]]
            reading.problems.append(
                Problem(
                    f"tables {first} and {t.number} list the same indicators (e.g. "
                    f"{overlap[0]!r}); they look like two versions of the indicator table",
                    file=file,
                    allowed="say which with --table N (in the notebook: table=N)",
                )
            )
            for other in tables:
                other.used = False
                other.why_not = Said("indicators.why_not.versions")
            return None
        for n in t.names:
            seen.setdefault(n, t.number)
    numbers = {t.number for t in group}
    for t in tables:
        t.used = t.number in numbers
        if not t.used:
            t.why_not = Said("indicators.why_not.empty")
    return numbers


def _check_ids(records: list[LocalIndicator], reading: Reading, file: str) -> None:
    seen: dict[str, LocalIndicator] = {}
    for rec in records:
        if rec.id in seen:
            first = seen[rec.id]
            reading.problems.append(
                Problem(
                    f"ID {rec.id!r} is used twice (first in {first.where})",
                    file=file,
                    sheet=rec.sheet,
                    row=rec.row,
                    page=rec.page,
                    table=rec.table,
                    column="ID",
                    value=rec.id,
                    allowed="a unique ID per indicator",
                )
            )
        else:
            seen[rec.id] = rec


def reading_label(field_name: str) -> str:
    """The column name shown for a field (``name`` -> ``Local indicator``)."""
    return load_vocabulary().labels.get(field_name, field_name)


# --------------------------------------------------------------------------- rows


def _row_kind(
    cells: list[object], found: TableFound, header: _Header, ctx: _Context
) -> tuple[str, Any]:
    """What a row under the header is: data, blank, note, section (goal), header again."""
    filled = [(i, c) for i, c in enumerate(cells) if cell_text(c)]
    if not filled:
        return "blank", None
    texts = {cell_text(c) for _, c in filled}
    if frozenset(fold(c) for _, c in filled) <= header.texts and len(filled) >= 2:
        return "header", None
    if len(texts) == 1:
        text = next(iter(texts))
        goal = goal_heading(text, ctx.fw)
        if goal is not None:
            return "section", goal
        if is_note(text):
            return "note", text
        index = filled[0][0]
        id_col = next((c.index for c in found.columns if c.field == "id"), None)
        if not (index == id_col and not re.search(r"\s", text)):
            return "heading", text
    elif is_note(filled[0][1]) and len(filled) <= 2:
        name_col = next((c.index for c in found.columns if c.field == "name"), None)
        if filled[0][0] != name_col:
            return "note", cell_text(filled[0][1])
    return "data", None


def _read_table(
    ctx: _Context,
    found: TableFound,
    header: _Header,
    end: int,
    reading: Reading,
    carried: int | None = None,
) -> tuple[list[LocalIndicator], list[Choice], int | None]:
    grid = ctx.grid
    columns = {c.field: c for c in found.columns if c.field and c.field != "year"}
    year_cols = sorted((c for c in found.columns if c.field == "year"), key=lambda c: c.year or 0)
    _check_year_columns(ctx, found, year_cols)
    # A year still to come ("2030") is the target column when there is none.
    future = [c for c in year_cols if (c.year or 0) > ctx.this_year + 1]
    if future and "target_2030" not in columns and len(future) == 1:
        col = future[0]
        columns["target_2030"] = ColumnUse(col.index, col.heading, "target_2030", YEAR_HEADING)
        found.columns = [
            columns["target_2030"] if c.index == col.index else c for c in found.columns
        ]
        reading.notes.append(
            Said("indicators.note.target_year", {"letter": col.letter, "heading": col.heading})
        )
        year_cols = [c for c in year_cols if c is not col]
    elif future:
        for col in future:
            ctx.problems.append(
                Problem(
                    f"year column {col.heading!r} is a year still to come",
                    file=grid.file,
                    column=col.heading,
                    allowed=f"years up to {ctx.this_year + 1}; a target goes in the "
                    "'2030 target' column",
                    **grid.place(header.rows[-1]),
                )
            )
        year_cols = [c for c in year_cols if c not in future]
    found.year_columns = [YearColumn(c.heading, c.year or 0, c.letter) for c in year_cols]
    by_year = {c.index: y for c, y in zip(year_cols, found.year_columns, strict=True)}
    goal = goal_heading(grid.sheet or "", ctx.fw)
    if goal is not None:
        found.sections.append(({"sheet": grid.sheet}, grid.sheet or "", goal))
    # A title row just above the header ("SDG 4: Quality Education") names the goal too.
    upper = header.position - len(header.rows)
    if upper >= 0:
        number, cells = grid.rows[upper]
        texts = [cell_text(c) for c in cells if cell_text(c)]
        if len(texts) == 1:
            title_goal = goal_heading(texts[0], ctx.fw)
            if title_goal is not None:
                goal = title_goal
                found.sections.append((grid.place(number), texts[0], title_goal))
    if goal is None and carried is not None:
        goal = carried  # a table continued on the next page keeps its goal
    records: list[LocalIndicator] = []
    picks: list[Choice] = []
    last_data = header.rows[-1]
    width = max(c.index for c in found.columns) + 1
    outside = False
    for number, cells in grid.rows[header.position + 1 : end]:
        kind, detail = _row_kind(cells, found, header, ctx)
        where = grid.place(number)
        if kind == "blank":
            continue
        if kind == "section":
            goal = detail
            outside = False
            found.sections.append(
                (where, cell_text(next(c for c in cells if cell_text(c))), detail)
            )
            continue
        if kind == "header":
            found.skipped.append((where, Said("indicators.skip.header_again")))
            continue
        if kind in ("note", "heading"):
            found.skipped.append((where, Said(f"indicators.skip.{kind}", {"text": detail[:60]})))
            continue
        if _starts_other_table(grid, last_data, number, len(cells), width):
            outside = True
        if outside:
            found.skipped.append((where, Said("indicators.skip.after")))
            continue
        record, pick = _read_row(ctx, found, columns, year_cols, by_year, number, cells, goal)
        last_data = number
        if record is not None:
            records.append(record)
            if pick is not None:
                picks.append(pick)
    return records, picks, goal


def _starts_other_table(grid: Grid, last: int, number: int, cells: int, width: int) -> bool:
    """True when a row lies past the table: two blank rows on a sheet, or another table in a draft."""
    if not grid.where:
        return number - last > 2
    before, here = grid.where.get(last), grid.where.get(number)
    if before is None or here is None or before[:2] == here[:2]:
        return False
    # A table cut by a page break goes on as a new table with the same columns.
    return not (here[0] == before[0] + 1 and cells == width)


def _check_year_columns(ctx: _Context, found: TableFound, year_cols: list[ColumnUse]) -> None:
    """A column among the year columns whose heading is not a year is a problem."""
    if len(year_cols) < 2:
        return
    low = min(c.index for c in year_cols)
    high = max(c.index for c in year_cols)
    for c in found.columns:
        if c.field is not None or c.ignored:
            continue
        inside = low < c.index < high
        right_after = c.index == high + 1 and looks_like_year_heading(c.heading)
        if inside or right_after:
            ctx.problems.append(
                Problem(
                    f"column {c.letter} stands among the year columns but its heading is not a year",
                    file=ctx.grid.file,
                    column=c.heading,
                    value=c.heading,
                    allowed="a year such as 2019, CY 2019 or 2019 (p) as the heading; or map "
                    f'the column with --columns "ignore={c.heading}"',
                    **ctx.grid.place(found_header_row(found, ctx.grid)),
                )
            )


def found_header_row(found: TableFound, grid: Grid) -> int:
    if grid.where:
        for number, (_page, _table, in_table) in grid.where.items():
            if in_table == found.header_rows[-1]:
                return number
    return found.header_rows[-1]


def _slug(text: str, limit: int = 40) -> str:
    """Words of ``text`` joined by "-"; a longer one is cut and ends in a hash of the whole."""
    folded = unicodedata.normalize("NFKC", text).lower()
    slug = re.sub(r"[^\w]+", "-", folded).strip("-") or "indicator"
    if len(slug) <= limit:
        return slug
    digest = hashlib.sha1(slug.encode("utf-8")).hexdigest()[:6]
    return f"{slug[: limit - 7].rstrip('-')}-{digest}"


#: The first characters of an ID still to be made from the goal and the name.
_UNNAMED = "\x00"


def _name_ids(
    records: list[LocalIndicator], reading: Reading
) -> tuple[list[LocalIndicator], dict[str, str]]:
    """IDs for a table without an ID column, made from each indicator's goal and name.

    "Households with piped water" under goal 6 is ``sdg6-households-with-piped-water``
    whatever its row, so it keeps its ID in a re-import and in the city's
    next table (a changed value is then a change, not a removal and an
    addition). Two rows with the same goal and name are told apart by their
    global code or unit, else by their order, with a warning: an ID column
    keeps them apart for good.
    """
    base = {
        r.id: f"sdg{r.goal}-{_slug(r.name)}" if r.goal else _slug(r.name)
        for r in records
        if r.id.startswith(_UNNAMED)
    }
    groups: dict[str, list[LocalIndicator]] = {}
    for r in records:
        if r.id in base:
            groups.setdefault(base[r.id], []).append(r)
    renamed: dict[str, str] = {}
    for name, members in groups.items():
        if len(members) == 1:
            renamed[members[0].id] = name
            continue
        told = [
            f"{name}-{_slug(r.global_codes[0] if r.global_codes else r.unit or '', 20)}"
            for r in members
        ]
        if len(set(told)) == len(members) and all(r.global_codes or r.unit for r in members):
            renamed.update({r.id: new for r, new in zip(members, told, strict=True)})
            continue
        for k, r in enumerate(members, start=1):
            renamed[r.id] = name if k == 1 else f"{name}-{k}"
        reading.warnings.append(
            Problem(
                f"{len(members)} rows have the same goal and indicator name "
                f"{members[0].name!r}: their IDs are {name!r} and {name!r}-2... by row order",
                file=reading.file,
                sheet=members[1].sheet,
                row=members[1].row,
                page=members[1].page,
                table=members[1].table,
                allowed="an ID column, or names that differ (e.g. the sex or age group in the name)",
            )
        )
    return [replace(r, id=renamed.get(r.id, r.id)) for r in records], renamed


def _read_row(
    ctx: _Context,
    found: TableFound,
    columns: dict[str, ColumnUse],
    year_cols: list[ColumnUse],
    by_year: dict[int, YearColumn],
    number: int,
    cells: list[object],
    section_goal: int | None,
) -> tuple[LocalIndicator | None, Choice | None]:
    grid = ctx.grid
    place = grid.place(number)

    def cell(name: str) -> object:
        col = columns.get(name)
        if col is None or col.index >= len(cells):
            return None
        return cells[col.index]

    def bad(name: str, message: str, value: object, allowed: str) -> None:
        heading = columns[name].heading if name in columns else reading_label(name)
        ctx.problems.append(
            Problem(
                message,
                file=grid.file,
                column=heading,
                value=cell_text(value) if value is not None else None,
                allowed=allowed,
                **place,
            )
        )

    name = cell_text(cell("name"))
    ident = cell_text(cell("id"))
    if not name:
        bad("name", "indicator name missing", None, "the indicator's name")
    if "id" in columns and not ident:
        bad("id", "ID missing", None, "a unique indicator ID such as SR-IND-01")
    if not ident and "id" not in columns and name:
        # Named from goal and name once every table is read (see _name_ids).
        ident = f"{_UNNAMED}{found.number}:{number}"
    # goal: the goal column, else the section row or sheet, else the code's goal
    goal, problem = parse_goal(cell("goal"))
    if problem:
        bad("goal", problem, cell("goal"), "a goal number from 1 to 17 (e.g. 11)")
    codes = parse_codes(cell("codes"), ctx.fw)
    for part, message, allowed in codes.problems:
        bad("codes", message, part, allowed)
    if goal is None and not problem and section_goal is not None:
        goal = section_goal
        coded = {int(c.split(".")[0]) for c in (*codes.indicators, *codes.targets)}
        if coded and goal not in coded:
            ctx.warnings.append(
                Problem(
                    f"the row stands under goal {goal} (a section row or sheet above it) but its "
                    f"global code is under goal {', '.join(str(g) for g in sorted(coded))}; "
                    f"goal {goal} was kept",
                    file=grid.file,
                    column=columns["codes"].heading if "codes" in columns else None,
                    value=cell_text(cell("codes")),
                    allowed="a goal column to say the goal of each row, or the row moved "
                    "under its goal's section",
                    **place,
                )
            )
    if goal is None and (codes.indicators or codes.targets):
        goal = int((codes.indicators or codes.targets)[0].split(".")[0])
    if goal is None and not problem and not codes.problems:
        bad(
            "goal",
            "SDG goal missing",
            None,
            "a goal number from 1 to 17, a global code to derive it from, or a section row "
            "such as 'GOAL 6: ...' above the indicator",
        )
    series: list[Observation] = []
    unit_found = ""
    # long layout: baseline and latest columns
    picked: dict[str, tuple[int | None, float | None]] = {}
    for value_field, year_field in _VALUE_FIELDS.items():
        role = value_field.split("_")[0]
        year, year_problem = parse_year(cell(year_field), ctx.this_year)
        if year_problem:
            bad(year_field, year_problem, cell(year_field), year_allowed(ctx.this_year))
        raw = cell(value_field)
        value = parse_value(raw, ctx.vocab)
        if value.problem:
            bad(value_field, value.problem, raw, VALUE_ALLOWED)
        if value.year is not None:
            if year is not None and value.year != year:
                bad(
                    value_field,
                    f"the year in the cell ({value.year}) is not the {reading_label(year_field)} "
                    f"({year})",
                    raw,
                    "the same year in both, or the year in one place only",
                )
            year = year or value.year
            if not (1990 <= value.year <= ctx.this_year + 1):
                bad(value_field, "year out of range", raw, year_allowed(ctx.this_year))
        picked[role] = (year, value.number)
        if value.formula:
            _formula_warning(ctx, columns[value_field].heading, place, value)
        if value.number is not None or value.text or year is not None:
            series.append(
                Observation(
                    year=year,
                    value=value.number,
                    unit=value.unit,
                    flag=value.flag,
                    text=value.text,
                    column=columns[value_field].heading if value_field in columns else "",
                    role=role,
                    formula=value.formula,
                )
            )
        unit_found = unit_found or value.unit
    b_year, l_year = picked["baseline"][0], picked["latest"][0]
    if b_year and l_year and b_year > l_year:
        bad(
            "latest_year" if "latest_year" in columns else "latest_value",
            f"latest year {l_year} is before the baseline year {b_year}",
            l_year,
            f"a year from {b_year} on",
        )
    choice: Choice | None = None
    if year_cols:
        points: list[Observation] = []
        for col in year_cols:
            raw = cells[col.index] if col.index < len(cells) else None
            value = parse_value(raw, ctx.vocab)
            stats = by_year[col.index]
            if value.problem:
                stats.problems += 1
                ctx.problems.append(
                    Problem(
                        value.problem,
                        file=grid.file,
                        column=col.heading,
                        value=cell_text(raw),
                        allowed=VALUE_ALLOWED,
                        **place,
                    )
                )
                continue
            if value.number is None:
                stats.blanks += 1
            else:
                stats.values += 1
            if (value.flag or col.flag) and value.number is not None:
                stats.flagged += 1
            if value.formula:
                _formula_warning(ctx, col.heading, place, value)
            if value.number is None and not value.text:
                continue
            obs = Observation(
                year=col.year,
                value=value.number,
                unit=value.unit,
                flag=value.flag or col.flag,
                text=value.text,
                column=col.heading,
                formula=value.formula,
            )
            points.append(obs)
            unit_found = unit_found or value.unit
        with_data = [o for o in points if o.value is not None]
        if found.layout == "wide":
            first = with_data[0] if len(with_data) >= 2 else None
            last = with_data[-1] if with_data else None
            roles = {id(first): "baseline", id(last): "latest"}
            points = [Observation(**{**vars(o), "role": roles.get(id(o), "")}) for o in points]
            picked["baseline"] = (first.year, first.value) if first else (None, None)
            picked["latest"] = (last.year, last.value) if last else (None, None)
            choice = Choice(
                id=ident,
                baseline=(first.year, first.value, first.text) if first else None,  # type: ignore[arg-type]
                latest=(last.year, last.value, last.text) if last else None,  # type: ignore[arg-type]
                years_with_data=len(with_data),
            )
        series.extend(points)
    target_raw = cell("target_2030")
    target = parse_value(target_raw, ctx.vocab)
    if target.problem:
        bad("target_2030", target.problem, target_raw, VALUE_ALLOWED)
    disaggregation_text = cell_text(cell("disaggregation"))
    disaggregation = tuple(
        part.strip()
        for part in re.split(r"[;,、]", disaggregation_text)
        if part.strip() and fold(part) not in _NO_DISAGGREGATION
    )
    source = cell_text(cell("source"))
    if fold(source) in ctx.vocab.blanks:
        source = ""
    unit = cell_text(cell("unit"))
    if fold(unit) in ctx.vocab.blanks:
        unit = ""
    if not unit and unit_found:
        unit = unit_found
    if not name or ("id" in columns and not ident):
        return None, None
    record = LocalIndicator(
        id=ident,
        name=name,
        goal=goal,
        definition=cell_text(cell("definition")),
        unit=unit,
        global_codes=codes.indicators,
        baseline_year=picked["baseline"][0],
        baseline_value=picked["baseline"][1],
        latest_year=picked["latest"][0],
        latest_value=picked["latest"][1],
        target_2030=target.number,
        source=source,
        disaggregation=disaggregation,
        notes=cell_text(cell("notes")),
        row=place["row"],
        targets=codes.targets,
        series=tuple(series),
        sheet=place.get("sheet"),
        page=place.get("page"),
        table=place.get("table"),
    )
    return record, choice


def _formula_warning(ctx: _Context, heading: str, place: dict[str, Any], value: Any) -> None:
    ctx.warnings.append(
        Problem(
            f"a formula ({value.formula}); its last saved result {value.text!r} was read and "
            "the value is flagged as computed",
            file=ctx.grid.file,
            column=heading,
            allowed="a typed value; check the formula's result in the city's workbook",
            **place,
        )
    )


__all__ = [
    "Choice",
    "ColumnUse",
    "FIELDS",
    "Grid",
    "Reading",
    "TableFound",
    "YearColumn",
    "read_grids",
    "reading_label",
]
