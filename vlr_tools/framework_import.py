"""Update the SDG framework files from official sources: the UN's spreadsheet, Japanese titles.

UNSD publishes the global indicator framework as an xlsx whose main sheet,
"A.RES.71.313 Annex", is the annex of A/RES/71/313: a header row with the
columns "Goals and targets (from the 2030 Agenda for Sustainable
Development)", "Indicators" and the UNSD indicator codes, then goal rows
("Goal 1. End poverty ..."), target cells ("1.1 By 2030, eradicate ...") and
indicator cells ("1.1.1 Proportion of ..."). A few title rows may come before
the header, and the footnotes ("3 Taking into account ...") come after the
last goal. A footnote marker is a superscript number at the end of a title.

:func:`import_unsd` reads that layout, compares it with ``targets.csv``,
``indicators.csv`` and the English goal titles, and rewrites those files,
keeping the Japanese titles and the goal colours. Titles are compared after
folding typography (non-breaking hyphens, curly apostrophes), so only a real
change of wording is reported as "retitled"; the files get the sheet's own
characters either way.

:func:`import_japanese` sets the Japanese titles of targets and indicators
from a table ``code,title_ja[,sources_agreeing,sources_total,note]`` and
records where each comes from.

Nothing is written unless the whole input reads cleanly and the result passes
the framework's own validation; the new files are staged next to the old ones
and renamed into place.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import DataFileError, Problem, UnknownCodeError
from .framework import (
    FOOTNOTE_COLUMN,
    GOAL_COLUMNS,
    GOALS_FILE,
    HLPF_FILE,
    INDICATOR_COLUMNS,
    INDICATORS_FILE,
    JA_COLUMNS,
    TARGET_COLUMNS,
    TARGETS_FILE,
    TRANSLATIONS_FILE,
    Framework,
    clear_framework_cache,
    code_level,
    code_sort_key,
    default_folder,
    fold_typography,
    load_framework,
    normalise_code,
    read_rows,
    write_rows,
)

__all__ = [
    "EXPECTED_LAYOUT",
    "EXPECTED_SHEET",
    "JA_TABLE_COLUMNS",
    "Change",
    "ImportReport",
    "JapaneseReport",
    "UnsdSheet",
    "import_japanese",
    "import_unsd",
    "read_unsd",
]

#: The name of the framework sheet in UNSD's file.
EXPECTED_SHEET = "A.RES.71.313 Annex"
EXPECTED_LAYOUT = (
    "the UNSD global indicator framework layout (annex of A/RES/71/313): a sheet "
    f"'{EXPECTED_SHEET}' with a header row, within the first 30 rows, holding the columns "
    "'Goals and targets (from the 2030 Agenda for Sustainable Development)' and "
    "'Indicators' (a UNSD indicator code column may follow), then goal rows like "
    "'Goal 1. End poverty in all its forms everywhere', target cells like "
    "'1.1 By 2030, eradicate ...' and indicator cells like '1.1.1 Proportion of ...'; "
    "footnote marks are superscript numbers after a title, and the footnotes "
    "('3 Taking into account ...') follow the last goal"
)

_HEADER_ROWS = 30
_GOAL_CELL = re.compile(r"^goal\s+(\d{1,2})\s*[.:]?\s+(.+)$", re.IGNORECASE | re.DOTALL)
_TARGET_CELL = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-zA-Z])\.?\s+(.+)$", re.DOTALL)
_INDICATOR_CELL = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-zA-Z])\.(\d{1,2})\.?\s+(.+)$", re.DOTALL)
_INDICATOR_CODE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-zA-Z])\.(\d{1,2})$")
# A footnote mark: a number, an asterisk or a dagger.
_MARK = r"(?:\d{1,2}|[*\u2020])"
# A footnote below the table: its mark, then its text ("3 Taking into account ...").
_FOOTNOTE_CELL = re.compile(rf"^({_MARK})(?![\d.])\s*(\S.*)$", re.DOTALL)
# A mark written as plain text at the end of a title ("... its impacts3"); only
# taken as a mark when the sheet has a footnote of that number.
_PLAIN_MARK = re.compile(rf"(?<=[A-Za-z)\]])({_MARK})$")
_ONLY_MARK = re.compile(rf"^{_MARK}$")
# A code with no title after it: "Goal 13.", "14.6", "17.6.1" (perhaps plus a mark).
_BARE_CODE = re.compile(
    r"^(?:goal\s+\d{1,2}\s*[.:]?|\d{1,2}\.(?:\d{1,2}|[a-zA-Z])(?:\.\d{1,2})?\.?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _CellText:
    """A cell's text, and the footnote mark that ended it (superscript in the sheet).

    ``rich`` says the cell had formatted runs: then only a superscript is a mark.
    """

    text: str
    mark: str = ""
    rich: bool = False


@dataclass(frozen=True)
class UnsdSheet:
    """What was read from the spreadsheet: titles by code, in sheet order.

    ``footnotes`` maps a footnote mark to the footnote as the sheet prints
    it; ``marks`` maps ``(level, code)`` to the mark after that title.
    """

    path: Path
    sheet: str
    goals: dict[int, str]
    targets: dict[str, str]
    listings: dict[str, tuple[str, str]]  # indicator code -> (target, title)
    footnotes: dict[str, str] = field(default_factory=dict)
    marks: dict[tuple[str, str], str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def footnote(self, level: str, code: str) -> str:
        """The footnote of an item, as the sheet prints it ("3 Taking into ..."), or ""."""
        mark = self.marks.get((level, code), "")
        return self.footnotes.get(mark, "")


@dataclass(frozen=True)
class Change:
    """One difference between the spreadsheet and the project's data.

    ``typography`` is a title that differs only in typography (stored with
    the sheet's characters, not a retitle); ``footnote`` a changed footnote.
    """

    kind: str  # added, removed, retitled, typography, footnote, relinked
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
        if self.kind == "typography":
            return f"{self.level} {self.code}"
        if self.kind == "footnote":
            return f"footnote of {self.level} {self.code}: {self.new or '(none)'}"
        return f"retitled {self.level} {self.code}:\n    was: {self.old}\n    now: {self.new}"


_KINDS = ("added", "removed", "retitled", "relinked", "footnote", "typography")


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
    warnings: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The report as printable lines."""
        c = self.counts
        out = [
            f"read {self.source.name}, sheet '{self.sheet}': {c.get('goals', 0)} goals, "
            f"{c.get('targets', 0)} targets, {c.get('indicators', 0)} unique indicators, "
            f"{c.get('listings', 0)} listings"
        ]
        out += [f"note: {w}" for w in self.warnings]
        if not self.changes:
            out.append("no changes: the project's data already matches the spreadsheet")
        for kind in _KINDS:
            chosen = [ch for ch in self.changes if ch.kind == kind]
            if not chosen:
                continue
            if kind == "typography":
                out.append(
                    f"typography only (not a retitle; the sheet's characters are stored): "
                    f"{len(chosen)}"
                )
                out.append("  " + ", ".join(str(ch) for ch in chosen))
                continue
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


def _cell(value: Any) -> _CellText:
    """A cell's text, with a trailing superscript footnote mark taken out of it.

    Only superscript runs count: the subscript 2 of "CO2" is part of the title.
    """
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    if not isinstance(value, CellRichText):
        return _CellText(_text(value))
    runs = [(str(r), isinstance(r, TextBlock) and r.font.vertAlign == "superscript") for r in value]
    while runs and not runs[-1][0].strip():
        runs.pop()
    mark = ""
    if runs and runs[-1][1] and _ONLY_MARK.match(runs[-1][0].strip()):
        mark = runs.pop()[0].strip()
    return _CellText(_text("".join(text for text, _ in runs)), mark, rich=True)


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


def read_unsd(path: str | Path, sheet: str | None = None) -> UnsdSheet:
    """Read goals, targets and indicator listings from a UNSD framework xlsx.

    ``sheet`` defaults to :data:`EXPECTED_SHEET`. Raises :class:`DataFileError`
    naming the file, sheet, row and column of every problem, or saying which
    layout was expected when the sheet or its header is not found.
    """
    import openpyxl

    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: file not found")
    wanted = sheet or EXPECTED_SHEET
    # Not read-only: openpyxl's read-only mode drops the formatting of inline rich
    # text, and a footnote mark is told from a title's last digits by that formatting.
    with warnings.catch_warnings():
        # UNSD's file carries Excel extensions openpyxl does not know; they hold no text.
        warnings.filterwarnings("ignore", "Unknown extension", UserWarning)
        try:
            book = openpyxl.load_workbook(path, data_only=True, rich_text=True)
        except Exception as exc:  # openpyxl raises many kinds for a non-xlsx file
            raise DataFileError(
                f"{path}: cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc}); "
                f"expected {EXPECTED_LAYOUT}"
            ) from None
        try:
            names = list(book.sheetnames)
            if wanted not in names:
                hint = "" if sheet else "; if the UN renamed the sheet, name it with --sheet"
                raise DataFileError(
                    f"{path}: there is no sheet '{wanted}' (sheets: {', '.join(names) or 'none'})"
                    f"{hint}; expected {EXPECTED_LAYOUT}"
                )
            rows = list(book[wanted].iter_rows(values_only=True))
        except DataFileError:
            raise
        except Exception as exc:
            raise DataFileError(f"{path}: the workbook is damaged ({exc})") from None
        finally:
            book.close()
    found = _find_header(rows)
    if found is None:
        raise DataFileError(
            f"{path}, sheet '{wanted}': no header row with the columns 'Goals and targets "
            f"(from the 2030 Agenda for Sustainable Development)' and 'Indicators' in the "
            f"first {_HEADER_ROWS} rows; expected {EXPECTED_LAYOUT}"
        )
    return _parse_sheet(path, wanted, rows, found)


def _parse_sheet(
    path: Path, sheet: str, rows: list[tuple[Any, ...]], header: tuple[int, int, int, int]
) -> UnsdSheet:
    start, goal_col, ind_col, code_col = header
    head = [_text(v) for v in rows[start]]
    problems: list[Problem] = []
    goals: dict[int, str] = {}
    targets: dict[str, str] = {}
    listings: dict[str, tuple[str, str]] = {}
    footnotes: dict[str, str] = {}
    # (level, code) -> (mark, plain: the mark was not superscript, row, column)
    marks: dict[tuple[str, str], tuple[str, bool, int, int]] = {}
    goal: int | None = None

    def cell(row: tuple[Any, ...], col: int) -> _CellText:
        return _cell(row[col]) if 0 <= col < len(row) else _CellText("")

    def problem(number: int, col: int, message: str, value: str = "") -> None:
        problems.append(
            Problem(message, file=str(path), sheet=sheet, row=number, column=head[col], value=value)
        )

    def untitled(number: int, col: int, got: _CellText) -> None:
        mark = f", only the footnote mark {got.mark}" if got.mark else ""
        problem(
            number,
            col,
            f"the cell has a code but no title{mark}; expected the code followed by the "
            "title, like '1.1 By 2030, eradicate ...' or '1.1.1 Proportion of ...'",
            got.text,
        )

    def title(level: str, code: str, text: str, got: _CellText, number: int, col: int) -> str:
        """The title without its footnote mark; a title that is only a mark is a problem."""
        found = None if got.rich else _PLAIN_MARK.search(text)
        plain = found is not None
        mark = found[1] if found else got.mark
        if found:
            text = text[: found.start()].rstrip()
        if mark:
            marks[(level, code)] = (mark, plain, number, col)
        if not text or _ONLY_MARK.match(text):
            problem(
                number,
                col,
                f"the title of {level} {code} is only a footnote mark; expected the "
                f"{level}'s title after its code",
                got.text + (got.mark and f" (superscript {got.mark})"),
            )
        return text

    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        got = cell(row, goal_col)
        text = got.text
        if m := _GOAL_CELL.match(text):
            goal = int(m[1])
            if goal in goals:
                problem(number, goal_col, f"goal {goal} appears twice")
            goals[goal] = title("goal", str(goal), m[2], got, number, goal_col)
        elif m := _TARGET_CELL.match(text):
            code = f"{int(m[1])}.{m[2].lower() if m[2].isalpha() else int(m[2])}"
            if goal is None or int(m[1]) != goal:
                problem(number, goal_col, f"target {code} is not under a 'Goal {m[1]}.' row")
            elif code in targets:
                problem(number, goal_col, f"target {code} appears twice")
            else:
                targets[code] = title("target", code, m[3], got, number, goal_col)
        elif _BARE_CODE.match(text):
            untitled(number, goal_col, got)
        elif m := _FOOTNOTE_CELL.match(text):
            footnotes.setdefault(m[1], f"{m[1]} {m[2]}")
        elif _ONLY_MARK.match(text) or (got.mark and not text):
            problem(
                number,
                goal_col,
                "the cell holds only a footnote mark; expected a goal row ('Goal 1. End "
                "poverty ...'), a target ('1.1 By 2030, ...') or a footnote ('3 Taking into "
                "account ...')",
                got.text or got.mark,
            )
        got = cell(row, ind_col)
        text = got.text
        if not text and not got.mark:
            continue
        m = _INDICATOR_CELL.match(text)
        code_cell = cell(row, code_col).text
        if not m and _INDICATOR_CODE.match(code_cell):
            m = _INDICATOR_CELL.match(f"{code_cell} {text}")
        if not m:
            if _BARE_CODE.match(text):
                untitled(number, ind_col, got)
            elif _ONLY_MARK.match(text) or not text:
                problem(
                    number,
                    ind_col,
                    "the indicator cell holds only a footnote mark; expected a code and a "
                    "title like '1.1.1 Proportion of ...'",
                    text or got.mark,
                )
            elif re.match(r"^\d", text):
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
            listings[code] = (target, title("indicator", code, m[4], got, number, ind_col))
    if problems:
        raise DataFileError(f"{path}: the spreadsheet has problems; nothing was imported", problems)
    if not goals or not targets or not listings:
        raise DataFileError(
            f"{path}, sheet '{sheet}': found {len(goals)} goal(s), {len(targets)} target(s) and "
            f"{len(listings)} indicator(s) under the header in row {start + 1}; "
            f"expected {EXPECTED_LAYOUT}"
        )
    return _resolve_marks(path, sheet, goals, targets, listings, footnotes, marks, rows[:start])


def _resolve_marks(
    path: Path,
    sheet: str,
    goals: dict[int, str],
    targets: dict[str, str],
    listings: dict[str, tuple[str, str]],
    footnotes: dict[str, str],
    marks: dict[tuple[str, str], tuple[str, bool, int, int]],
    above_header: list[tuple[Any, ...]],
) -> UnsdSheet:
    """Keep each mark that names a footnote; put back plain digits that name none."""
    notes: list[str] = []
    kept: dict[tuple[str, str], str] = {}
    for (level, code), (mark, plain, number, _) in marks.items():
        if mark in footnotes:
            kept[(level, code)] = mark
            continue
        if plain and mark.isdigit():
            # Digits that name no footnote (the 10 of "PM10") belong to the title.
            if level == "goal":
                goals[int(code)] += mark
            elif level == "target":
                targets[code] += mark
            else:
                listings[code] = (listings[code][0], listings[code][1] + mark)
            continue
        notes.append(
            f"{level} {code} (row {number}) has footnote mark {mark}, but the sheet has no "
            "footnote of that number; the mark was left out of the title"
        )
    used = set(kept.values())
    for row in above_header:  # e.g. the disaggregation note above the header
        used.update(_cell(v).mark for v in row)
    unused = [m for m in footnotes if m.isdigit() and m not in used]
    for mark in unused:
        notes.append(f"footnote {footnotes[mark]!r} is not referenced by any title")
    return UnsdSheet(path, sheet, goals, targets, listings, footnotes, kept, tuple(notes))


def _columns(path: Path, required: tuple[str, ...]) -> list[str]:
    """The file's own header (keeping any extra columns a reviewer added)."""
    if not path.is_file():
        return list(required)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    header = [h.strip() for h in header if h.strip()]
    return header + [c for c in required if c not in header]


def _stage_and_replace(
    folder: Path, files: dict[str, tuple[list[str], list[dict[str, str]]]], write: bool, origin: str
) -> tuple[Framework, bool]:
    """Write ``files`` to a staging folder, validate them as a framework, then rename them in.

    Raises :class:`DataFileError` naming the files as they would be written
    when the result would not load; nothing in ``folder`` changes then.
    """
    with tempfile.TemporaryDirectory(dir=folder, prefix=".import-") as tmp:
        staging = Path(tmp)
        for name, (columns, rows) in files.items():
            write_rows(staging / name, columns, rows)
        for name in (GOALS_FILE, TARGETS_FILE, INDICATORS_FILE, HLPF_FILE, TRANSLATIONS_FILE):
            if name not in files and (folder / name).is_file():
                shutil.copy2(folder / name, staging / name)
        try:
            framework = load_framework(staging)
        except DataFileError as exc:
            # Name the files as they would be written, not the staging copies.
            where = [
                replace(p, file=f"{str(p.file).replace(str(staging), str(folder))} (as imported)")
                for p in exc.problems
            ]
            raise DataFileError(
                f"{origin}: the imported framework would not be valid; nothing was changed",
                where,
            ) from None
        if not write:
            return framework, False
        # Each rename is atomic; all validation happened before the first one.
        for name in files:
            (staging / name).replace(folder / name)
        clear_framework_cache()
    return framework, True


def import_unsd(
    source: str | Path,
    folder: str | Path | None = None,
    *,
    dry_run: bool = False,
    sheet: str | None = None,
) -> ImportReport:
    """Update the framework files in ``folder`` from a UNSD framework spreadsheet.

    Keeps Japanese titles, goal colours and short names; a repeated indicator
    (same English title under several targets) gets ``same_as`` = its earliest
    code; a title's footnote goes to the ``footnote`` column. With ``dry_run``
    the changes are computed and validated but nothing is written. Raises
    :class:`DataFileError` and changes nothing when the spreadsheet or the
    resulting data is not valid.
    """
    unsd = read_unsd(source, sheet)
    folder = Path(folder or default_folder())
    problems: list[Problem] = []
    old_goals = {r["goal"]: r for _, r in read_rows(folder / GOALS_FILE, GOAL_COLUMNS, problems)}
    old_targets = {r["code"]: r for _, r in read_rows(folder / TARGETS_FILE, TARGET_COLUMNS, [])}
    old_inds = {r["code"]: r for _, r in read_rows(folder / INDICATORS_FILE, INDICATOR_COLUMNS, [])}
    if problems:
        raise DataFileError(
            "the goals file is needed for its colours and Japanese titles", problems
        )
    wanted = {str(n) for n in unsd.goals}
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
            f"{unsd.path}: {'; '.join(parts)}; a partial framework cannot be imported, "
            "nothing was changed"
        )

    changes: list[Change] = []
    stale: list[str] = []

    def compare(level: str, code: str, old: dict[str, str] | None, new_title: str) -> str:
        """Record how ``code`` changed; return its footnote as the sheet has it."""
        note = unsd.footnote(level, code)
        if old is None:
            changes.append(Change("added", level, code, new=new_title))
            return note
        if old["title_en"] != new_title:
            if fold_typography(old["title_en"]) != fold_typography(new_title):
                changes.append(Change("retitled", level, code, old["title_en"], new_title))
                if old.get("title_ja"):
                    stale.append(code)
            else:
                changes.append(Change("typography", level, code, old["title_en"], new_title))
        if old.get(FOOTNOTE_COLUMN, "") != note:
            changes.append(Change("footnote", level, code, old.get(FOOTNOTE_COLUMN, ""), note))
        return note

    goal_rows = []
    for key, rec in old_goals.items():
        title = unsd.goals[int(key)]
        note = compare("goal", key, rec, title)
        goal_rows.append({**rec, "title_en": title, FOOTNOTE_COLUMN: note})

    target_rows = []
    for code in sorted(unsd.targets, key=code_sort_key):
        old = old_targets.get(code)
        title = unsd.targets[code]
        note = compare("target", code, old, title)
        base = old or {"title_ja": ""}
        target_rows.append(
            {
                **base,
                "code": code,
                "goal": code.split(".")[0],
                "title_en": title,
                FOOTNOTE_COLUMN: note,
            }
        )
    changes += [
        Change("removed", "target", c, old=r["title_en"])
        for c, r in old_targets.items()
        if c not in unsd.targets
    ]

    first_with_title: dict[str, str] = {}
    indicator_rows = []
    for code in sorted(unsd.listings, key=code_sort_key):
        target, title = unsd.listings[code]
        same_as = first_with_title.setdefault(fold_typography(title), code)
        same_as = "" if same_as == code else same_as
        old = old_inds.get(code)
        note = compare("indicator", code, old, title)
        if old is not None and old.get("same_as", "") != same_as:
            changes.append(Change("relinked", "indicator", code, old.get("same_as", ""), same_as))
        base = old or {"title_ja": ""}
        indicator_rows.append(
            {
                **base,
                "code": code,
                "target": target,
                "title_en": title,
                "same_as": same_as,
                FOOTNOTE_COLUMN: note,
            }
        )
    changes += [
        Change("removed", "indicator", c, old=r["title_en"])
        for c, r in old_inds.items()
        if c not in unsd.listings
    ]

    files = {
        GOALS_FILE: (_columns(folder / GOALS_FILE, (*GOAL_COLUMNS, FOOTNOTE_COLUMN)), goal_rows),
        TARGETS_FILE: (
            _columns(folder / TARGETS_FILE, (*TARGET_COLUMNS, FOOTNOTE_COLUMN)),
            target_rows,
        ),
        INDICATORS_FILE: (
            _columns(folder / INDICATORS_FILE, (*INDICATOR_COLUMNS, FOOTNOTE_COLUMN)),
            indicator_rows,
        ),
    }
    framework, written = _stage_and_replace(
        folder, files, bool(changes) and not dry_run, str(unsd.path)
    )
    return ImportReport(
        source=unsd.path,
        sheet=unsd.sheet,
        folder=folder,
        changes=tuple(changes),
        written=written,
        counts=framework.counts(),
        stale_japanese=tuple(stale),
        warnings=unsd.warnings,
    )


# --------------------------------------------------------------------------- Japanese titles

#: The columns of a Japanese-title table; the last three are optional.
JA_TABLE_COLUMNS = ("code", "title_ja", "sources_agreeing", "sources_total", "note")
# How the shared tables say that a translation follows an older English wording.
_OLDER_WORDING = re.compile(r"English differs from the wording this .{0,20}translates")


@dataclass(frozen=True)
class JapaneseReport:
    """The outcome of :func:`import_japanese`."""

    source: Path
    translation: str
    folder: Path
    targets: int
    indicators: int
    changed: tuple[str, ...]
    older_wording: tuple[str, ...]
    written: bool
    missing: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The report as printable lines."""
        out = [
            f"read {self.source.name}: Japanese titles ({self.translation}) for "
            f"{self.targets} target(s) and {self.indicators} indicator listing(s)"
        ]
        if self.changed:
            out.append(f"new or changed: {len(self.changed)}")
            out.append("  " + ", ".join(self.changed))
        else:
            out.append("no changes: the project's data already has these titles")
        if self.older_wording:
            out.append(f"marked as translating an older English wording: {len(self.older_wording)}")
            out.append("  " + ", ".join(self.older_wording))
        if self.missing:
            out.append(
                f"{len(self.missing)} indicator(s) still have no Japanese title "
                "(see vlr framework missing-ja)"
            )
        if self.changed:
            out.append(
                f"wrote {TARGETS_FILE}, {INDICATORS_FILE} in {self.folder}"
                if self.written
                else "dry run: nothing written"
            )
        return out


def _read_japanese(path: Path, fw: Framework) -> list[tuple[int, dict[str, str]]]:
    """The rows of a Japanese-title table, checked against the framework.

    Unknown, malformed or repeated codes, empty titles and bad counts are
    refused, each with the file, row and column.
    """
    problems: list[Problem] = []
    rows = read_rows(path, JA_TABLE_COLUMNS[:2], problems)
    seen: dict[str, int] = {}
    good: list[tuple[int, dict[str, str]]] = []

    def bad(row: int, column: str, message: str, value: object = None, allowed: str = "") -> None:
        problems.append(
            Problem(
                message,
                file=str(path),
                row=row,
                column=column,
                value=value,
                allowed=allowed or None,
            )
        )

    for row, rec in rows:
        raw = rec["code"]
        try:
            code = normalise_code(raw)
            level = code_level(code)
            if level == "goal":
                bad(row, "code", "is a goal; only targets and indicators are taken", raw)
                continue
            fw.lookup(code)
        except UnknownCodeError as exc:
            bad(row, "code", str(exc), raw)
            continue
        if code in seen:
            bad(row, "code", f"{code} is listed twice (first in row {seen[code]})", raw)
            continue
        seen[code] = row
        if not rec["title_ja"]:
            bad(row, "title_ja", f"empty; give the Japanese title of {code} or leave the row out")
            continue
        agreeing, total = rec.get("sources_agreeing", ""), rec.get("sources_total", "")
        if agreeing or total:
            ok = agreeing.isdigit() and total.isdigit() and 0 < int(agreeing) <= int(total)
            if not ok:
                bad(
                    row,
                    "sources_agreeing" if not agreeing.isdigit() else "sources_total",
                    "not a count of agreeing copies",
                    f"{agreeing}/{total}",
                    "whole numbers with 0 < sources_agreeing <= sources_total",
                )
                continue
        good.append((row, {**rec, "code": code, "level": level}))
    if not rows and not problems:
        bad(1, "code", "the table has no rows")
    if problems:
        raise DataFileError(
            f"{path}: the Japanese-title table has problems; nothing was imported", problems
        )
    return good


def import_japanese(
    source: str | Path,
    translation: str,
    folder: str | Path | None = None,
    *,
    dry_run: bool = False,
) -> JapaneseReport:
    """Set Japanese titles of targets and indicators from a table, with their provenance.

    ``source`` is a UTF-8 CSV with the columns ``code,title_ja`` and optionally
    ``sources_agreeing,sources_total,note`` (the tables in
    ``data/reference/sdg/source/``). ``translation`` names the translation in
    ``translations.csv`` (e.g. ``mofa``); each row gets ``ja_source`` =
    ``translation``, ``ja_agreement`` = ``agreeing/total`` and
    ``ja_older_wording`` = yes when the note says the translation follows an
    older English wording. Codes the table does not name keep their titles.

    >>> import_japanese("data/reference/sdg/source/sdg_targets_ja.csv", "mofa")  # doctest: +SKIP
    """
    path = Path(source)
    folder = Path(folder or default_folder())
    fw = load_framework(folder)
    if translation not in fw.translations:
        known = ", ".join(fw.translations) or "none"
        raise DataFileError(
            f"unknown translation {translation!r}; the sources in {folder / TRANSLATIONS_FILE} "
            f"are: {known}"
        )
    wanted = {rec["code"]: rec for _, rec in _read_japanese(path, fw)}
    changed: list[str] = []
    older: list[str] = []
    files: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
    # Only an indicator can translate an older wording: the targets' text has not changed.
    tables = (
        (TARGETS_FILE, TARGET_COLUMNS, JA_COLUMNS[:2]),
        (INDICATORS_FILE, INDICATOR_COLUMNS, JA_COLUMNS),
    )
    for name, required, provenance in tables:
        rows = [rec for _, rec in read_rows(folder / name, required, [])]
        for rec in rows:
            new = wanted.get(rec["code"])
            if new is None:
                continue
            agreeing, total = new.get("sources_agreeing", ""), new.get("sources_total", "")
            values = {
                "title_ja": new["title_ja"],
                "ja_source": translation,
                "ja_agreement": f"{agreeing}/{total}" if agreeing else "",
                "ja_older_wording": "yes" if _OLDER_WORDING.search(new.get("note", "")) else "",
            }
            values = {k: v for k, v in values.items() if k == "title_ja" or k in provenance}
            if values.get("ja_older_wording"):
                older.append(rec["code"])
            if any(rec.get(k, "") != v for k, v in values.items()):
                changed.append(rec["code"])
            rec.update(values)
        files[name] = (_columns(folder / name, (*required, *provenance)), rows)
    staged, written = _stage_and_replace(folder, files, bool(changed) and not dry_run, str(path))
    levels = [rec["level"] for rec in wanted.values()]
    return JapaneseReport(
        source=path,
        translation=translation,
        folder=folder,
        targets=levels.count("target"),
        indicators=levels.count("indicator"),
        changed=tuple(sorted(changed, key=code_sort_key)),
        older_wording=tuple(sorted(older, key=code_sort_key)),
        written=written,
        missing=tuple(i.code for i in staged.indicators if not i.title_ja),
    )
