"""The workshop app in a real browser: `vlr serve` + Debian's Chromium driven by Playwright.

The app is started on 127.0.0.1 with a free port, a temporary workspace and a
temporary export folder. Chromium (``/usr/bin/chromium``; Playwright never
downloads a browser here) opens it with every request that is not for the
local server blocked *and recorded*: the test fails if the page tried to
load anything from the internet. Then, as a trainer would: pick a city, wait
for the SDG chart, rate one criterion, export a memo, see the file listed in
the page and on disk. A screenshot is saved in the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
#: Generous: a cold kernel, the first plotly import and the mapping on 2 busy CI cores.
SERVER_TIMEOUT = 90
STEP_TIMEOUT_MS = 90_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="needs Debian's chromium (scripts/setup)"
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_server(url: str, proc: subprocess.Popen, log: Path) -> None:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", int(parsed.port or 80)
    deadline = time.monotonic() + SERVER_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"vlr serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        # A connection is enough: opening "/" would start a kernel just to check.
        try:
            with socket.create_connection((host, port), timeout=2):
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"vlr serve did not answer within {SERVER_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    """Stop the server we started and its kernels (its own process group), politely first."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=15)


@contextmanager
def running(cmd: list[str], env: dict[str, str], log: Path, port: int):
    """Start a server (its own process group, output to ``log``); yield its URL; stop it."""
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            cmd, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for_server(url, proc, log)
        yield url
    finally:
        stop(proc)


def local_only(blocked: list[str]):
    """A Playwright route handler: local requests go through, others are refused and noted."""

    def route(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    return route


def drag_select(page, first, last) -> None:
    """Drag the mouse from the start of word ``first`` to the end of word ``last``."""
    a = first.bounding_box()
    b = last.bounding_box()
    page.mouse.move(a["x"] + 1, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move((a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2, steps=4)
    page.mouse.move(b["x"] + b["width"] - 1, b["y"] + b["height"] / 2, steps=4)
    page.mouse.up()


@pytest.fixture
def app(tmp_path):
    """`vlr serve` on a free port; yields (url, exports folder); always stopped."""
    port = free_port()
    exports = tmp_path / "exports"
    env = dict(os.environ, VLR_EXPORTS_DIR=str(exports), VLR_WORKSPACE_DIR=str(tmp_path / "wsd"))
    log = tmp_path / "server.log"
    cmd = [
        sys.executable,
        "-m",
        "vlr_tools.cli",
        "serve",
        "--no-browser",
        f"--port={port}",
        f"--workspace={tmp_path / 'workspace'}",
    ]
    with running(cmd, env, log, port) as url:
        yield url, exports


def test_workshop_tour_in_chromium(app, tmp_path):
    from playwright.sync_api import sync_playwright

    url, exports = app
    blocked: list[str] = []
    page_errors: list[str] = []

    profile = tmp_path / "chromium-profile"
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 1000},
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(STEP_TIMEOUT_MS)
            page.route("**/*", local_only(blocked))
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
            page.goto(url, wait_until="domcontentloaded")

            # 1. pick a city
            city = page.locator(".vlr-city select")
            city.wait_for(state="visible")
            city.select_option(label="Santa Rosa City (Laguna)")

            # 2. the SDG chart renders (17 goal bars)
            page.wait_for_selector(".vlr-tour-chart .js-plotly-plot .main-svg")
            bars = page.locator(".vlr-tour-chart .js-plotly-plot .trace.bars .point")
            assert bars.count() == 17
            summary = page.locator(".vlr-tour-summary")
            assert "HLPF 2025" in summary.inner_text()

            # 3. rate one criterion
            save = page.locator("button.vlr-save-rating")
            page.wait_for_function(
                "() => !document.querySelector('button.vlr-save-rating').disabled"
            )
            page.locator(".vlr-rating button", has_text="Partly met").click()
            page.locator(".vlr-pages input").fill("3")
            page.locator(".vlr-comment textarea").fill("Rated in the browser test <b>ok</b>")
            save.click()
            saved = page.locator(".vlr-messages .vlr-ok", has_text="Saved")
            saved.wait_for()
            assert "Partly met" in saved.inner_text()

            # 4. export a memo and see the file appear
            page.locator("button.vlr-export-memo").click()
            new_file = page.locator(".vlr-tour-files .vlr-file", has=page.locator(".vlr-new"))
            new_file.wait_for()
            name = new_file.locator("code").inner_text().strip()
            assert name == "santa-rosa-v1-review-memo-en.html"
            # the memo can be opened from the app: its link saves the file itself
            with page.expect_download() as download:
                new_file.locator("a.vlr-download").click()
            assert download.value.suggested_filename == name
            fetched = tmp_path / "downloaded.html"
            download.value.save_as(fetched)

            # 5. comment on the draft's page, reload the app: the highlight is drawn again
            view = page.locator(".vlr-tour-pages .vlr-pv[data-ready]")
            words = view.locator(".vlr-pv-run:not(.vlr-pv-off)")
            words.nth(14).wait_for()
            view.scroll_into_view_if_needed()
            drag_select(page, words.nth(10), words.nth(13))
            view.locator(".vlr-pv-picked .vlr-pv-q").wait_for()
            view.locator(".vlr-pv-comment").fill("Shown in the workshop.")
            view.locator(".vlr-pv-save").click()
            view.locator(".vlr-pv-hl").first.wait_for()
            page.reload(wait_until="domcontentloaded")
            page.locator(".vlr-city select").select_option(label="Santa Rosa City (Laguna)")
            page.locator(".vlr-tour-pages .vlr-pv-hl").first.wait_for()
            # Voila scrolls inside its page: a tall window shows the whole tour at once.
            page.set_viewport_size({"width": 1280, "height": 2400})
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(tmp_path / "workshop-tour.png"), full_page=True)
        finally:
            browser.close()

    memo = exports / "santa-rosa" / name
    assert memo.is_file()
    assert fetched.read_bytes() == memo.read_bytes()
    text = memo.read_text(encoding="utf-8")
    assert "Rated in the browser test &lt;b&gt;ok&lt;/b&gt;" in text
    assert (tmp_path / "workshop-tour.png").stat().st_size > 10_000
    assert not blocked, f"the page tried to load from the internet: {blocked}"
    keep = os.environ.get("VLR_KEEP_SCREENSHOT")
    if keep:  # handy when looking at the app: VLR_KEEP_SCREENSHOT=/tmp/tour.png
        shutil.copy(tmp_path / "workshop-tour.png", keep)
    assert not page_errors, f"JavaScript errors in the page: {page_errors[:3]}"


REQUIRE_STUB = "window.define = function () {}; window.define.amd = {};"


def test_exported_notebook_draws_its_charts_offline(tmp_path, monkeypatch):
    """A notebook run headless and exported with plain nbconvert still shows its chart.

    nbconvert's stock template links require.js, MathJax and the widget
    manager from CDNs: those are blocked (as in a room without a network),
    except require.js, which is answered with a stub AMD loader: the chart
    must draw whether or not an AMD ``define`` exists when plotly.js loads.
    """
    import papermill as pm
    from nbconvert import HTMLExporter
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("VLR_EXPORTS_DIR", str(tmp_path / "exports"))
    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    executed = tmp_path / "01_map_draft.ipynb"
    pm.execute_notebook(
        str(notebooks / "01_map_draft.ipynb"),
        str(executed),
        parameters={"city": "santa-rosa", "workspace": str(tmp_path / "ws")},
        cwd=str(notebooks),
        progress_bar=False,
    )
    body, _ = HTMLExporter().from_filename(str(executed))
    page_file = tmp_path / "export.html"
    page_file.write_text(body, encoding="utf-8")
    assert "require.min.js" in body  # the stock template really does link require.js

    requested: list[str] = []

    def offline(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        elif url.endswith("require.min.js"):
            requested.append(url)
            route.fulfill(status=200, content_type="text/javascript", body=REQUIRE_STUB)
        else:
            requested.append(url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.route("**/*", offline)
            page.goto(page_file.as_uri())
            page.wait_for_selector(".vlr-plot .main-svg", timeout=STEP_TIMEOUT_MS)
            assert page.locator(".vlr-plot .trace.bars .point").count() == 17
            assert page.evaluate("typeof window.define") == "function"  # the stub stayed
        finally:
            browser.close()
    assert any(u.endswith("require.min.js") for u in requested)
