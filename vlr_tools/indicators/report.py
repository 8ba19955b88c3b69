"""The "what I understood" report of an indicator table reading, in English or Japanese."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..column_mapping import capped, column_line, listed, mapping_lines, place_text
from ..i18n import check_lang, t

if TYPE_CHECKING:
    from .reading import Reading


def _value(point: tuple[int, float, str] | None, lang: str) -> str:
    if point is None:
        return t("indicators.understood.none", lang)
    year, number, text = point
    return f"{text or f'{number:g}'} ({year})"


def understood_lines(
    reading: Reading, lang: str = "en", *, details: bool = False, limit: int = 8
) -> list[str]:
    """Lines for a reviewer: tables, columns, year columns, sections, skipped rows, choices."""
    check_lang(lang)
    keep = None if details else limit
    lines = [t("columns.title", lang, file=reading.file)]
    layout = (
        "+".join(
            t(f"indicators.understood.layout.{name}", lang) for name in reading.layout.split("+")
        )
        if reading.layout != "none"
        else t("indicators.understood.none", lang)
    )
    lines.append(
        t(
            "indicators.understood.rows_read",
            lang,
            rows=f"{reading.rows_read:,}",
            tables=len(reading.tables),
            layout=layout,
        )
    )
    if reading.pages:
        key = (
            "indicators.understood.page"
            if len(reading.pages) == 1
            else "indicators.understood.pages"
        )
        lines.append(t(key, lang, pages=_page_list(reading.pages)))
    for table in reading.tables:
        if not table.used:
            lines.append(
                t(
                    "indicators.understood.table_unused",
                    lang,
                    number=table.number,
                    where=table.span(lang),
                    why=table.why_not.text(lang) if table.why_not else "",
                )
            )
        lines.append(
            t(
                "indicators.understood.table",
                lang,
                number=table.number,
                where=table.span(lang),
                rows="-".join(
                    str(r) for r in dict.fromkeys((table.header_rows[0], table.header_rows[-1]))
                ),
                layout=t(f"indicators.understood.layout.{table.layout}", lang),
                count=table.indicators,
            )
        )
        by_year = {y.letter: y for y in table.year_columns}
        same = next(
            (
                other
                for other in reading.tables
                if other.number < table.number
                and other.signature == table.signature
                and [c.heading for c in other.columns] == [c.heading for c in table.columns]
            ),
            None,
        )
        if same is not None and not table.year_columns:
            lines.append(t("indicators.understood.same_columns", lang, number=same.number))
        for column in [] if same is not None and not table.year_columns else table.columns:
            if column.field == "year" and column.letter in by_year:
                y = by_year[column.letter]
                lines.append(
                    t(
                        "indicators.understood.year_column",
                        lang,
                        letter=column.letter,
                        heading=column.heading,
                        year=y.year,
                        values=y.values,
                        blanks=y.blanks,
                        flagged=y.flagged,
                        problems=y.problems,
                    )
                )
            else:
                label = (
                    t(f"indicators.field.{column.field}", lang)
                    if column.field and column.field != "year"
                    else None
                )
                lines.append(column_line(column, label, lang))
        lines += capped(
            [
                t(
                    "indicators.understood.section",
                    lang,
                    where=place_text(w, lang),
                    text=text,
                    goal=goal,
                )
                for w, text, goal in table.sections
            ],
            keep,
            lang,
        )
        lines += capped(
            [
                t(
                    "indicators.understood.skipped",
                    lang,
                    where=place_text(w, lang),
                    reason=why.text(lang),
                )
                for w, why in table.skipped
            ],
            keep,
            lang,
        )
    if reading.choices:
        lines.append(t("indicators.understood.rule", lang))
        lines += capped(
            [
                t(
                    "indicators.understood.choice",
                    lang,
                    id=c.id,
                    baseline=_value(c.baseline, lang),
                    latest=_value(c.latest, lang),
                    n=c.years_with_data,
                )
                for c in reading.choices
            ],
            keep,
            lang,
        )
    single = [c.id for c in reading.choices if c.baseline is None and c.latest is not None]
    if single:
        lines.append(
            t("indicators.understood.single", lang, n=len(single), ids=_some(single, keep, lang))
        )
    if reading.ids_made and reading.indicators:
        lines.append(t("indicators.understood.ids_made", lang, example=reading.indicators[0].id))
    lines += [note.text(lang) for note in reading.notes]
    lines += mapping_lines(
        reading.mapping,
        reading.saved_from,
        lang,
        columns=[c for table in reading.used_tables for c in table.columns],
        details=details,
    )
    if reading.warnings:
        lines.append(t("columns.warnings", lang, n=len(reading.warnings)))
        lines += listed(reading.warnings, keep, lang)
    if reading.problems:
        lines.append(t("indicators.understood.problems", lang, n=len(reading.problems)))
        lines += listed(reading.problems, None, lang)
    return lines


def _some(ids: list[str], keep: int | None, lang: str) -> str:
    if keep is None or len(ids) <= keep:
        return ", ".join(ids)
    return ", ".join(ids[:keep]) + t("indicators.understood.and_more", lang, n=len(ids) - keep)


def _page_list(pages: tuple[int, ...]) -> str:
    from ..documents import _page_list as pages_text

    return pages_text(list(pages))


__all__ = ["understood_lines"]
