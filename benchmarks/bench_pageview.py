"""How fast the page view turns a page and shows a saved annotation.

Targets (issue 19): on a 300-page draft, a page appears in under 1 s after
"next page" (the kernel's part: the page image, its words and highlights are
ready to send), and saving an annotation shows its highlight in under 0.5 s.
Pages are drawn lazily, one at a time, so opening the view does not depend
on the draft's length.

Measured twice on a draft of 300 two-column pages made here with WeasyPrint:
in the kernel, with the widget's own timings (``PageView.timings``), and, when
Debian's Chromium is there, in JupyterLab as a reviewer sees it: from the
click on "Next page" until the new page's image and words are drawn, and
from the click on "Save annotation" until its highlight is drawn
(``VLR_BENCH_BROWSER=0`` skips that part).

Run: .venv/bin/python benchmarks/run.py pageview
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_intake import _big_pdf  # noqa: E402 - the same 300-page draft as the intake benchmark

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "from vlr_tools import open_workspace, page_view\n"
            "ws = open_workspace({ws!r}, reviewer='Benchmark (fictional)')\n"
            "page_view(ws, {rid!r}, page=100)",
        }
    ],
    "metadata": {"kernelspec": {"name": "vlr-tools", "display_name": "VLR workbench"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}

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

    figures: dict[str, float] = {}
    if os.environ.get("VLR_BENCH_BROWSER", "1") != "0" and os.path.exists(CHROMIUM):
        figures = _in_the_browser()
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
        **figures,
    }


def _in_the_browser() -> dict[str, float]:
    """The same two timings in JupyterLab (as `vlr lab` starts it) and Chromium."""
    import socket

    from playwright.sync_api import sync_playwright

    from vlr_tools.cli.app import lab_command
    from vlr_tools.intake import add_city, add_draft, start_review
    from vlr_tools.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws_dir = folder / "ws"
        ws = open_workspace(ws_dir, reviewer="Benchmark (fictional)")
        add_city(ws, "bench-city", "Bench City", country="Philippines")
        add_draft(ws, "bench-city", _big_pdf(folder / "draft-300.pdf"), version="v1")
        rid = start_review(ws, "bench-city", "v1").review.id
        ws.close()
        notebooks = folder / "nb"
        notebooks.mkdir()
        cell = NOTEBOOK["cells"][0]  # type: ignore[index]
        nb = {
            **NOTEBOOK,
            "cells": [{**cell, "source": cell["source"].format(ws=str(ws_dir), rid=rid)}],
        }
        (notebooks / "bench.ipynb").write_text(json.dumps(nb), encoding="utf-8")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        cmd = lab_command(notebooks, port, open_browser=False) + [
            "--IdentityProvider.token=",
            f"--ServerApp.runtime_dir={folder / 'runtime'}",
            f"--LabApp.workspaces_dir={folder / 'lab'}",
        ]
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(folder / "cfg"))
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH")) if p
        )
        server = subprocess.Popen(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            return _drive(f"http://127.0.0.1:{port}/lab/tree/bench.ipynb", folder, sync_playwright)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def _drive(url: str, folder: Path, sync_playwright) -> dict[str, float]:
    drawn = """n => { const r = document.querySelector('.vlr-pv');
        return r.querySelector('.vlr-pv-pageno').value == String(n)
            && r.querySelector('.vlr-pv-loading').style.display == 'none'
            && r.querySelectorAll('.vlr-pv-run').length > 0
            && r.querySelector('.vlr-pv-img').complete; }"""
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(folder / "profile"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1500, "height": 1100},
        )  # fmt: skip
        try:
            page = browser.new_page()
            page.set_default_timeout(180_000)
            for _ in range(60):  # the server takes a few seconds to start
                try:
                    page.goto(url, wait_until="domcontentloaded")
                    break
                except Exception:  # noqa: BLE001 - not listening yet
                    time.sleep(1)
            dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
            try:
                dialog.wait_for(timeout=8_000)
                dialog.get_by_role("button", name="Select").click()
            except Exception:  # noqa: BLE001 - no kernel dialog
                pass
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_text("Run All Cells", exact=True).click()
            view = page.locator(".vlr-pv[data-ready]")
            view.wait_for()
            turns = []
            for _ in range(TURNS // 2):
                n = int(view.locator(".vlr-pv-pageno").input_value())
                started = time.perf_counter()
                view.locator(".vlr-pv-next").click()
                page.wait_for_function(drawn, arg=n + 1, polling=10)
                turns.append(time.perf_counter() - started)
            words = view.locator(".vlr-pv-run:not(.vlr-pv-off)")
            a, b = words.nth(10).bounding_box(), words.nth(13).bounding_box()
            page.mouse.move(a["x"] + 1, a["y"] + a["height"] / 2)
            page.mouse.down()
            page.mouse.move(b["x"] + b["width"] - 1, b["y"] + b["height"] / 2, steps=5)
            page.mouse.up()
            view.locator(".vlr-pv-picked .vlr-pv-q").wait_for()
            view.locator(".vlr-pv-comment").fill("Benchmark remark.")
            started = time.perf_counter()
            view.locator(".vlr-pv-save").click()
            view.locator(".vlr-pv-hl").first.wait_for()
            saved = time.perf_counter() - started
        finally:
            browser.close()
    return {
        "browser_next_page_s_median": round(statistics.median(turns), 3),
        "browser_next_page_s_max": round(max(turns), 3),
        "browser_save_to_highlight_s": round(saved, 3),
    }
