"""Notebook and workshop-app speed.

Targets (issue 9): each notebook runs headless (papermill, fresh kernel)
in under 20 s; the workshop app shows its first chart within 10 s of
opening.

Figures:

- ``<notebook>_<city>_s``: wall time of one papermill run, kernel start
  included, in a fresh temporary workspace (all memo formats for 04);
- ``app_server_start_s``: ``vlr serve`` until it accepts connections;
- ``app_first_chart_preselected_s``: opening the page of ``vlr serve --city
  santa-rosa`` right after the server starts, until the SDG chart is drawn;
- ``app_first_chart_preheated_s``: the same for the next visitor, once Voila
  has had 15 s to run the notebook in a waiting kernel (``--preheat_kernel``):
  what a trainer sees who starts the server before the session;
- ``app_first_chart_picked_s``: opening ``vlr serve`` (no city), waiting for
  the city picker, choosing a city, until the chart is drawn;
- ``app_pick_to_chart_s``: the last part of that, from the choice to the chart.

The app figures use Debian's Chromium through Playwright, as
tests/test_browser.py does. Run: .venv/bin/python benchmarks/run.py notebooks
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))
CITIES = ("santa-rosa", "san-fernando")
CHROMIUM = "/usr/bin/chromium"
#: Seconds left for Voila to preheat a kernel before the second visit.
PREHEAT_WAIT = 15
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _kernel() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return "vlr-tools" if "vlr-tools" in KernelSpecManager().find_kernel_specs() else "python3"


def notebook_seconds(path: Path, city: str, tmp: Path) -> float:
    import papermill as pm

    known = set(pm.inspect_notebook(str(path)))
    wanted = {
        "city": city,
        "workspace": str(tmp / "workspace"),
        "exports": str(tmp / "exports"),
        "autoplay": True,
    }
    tmp.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    pm.execute_notebook(
        str(path),
        str(tmp / f"{path.stem}-{city}.ipynb"),
        parameters={k: v for k, v in wanted.items() if k in known},
        kernel_name=_kernel(),
        cwd=str(path.parent),
        progress_bar=False,
    )
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(tmp: Path, city: str = "") -> tuple[subprocess.Popen, str, float]:
    tmp.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = dict(os.environ, VLR_EXPORTS_DIR=str(tmp / "exports"))
    cmd = [sys.executable, "-m", "vlr_tools.cli", "serve", "--no-browser", f"--port={port}",
           f"--workspace={tmp / 'workspace'}"] + ([f"--city={city}"] if city else [])  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = started + 90
    while time.perf_counter() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"vlr serve exited with {proc.returncode}") from None
            time.sleep(0.1)
    return proc, f"http://127.0.0.1:{port}/", time.perf_counter() - started


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def app_figures(tmp: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    chart = ".vlr-tour-chart .js-plotly-plot .main-svg"
    out: dict[str, float] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            proc, url, start = _serve(tmp / "preselected", city="santa-rosa")
            out["app_server_start_s"] = round(start, 2)
            try:
                page = browser.new_page()
                began = time.perf_counter()
                page.goto(url, wait_until="commit", timeout=90_000)
                page.wait_for_selector(chart, timeout=90_000)
                out["app_first_chart_preselected_s"] = round(time.perf_counter() - began, 2)
                page.close()
                # The next visitor gets the kernel Voila preheated meanwhile.
                time.sleep(PREHEAT_WAIT)
                page = browser.new_page()
                began = time.perf_counter()
                page.goto(url, wait_until="commit", timeout=90_000)
                page.wait_for_selector(chart, timeout=90_000)
                out["app_first_chart_preheated_s"] = round(time.perf_counter() - began, 2)
                page.close()
            finally:
                _stop(proc)
            proc, url, _ = _serve(tmp / "picked")
            try:
                page = browser.new_page()
                began = time.perf_counter()
                page.goto(url, wait_until="commit", timeout=90_000)
                city = page.locator(".vlr-city select")
                city.wait_for(state="visible", timeout=90_000)
                picked = time.perf_counter()
                city.select_option(label="Santa Rosa City (Laguna)")
                page.wait_for_selector(chart, timeout=90_000)
                done = time.perf_counter()
                out["app_first_chart_picked_s"] = round(done - began, 2)
                out["app_pick_to_chart_s"] = round(done - picked, 2)
            finally:
                _stop(proc)
        finally:
            browser.close()
    return out


def run() -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="vlr-bench-nb-") as folder:
        tmp = Path(folder)
        os.environ.setdefault("VLR_EXPORTS_DIR", str(tmp / "exports-default"))
        for city in CITIES:
            for path in NOTEBOOKS:
                seconds = notebook_seconds(path, city, tmp / city)
                figures[f"{path.stem}_{city}_s"] = round(seconds, 2)
        figures["notebook_slowest_s"] = max(figures.values())
        if os.path.exists(CHROMIUM):
            figures.update(app_figures(tmp))
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
