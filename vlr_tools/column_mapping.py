"""Which column of a city's table became which field, and the reviewer's corrections to that.

Both table readers, the indicator table (:mod:`vlr_tools.indicators.reading`)
and the consultation log (:mod:`vlr_tools.consultations.reader`), find the
columns by their headings. Each says what it understood the same way, with
the pieces of this module:

- :class:`ColumnUse`: one column, its heading as written, the field it
  became (or none) and how (its heading, your mapping, a saved mapping);
- a **column mapping** the reviewer writes when a heading is not
  recognised, ``"Local indicator=Indicator name;Global indicator code=SDG
  Target"`` (:func:`parse_column_mapping`), turned into forced headings by
  :func:`forced_headings`;
- the mapping **saved** in a review for the city's next table of the same
  kind (:func:`save_column_mapping`, :func:`saved_column_mapping`);
- the report lines every reader shares (:func:`column_line`,
  :func:`mapping_lines`, :func:`listed`, :func:`capped`), in English and
  Japanese (``data/reference/i18n/columns.yaml``).

>>> parse_column_mapping("Local indicator=Indicator name;Notes=Remarks|Comments")
{'Local indicator': 'Indicator name', 'Notes': 'Remarks|Comments'}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import DataFileError, Problem
from .i18n import t
from .workbook import column_letter

if TYPE_CHECKING:
    from .workspace import Workspace

#: How a column got its field (the report says it in the reviewer's language).
HEADING = "heading"
YOUR_MAPPING = "your mapping"
SAVED_MAPPING = "saved mapping"
YEAR_HEADING = "year heading"
NOT_RECOGNISED = "not recognised"
#: The field name that tells a reader to leave a column out.
IGNORE = "ignore"
_IGNORE_WORDS = frozenset({"ignore", "-", "none", "skip", "無視"})
#: Record kind of a column mapping saved for the next version of a city's table.
MAPPING_RECORD_KIND = "column_mapping"


@dataclass(frozen=True)
class ColumnUse:
    """One column of a table's header: its heading as written and what it became.

    ``field`` is the reader's field name (``None``: not used), ``how`` one of
    :data:`HEADING`, :data:`YOUR_MAPPING`, :data:`SAVED_MAPPING`,
    :data:`YEAR_HEADING`, :data:`NOT_RECOGNISED`; ``year`` and ``flag`` are
    set for a year column of an indicator table ("2023 (p)").
    """

    index: int
    heading: str
    field: str | None
    how: str = HEADING
    year: int | None = None
    flag: str = ""

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def ignored(self) -> bool:
        """True when the reviewer's (or a saved) mapping said to leave the column out."""
        return self.field is None and self.how in (YOUR_MAPPING, SAVED_MAPPING)


# --------------------------------------------------------------------------- the mapping


def parse_column_mapping(text: str | None) -> dict[str, str]:
    """``"FIELD=HEADING;..."`` as a dict; several headings for one field are joined with "|".

    ``"Notes=Remarks;Notes=Comments"`` and ``"Notes=Remarks|Comments"`` give
    the same mapping. Raises :class:`~vlr_tools.errors.DataFileError` for a
    pair without "=" or with an empty side.
    """
    out: dict[str, str] = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise DataFileError(
                f"column mapping {part.strip()!r} has no '='; write FIELD=HEADING pairs "
                "separated by ';', e.g. \"Local indicator=Indicator name;Global indicator "
                'code=SDG Target" or "Date=Petsa ng pulong"'
            )
        name, heading = part.split("=", 1)
        if not name.strip() or not heading.strip():
            raise DataFileError(
                f"column mapping {part.strip()!r}: both the field and the heading are needed"
            )
        key = name.strip()
        out[key] = f"{out[key]}|{heading.strip()}" if key in out else heading.strip()
    return out


def mapping_text(mapping: Mapping[str, str]) -> str:
    """A mapping as the reviewer writes it (``--columns``): ``"A=B; C=D"``."""
    return "; ".join(f"{name}={heading}" for name, heading in mapping.items())


@dataclass(frozen=True)
class Forced:
    """Headings the reviewer's (or a saved) mapping assigns, ready for a reader.

    ``headings`` maps a heading, folded by the reader's own ``key`` function,
    to a field (or :data:`IGNORE`); ``how`` is :data:`YOUR_MAPPING` or
    :data:`SAVED_MAPPING`; ``problems`` names every field the mapping gives
    that the reader does not know.
    """

    headings: dict[str, str] = field(default_factory=dict)
    how: str = YOUR_MAPPING
    problems: tuple[Problem, ...] = ()
    key: Callable[[object], str] = field(default=str, repr=False)

    def field_of(self, *candidates: str) -> tuple[str, str] | None:
        """(field, heading) for the first candidate heading the mapping names, else None."""
        for candidate in candidates:
            if candidate:
                found = self.headings.get(self.key(candidate))
                if found is not None:
                    return found, candidate
        return None


def forced_headings(
    columns: Mapping[str, str] | None,
    saved: Mapping[str, str] | None,
    *,
    field_of: Callable[[str], str | None],
    key: Callable[[object], str],
    file: str,
    allowed: str,
) -> Forced:
    """The headings ``columns`` (the reviewer's mapping) or else ``saved`` assign.

    ``field_of`` turns a name the reviewer wrote ("Local indicator", "Date",
    "petsa") into the reader's field, or None; ``key`` folds a heading as the
    reader compares headings. A saved mapping is used only when the reviewer
    gave none: a correction made now wins over last time's.
    """
    source, how = (columns, YOUR_MAPPING) if columns else (saved, SAVED_MAPPING)
    headings: dict[str, str] = {}
    problems: list[Problem] = []
    for name, heading in (source or {}).items():
        target = IGNORE if str(name).strip().casefold() in _IGNORE_WORDS else field_of(name)
        if target is None:
            problems.append(
                Problem(
                    f"unknown field {name!r} in the column mapping",
                    file=file,
                    column=name,
                    allowed=allowed,
                )
            )
            continue
        for part in str(heading).split("|"):
            if part.strip():
                headings[key(part)] = target
    return Forced(headings, how, tuple(problems), key)


def mapping_used(columns: Iterable[ColumnUse], label: Callable[[str], str]) -> dict[str, str]:
    """Field label -> heading(s) as written, for every mapped column (and ``ignore``).

    Two tables that give one field different headings keep both ("|"), so a
    saved mapping reads either next time.
    """
    out: dict[str, list[str]] = {}
    for c in columns:
        if c.field and c.field != "year":
            name = label(c.field)
        elif c.ignored:
            name = IGNORE
        else:
            continue
        headings = out.setdefault(name, [])
        if c.heading not in headings:
            headings.append(c.heading)
    return {name: "|".join(headings) for name, headings in out.items()}


# --------------------------------------------------------------------------- saved in a review


def saved_column_mapping(ws: Workspace, review_id: str, table: str) -> tuple[dict[str, str], str]:
    """The column mapping saved for ``table`` ("indicators" or "consultations") of the review's city.

    The review's own saved mapping, else the newest one saved in another
    review of the same city (the next version of the city's table is read
    with the mapping the reviewer corrected last time). Returns (mapping,
    review id it came from), or ({}, "").
    """
    review = ws.review(review_id)
    found = []
    for other in ws.reviews(review.city):
        rec = ws.get(other.id, MAPPING_RECORD_KIND, table)
        if rec is not None and rec.data.get("columns"):
            found.append((other.id == review_id, rec.updated_at, other.id, rec.data["columns"]))
    if not found:
        return {}, ""
    found.sort(key=lambda x: (x[0], x[1]))
    _own, _when, rid, columns = found[-1]
    return {str(k): str(v) for k, v in columns.items()}, rid


def save_column_mapping(
    ws: Workspace,
    review_id: str,
    table: str,
    columns: Mapping[str, str],
    *,
    reviewer: str | None = None,
) -> None:
    """Keep a column mapping in the review, for the city's next table of the same kind."""
    ws.put(review_id, MAPPING_RECORD_KIND, table, {"columns": dict(columns)}, reviewer=reviewer)


def mapping_for(
    ws: Workspace, review_id: str, table: str, columns: Mapping[str, str] | None
) -> tuple[dict[str, str], str]:
    """The saved mapping a reading of ``table`` should use: none when the reviewer gave one.

    Returns (saved mapping, review id it was saved in). An unknown review
    fails here, before any file is read.
    """
    ws.review(review_id)
    if columns:
        return {}, ""
    return saved_column_mapping(ws, review_id, table)


# --------------------------------------------------------------------------- report lines


def how_text(how: str, lang: str) -> str:
    return t("columns.how." + how.replace(" ", "_"), lang)


def column_line(column: ColumnUse, field_label: str | None, lang: str) -> str:
    """``  column B 'Petsa' -> Date (heading)``, or ``-> not used (...)`` without a field."""
    how = how_text(column.how, lang)
    if field_label is None:
        key = "columns.ignored" if column.ignored else "columns.unused"
        return t(key, lang, letter=column.letter, heading=column.heading, how=how)
    return t(
        "columns.used",
        lang,
        letter=column.letter,
        heading=column.heading,
        field=field_label,
        how=how,
    )


def mapping_lines(
    mapping: Mapping[str, str],
    saved_from: str,
    lang: str,
    *,
    columns: Iterable[ColumnUse] = (),
    details: bool = False,
) -> list[str]:
    """Where a saved mapping came from, and the mapping used (as ``--columns`` takes it).

    The whole mapping is shown when a column was mapped by hand (or a saved
    mapping) or with ``details``; when every heading was recognised, one
    line says how to correct a column instead.
    """
    lines = []
    if saved_from:
        lines.append(t("columns.saved_from", lang, review=saved_from))
    mapped = any(c.how in (YOUR_MAPPING, SAVED_MAPPING) for c in columns)
    if mapping and (mapped or details):
        lines.append(t("columns.mapping", lang, mapping=mapping_text(mapping)))
    elif mapping:
        lines.append(t("columns.mapping_hint", lang))
    return lines


def place_text(place: Mapping[str, Any], lang: str = "en") -> str:
    """Where a row is, in ``lang``: "sheet 'Data', row 7" or "page 27, table 2, row 4".

    ``place`` holds ``sheet``, ``page``, ``table``, ``row`` (0: the line just
    above a draft's table, its title) and ``rows`` (a first and last row).
    """
    parts = []
    if place.get("sheet"):
        parts.append(t("columns.place.sheet", lang, sheet=place["sheet"]))
    pages = place.get("pages")
    if pages:
        key = "columns.place.page" if pages[0] == pages[-1] else "columns.place.pages"
        parts.append(t(key, lang, page=pages[0], first=pages[0], last=pages[-1]))
    elif place.get("page") is not None:
        parts.append(t("columns.place.page", lang, page=place["page"]))
    if place.get("table") is not None:
        if place.get("row") == 0:
            parts.append(t("columns.place.above_table", lang, table=place["table"]))
            return t("columns.place.join", lang).join(parts)
        parts.append(t("columns.place.table", lang, table=place["table"]))
    if place.get("rows"):
        first, last = place["rows"]
        parts.append(t("columns.place.rows", lang, first=first, last=last))
    elif place.get("row") is not None:
        parts.append(t("columns.place.row", lang, row=place["row"]))
    return t("columns.place.join", lang).join(parts)


def capped(lines: list[str], keep: int | None, lang: str) -> list[str]:
    """The first ``keep`` lines and "... and N more" (all of them when ``keep`` is None)."""
    if keep is None or len(lines) <= keep:
        return lines
    return lines[:keep] + [t("columns.more", lang, n=len(lines) - keep)]


def listed(problems: Iterable[Any], keep: int | None, lang: str) -> list[str]:
    """Problems or warnings as report lines ("  - ..."), capped like the rest."""
    return capped([f"  - {p}" for p in problems], keep, lang)


__all__ = [
    "HEADING",
    "IGNORE",
    "MAPPING_RECORD_KIND",
    "NOT_RECOGNISED",
    "SAVED_MAPPING",
    "YEAR_HEADING",
    "YOUR_MAPPING",
    "ColumnUse",
    "Forced",
    "capped",
    "column_line",
    "forced_headings",
    "how_text",
    "listed",
    "mapping_for",
    "mapping_lines",
    "mapping_text",
    "mapping_used",
    "parse_column_mapping",
    "place_text",
    "save_column_mapping",
    "saved_column_mapping",
]
