"""How fast the page view turns a page and shows a saved annotation.

Targets (issue 19): on a 300-page draft, a page appears in under 1 s after
"next page" (the kernel's part: the page image, its words and highlights are
ready to send), and saving an annotation shows its highlight in under 0.5 s.
Pages are drawn lazily, one at a time, so opening the view does not depend
on the draft's length.

Measured with the widget's own timings (``PageView.timings``) on a draft of
300 two-column pages made here with WeasyPrint.

Run: .venv/bin/python benchmarks/run.py pageview
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_intake import _big_pdf  # noqa: E402 - the same 300-page draft as the intake benchmark

#: How many "next page" clicks and saves are timed.
TURNS = 20
SAVES = 10


def run() -> dict[str, float]:
    from vlr_tools.intake import add_city, add_draft, start_review
    from vlr_tools.widgets.pageview import page_view
    from vlr_tools.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = _big_pdf(folder / "draft-300.pdf")
        ws = open_workspace(folder / "ws", reviewer="Benchmark (fictional)")
        add_city(ws, "bench-city", "Bench City", country="Philippines")
        add_draft(ws, "bench-city", pdf, version="v1")
        rid = start_review(ws, "bench-city", "v1").review.id

        started = time.perf_counter()
        view = page_view(ws, rid, page=100)
        open_s = time.perf_counter() - started

        turns = []
        for _ in range(TURNS):
            started = time.perf_counter()
            view.go(view.page + 1)  # what the "Next page" button does
            turns.append(time.perf_counter() - started)

        saves = []
        for k in range(SAVES):
            view.go(150 + k)
            words = [r for r in view.runs if r[0] >= 0]
            first, last = words[10], words[14]
            started = time.perf_counter()
            view.select(first[0], last[0] + len(last[1]))
            ann = view.save(kind="question", comment=f"Benchmark remark {k}.")
            shown = ann is not None and any(h["id"] == ann.id for h in view.highlights)
            saves.append(time.perf_counter() - started)
            assert shown, view.message
        image_kb = len(view.image) / 1024
        view.pages.close()
        ws.close()

    return {
        "pages": 300,
        "open_view_s": round(open_s, 3),
        "next_page_s_median": round(statistics.median(turns), 3),
        "next_page_s_max": round(max(turns), 3),
        "save_to_highlight_s_median": round(statistics.median(saves), 3),
        "save_to_highlight_s_max": round(max(saves), 3),
        "page_image_kb": round(image_kb, 1),
        "target_next_page_s": 1.0,
        "target_save_s": 0.5,
        "next_page_within_target": float(max(turns) < 1.0),
        "save_within_target": float(max(saves) < 0.5),
    }
