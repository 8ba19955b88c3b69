"""Update the SDG framework files from the UN Statistics Division's spreadsheet.

UNSD publishes the global indicator framework as an xlsx whose main sheet is
the annex of A/RES/71/313: a header row with the columns "Goals and targets
(from the 2030 Agenda for Sustainable Development)", "Indicators" and the
UNSD indicator codes, then goal rows ("Goal 1. End poverty ..."), target
cells ("1.1 By 2030, eradicate ...") and indicator cells ("1.1.1 Proportion
of ..."). A few title rows may come before the header.

:func:`import_unsd` reads that layout, compares it with ``targets.csv``,
``indicators.csv`` and the English goal titles, and rewrites those files,
keeping the Japanese titles and the goal colours. Nothing is written unless
the whole spreadsheet reads cleanly and the result passes the framework's own
validation; the new files are staged next to the old ones and renamed into
place.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import DataFileError, Problem
from .framework import (
    GOAL_COLUMNS,
    GOALS_FILE,
    HLPF_FILE,
    INDICATOR_COLUMNS,
    INDICATORS_FILE,
    TARGET_COLUMNS,
    TARGETS_FILE,
    clear_framework_cache,
    code_sort_key,
    default_folder,
    load_framework,
    read_rows,
    write_rows,
)

__all__ = ["EXPECTED_LAYOUT", "Change", "ImportReport", "UnsdSheet", "import_unsd", "read_unsd"]

EXPECTED_LAYOUT = (
    "the UNSD global indicator framework layout (annex of A/RES/71/313): a sheet with a "
    "header row, within the first 30 rows, holding the columns 'Goals and targets (from the "
    "2030 Agenda for Sustainable Development)' and 'Indicators' (a UNSD indicator code "
    "column may follow), then goal rows like 'Goal 1. End poverty in all its forms "
    "everywhere', target cells like '1.1 By 2030, eradicate ...' and indicator cells like "
    "'1.1.1 Proportion of ...'"
)

_HEADER_ROWS = 30
_GOAL_CELL = re.compile(r"^goal\s+(\d{1,2})\s*[.:]?\s+(.+)$", re.IGNORECASE | re.DOTALL)
_TARGET_CELL = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-zA-Z])\.?\s+(.+)$", re.DOTALL)
_INDICATOR_CELL = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-zA-Z])\.(\d{1,2})\.?\s+(.+)$", re.DOTALL)
_INDICATOR_CODE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-zA-Z])\.(\d{1,2})$")


@dataclass(frozen=True)
class UnsdSheet:
    """What was read from the spreadsheet: titles by code, in sheet order."""

    path: Path
    sheet: str
    goals: dict[int, str]
    targets: dict[str, str]
    listings: dict[str, tuple[str, str]]  # indicator code -> (target, title)


@dataclass(frozen=True)
class Change:
    """One difference between the spreadsheet and the project's data."""

    kind: str  # added, removed, retitled, relinked
    level: str  # goal, target, indicator
    code: str
    old: str = ""
    new: str = ""

    def __str__(self) -> str:
        if self.kind == "added":
            return f"added {self.level} {self.code}: {self.new}"
        if self.kind == "removed":
            return f"removed {self.level} {self.code}: {self.old}"
        if self.kind == "relinked":
            return (
                f"relinked {self.level} {self.code}: same_as {self.old or '-'} -> {self.new or '-'}"
            )
        return f"retitled {self.level} {self.code}:\n    was: {self.old}\n    now: {self.new}"


@dataclass(frozen=True)
class ImportReport:
    """The outcome of an import: the changes and whether the files were written."""

    source: Path
    sheet: str
    folder: Path
    changes: tuple[Change, ...]
    written: bool
    counts: dict[str, int] = field(default_factory=dict)
    stale_japanese: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The report as printable lines."""
        c = self.counts
        out = [
            f"read {self.source.name}, sheet '{self.sheet}': {c.get('goals', 0)} goals, "
            f"{c.get('targets', 0)} targets, {c.get('indicators', 0)} unique indicators, "
            f"{c.get('listings', 0)} listings"
        ]
        if not self.changes:
            out.append("no changes: the project's data already matches the spreadsheet")
        for kind in ("added", "removed", "retitled", "relinked"):
            chosen = [ch for ch in self.changes if ch.kind == kind]
            if chosen:
                out.append(f"{kind}: {len(chosen)}")
                out += [f"  {ch}" for ch in chosen]
        if self.stale_japanese:
            out.append(
                "Japanese title kept for retitled item(s); check it still matches the new "
                f"English title: {', '.join(self.stale_japanese)}"
            )
        if self.changes:
            out.append(
                f"wrote {GOALS_FILE}, {TARGETS_FILE}, {INDICATORS_FILE} in {self.folder}"
                if self.written
                else "dry run: nothing written"
            )
        return out


def _text(value: Any) -> str:
    """Cell text with line breaks and runs of spaces folded, as the UN sheet wraps them."""
    if value is None:
        return ""
    return " ".join(str(value).replace("\u00a0", " ").split())


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, int, int, int] | None:
    """(header row index, goals column, indicators column, code column or -1)."""
    for index, row in enumerate(rows[:_HEADER_ROWS]):
        cells = [_text(v).lower() for v in row]
        goals = next((i for i, c in enumerate(cells) if c.startswith("goals and targets")), None)
        inds = next((i for i, c in enumerate(cells) if c.startswith("indicator")), None)
        if goals is not None and inds is not None and goals != inds:
            codes = next(
                (i for i, c in enumerate(cells) if "code" in c and i not in (goals, inds)), -1
            )
            return index, goals, inds, codes
    return None


def read_unsd(path: str | Path) -> UnsdSheet:
    """Read goals, targets and indicator listings from a UNSD framework xlsx.

    Raises :class:`DataFileError` naming the file, sheet, row and column of
    every problem, or saying which layout was expected when none is found.
    """
    import openpyxl

    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: file not found")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-xlsx file
        raise DataFileError(
            f"{path}: cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc}); "
            f"expected {EXPECTED_LAYOUT}"
        ) from None
    try:
        sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    except Exception as exc:
        raise DataFileError(f"{path}: the workbook is damaged ({exc})") from None
    finally:
        book.close()
    for name, rows in sheets.items():
        found = _find_header(rows)
        if found is not None:
            return _parse_sheet(path, name, rows, found)
    raise DataFileError(
        f"{path}: no sheet has the expected layout (sheets: {', '.join(sheets) or 'none'}); "
        f"expected {EXPECTED_LAYOUT}"
    )


def _parse_sheet(
    path: Path, sheet: str, rows: list[tuple[Any, ...]], header: tuple[int, int, int, int]
) -> UnsdSheet:
    start, goal_col, ind_col, code_col = header
    head = [_text(v) for v in rows[start]]
    problems: list[Problem] = []
    goals: dict[int, str] = {}
    targets: dict[str, str] = {}
    listings: dict[str, tuple[str, str]] = {}
    goal: int | None = None

    def cell(row: tuple[Any, ...], col: int) -> str:
        return _text(row[col]) if 0 <= col < len(row) else ""

    def problem(number: int, col: int, message: str, value: str = "") -> None:
        problems.append(
            Problem(message, file=str(path), sheet=sheet, row=number, column=head[col], value=value)
        )

    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        text = cell(row, goal_col)
        if m := _GOAL_CELL.match(text):
            goal = int(m[1])
            if goal in goals:
                problem(number, goal_col, f"goal {goal} appears twice")
            goals[goal] = m[2].rstrip("*").strip()
        elif m := _TARGET_CELL.match(text):
            code = f"{int(m[1])}.{m[2].lower() if m[2].isalpha() else int(m[2])}"
            if goal is None or int(m[1]) != goal:
                problem(number, goal_col, f"target {code} is not under a 'Goal {m[1]}.' row")
            elif code in targets:
                problem(number, goal_col, f"target {code} appears twice")
            else:
                targets[code] = m[3]
        text = cell(row, ind_col)
        if not text:
            continue
        m = _INDICATOR_CELL.match(text)
        code_cell = cell(row, code_col)
        if not m and _INDICATOR_CODE.match(code_cell):
            m = _INDICATOR_CELL.match(f"{code_cell} {text}")
        if not m:
            if re.match(r"^\d", text):
                problem(
                    number, ind_col, "indicator cell does not start with a code like 1.1.1", text
                )
            continue
        target = f"{int(m[1])}.{m[2].lower() if m[2].isalpha() else int(m[2])}"
        code = f"{target}.{int(m[3])}"
        if target not in targets:
            problem(number, ind_col, f"indicator {code} comes before its target {target}")
        elif code in listings:
            problem(number, ind_col, f"indicator {code} appears twice")
        else:
            listings[code] = (target, m[4])
    if problems:
        raise DataFileError(f"{path}: the spreadsheet has problems; nothing was imported", problems)
    if not goals or not targets or not listings:
        raise DataFileError(
            f"{path}, sheet '{sheet}': found {len(goals)} goal(s), {len(targets)} target(s) and "
            f"{len(listings)} indicator(s) under the header in row {start + 1}; "
            f"expected {EXPECTED_LAYOUT}"
        )
    return UnsdSheet(path, sheet, goals, targets, listings)


def _columns(path: Path, required: tuple[str, ...]) -> list[str]:
    """The file's own header (keeping any extra columns a reviewer added)."""
    if not path.is_file():
        return list(required)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    header = [h.strip() for h in header if h.strip()]
    return header + [c for c in required if c not in header]


def import_unsd(
    source: str | Path, folder: str | Path | None = None, *, dry_run: bool = False
) -> ImportReport:
    """Update the framework files in ``folder`` from a UNSD framework spreadsheet.

    Keeps Japanese titles, goal colours and short names; a repeated indicator
    (same English title under several targets) gets ``same_as`` = its earliest
    code. With ``dry_run`` the changes are computed and validated but nothing
    is written. Raises :class:`DataFileError` and changes nothing when the
    spreadsheet or the resulting data is not valid.
    """
    sheet = read_unsd(source)
    folder = Path(folder or default_folder())
    problems: list[Problem] = []
    old_goals = {r["goal"]: r for _, r in read_rows(folder / GOALS_FILE, GOAL_COLUMNS, problems)}
    old_targets = {r["code"]: r for _, r in read_rows(folder / TARGETS_FILE, TARGET_COLUMNS, [])}
    old_inds = {r["code"]: r for _, r in read_rows(folder / INDICATORS_FILE, INDICATOR_COLUMNS, [])}
    if problems:
        raise DataFileError(
            "the goals file is needed for its colours and Japanese titles", problems
        )
    wanted = {str(n) for n in sheet.goals}
    missing = sorted(set(old_goals) - wanted, key=int)
    extra = sorted(wanted - set(old_goals), key=int)
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"it has no row for goal(s) {', '.join(missing)}")
        if extra:
            parts.append(
                f"goal(s) {', '.join(extra)} are not in {GOALS_FILE} (add them there first)"
            )
        raise DataFileError(
            f"{sheet.path}: {'; '.join(parts)}; a partial framework cannot be imported, "
            "nothing was changed"
        )

    changes: list[Change] = []
    stale: list[str] = []

    def compare(level: str, code: str, old: dict[str, str] | None, new_title: str) -> None:
        if old is None:
            changes.append(Change("added", level, code, new=new_title))
        elif " ".join(old["title_en"].split()) != new_title:
            changes.append(Change("retitled", level, code, old["title_en"], new_title))
            if old.get("title_ja"):
                stale.append(code)

    goal_rows = []
    for key, rec in old_goals.items():
        compare("goal", key, rec, sheet.goals[int(key)])
        goal_rows.append({**rec, "title_en": sheet.goals[int(key)]})

    target_rows = []
    for code in sorted(sheet.targets, key=code_sort_key):
        old = old_targets.get(code)
        compare("target", code, old, sheet.targets[code])
        base = old or {"title_ja": ""}
        target_rows.append(
            {**base, "code": code, "goal": code.split(".")[0], "title_en": sheet.targets[code]}
        )
    changes += [
        Change("removed", "target", c, old=r["title_en"])
        for c, r in old_targets.items()
        if c not in sheet.targets
    ]

    first_with_title: dict[str, str] = {}
    indicator_rows = []
    for code in sorted(sheet.listings, key=code_sort_key):
        target, title = sheet.listings[code]
        same_as = first_with_title.setdefault(title, code)
        same_as = "" if same_as == code else same_as
        old = old_inds.get(code)
        compare("indicator", code, old, title)
        if old is not None and old.get("same_as", "") != same_as:
            changes.append(Change("relinked", "indicator", code, old.get("same_as", ""), same_as))
        base = old or {"title_ja": ""}
        indicator_rows.append(
            {**base, "code": code, "target": target, "title_en": title, "same_as": same_as}
        )
    changes += [
        Change("removed", "indicator", c, old=r["title_en"])
        for c, r in old_inds.items()
        if c not in sheet.listings
    ]

    with tempfile.TemporaryDirectory(dir=folder, prefix=".import-") as tmp:
        staging = Path(tmp)
        write_rows(staging / GOALS_FILE, _columns(folder / GOALS_FILE, GOAL_COLUMNS), goal_rows)
        write_rows(
            staging / TARGETS_FILE, _columns(folder / TARGETS_FILE, TARGET_COLUMNS), target_rows
        )
        write_rows(
            staging / INDICATORS_FILE,
            _columns(folder / INDICATORS_FILE, INDICATOR_COLUMNS),
            indicator_rows,
        )
        if (folder / HLPF_FILE).is_file():
            shutil.copy2(folder / HLPF_FILE, staging / HLPF_FILE)
        try:
            framework = load_framework(staging)
        except DataFileError as exc:
            # Name the files as they would be written, not the staging copies.
            where = [
                replace(p, file=f"{str(p.file).replace(str(staging), str(folder))} (as imported)")
                for p in exc.problems
            ]
            raise DataFileError(
                f"{sheet.path}: the imported framework would not be valid; nothing was changed",
                where,
            ) from None
        written = False
        if changes and not dry_run:
            # Each rename is atomic; all validation happened before the first one.
            for name in (INDICATORS_FILE, TARGETS_FILE, GOALS_FILE):
                (staging / name).replace(folder / name)
            clear_framework_cache()
            written = True
    return ImportReport(
        source=sheet.path,
        sheet=sheet.sheet,
        folder=folder,
        changes=tuple(changes),
        written=written,
        counts=framework.counts(),
        stale_japanese=tuple(stale),
    )
