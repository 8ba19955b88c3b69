"""How fast coverage views and indicator alignment are once a draft is mapped.

The mapping widget recomputes the coverage frame and chart after every click,
so that must feel instant (well under a second) even on a long draft.

Run: .venv/bin/python benchmarks/run.py coverage
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vlr_tools.cities import load_city  # noqa: E402
from vlr_tools.coverage import (  # noqa: E402
    Decision,
    coverage_figure,
    coverage_frame,
    heatmap_figure,
    map_city_draft,
    mapping_view,
    target_frame,
)
from vlr_tools.indicators import align_indicators, indicator_gaps, load_indicators  # noqa: E402


def _ms(action, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def run() -> dict[str, float]:
    """Median times on San Fernando v2 (the longest sample draft), with 200 decisions."""
    city = load_city("san-fernando")
    started = time.perf_counter()
    mapping = map_city_draft("san-fernando", "v2")
    map_ms = (time.perf_counter() - started) * 1000
    table = load_indicators(city.indicators_path)
    view = mapping_view(mapping)
    refs = list(dict.fromkeys(view.matches["ref"]))[:200]
    goals = list(view.matches.drop_duplicates("ref")["goal"])[:200]
    decisions = [
        Decision(
            paragraph_ref=ref, goal=int(goal), target=None, action="reject" if i % 3 else "accept"
        )
        for i, (ref, goal) in enumerate(zip(refs, goals, strict=False))
    ]
    frame = coverage_frame(view, table, decisions, 2025)
    return {
        "paragraphs_count": len(view.paragraphs),
        "match_rows_count": len(view.matches),
        "map_draft_ms": round(map_ms, 1),
        "mapping_view_ms_median": _ms(lambda: mapping_view(mapping)),
        "coverage_frame_200_decisions_ms_median": _ms(
            lambda: coverage_frame(view, table, decisions, 2025)
        ),
        "target_frame_ms_median": _ms(lambda: target_frame(view, table, decisions, 2025)),
        "coverage_figure_ms_median": _ms(lambda: coverage_figure(frame)),
        "heatmap_figure_ms_median": _ms(lambda: heatmap_figure(view, decisions=decisions)),
        "load_indicators_ms_median": _ms(lambda: load_indicators(city.indicators_path)),
        "indicator_gaps_ms_median": _ms(lambda: indicator_gaps(table)),
        "align_indicators_36_ms_median": _ms(lambda: align_indicators(table), repeat=3),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
