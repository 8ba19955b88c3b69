"""Benchmark: indicator tables as cities keep them (issue 15 targets).

- a 2,000-indicator table with one column per year (10 year columns, title
  rows, a goal section row every 50 indicators, values with units and marks)
  read, understood and stored in a fresh SQLite review: under 3 s;
- the annex tables of 10 PDF pages of a draft extracted (pdfplumber on those
  pages only) and understood: under 10 s. The draft is made here with
  WeasyPrint from HTML tables (illustrative benchmark data).
- for the choice of workbook reader: reading the same workbook with
  python-calamine (used), with openpyxl read-only, and the formula scan.

Run: .venv/bin/python benchmarks/run.py indicator_tables
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

INDICATORS = 2_000
YEARS = list(range(2014, 2024))
PDF_PAGES = 10


def build_wide(path: Path, rows: int = INDICATORS) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Indicators by year")
    ws.append(["CITY OF SAMPLE - LOCAL SDG INDICATORS (ILLUSTRATIVE BENCHMARK DATA)"])
    ws.append([])
    ws.append(["ID", "Indicator", "Unit", "SDG indicator", *YEARS, "Target 2030", "Source"])
    marks = ["n/a", "—", "", "12.5 (p)", "45.2%", "1,234", "7*"]
    for i in range(rows):
        if i % 50 == 0:
            ws.append([f"GOAL {1 + (i // 50) % 17}: SECTION {i // 50}"])
        values: list[object] = []
        for k in range(len(YEARS)):
            pick = (i + k) % 9
            values.append(marks[pick] if pick < len(marks) else round(10 + i % 97 + k * 0.5, 1))
        ws.append(
            [f"B-{i:05d}", f"Indicator {i}", "%", "11.6.1" if i % 3 else "", *values, 90, "CBMS"]
        )
    ws.append(["Source: illustrative benchmark data."])
    wb.save(path)
    return path


def build_pdf(path: Path, pages: int = PDF_PAGES) -> Path:
    from weasyprint import HTML

    head = "<tr><th>ID</th><th>Indicator</th><th>Unit</th><th>Global code</th><th>Baseline</th><th>Latest</th><th>2030 target</th><th>Source</th></tr>"
    parts = ["<style>table{border-collapse:collapse;width:100%} td,th{border:1px solid #000;"
             "font-size:8pt;padding:2px} section{page-break-after:always}</style>"]  # fmt: skip
    n = 0
    for page in range(pages):
        parts.append(f"<section><h2>SDG {1 + page % 17}</h2><table>{head}")
        for _ in range(28):
            n += 1
            parts.append(
                f"<tr><td>P-{n:04d}</td><td>Indicator {n}</td><td>%</td><td>11.6.1</td>"
                f"<td>{10 + n % 50} (2018)</td><td>{12 + n % 40} (2023)</td><td>90</td>"
                "<td>CBMS</td></tr>"
            )
        parts.append("</table></section>")
    HTML(string="".join(parts)).write_pdf(path)
    return path


def run() -> dict:
    from vlr_tools.indicators import read_draft_tables, read_indicator_file
    from vlr_tools.intake import store_indicators
    from vlr_tools.workbook import read_workbook
    from vlr_tools.workspace import open_workspace

    figures: dict[str, float | int] = {"load_average_1min": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wide = build_wide(folder / "wide.xlsx")
        ws = open_workspace(folder / "ws", reviewer="benchmark")
        rid = ws.create_review(city="sample", version="v1").id
        started = time.perf_counter()
        reading = read_indicator_file(wide)
        read_s = time.perf_counter() - started
        assert not reading.problems, reading.problems[:3]
        store_indicators(ws, rid, reading, source={"filename": wide.name})
        total_s = time.perf_counter() - started
        figures.update(
            wide_indicators=len(reading.indicators),
            wide_read_and_understood_s=round(read_s, 2),
            wide_read_understood_stored_s=round(total_s, 2),
            wide_target_s=3,
        )
        started = time.perf_counter()
        read_workbook(wide)
        figures["workbook_calamine_s"] = round(time.perf_counter() - started, 2)
        import openpyxl

        started = time.perf_counter()
        wb = openpyxl.load_workbook(wide, read_only=True, data_only=True)
        for sheet in wb.worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass
        wb.close()
        figures["workbook_openpyxl_read_only_s"] = round(time.perf_counter() - started, 2)
        ws.close()

        pdf = build_pdf(folder / "annex.pdf")
        started = time.perf_counter()
        annex = read_draft_tables(pdf, "pdf", range(1, PDF_PAGES + 1), shown=pdf.name)
        figures.update(
            pdf_pages=PDF_PAGES,
            pdf_indicators=len(annex.indicators),
            pdf_problems=len(annex.problems),
            pdf_extract_and_understood_s=round(time.perf_counter() - started, 2),
            pdf_target_s=10,
        )
    return figures
