"""Memo speed: all four formats for one city in one language, and the HTML alone.

Targets (issue 8): all four formats under 5 s warm, the HTML under 1 s.
The review is the demo's complete scripted review of Santa Rosa v1.
"Warm" means the process has already drawn a memo once (chart browser
started, fonts and templates loaded). ``four_formats_fresh_charts_s`` also
redraws every chart image (the image cache emptied first), so it shows the
cost when a memo's numbers changed since the last export.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run() -> dict[str, float]:
    from vlr_tools.demo import DEMO_REVIEWERS, review_city
    from vlr_tools.memo import build_memo, render_memo
    from vlr_tools.memo import static as memo_static
    from vlr_tools.memo.render import memo_bytes
    from vlr_tools.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = open_workspace(folder / "ws", reviewer=DEMO_REVIEWERS[0])
        # The demo's complete scripted review of Santa Rosa v1: ratings by two
        # reviewers, consultation log, mapping decisions, annotations.
        problems: list[str] = []
        review_id = review_city(ws, "santa-rosa", ("v1",), lambda text: None, problems)
        if problems:
            raise RuntimeError(f"the scripted review failed: {problems}")
        rv = ws.review(review_id)
        out = folder / "out"
        started = time.perf_counter()
        memo = build_memo(ws, rv.id, "en")
        render_memo(memo, ("html", "pdf", "docx", "md"), out)
        cold = time.perf_counter() - started

        def four() -> None:
            m = build_memo(ws, rv.id, "en")
            render_memo(m, ("html", "pdf", "docx", "md"), out)

        def four_fresh() -> None:
            memo_static.clear_cache()
            four()

        warm = _median(four, 3)
        fresh = _median(four_fresh, 3)
        build = _median(lambda: build_memo(ws, rv.id, "en"), 5)
        html = _median(lambda: memo_bytes(build_memo(ws, rv.id, "en"), "html"), 5)
        pdf = _median(lambda: memo_bytes(memo, "pdf"), 3)
        docx = _median(lambda: memo_bytes(memo, "docx"), 3)
        md = _median(lambda: memo_bytes(memo, "md"), 5)
        size = (out / "santa-rosa-v1-review-memo-en.html").stat().st_size
        ws.close()
    return {
        "first_memo_cold_s": round(cold, 2),
        "four_formats_warm_s": round(warm, 2),
        "four_formats_fresh_charts_s": round(fresh, 2),
        "build_memo_s": round(build, 3),
        "html_only_s": round(html, 3),
        "pdf_only_s": round(pdf, 3),
        "docx_only_s": round(docx, 3),
        "markdown_only_s": round(md, 4),
        "html_size_mb": round(size / 1e6, 2),
        "target_four_formats_s": 5.0,
        "target_html_s": 1.0,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
