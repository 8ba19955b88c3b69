"""Export consultation records to XLSX or CSV without leaking personal data.

Under the Data Privacy Act of 2012 (RA 10173) the default export leaves every
personal-data field out (see :data:`~.model.PERSONAL_FIELDS`): participants'
names, contacts, age, disability and indigenous status, and contact persons.
``pseudonymise=True`` (workshop mode) keeps a participants table with each
name replaced by a keyed-hash pseudonym ("Participant P-3F2A9C": the same
person always gets the same pseudonym under the same key) and the other
personal fields left out. ``include_personal=True`` exports everything and
must be asked for explicitly.

Every text cell that a spreadsheet could run as a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is neutralised: CSV
cells get a leading apostrophe; XLSX cells are written as text cells with
Excel's "quote prefix" style, so the value is shown as typed and never runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConsultationLogError
from ..i18n import check_lang, t
from ..stakeholders import get_stakeholders
from .model import Consultation, Participant, personal_fields
from .vocab import get_engagement

if TYPE_CHECKING:
    from .reader import ImportResult

FORMATS = ("xlsx", "csv")
#: First characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection).
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

CONSULTATION_COLUMNS = (
    "record_id", "date", "title", "venue", "format", "organiser", "contact_person", "groups",
    "total", "male", "female", "youth", "seniors", "pwd_present", "ip_present", "language",
    "accessibility", "sdgs", "targets", "issues", "response", "iap2", "consent", "evidence",
    "notes",
)  # fmt: skip
PARTICIPANT_COLUMNS = (
    "participant_id", "consultation", "name", "sex", "age", "group", "organisation", "barangay",
    "address", "phone", "email", "contact", "pwd", "ip", "consent", "signature", "notes",
)  # fmt: skip

_PROCESS_KEY = secrets.token_bytes(32)


def pseudonym(name: str, key: bytes | str | None = None, lang: str = "en") -> str:
    """A stable pseudonym for a person's name: "Participant P-3F2A9C".

    The pseudonym is an HMAC-SHA256 of the folded name (case and spacing do
    not matter) under ``key``; without the key it cannot be turned back into
    the name. Use the same key (``VLR_PSEUDONYM_KEY`` or the ``key`` argument)
    across a workshop so the same person keeps the same pseudonym; without
    one, a random key is used for the running process.
    """
    folded = " ".join(str(name).casefold().split())
    digest = hmac.new(_key_bytes(key), folded.encode("utf-8"), hashlib.sha256).hexdigest()
    return t("consultations.pseudonym", lang, code=f"P-{digest[:6].upper()}")


def _key_bytes(key: bytes | str | None) -> bytes:
    if key is None:
        key = os.environ.get("VLR_PSEUDONYM_KEY") or _PROCESS_KEY
    return key if isinstance(key, bytes) else str(key).encode("utf-8")


def neutralise(value: object) -> object:
    """A CSV cell value that cannot run as a formula: "'" before a dangerous first character."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _cell_text(value: object, lang: str, column: str) -> object:
    """A record's value as a spreadsheet shows it (lists joined, ids named)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("はい" if value else "いいえ") if lang == "ja" else ("Yes" if value else "No")
    if isinstance(value, tuple | list):
        if column in ("groups", "group"):
            sh = get_stakeholders()
            return "; ".join(sh.group(g).name(lang) if g in sh else str(g) for g in value)
        return ", ".join(str(v) for v in value)
    if column in ("group",) and isinstance(value, str):
        sh = get_stakeholders()
        return sh.group(value).name(lang) if value in sh else value
    if column == "iap2" and isinstance(value, str):
        levels = get_engagement().iap2_levels
        return levels.get(value).name(lang) if value in levels.ids else value
    if column == "format" and isinstance(value, str):
        formats = get_engagement().formats
        return formats.get(value).name(lang) if value in formats.ids else value
    if column == "sex" and isinstance(value, str):
        sexes = get_engagement().sexes
        return sexes.get(value).name(lang) if value in sexes.ids else value
    return value


def _rows(
    records: Sequence[Any], columns: Sequence[str], lang: str, transform: dict[str, Any]
) -> list[list[object]]:
    rows = []
    for record in records:
        row = []
        for column in columns:
            value = getattr(record, column)
            if column in transform:
                value = transform[column](value)
            row.append(_cell_text(value, lang, column))
        rows.append(row)
    return rows


def export_consultations(
    records: Iterable[Consultation | Participant] | ImportResult,
    path: str | Path,
    fmt: str | None = None,
    *,
    include_personal: bool = False,
    pseudonymise: bool = False,
    key: bytes | str | None = None,
    lang: str = "en",
    illustrative: bool = False,
) -> list[Path]:
    """Write consultations (and, when allowed, participants) to XLSX or CSV.

    ``records`` may mix :class:`Consultation` and :class:`Participant` records
    or be an import result. ``fmt`` defaults to the file suffix. Returns the
    files written: one workbook, or for CSV the consultations file plus
    ``<name>-participants.csv`` when a participants table is exported.

    By default no personal data is written and the participants table is left
    out entirely (only the per-consultation counts remain). ``illustrative``
    adds the sample-data notice (set it for the sample cities).
    """
    check_lang(lang)
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "xlsx").lower()
    if fmt not in FORMATS:
        raise ConsultationLogError(f"unknown export format {fmt!r}; allowed: {', '.join(FORMATS)}")
    if include_personal and pseudonymise:
        raise ConsultationLogError(
            "choose either include_personal (names and contacts as recorded) or pseudonymise "
            "(names replaced, other personal data left out), not both"
        )
    consultations, participants = _split(records)
    personal_c = set(personal_fields(Consultation))
    personal_p = set(personal_fields(Participant))
    c_columns = [c for c in CONSULTATION_COLUMNS if include_personal or c not in personal_c]
    c_transform: dict[str, Any] = {}
    p_columns: list[str] = []
    p_transform: dict[str, Any] = {}
    if pseudonymise:
        c_columns = list(CONSULTATION_COLUMNS)
        c_transform["contact_person"] = lambda v: pseudonym(v, key, lang) if v else ""
        p_columns = [c for c in PARTICIPANT_COLUMNS if c == "name" or c not in personal_p]
        p_transform["name"] = lambda v: pseudonym(v, key, lang) if v else ""
        # The participant id of a record without a row number is a hash that
        # includes the name; replace it too so nothing links back to a person.
        p_transform["participant_id"] = lambda v: pseudonym(v, key, lang).split()[-1]
        note = t("consultations.privacy.pseudonymised", lang)
    elif include_personal:
        p_columns = list(PARTICIPANT_COLUMNS)
        note = t("consultations.privacy.included", lang)
    else:
        note = t("consultations.privacy.excluded", lang)
    tables: list[tuple[str, list[str], list[list[object]]]] = [
        (
            t("consultations.sheet.consultations", lang),
            [t(f"consultations.col.{c}", lang) for c in c_columns],
            _rows(consultations, c_columns, lang, c_transform),
        )
    ]
    if p_columns and participants:
        tables.append(
            (
                t("consultations.sheet.participants", lang),
                [t(f"consultations.col.{c}", lang) for c in p_columns],
                _rows(participants, p_columns, lang, p_transform),
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        written = []
        for index, (_sheet, header, rows) in enumerate(tables):
            target = (
                path if index == 0 else path.with_name(f"{path.stem}-participants{path.suffix}")
            )
            write_csv(target, header, rows)
            written.append(target)
        return written
    about: list[list[object]] = [[note]]
    if illustrative:
        about.append([t("common.illustrative_note", lang)])
    tables.append(
        (t("consultations.sheet.about", lang), [t("consultations.sheet.about", lang)], about)
    )
    write_xlsx(path, tables)
    return [path]


def _split(records: Any) -> tuple[list[Consultation], list[Participant]]:
    if hasattr(records, "consultations") and hasattr(records, "participants"):
        return list(records.consultations), list(records.participants)
    consultations: list[Consultation] = []
    participants: list[Participant] = []
    for record in records:
        if isinstance(record, Consultation):
            consultations.append(record)
        elif isinstance(record, Participant):
            participants.append(record)
        else:
            raise ConsultationLogError(
                f"cannot export {type(record).__name__}; allowed: Consultation, Participant"
            )
    return consultations, participants


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a UTF-8 (with BOM, so Excel reads accents) CSV with neutralised cells."""
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow([neutralise(h) for h in header])
        for row in rows:
            writer.writerow([neutralise(_plain(v)) for v in row])


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return value if isinstance(value, int | float | str) else str(value)


def write_xlsx(
    path: Path, tables: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]]
) -> None:
    """Write sheets of (name, header, rows); text cells can never run as formulas."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    wb = Workbook()
    default = wb.active
    used: set[str] = set()
    for name, header, rows in tables:
        title = _sheet_title(name, used)
        ws = wb.create_sheet(title)
        for col, heading in enumerate(header, start=1):
            _set(ws.cell(row=1, column=col), heading, ILLEGAL_CHARACTERS_RE)
            ws.cell(row=1, column=col).font = Font(bold=True)
        for r, row in enumerate(rows, start=2):
            for col, value in enumerate(row, start=1):
                _set(ws.cell(row=r, column=col), value, ILLEGAL_CHARACTERS_RE)
        ws.freeze_panes = "A2"
    if default is not None:
        wb.remove(default)
    wb.save(path)


def _sheet_title(name: str, used: set[str]) -> str:
    title = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Sheet"
    base, n = title, 2
    while title in used:
        title = f"{base[:28]} {n}"
        n += 1
    used.add(title)
    return title


def _set(cell: Any, value: object, illegal: Any) -> None:
    if isinstance(value, dt.datetime):
        cell.value = value
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, bool | int | float) or value is None:
        cell.value = value
    else:
        text = illegal.sub("", str(value))
        cell.value = text
        # openpyxl turns text starting with "=" into a formula: force a text
        # cell, and mark it with Excel's quote prefix so editing keeps it text.
        cell.data_type = "s"
        if text.startswith(DANGEROUS_PREFIXES):
            cell.quotePrefix = True


def write_rejects(result: ImportResult, path: Path) -> Path:
    """The rejected rows of an import, as read, with a "Problem" column, as XLSX."""
    from ..workbook import CellError, Formula

    groups: dict[tuple[str, str | None], list[Any]] = {}
    for rejected in result.rejected:
        groups.setdefault((rejected.table, rejected.sheet), []).append(rejected)
    tables = []
    for (table, sheet), rows in groups.items():
        width = max(len(r.headers) for r in rows)
        header = list(next(r.headers for r in rows if len(r.headers) == width))
        header = [h or f"Column {i + 1}" for i, h in enumerate(header)]
        out_rows = []
        for r in rows:
            values = [v.text if isinstance(v, Formula | CellError) else v for v in r.values] + [
                None
            ] * (width - len(r.values))
            problems = "; ".join(
                (f"{p.column}: " if p.column else "")
                + p.message
                + (f" (allowed: {p.allowed})" if p.allowed else "")
                for p in r.problems
            )
            out_rows.append([f"row {r.row}", *values[:width], problems])
        name = sheet or table
        tables.append((name, ["Source row", *header, "Problem"], out_rows))
    if not tables:
        tables.append(("Rejected rows", ["Problem"], [["No rejected rows: every row was valid."]]))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_xlsx(path, tables)
    return path


def records_frame(records: Iterable[Consultation], lang: str = "en") -> Any:
    """Consultations as a DataFrame with personal fields left out (for notebooks/memos)."""
    import pandas as pd

    columns = [c for c in CONSULTATION_COLUMNS if c not in personal_fields(Consultation)]
    rows = _rows(list(records), columns, lang, {})
    return pd.DataFrame(rows, columns=[t(f"consultations.col.{c}", lang) for c in columns])


__all__ = [
    "CONSULTATION_COLUMNS",
    "PARTICIPANT_COLUMNS",
    "export_consultations",
    "neutralise",
    "pseudonym",
    "records_frame",
    "write_csv",
    "write_rejects",
    "write_xlsx",
]
