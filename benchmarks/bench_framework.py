"""How fast the SDG framework loads and answers lookups.

Run: .venv/bin/python benchmarks/run.py framework
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vlr_tools.framework import default_folder, load_framework  # noqa: E402

CODES = ("SDG 11", "11.6", "Target 11.a", "11.6.2", "Indicator 13.1.1", "目標3", "指標6.1.1")


def run() -> dict[str, float]:
    """Cold load (read and validate every file) and lookup figures."""
    folder = default_folder()
    loads = []
    for _ in range(20):
        started = time.perf_counter()
        fw = load_framework(folder)
        loads.append((time.perf_counter() - started) * 1000)

    rounds = 2000
    started = time.perf_counter()
    for _ in range(rounds):
        for code in CODES:
            fw.lookup(code)
    lookup_us = (time.perf_counter() - started) / (rounds * len(CODES)) * 1e6

    started = time.perf_counter()
    for _ in range(20):
        fw.search("waste")
    search_ms = (time.perf_counter() - started) / 20 * 1000

    counts = fw.counts()
    return {
        "load_ms_median": round(statistics.median(loads), 2),
        "load_ms_max": round(max(loads), 2),
        "lookup_us_mean": round(lookup_us, 2),
        "search_ms_mean": round(search_ms, 2),
        "targets_count": counts["targets"],
        "indicator_listings_count": counts["listings"],
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
