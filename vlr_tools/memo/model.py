"""The review memo as a renderer-independent model.

A :class:`Memo` is plain data: sections holding paragraphs, bullet lists,
tables, findings, notices and chart specifications. Every renderer (HTML, PDF,
DOCX, Markdown) draws the same model, so what the memo says is decided once,
here and in :mod:`vlr_tools.memo.compose`, and never differs between formats.

User-typed text (comments, recommendations, notes) is kept exactly as written;
escaping is the renderers' job, each for its own format.

>>> from vlr_tools.memo import build_memo  # doctest: +SKIP
>>> memo = build_memo(ws, review.id, "ja")  # doctest: +SKIP
>>> [s.title for s in memo.sections]  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: Progress callback: ``progress(step_text, done, total)``.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Text:
    """A paragraph. ``style`` is "body", "lead" (opening statement) or "small"."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Bullets:
    """A bullet (or numbered) list of plain-text items."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Cell:
    """One table cell. ``tone`` lets renderers colour ratings and priorities.

    Tones: "" (plain), "met", "partly_met", "not_met", "not_applicable",
    "not_rated", "high", "medium", "low", "yes", "no", "muted".
    """

    text: str
    tone: str = ""


@dataclass(frozen=True)
class Table:
    """A table with one header row. ``numeric`` marks right-aligned columns;
    ``widths`` are relative column widths (renderers may ignore them)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str = ""
    numeric: tuple[bool, ...] = ()
    widths: tuple[float, ...] = ()

    def is_numeric(self, index: int) -> bool:
        return index < len(self.numeric) and self.numeric[index]


@dataclass(frozen=True)
class Series:
    """One set of bars of a :class:`Plot`: a value per category.

    ``colours`` holds one colour for every bar, or one per category;
    ``label_colour`` is the colour of value labels drawn inside the bars
    (stacked bars), chosen for contrast with the bar colour.
    """

    name: str
    values: tuple[float, ...]
    colours: tuple[str, ...]
    label_colour: str = "#1b1f24"

    def colour(self, index: int) -> str:
        return self.colours[index] if len(self.colours) > index else self.colours[0]


@dataclass(frozen=True)
class Plot:
    """What a bar chart shows, whatever draws it (inline SVG or plotly).

    ``orientation`` is "columns" (vertical bars, categories along the bottom)
    or "bars" (horizontal bars, categories down the left). ``marked`` are
    indexes of categories drawn with an outline and a ▲ (the HLPF set), with
    ``marker_note`` saying what the ▲ means.
    """

    orientation: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_axis: str = ""
    category_axis: str = ""
    stacked: bool = False
    marked: tuple[int, ...] = ()
    marker_note: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart: what it shows (``plot``), a plotly figure (JSON text) and the numbers as a table.

    ``alt`` is the text alternative a screen reader reads and what the DOCX
    image description holds. ``table`` holds the chart's numbers: every
    format offers it beside the chart, except when ``table_follows`` says the
    section's next block is a table with the same numbers (then it is not
    printed twice). ``figure`` is for the interactive HTML memo only.
    """

    key: str
    title: str
    alt: str
    figure: str
    table: Table
    width: int = 860
    height: int = 420
    plot: Plot | None = None
    table_follows: bool = False

    def figure_dict(self) -> dict[str, Any]:
        return dict(json.loads(self.figure))


@dataclass(frozen=True)
class Notice:
    """A statement set apart: "missing" when a section has no data to report,
    "illustrative" for the sample-data label, "partial" for a review whose
    checklist is not fully rated (no overall verdict), "info" otherwise."""

    text: str
    tone: str = "info"


@dataclass(frozen=True)
class Facts:
    """Label/value pairs (a definition list)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Finding:
    """One checklist criterion as the review rated it.

    ``comments`` are ``(reviewer label, text)`` pairs; the reviewer label is
    empty when names are hidden and only one reviewer commented.
    """

    criterion_id: str
    question: str
    rating: str
    rating_label: str
    pages: str
    priority: str
    priority_label: str
    comments: tuple[tuple[str, str], ...] = ()
    recommendation: str = ""
    note: str = ""


Block = Text | Bullets | Table | Chart | Notice | Facts | Finding


@dataclass(frozen=True)
class Section:
    """A titled part of the memo; ``subsections`` are one heading level down."""

    key: str
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()

    def walk(self, level: int = 1) -> Iterator[tuple[int, Section]]:
        yield level, self
        for sub in self.subsections:
            yield from sub.walk(level + 1)


@dataclass(frozen=True)
class Cover:
    """The first page: title, city, the draft reviewed and who reviewed it."""

    title: str
    city: str
    subtitle: str
    facts: Facts
    illustrative: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class Memo:
    """A complete review memo in one language, ready for any renderer."""

    lang: str
    city_slug: str
    city_name: str
    version: str
    title: str
    running_header: str
    cover: Cover
    sections: tuple[Section, ...]
    generated: str
    author: str = ""
    keywords: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def walk(self) -> Iterator[tuple[int, Section]]:
        """Every section with its heading level (1 for top-level sections)."""
        for section in self.sections:
            yield from section.walk(1)

    def charts(self) -> Iterator[Chart]:
        """Every chart of the memo, in reading order."""
        for _, section in self.walk():
            for block in section.blocks:
                if isinstance(block, Chart):
                    yield block

    def section(self, key: str) -> Section:
        """The section (at any level) with ``key``; KeyError if there is none."""
        for _, section in self.walk():
            if section.key == key:
                return section
        raise KeyError(key)

    def outline(self) -> str:
        """The memo as normalised plain text: headings, text, table cells.

        Used by the golden tests and for searching; charts appear as their
        title and alt text only, so the outline does not depend on plotly.
        """
        lines = [f"# {self.cover.title}", self.cover.city, self.cover.subtitle]
        if self.cover.illustrative:
            lines.append(f"[{self.cover.illustrative}]")
        lines += [f"{k}: {v}" for k, v in self.cover.facts.items]
        for level, section in self.walk():
            lines.append("")
            lines.append(f"{'#' * (level + 1)} {section.title}")
            for block in section.blocks:
                lines += list(_block_lines(block))
        return "\n".join(lines) + "\n"


def _block_lines(block: Block) -> Iterator[str]:
    if isinstance(block, Text):
        yield block.text
    elif isinstance(block, Notice):
        yield f"[{block.tone}] {block.text}"
    elif isinstance(block, Bullets):
        for n, item in enumerate(block.items, start=1):
            yield f"{n}. {item}" if block.ordered else f"- {item}"
    elif isinstance(block, Facts):
        for label, value in block.items:
            yield f"{label}: {value}"
    elif isinstance(block, Table):
        if block.caption:
            yield f"table: {block.caption}"
        yield " | ".join(block.columns)
        for row in block.rows:
            yield " | ".join(c.text for c in row)
    elif isinstance(block, Chart):
        yield f"chart: {block.title}"
        yield f"alt: {block.alt}"
    elif isinstance(block, Finding):
        yield f"{block.criterion_id} {block.question} = {block.rating_label} ({block.pages})"
        if block.priority_label:
            yield f"  priority: {block.priority_label}"
        for who, text in block.comments:
            yield f"  comment{(' ' + who) if who else ''}: {text}"
        if block.recommendation:
            yield f"  recommendation: {block.recommendation}"
        if block.note:
            yield f"  note: {block.note}"
