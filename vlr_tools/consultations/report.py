"""The "what I understood" report of a consultation log, in English or Japanese.

The reader (:mod:`.reader`) records, for every table it found, which column
became which field and how, which rows it skipped and why, and how the date
cells were written; for the whole file, which sheets it did not read and
the rule it followed for dates such as 03/04/2024. :func:`understood_lines`
says all of it the way the indicator table report does (the column lines,
the column mapping and the lists come from :mod:`vlr_tools.column_mapping`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..column_mapping import ColumnUse, capped, column_line, listed, mapping_lines, place_text
from ..i18n import check_lang, t
from .parsing import DATE_WRITINGS

if TYPE_CHECKING:
    from .reader import ImportResult

#: Why a row under a header was not read as a record (keys of ``consultations.understood.skip.*``).
SKIP_REASONS = ("totals", "unrecognised_only", "note", "ref_only")


@dataclass
class LogTableFound:
    """One table of a consultation log and what became of it."""

    kind: str  # consultations | participants
    sheet: str | None
    header_rows: tuple[int, ...]
    columns: list[ColumnUse]
    rows: int = 0
    valid: int = 0
    rejected: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, SKIP_REASONS key)
    #: Per date column (its letter): how many cells were written which way.
    dates: dict[str, Counter[str]] = field(default_factory=dict)

    def where(self, lang: str = "en") -> str:
        return place_text({"sheet": self.sheet}, lang) if self.sheet else "CSV"


@dataclass(frozen=True)
class DateOrder:
    """The rule for dates such as 03/04/2024, and why.

    ``rule`` is ``day_first``, ``month_first`` or ``undecided``; ``why`` is
    ``given`` (the reviewer said), ``guessed`` (from ``evidence`` unambiguous
    dates of the file) or ``none``.
    """

    rule: str
    why: str
    evidence: int = 0

    @classmethod
    def of(cls, dayfirst: bool | None, why: str, evidence: int = 0) -> DateOrder:
        rule = "undecided" if dayfirst is None else "day_first" if dayfirst else "month_first"
        return cls(rule, why if dayfirst is not None else "none", evidence)


def label(table: str, field_name: str, lang: str = "en") -> str:
    """A field's column name as the reviewer sees it ("Date", "Participant ID")."""
    key = field_name
    if field_name == "ref":
        key = "record_id" if table == "consultations" else "participant_id"
    return t(f"consultations.col.{key}", lang)


def understood_lines(
    result: ImportResult,
    lang: str = "en",
    *,
    details: bool = False,
    limit: int = 8,
    warnings: bool = True,
) -> list[str]:
    """Lines for a reviewer: tables and their columns, skipped rows, sheets not read, dates.

    ``details`` lists every skipped row and warning (else the first ``limit``);
    ``warnings=False`` leaves the warnings out.
    """
    check_lang(lang)
    keep = None if details else limit
    found = result.found
    lines = [t("columns.title", lang, file=result.path.name)]
    lines.append(
        t(
            "consultations.understood.read",
            lang,
            rows=f"{result.rows_read:,}",
            tables=len(found),
            sheets=result.sheets_read,
        )
    )
    for table in found:
        header = "-".join(
            str(r) for r in dict.fromkeys((table.header_rows[0], table.header_rows[-1]))
        )
        lines.append(
            t(
                "consultations.understood.table",
                lang,
                kind=t(f"consultations.understood.kind.{table.kind}", lang),
                where=table.where(lang),
                header=header,
                rows=table.rows,
                valid=table.valid,
                rejected=table.rejected,
                skipped=len(table.skipped),
            )
        )
        for column in table.columns:
            name = label(table.kind, column.field, lang) if column.field else None
            lines.append(column_line(column, name, lang))
        lines += capped(
            [
                t(
                    "consultations.understood.skipped",
                    lang,
                    row=row,
                    reason=t(f"consultations.understood.skip.{reason}", lang),
                )
                for row, reason in table.skipped
            ],
            keep,
            lang,
        )
    for sheet, reason, values in result.not_read:
        lines.append(
            t(
                "consultations.understood.not_read",
                lang,
                sheet=sheet or "CSV",
                why=t(f"consultations.understood.why.{reason}", lang, **values),
            )
        )
    lines += _date_lines(result, lang)
    lines += mapping_lines(
        result.mapping,
        result.saved_from,
        lang,
        columns=[c for table in found for c in table.columns],
        details=details,
    )
    said = {id(w) for w in result.said}
    others = [w for w in result.warnings if id(w) not in said] if warnings else []
    if others:
        lines.append(t("columns.warnings", lang, n=len(others)))
        lines += listed(others, keep, lang)
    if result.problems:
        lines.append(
            t(
                "consultations.understood.problems",
                lang,
                n=len(result.problems),
                rows=len(result.rejected),
            )
        )
        lines += listed(result.problems, None, lang)
    return lines


def _date_lines(result: ImportResult, lang: str) -> list[str]:
    columns = [
        (table, letter, counts)
        for table in result.found
        for letter, counts in table.dates.items()
        if sum(counts.values())
    ]
    if not columns:
        return []
    order = result.date_order or DateOrder("undecided", "none")
    numeric = sum(
        counts[k] for _t, _l, counts in columns for k in ("day_first", "month_first", "either")
    )
    lines = []
    if numeric:
        if order.rule == "undecided":
            lines.append(t("consultations.understood.dates.undecided", lang))
        else:
            lines.append(
                t(
                    f"consultations.understood.dates.{order.why}",
                    lang,
                    rule=t(f"consultations.understood.dates.rule.{order.rule}", lang),
                    n=order.evidence,
                )
            )
    for table, letter, counts in columns:
        heading = next((c.heading for c in table.columns if c.letter == letter), letter)
        forms = [
            t(f"consultations.understood.dates.form.{form}", lang, n=counts[form])
            for form in DATE_WRITINGS
            if counts.get(form)
        ]
        lines.append(
            t(
                "consultations.understood.dates.column",
                lang,
                letter=letter,
                heading=heading,
                forms=t("consultations.understood.dates.join", lang).join(forms),
            )
        )
    return lines


def understood_dict(result: ImportResult) -> dict[str, Any]:
    """What was understood as JSON-ready data (kept with the stored log)."""
    return {
        "file": result.path.name,
        "rows_read": result.rows_read,
        "mapping": dict(result.mapping),
        "saved_from": result.saved_from,
        "date_order": vars(result.date_order) if result.date_order else None,
        "tables": [
            {
                "kind": f.kind,
                "sheet": f.sheet,
                "header_rows": list(f.header_rows),
                "rows": f.rows,
                "valid": f.valid,
                "rejected": f.rejected,
                "skipped": [list(s) for s in f.skipped],
                "columns": [
                    {"letter": c.letter, "heading": c.heading, "field": c.field, "how": c.how}
                    for c in f.columns
                ],
                "dates": {k: dict(v) for k, v in f.dates.items()},
            }
            for f in result.found
        ],
        "not_read": [[s, r, v] for s, r, v in result.not_read],
    }


__all__ = ["SKIP_REASONS", "DateOrder", "LogTableFound", "label", "understood_lines"]
