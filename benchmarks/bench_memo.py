"""Memo speed as a user meets it: ``vlr memo`` in a fresh process, and where the time goes.

Targets (issue 17), for ``vlr memo --review ID --lang en`` in a fresh process
on the demo's review of Santa Rosa v1: Markdown alone under 1.5 s, all four
formats (HTML, PDF, DOCX, Markdown) under 6 s.

Each command runs ``RUNS`` times as its own process, as a user runs it; the
figures are medians of the wall time and of the CPU time the command and its
children used (the PDF is written by a second process while the other
formats are written, so with two free cores the wall time of all four formats
is less than their CPU time). On a shared machine the wall time grows with
the load: ``load_average_1min`` says how busy the machine was, and the CPU
time is what the command costs on an idle one.

``stage_*`` figures come from one more fresh process that runs the steps of
``vlr memo`` one after the other and times each (wall and CPU): where the
time goes. ``first_run_*`` is the first memo after the indicator table was
imported: the alignment of the indicators is then computed and cached (see
``vlr_tools.memo.gather.aligned_codes``); later memos read it from the cache.

The HTML memo's size and the in-process figures of issue 8 (warm: fonts,
templates and libraries loaded) are kept for comparison.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 3
ROOT = Path(__file__).resolve().parent.parent

#: The steps of `vlr memo --format md,html,pdf,docx`, timed one by one in a fresh process.
STAGES = r"""
import json, sys, time
t0, c0 = time.perf_counter(), time.process_time()
out, last = {}, [t0, c0]
def mark(name):
    t, c = time.perf_counter(), time.process_time()
    out[name] = (round(t - last[0], 3), round(c - last[1], 3))
    last[:] = [t, c]
import vlr_tools.cli, vlr_tools.memo
mark("imports")
from vlr_tools.workspace import open_workspace
ws = open_workspace(sys.argv[1])
mark("open_workspace")
import importlib
from vlr_tools.review import open_review
g = importlib.import_module("vlr_tools.memo.gather")
rid = sys.argv[2]
opened = open_review(ws, rid)
facts = g.review_facts(ws, rid, opened=opened)
mark("gather_review")
cov = g.coverage_facts(ws, opened, facts.hlpf_year)
mark("gather_coverage")
g.indicator_facts(opened, cov.covered, cov)
mark("gather_indicators")
g.engagement_facts(ws, opened.record, covered=cov.covered)
mark("gather_engagement")
g.checklist_facts(ws, rid); g.change_facts(ws, rid, facts.previous_version)
g.comment_facts(ws, rid); g.annotation_outcomes(ws, rid)
mark("gather_checklist_comments")
from vlr_tools.memo import build_memo
from vlr_tools.memo.compose import Options, compose
data = g.gather(ws, rid, lang="en")
t1, c1 = time.perf_counter(), time.process_time()
memo = compose(data, Options("en"))
last[:] = [t1, c1]
mark("compose")
from vlr_tools.memo.render import memo_bytes, static_images
for fmt in ("md", "html"):
    memo_bytes(memo, fmt)
    mark("render_" + fmt)
memo_bytes(memo, "pdf")
mark("render_pdf_with_weasyprint_import")
images, _ = static_images(memo)
mark("docx_chart_pictures")
memo_bytes(memo, "docx", images=images)
mark("render_docx")
print(json.dumps(out))
"""


def _vlr(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run ``vlr ARGS`` in a fresh process: (wall seconds, CPU seconds of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "vlr_tools.cli", *args],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run() -> dict[str, float]:
    from vlr_tools.demo import DEMO_REVIEWERS, review_city
    from vlr_tools.memo import build_memo, render_memo
    from vlr_tools.memo.render import memo_bytes
    from vlr_tools.workspace import open_workspace

    figures: dict[str, float] = {
        "load_average_1min_start": round(os.getloadavg()[0], 2),
        "cpus": float(os.cpu_count() or 1),
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws_dir = folder / "ws"
        ws = open_workspace(ws_dir, reviewer=DEMO_REVIEWERS[0])
        problems: list[str] = []
        review_id = review_city(ws, "santa-rosa", ("v1",), lambda text: None, problems)
        if problems:
            raise RuntimeError(f"the scripted review failed: {problems}")
        ws.close()
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        env["VLR_CACHE_DIR"] = str(folder / "cache")
        base = ["memo", "--review", review_id, "--lang", "en", "--workspace", str(ws_dir)]
        base += ["--out", str(folder / "out"), "--no-response-sheet"]

        # The first memo after the import: the indicators are aligned, then cached.
        wall, cpu = _vlr([*base, "--format", "md"], env)
        figures["first_run_markdown_wall_s"] = round(wall, 2)
        figures["first_run_markdown_cpu_s"] = round(cpu, 2)
        for label, formats in (
            ("markdown", "md"),
            ("html", "html"),
            ("docx", "docx"),
            ("pdf", "pdf"),
            ("four_formats", "html,pdf,docx,md"),
        ):
            runs = [_vlr([*base, "--format", formats], env) for _ in range(RUNS)]
            figures[f"fresh_{label}_wall_s"] = round(statistics.median(w for w, _ in runs), 2)
            figures[f"fresh_{label}_cpu_s"] = round(statistics.median(c for _, c in runs), 2)
        size = (folder / "out" / "santa-rosa" / "santa-rosa-v1-review-memo-en.html").stat()
        figures["html_size_kb"] = round(size.st_size / 1000, 1)

        # Where the time goes: each step of `vlr memo` timed in one fresh process.
        done = subprocess.run(
            [sys.executable, "-c", STAGES, str(ws_dir), review_id],
            check=True,
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        for name, (wall, cpu) in json.loads(done.stdout.strip().splitlines()[-1]).items():
            figures[f"stage_{name}_wall_s"] = wall
            figures[f"stage_{name}_cpu_s"] = cpu

        # In-process, warm (issue 8's figures): what a notebook session sees.
        ws = open_workspace(ws_dir, reviewer=DEMO_REVIEWERS[0])
        memo = build_memo(ws, review_id, "en")
        render_memo(memo, ("html", "pdf", "docx", "md"), folder / "warm")
        started = time.perf_counter()
        render_memo(build_memo(ws, review_id, "en"), ("html", "pdf", "docx", "md"), folder / "w")
        figures["warm_four_formats_in_process_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        build_memo(ws, review_id, "en")
        figures["warm_build_memo_s"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        memo_bytes(memo, "html")
        figures["warm_html_only_s"] = round(time.perf_counter() - started, 3)
        ws.close()
    figures["load_average_1min_end"] = round(os.getloadavg()[0], 2)
    figures["target_fresh_markdown_s"] = 1.5
    figures["target_fresh_four_formats_s"] = 6.0
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
