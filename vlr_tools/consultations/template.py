"""The consultation log workbook a reviewer sends a city (``vlr consultations template``).

Headings in English, Japanese or Filipino (``log_template.yaml``) that the
log reader knows, help text on each heading, data validation for dates,
counts, yes/no flags and the IAP2 level, and an instructions sheet that asks
for counts rather than participants' names (RA 10173).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import ConsultationLogError
from ..paths import REFERENCE_DIR
from ..workbook import print_wide, wrap_cell

TEMPLATE_FILE = REFERENCE_DIR / "stakeholders" / "log_template.yaml"
TEMPLATE_LANGS = ("en", "ja", "fil")
ROWS = 300
_COUNTS = ("male", "female", "youth", "seniors")


def write_log_template(out: str | Path, *, lang: str = "en") -> Path:
    """Write the consultation log template to ``out`` (.xlsx) in ``lang``."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from .vocab import get_engagement

    if lang not in TEMPLATE_LANGS:
        raise ConsultationLogError(
            f"unknown language {lang!r}; allowed: {', '.join(TEMPLATE_LANGS)}"
        )
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ConsultationLogError(f"{out.name}: the template is an Excel workbook; name it .xlsx")
    texts = yaml.safe_load(TEMPLATE_FILE.read_text(encoding="utf-8"))
    fields = list(texts["columns"])
    wb = Workbook()
    ws = wb.active
    ws.title = texts["sheet"][lang]
    ws.append([texts["title"][lang]])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([texts["columns"][f][lang] for f in fields])
    fill = PatternFill("solid", fgColor="E2EFDA")
    for index, name in enumerate(fields, start=1):
        cell = ws.cell(row=2, column=index)
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(texts["columns"][name]["help"][lang], "VLR workbench")
        ws.column_dimensions[cell.column_letter].width = (
            24 if name in ("issues", "response") else 14
        )
    ws.freeze_panes = "B3"
    ws.row_dimensions[2].height = 48  # headings on up to three lines
    print_wide(ws, repeat_rows="1:2")
    letter = {f: ws.cell(row=2, column=i + 1).column_letter for i, f in enumerate(fields)}
    date = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    date.add(f"{letter['date']}3:{letter['date']}{ROWS}")
    counts = DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
    )
    for name in _COUNTS:
        counts.add(f"{letter[name]}3:{letter[name]}{ROWS}")
    levels = get_engagement().iap2_levels
    shown = [t.ja if lang == "ja" else t.en for t in levels.terms]
    iap2 = DataValidation(type="list", formula1='"' + ",".join(shown) + '"', allow_blank=True)
    iap2.add(f"{letter['iap2']}3:{letter['iap2']}{ROWS}")
    yes_no = {"en": "Yes,No", "ja": "はい,いいえ", "fil": "Oo,Hindi"}[lang]
    flags = DataValidation(type="list", formula1=f'"{yes_no}"', allow_blank=True)
    for name in ("pwd_present", "ip_present"):
        flags.add(f"{letter[name]}3:{letter[name]}{ROWS}")
    for validation in (date, counts, iap2, flags):
        ws.add_data_validation(validation)
    info = wb.create_sheet(texts["instructions_sheet"][lang], 0)
    for line in texts["instructions"][lang]:
        info.append([str(line).format(sheet=ws.title)])
        wrap_cell(info, info.max_row, 1, 100, line=16)  # the whole line, on screen and on paper
    info["A1"].font = Font(bold=True, size=13)
    info.column_dimensions["A"].width = 100
    print_wide(info)
    wb.active = 1
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


__all__ = ["TEMPLATE_LANGS", "write_log_template"]
