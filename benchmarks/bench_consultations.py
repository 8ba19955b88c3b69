"""Benchmark: validate and import a 50,000-row consultation log (target: under 10 s).

Builds a log the way a city office keeps it (title row, Filipino/English
headers, typed and real dates, several stakeholder groups per row), then
times reading + validating it, and storing a 2,000-row slice in a SQLite
workspace (each workspace write is its own durable transaction, so storing is
measured per record rather than for all 50,000).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

ROWS = 50_000
STORE_ROWS = 2_000


def build_log(path: Path, rows: int = ROWS) -> Path:
    """Write an illustrative log with ``rows`` consultations (write-only openpyxl)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Consultations")
    ws.append(["CITY OF SAMPLE - VLR CONSULTATION LOG (ILLUSTRATIVE BENCHMARK DATA)"])
    ws.append([
        "Ref. No.", "Petsa / Date", "Activity", "Lugar (Venue)", "Format", "Organiser",
        "Stakeholder groups / Sektor", "Male", "Female", "Youth (15-30)", "Senior citizens (60+)",
        "PWD present?", "IP present?", "Language / Wika", "SDGs discussed", "Issues raised / Mga isyu",
        "Response / How reflected in the draft", "IAP2 level", "Consent basis", "Evidence link",
    ])  # fmt: skip
    groups = ["Women; Kabataan", "Mangingisda; PWD", "Urban poor; Senior citizens", "NGOs/CSOs; Academe",
              "Barangay officials", "Magsasaka; IPs; Women"]  # fmt: skip
    levels = ["Inform", "Consult", "Involve", "", "Collaborate"]
    for i in range(rows):
        date: object = dt.date(2024, 1 + i % 12, 1 + i % 28)
        if i % 3 == 1:
            date = date.strftime("%d %b %Y")  # typed text
        ws.append([
            f"B-{i:06d}", date, f"Consultation {i % 97}", f"Barangay hall {i % 59}", "FGD", "CPDO",
            groups[i % len(groups)], 5 + i % 30, 6 + i % 25, i % 5, i % 4, "No" if i % 7 else "Oo",
            "No", "Filipino; English", f"SDG {1 + i % 17}; 11.6", "Flooding; jobs; water",
            "Reflected in chapter 4" if i % 11 else "", levels[i % len(levels)], "Written consent",
            f"https://example.org/evidence/{i}",
        ])  # fmt: skip
    wb.save(path)
    return path


def run() -> dict:
    from vlr_tools.consultations import read_consultation_log, save_consultations
    from vlr_tools.consultations.reader import ImportResult
    from vlr_tools.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        path = build_log(folder / "big.xlsx")
        build_s = time.perf_counter() - started

        started = time.perf_counter()
        result = read_consultation_log(path, today=dt.date(2025, 6, 30))
        validate_s = time.perf_counter() - started
        assert len(result.consultations) == ROWS, result.summary()

        os.environ.setdefault("VLR_REVIEWER", "Benchmark")
        ws = open_workspace(folder / "ws", reviewer="Benchmark")
        review = ws.create_review(city="benchmark")
        part = ImportResult(path=path, consultations=result.consultations[:STORE_ROWS])
        started = time.perf_counter()
        save_consultations(ws, review.id, part)
        store_s = time.perf_counter() - started
        started = time.perf_counter()
        save_consultations(ws, review.id, part)  # re-import: unchanged, nothing written
        reimport_s = time.perf_counter() - started
        ws.close()
    return {
        "rows": ROWS,
        "build_log_s": round(build_s, 2),
        "validate_import_50k_rows_s": round(validate_s, 2),
        "rows_per_s": round(ROWS / validate_s),
        "store_2k_records_in_workspace_s": round(store_s, 2),
        "store_ms_per_record": round(1000 * store_s / STORE_ROWS, 2),
        "reimport_2k_unchanged_s": round(reimport_s, 2),
        "target_validate_import_s": 10,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
