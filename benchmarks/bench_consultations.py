"""Benchmark: validate and import a 50,000-row consultation log (target: under 10 s).

Builds a log the way a city office keeps it (title row, Filipino/English
headers, typed and real dates, several stakeholder groups per row), then
times, separately:

- validate only: reading + validating the file (``read_consultation_log``);
- store: saving all 50,000 records into a fresh SQLite workspace
  (``save_consultations``, one ``put_many`` transaction), and the sum
  validate + store, which is what issue 7's target is about;
- re-import of the same 50,000 (nothing changes, nothing is written);
- for comparison, storing a 1,000-record slice one ``ws.put`` at a time
  (each put is its own durable transaction).

The CPU time of validate + store and the load average at the start are
reported too: on a shared machine the wall-clock time also counts the time
other programs held the cores.

Run: .venv/bin/python benchmarks/run.py consultations
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

ROWS = 50_000
SINGLE_PUT_ROWS = 1_000


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
    from vlr_tools.consultations.store import CONSULTATION_KIND
    from vlr_tools.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        path = build_log(folder / "big.xlsx")
        build_s = time.perf_counter() - started

        load = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        result = read_consultation_log(path, today=dt.date(2025, 6, 30))
        validate_s = time.perf_counter() - started
        validate_cpu_s = time.process_time() - cpu
        assert len(result.consultations) == ROWS and not result.problems, result.summary()

        ws = open_workspace(folder / "ws", reviewer="Benchmark")
        review = ws.create_review(city="benchmark")
        started, cpu = time.perf_counter(), time.process_time()
        summary = save_consultations(ws, review.id, result)
        store_s = time.perf_counter() - started
        store_cpu_s = time.process_time() - cpu
        assert summary.added == ROWS, summary

        started = time.perf_counter()
        again = save_consultations(ws, review.id, result)
        reimport_s = time.perf_counter() - started
        assert (again.added, again.updated, again.unchanged) == (0, 0, ROWS), again
        assert ws.info()["history"] == ROWS + 1  # the review's own row + one per record

        # The old way, for comparison: one durable transaction per record.
        slice_review = ws.create_review(city="benchmark-slice")
        items = [(c.record_id, c.to_dict()) for c in result.consultations[:SINGLE_PUT_ROWS]]
        started = time.perf_counter()
        for key, data in items:
            ws.put(slice_review.id, CONSULTATION_KIND, key, data)
        single_s = time.perf_counter() - started
        ws.close()
    return {
        "rows": ROWS,
        "build_log_s": round(build_s, 2),
        "validate_only_50k_rows_s": round(validate_s, 2),
        "validate_rows_per_s": round(ROWS / validate_s),
        "store_50k_records_fresh_sqlite_s": round(store_s, 2),
        "validate_and_store_50k_rows_s": round(validate_s + store_s, 2),
        "validate_and_store_50k_rows_cpu_s": round(validate_cpu_s + store_cpu_s, 2),
        "store_records_per_s": round(ROWS / store_s),
        "reimport_50k_unchanged_s": round(reimport_s, 2),
        "single_put_ms_per_record": round(1000 * single_s / SINGLE_PUT_ROWS, 2),
        "single_put_50k_estimate_s": round(ROWS * single_s / SINGLE_PUT_ROWS, 1),
        "target_validate_and_store_s": 10,
        # Wall-clock figures stretch when other programs share the 2 cores.
        "load_average_1min_at_start": round(load, 2),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
