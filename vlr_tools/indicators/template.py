"""The indicator workbook a reviewer sends a city to fill in (``vlr indicators template``).

Headings carry their help text as cell comments, goals, years and global
codes are checked by Excel's data validation as the city types, a sheet lists
the global codes (from the framework, so new codes appear by themselves),
and an instructions sheet says how to fill it in, in English, Japanese or
Filipino. The indicators a review already holds can be filled in, so the
city corrects and completes rather than starts again.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataFileError
from ..framework import Framework, get_framework
from ..paths import REFERENCE_DIR
from ..workbook import print_wide, wrap_cell
from .cells import FIELDS
from .table import IndicatorTable

TEMPLATE_FILE = REFERENCE_DIR / "indicators" / "template.yaml"
TEMPLATE_LANGS = ("en", "ja", "fil")
#: Rows of the sheet that carry data validation (filled rows plus room to add).
EMPTY_ROWS = 200


@lru_cache(maxsize=2)
def template_texts(path: Path | None = None) -> dict[str, Any]:
    """The texts of ``template.yaml``."""
    path = Path(path or TEMPLATE_FILE)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot be read ({exc})") from exc
    return data


def _text(entry: dict[str, str], lang: str) -> str:
    return str(entry.get(lang) or entry.get("en") or "")


def write_indicator_template(
    out: str | Path,
    *,
    lang: str = "en",
    table: IndicatorTable | None = None,
    city: str = "",
    illustrative: bool = False,
    framework: Framework | None = None,
) -> Path:
    """Write the workbook to ``out`` (.xlsx) in ``lang``, with ``table``'s indicators filled in.

    ``illustrative`` (a sample city's review) labels the filled-in values as made up.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in TEMPLATE_LANGS:
        raise DataFileError(f"unknown language {lang!r}; allowed: {', '.join(TEMPLATE_LANGS)}")
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise DataFileError(f"{out.name}: the template is an Excel workbook; name it .xlsx")
    texts = template_texts()
    fw = framework or get_framework()
    sheet_name = _text(texts["sheet"], lang)
    codes_name = _text(texts["codes_sheet"], lang)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name
    title = _text(texts["title"], lang).format(city=city or "—")
    if illustrative:
        title = f"{title} ({_text(texts['illustrative'], lang)})"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    headings = [_text(texts["columns"][f]["heading"], lang) for f in FIELDS]
    ws.append(headings)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, field in enumerate(FIELDS, start=1):
        cell = ws.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(_text(texts["columns"][field]["help"], lang), "VLR workbench")
        ws.column_dimensions[cell.column_letter].width = (
            28 if field in ("name", "definition", "source", "notes") else 14
        )
    ws.freeze_panes = "C3"
    # Headings wrap onto three lines ("Pinakabagong" / "halaga"); a row does not grow by itself.
    ws.row_dimensions[2].height = 48
    print_wide(ws, repeat_rows="1:2")
    for ind in table or ():
        ws.append(
            [
                ind.id,
                ind.name,
                ind.definition,
                ind.unit,
                ind.goal,
                " / ".join((*ind.global_codes, *ind.targets)) or None,
                ind.baseline_year,
                _shown(ind, "baseline"),
                ind.latest_year,
                _shown(ind, "latest"),
                ind.target_2030,
                ind.source,
                "; ".join(ind.disaggregation) or None,
                ind.notes or None,
            ]
        )
    last = 2 + len(table or ()) + EMPTY_ROWS
    column = {f: ws.cell(row=2, column=i + 1).column_letter for i, f in enumerate(FIELDS)}
    checks = texts["validation"]
    goal = DataValidation(
        type="whole", operator="between", formula1="1", formula2="17", allow_blank=True
    )
    goal.error, goal.errorTitle = _text(checks["goal"], lang), headings[FIELDS.index("goal")]
    goal.add(f"{column['goal']}3:{column['goal']}{last}")
    year = DataValidation(
        type="whole", operator="between", formula1="1990", formula2="2100", allow_blank=True
    )
    year.error, year.errorTitle = (
        _text(checks["year"], lang),
        headings[FIELDS.index("baseline_year")],
    )
    for field in ("baseline_year", "latest_year"):
        year.add(f"{column[field]}3:{column[field]}{last}")
    codes = _code_list(fw, lang)
    lists = wb.create_sheet(codes_name)
    lists.append(
        [_text(texts["columns"]["codes"]["heading"], lang), _text(texts["codes_title"], lang)]
    )
    lists["A1"].font = lists["B1"].font = Font(bold=True)
    for code, label in codes:
        lists.append([code, label])
        lists.cell(row=lists.max_row, column=1).alignment = Alignment(vertical="top")
        wrap_cell(lists, lists.max_row, 2, 100)
    lists.column_dimensions["A"].width = 12
    lists.column_dimensions["B"].width = 100
    lists.freeze_panes = "A2"
    print_wide(lists, repeat_rows="1:1")
    quoted = codes_name.replace("'", "''")
    code_check = DataValidation(
        type="list", formula1=f"='{quoted}'!$A$2:$A${len(codes) + 1}", allow_blank=True
    )
    # A warning, not a stop: "11.6.2 / 11.6.1" is allowed but not in the list.
    code_check.errorStyle = "warning"
    code_check.error, code_check.errorTitle = (
        _text(checks["code"], lang),
        headings[FIELDS.index("codes")],
    )
    code_check.add(f"{column['codes']}3:{column['codes']}{last}")
    for validation in (goal, year, code_check):
        ws.add_data_validation(validation)
    info = wb.create_sheet(_text(texts["instructions_sheet"], lang), 0)
    for n, line in enumerate(texts["instructions"].get(lang) or texts["instructions"]["en"]):
        info.append([str(line).format(sheet=sheet_name, codes=codes_name)])
        wrap_cell(info, n + 1, 1, 100, line=16)  # the whole line, on screen and on paper
        if n == 0:
            info["A1"].font = Font(bold=True, size=13)
    info.column_dimensions["A"].width = 100
    print_wide(info)
    wb.active = 1
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _shown(ind: Any, role: str) -> object:
    """A baseline/latest value as the city wrote it when it had a unit or flag, else the number."""
    for obs in ind.series:
        if obs.role == role and obs.value is not None:
            if obs.flag or (obs.unit and obs.unit != ind.unit):
                return obs.text
            return obs.value
    return getattr(ind, f"{role}_value")


def _code_list(fw: Framework, lang: str = "en") -> list[tuple[str, str]]:
    """Every global indicator listing and target code, with its title (Japanese when there is one)."""
    out: dict[str, str] = {}
    for ind in fw.indicators:
        for code in ind.codes:
            out.setdefault(code, ind.title_ja if lang == "ja" and ind.title_ja else ind.title_en)
    for goal in fw.goals:
        for target in fw.children(goal.number):
            title = target.title_ja if lang == "ja" and target.title_ja else target.title_en  # type: ignore[union-attr]
            out.setdefault(target.code, title)  # type: ignore[union-attr]
    from ..framework import code_sort_key

    return sorted(out.items(), key=lambda x: code_sort_key(x[0]))


__all__ = ["TEMPLATE_LANGS", "template_texts", "write_indicator_template"]
