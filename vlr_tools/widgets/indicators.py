"""A notebook form to take a city's indicator table into a review, seeing what was understood.

>>> form = indicator_table_form(ws, review.id, reviewer="Ana Reyes")   # doctest: +SKIP
>>> form                                                              # doctest: +SKIP

The reviewer uploads the table the city sent (.xlsx or .csv, any layout) or
names pages of the review's stored draft whose annex holds the tables, and
clicks *Read*. The form shows the reader's "what I understood" report (which
column became what, the year columns, the section rows, the rows skipped,
the baseline and latest chosen, every problem) and one dropdown per column
of the header. Changing a dropdown and clicking *Read again* reads the table
with that column mapping; when no table was found at all, the dropdowns are
those of the row that looks most like a header (another row can be picked).
*Store* keeps the indicators in the review, and with the box ticked the
column mapping too, for the city's next table. Nothing is stored while the
table has problems.

The same steps run headless (papermill) through :meth:`IndicatorTableForm.read_file`,
:meth:`~IndicatorTableForm.read_pages`, :meth:`~IndicatorTableForm.set_column`
and :meth:`~IndicatorTableForm.store`, which raise the library's error
instead of showing it.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..column_mapping import IGNORE, parse_column_mapping
from ..errors import DataFileError
from ..i18n import check_lang, t
from .common import MessageArea, guard, notebook_paths
from .intake import uploaded_file

if TYPE_CHECKING:
    from ..indicators.reading import Grid, Reading
    from ..intake import TableIntake
    from ..workspace import Workspace

#: Files the upload offers (the reader checks what the bytes really are).
ACCEPT = ".xlsx,.xlsm,.csv"
#: How many rows of each sheet are offered as the header row when no table was found.
PREVIEW_ROWS = 40
_NOT_USED = ""
_YEAR = "year"


def _text(key: str, lang: str, **fmt: object) -> str:
    return t(f"widgets.indicators.{key}", lang, **fmt)


class IndicatorTableForm:
    """Widgets to read an indicator table into review ``review_id`` of workspace ``ws``.

    Inputs: ``source`` (file or draft pages), ``upload``, ``pages``,
    ``table`` (which table when several different ones were found),
    ``header_row`` (offered when no table was found), ``dropdowns`` (one per
    column, keyed by the column's letter), ``save_mapping``; buttons
    ``read_button``, ``again_button``, ``store_button``; outputs
    ``messages`` (under *Read*), ``report`` and ``outcome`` (under *Store*). ``reading`` is the last reading, ``done``
    what the last store did.
    """

    def __init__(
        self, ws: Workspace, review_id: str, *, reviewer: str | None = None, lang: str = "en"
    ) -> None:
        from ..indicators.cells import load_vocabulary

        self.lang = check_lang(lang)
        self.ws = ws
        self.review_id = ws.review(review_id).id
        self.reviewer = reviewer or ws.reviewer or None
        self.reading: Reading | None = None
        self.done: TableIntake | None = None
        self._file: Path | None = None
        self._pages: str = ""
        self._tmp = tempfile.TemporaryDirectory(prefix="vlr-table-")
        self._vocab = load_vocabulary()
        self._previews: list[tuple[str, list[object]]] = []
        layout = w.Layout(width="36em")
        style = {"description_width": "12em"}
        self.source = w.ToggleButtons(
            options=[(_text("from_file", lang), "file"), (_text("from_draft", lang), "pages")],
            value="file",
        )
        self.upload = w.FileUpload(
            accept=ACCEPT,
            multiple=False,
            description=_text("choose", lang),
            layout=w.Layout(width="max-content"),
        )
        self.pages = w.Text(
            description=_text("pages", lang), placeholder="26-30", layout=layout, style=style
        )
        self.read_button = w.Button(
            description=_text("read", lang), icon="search", layout=w.Layout(width="max-content")
        )
        self.read_button.on_click(self._on_read)
        self.table = w.Dropdown(
            options=[(_text("table_auto", lang), None)],
            value=None,
            description=_text("table", lang),
            layout=layout,
            style=style,
        )
        self.header_row = w.Dropdown(
            options=[],
            description=_text("header_row", lang),
            layout=w.Layout(width="48em"),
            style=style,
        )
        self.header_row.observe(self._on_header_row, names="value")
        self.dropdowns: dict[str, w.Dropdown] = {}
        self._headings: dict[str, str] = {}
        self.columns_box = w.VBox([])
        self.again_button = w.Button(
            description=_text("again", lang), icon="refresh", layout=w.Layout(width="max-content")
        )
        self.again_button.on_click(self._on_again)
        self.save_mapping = w.Checkbox(
            value=False,
            description=_text("save_mapping", lang),
            indent=False,
            layout=w.Layout(width="max-content"),
        )
        self.store_button = w.Button(
            description=_text("store", lang),
            button_style="primary",
            icon="save",
            disabled=True,
            layout=w.Layout(width="max-content"),
        )
        self.store_button.on_click(self._on_store)
        self.messages = MessageArea(lang)
        #: Under the store button, where the reviewer looks after clicking it.
        self.outcome = MessageArea(lang)
        self.report = w.HTML(value="")
        self.report.add_class("vlr-table-report")
        self.correct = w.VBox(
            [
                w.HTML(f"<b>{html.escape(_text('correct', lang))}</b>"),
                self.table,
                self.header_row,
                self.columns_box,
                self.again_button,
            ]
        )
        self.correct.layout.display = "none"
        self.widget = w.VBox(
            [
                self.source,
                w.HBox([w.Label(_text("upload", lang)), self.upload]),
                self.pages,
                self.read_button,
                self.messages.widget,
                self.report,
                self.correct,
                self.save_mapping,
                self.store_button,
                self.outcome.widget,
            ]
        )
        self.widget.add_class("vlr-indicator-table")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # -- reading -----------------------------------------------------------------------------

    def read_file(
        self, path: str | Path, *, columns: str | dict[str, str] | None = None
    ) -> Reading:
        """Read the city's table from ``path`` (no storing); returns the reading."""
        file = Path(path).expanduser()
        if not file.is_file():
            raise DataFileError(
                f"{file}: file not found" if not file.exists() else f"{file}: not a file"
            )
        self._file, self._pages = file, ""
        self.source.value = "file"
        self.table.value = None
        return self.read(columns=columns)

    def read_bytes(self, data: bytes, filename: str) -> Reading:
        """Read an uploaded table (kept in a temporary folder until the form goes)."""
        target = Path(self._tmp.name) / (Path(filename).name or "indicators.xlsx")
        target.write_bytes(data)
        return self.read_file(target)

    def read_pages(self, pages: str, *, columns: str | dict[str, str] | None = None) -> Reading:
        """Read the tables on ``pages`` ("26-30") of the review's stored draft (no storing)."""
        self._file, self._pages = None, str(pages).strip()
        self.pages.value = self._pages
        self.source.value = "pages"
        self.table.value = None
        return self.read(columns=columns)

    def read(self, *, columns: str | dict[str, str] | None = None) -> Reading:
        """Read the current source again, with ``columns`` (a mapping, or "FIELD=HEADING;...")."""
        from ..intake import read_indicators

        if isinstance(columns, str):
            columns = parse_column_mapping(columns)
        if self._file is None and not self._pages:
            raise DataFileError(_text("no_source", self.lang))
        source: dict[str, Any] = {"file": self._file} if self._file else {"pages": self._pages}
        reading = read_indicators(
            self.ws, self.review_id, table=self.table.value, columns=columns or None, **source
        )
        self.reading = reading
        self.done = None
        self.outcome.clear()
        self._show(reading)
        return reading

    def mapping(self) -> dict[str, str]:
        """The column mapping the dropdowns say: column name -> heading(s) as written."""
        out: dict[str, list[str]] = {}
        for letter, dropdown in self.dropdowns.items():
            value = dropdown.value
            if value in (_NOT_USED, _YEAR):
                continue
            out.setdefault(value, []).append(self._headings[letter])
        return {name: "|".join(headings) for name, headings in out.items()}

    def set_column(self, letter: str, column: str) -> None:
        """Say what column ``letter`` is ("Local indicator", "Global indicator code", "ignore")."""
        if letter not in self.dropdowns:
            raise DataFileError(
                f"no column {letter!r} to map; columns: {', '.join(self.dropdowns) or 'none'}"
            )
        wanted = self._vocab.field_of(column) if column != IGNORE else IGNORE
        name = IGNORE if wanted == IGNORE else self._vocab.labels.get(wanted or "", "")
        values = [v for _label, v in self.dropdowns[letter].options]
        if not name or name not in values:
            raise DataFileError(
                f"{column!r} is not a column the reader knows; allowed: "
                + self._vocab.allowed_columns()
            )
        self.dropdowns[letter].value = name

    # -- storing -----------------------------------------------------------------------------

    def store(self, *, save_mapping: bool | None = None) -> TableIntake:
        """Store the last reading's indicators in the review (raises if it has problems)."""
        from ..intake import indicator_source, store_indicators

        if self.reading is None:
            raise DataFileError(_text("read_first", self.lang))
        keep = bool(self.save_mapping.value) if save_mapping is None else save_mapping
        done = store_indicators(
            self.ws,
            self.review_id,
            self.reading,
            source=indicator_source(self.ws, self.review_id, self.reading, self._file),
            save_mapping=keep,
            reviewer=self.reviewer,
        )
        self.done = done
        self.store_button.disabled = True
        self.outcome.ok(
            _text(
                "stored",
                self.lang,
                rows=done.rows,
                review=self.review_id,
                new=done.created,
                changed=done.updated,
                removed=done.removed,
            )
            + (" " + _text("mapping_saved", self.lang) if done.mapping_saved else "")
        )
        return done

    # -- buttons -------------------------------------------------------------------------------

    def _on_read(self, _button: Any = None) -> None:
        self.messages.info(_text("reading", self.lang))
        with guard(self.messages):
            if self.source.value == "file":
                chosen = uploaded_file(self.upload.value)
                if chosen is None:
                    if self._file is None:
                        raise DataFileError(_text("no_file", self.lang))
                    self.read()
                else:
                    self.read_bytes(chosen[1], chosen[0])
            else:
                self.read_pages(self.pages.value)

    def _on_again(self, _button: Any = None) -> None:
        with guard(self.messages):
            self.read(columns=self.mapping())

    def _on_store(self, _button: Any = None) -> None:
        with guard(self.outcome):
            self.store()

    def _on_header_row(self, change: dict[str, Any]) -> None:
        if change.get("new") is not None and not (self.reading and self.reading.tables):
            self._column_dropdowns(self._preview_columns(change["new"]))

    # -- showing -----------------------------------------------------------------------------

    def _show(self, reading: Reading) -> None:
        lines = reading.lines(self.lang)
        self.report.value = (
            "<pre style='white-space:pre-wrap;font-size:90%;line-height:1.35;margin:4px 0'>"
            + html.escape("\n".join(lines))
            + "</pre>"
            + self._preview_table(reading)
        )
        several = len(reading.tables) > 1
        chosen = self.table.value
        self.table.options = [(_text("table_auto", self.lang), None)] + [
            (_text("table_n", self.lang, number=f.number, where=f.span(self.lang)), f.number)
            for f in reading.tables
        ]
        self.table.value = chosen if any(f.number == chosen for f in reading.tables) else None
        self.table.layout.display = None if several else "none"
        if reading.tables:
            self.header_row.layout.display = "none"
            seen: dict[str, tuple[str, str]] = {}
            for found in reading.tables:
                for c in found.columns:
                    if c.letter in seen:
                        continue
                    current = (
                        _YEAR
                        if c.field == "year"
                        else self._vocab.labels.get(c.field or "", IGNORE if c.ignored else "")
                    )
                    seen[c.letter] = (c.heading, current)
            self._column_dropdowns(seen)
        else:
            self._offer_header_rows()
        self.correct.layout.display = None
        ok = not reading.problems and bool(reading.indicators)
        self.store_button.disabled = not ok
        if ok:
            self.messages.ok(_text("understood", self.lang, n=len(reading.indicators)))
        else:
            self.messages.warn(_text("problems", self.lang, n=len(reading.problems)))

    def _preview_table(self, reading: Reading) -> str:
        if not reading.indicators:
            return ""
        rows = []
        for ind in reading.indicators[:10]:
            cells = (
                ind.id,
                ind.name,
                ind.goal or "",
                ", ".join((*ind.global_codes, *ind.targets)) or "—",
                _value(ind, "baseline"),
                _value(ind, "latest"),
                ind.where,
            )
            rows.append(
                "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in cells) + "</tr>"
            )
        head = "".join(
            f"<th>{html.escape(_text('col_' + k, self.lang))}</th>"
            for k in ("id", "name", "goal", "code", "baseline", "latest", "where")
        )
        more = len(reading.indicators) - 10
        tail = f"<p>{html.escape(_text('more', self.lang, n=more))}</p>" if more > 0 else ""
        return (
            "<table class='vlr-table-preview' style='border-collapse:collapse;font-size:90%'>"
            f"<tr>{head}</tr>{''.join(rows)}</table>{tail}"
        )

    def _column_dropdowns(self, columns: dict[str, tuple[str, str]]) -> None:
        from ..indicators.cells import FIELDS

        lang = self.lang
        base = [(_text("not_used", lang), _NOT_USED), (_text("leave_out", lang), IGNORE)]
        fields = [(t(f"indicators.field.{f}", lang), self._vocab.labels[f]) for f in FIELDS]
        self.dropdowns, self._headings = {}, {}
        rows = []
        for letter, (heading, current) in columns.items():
            options = list(base)
            if current == _YEAR:
                options.insert(0, (_text("year_column", lang), _YEAR))
            options += fields
            dropdown = w.Dropdown(
                options=options,
                value=current if current in {v for _l, v in options} else _NOT_USED,
                description=f"{letter}  {heading[:40]}",
                layout=w.Layout(width="40em"),
                style={"description_width": "18em"},
            )
            self.dropdowns[letter] = dropdown
            self._headings[letter] = heading
            rows.append(dropdown)
        self.columns_box.children = tuple(rows)

    def _grids(self) -> list[Grid]:
        from ..indicators.sources import draft_grids, file_grids, parse_pages
        from ..review import open_review

        if self._file is not None:
            return file_grids(self._file)[0]
        rv = open_review(self.ws, self.review_id)
        stored = rv._require_draft()  # noqa: SLF001 - the review's own "no draft" message
        wanted = parse_pages(self._pages, int(stored.info.get("pages") or rv.draft.page_count))
        return [draft_grids(rv.original_path, stored.format, wanted, shown=stored.filename)]

    def _offer_header_rows(self) -> None:
        """No table was found: offer the rows that could be the header, the likeliest first."""
        from ..indicators.cells import cell_text

        self._previews = []
        options = []
        best, best_score = None, 0
        for grid in self._grids():
            for number, cells in grid.rows[:PREVIEW_ROWS]:
                texts = [cell_text(c) for c in cells if cell_text(c)]
                if not texts:
                    continue
                key = len(self._previews)
                self._previews.append((grid.cite(number, self.lang), list(cells)))
                label = f"{grid.cite(number, self.lang)}: " + " | ".join(texts[:6])
                options.append((label[:110], key))
                score = sum(self._heading_score(c) for c in cells)
                if score > best_score:
                    best, best_score = key, score
        self.header_row.options = options
        self.header_row.layout.display = None if options else "none"
        if best is not None:
            self.header_row.value = best
            self._column_dropdowns(self._preview_columns(best))

    def _heading_score(self, cell: object) -> int:
        """How much a cell looks like a heading: 2 for a known one or a year, 1 for a word."""
        from ..indicators.cells import cell_text, fold, heading_field, heading_year, parse_value

        text = cell_text(cell)
        if not text:
            return 0
        if heading_field(text, self._vocab) or heading_year(cell, self._vocab)[0]:
            return 2
        if fold(text) in self._vocab.blanks or parse_value(cell, self._vocab).number is not None:
            return 0
        return 1

    def _preview_columns(self, key: int) -> dict[str, tuple[str, str]]:
        from ..indicators.cells import cell_text, heading_year
        from ..workbook import column_letter

        _where, cells = self._previews[key]
        out = {}
        for index, cell in enumerate(cells):
            text = cell_text(cell)
            if text:
                field = self._vocab.field_of(text)
                current = self._vocab.labels.get(field or "", _NOT_USED)
                if field is None and heading_year(cell, self._vocab)[0]:
                    current = _YEAR  # the reader takes it as a year column by itself
                out[column_letter(index)] = (text, current)
        return out


def _value(ind: Any, role: str) -> str:
    """A baseline or latest value as the city wrote it ("₱ 12.5M", "82%"), with its year."""
    number, year = getattr(ind, f"{role}_value"), getattr(ind, f"{role}_year")
    if number is None:
        return "—"
    text = next((o.text for o in ind.series if o.role == role and o.text), "")
    shown = text or (f"{int(number):,}" if float(number).is_integer() else f"{number:,.6g}")
    return shown if year is None or str(year) in shown else f"{shown} ({year})"


def indicator_table_form(
    workspace: str | Path | Workspace | None,
    review_id: str,
    *,
    reviewer: str = "",
    lang: str = "en",
) -> IndicatorTableForm:
    """The form that reads a city's indicator table into review ``review_id``.

    ``workspace`` is a folder, a database URL or an open workspace (empty:
    what the ``vlr`` command uses).
    """
    from ..workspace import open_workspace

    check_lang(lang)
    if isinstance(workspace, str | Path) or workspace is None:
        location, _ = notebook_paths(workspace or "")
        ws = open_workspace(location, reviewer=reviewer or None)
    else:
        ws = workspace
    return IndicatorTableForm(ws, review_id, reviewer=reviewer or None, lang=lang)


__all__ = ["ACCEPT", "IndicatorTableForm", "indicator_table_form"]
