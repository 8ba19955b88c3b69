"""The page view in JupyterLab, in a real browser: select words with the mouse, comment, reload.

JupyterLab (as `vlr lab` starts it, on a free port of 127.0.0.1, no token)
opens a notebook that shows the page view of two reviews: a sample city's
draft, and a draft this test makes with a two-column layout, a running
header, a table and a figure caption. Chromium (Debian's, driven by
Playwright) selects words with the mouse, on the two-column page from the
foot of the left column into the right one, writes a comment and saves. The
test then reads the workspace: the annotation has the page, the quote and the
context of the words selected. After a browser reload the highlight is drawn
again, and clicking it opens its thread. Screenshots are kept in the test's
folder (``VLR_KEEP_SCREENSHOT=DIR`` copies them out).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    drag_select,
    free_port,
    local_only,
    running,
)

from vlr_tools.annotations import list_annotations
from vlr_tools.intake import add_city, add_draft, start_review, start_sample_review
from vlr_tools.review import open_review
from vlr_tools.workspace import open_workspace

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="needs Debian's chromium (scripts/setup)"
    ),
]
STEP_MS = 120_000

NOTEBOOK_CODE = """\
import os
from vlr_tools import open_workspace, page_view
ws = open_workspace({workspace!r}, reviewer="Browser Reviewer (fictional)")
views = {{}}
"""

VIEW_CODE = """\
views[{key!r}] = page_view(ws, {review!r}, page={page}, evidence={evidence})
views[{key!r}]
"""


def _notebook(path: Path, workspace: Path, views: list[tuple[str, str, int, bool]]) -> Path:
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "source": NOTEBOOK_CODE.format(workspace=str(workspace)),
            "outputs": [],
            "execution_count": None,
        }
    ]
    for key, review, page, evidence in views:
        cells.append(
            {
                "cell_type": "code",
                "metadata": {},
                "source": VIEW_CODE.format(key=key, review=review, page=page, evidence=evidence),
                "outputs": [],
                "execution_count": None,
            }
        )
    nb = {
        "cells": cells,
        "metadata": {
            "kernelspec": {
                "name": "vlr-tools",
                "display_name": "VLR workbench",
                "language": "python",
            }
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


@pytest.fixture
def lab(tmp_path):
    """JupyterLab as `vlr lab` starts it, on a free port, no token; yields (url, folder)."""
    from vlr_tools.cli.app import lab_command

    folder = tmp_path / "notebooks"
    folder.mkdir()
    port = free_port()
    cmd = lab_command(folder, port, open_browser=False) + [
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.runtime_dir={tmp_path / 'runtime'}",
        "--LabApp.workspaces_dir=" + str(tmp_path / "lab-workspaces"),
    ]
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")) if p
    )
    with running(cmd, env, tmp_path / "lab.log", port) as url:
        yield url, folder


def _comment_on(page, view, first, last, kind, comment, sdg="") -> tuple[int, int]:
    """Select from word ``first`` to word ``last`` with the mouse, comment, save.

    Returns the draft-text span of the words selected, as the page's text layer has it.
    """
    start = int(first.get_attribute("data-s"))
    end = int(last.get_attribute("data-s")) + len(last.inner_text())
    drag_select(page, first, last)
    view.locator(".vlr-pv-picked .vlr-pv-q").wait_for()
    view.locator(".vlr-pv-kind").select_option(kind)
    view.locator(".vlr-pv-comment").fill(comment)
    if sdg:
        view.locator(".vlr-pv-sdg").fill(sdg)
    view.locator(".vlr-pv-save").click()
    view.locator(".vlr-pv-msg.vlr-pv-ok").wait_for()
    view.locator(".vlr-pv-hl").first.wait_for()
    return start, end


def _run_all(page) -> None:
    page.locator(".jp-Notebook").first.wait_for()
    # JupyterLab may ask which kernel to start: the notebook's own (VLR workbench).
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(timeout=8_000)
    except Exception:  # no dialog: the kernel started by itself
        pass
    else:
        dialog.locator("select").select_option(label="VLR workbench")
        dialog.get_by_role("button", name="Select").click()
    page.get_by_text("VLR workbench | Idle").wait_for()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()


def test_page_view_select_comment_and_reload(lab, tmp_path, two_column_pdf):
    from playwright.sync_api import sync_playwright

    url, folder = lab
    ws_dir = tmp_path / "workspace"
    ws = open_workspace(ws_dir, reviewer="Browser Reviewer (fictional)")
    sample = start_sample_review(ws, "santa-rosa", "v1").id
    add_city(ws, "tacloban", "Tacloban City", country="Philippines", coastal=True)
    pdf = two_column_pdf(tmp_path / "tacloban-draft.pdf")
    add_draft(ws, "tacloban", pdf, version="v1")
    cols = start_review(ws, "tacloban", "v1").review.id
    ws.close()
    _notebook(
        folder / "pages.ipynb", ws_dir, [("sample", sample, 5, False), ("cols", cols, 1, True)]
    )

    blocked: list[str] = []
    shots = tmp_path / "shots"
    shots.mkdir()
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1500, "height": 1100},
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(STEP_MS)
            page.route("**/*", local_only(blocked))
            page.goto(url + "lab/tree/pages.ipynb", wait_until="domcontentloaded")
            _run_all(page)
            views = page.locator(".vlr-pv[data-ready]")
            views.nth(1).wait_for()
            # `vlr lab` turns the news feed off, and with it the "get notified?" toast
            assert not page.get_by_text("official Jupyter news").count()
            sample_view, cols_view = views.nth(0), views.nth(1)

            # 1. the sample draft, page 5: select two words of the body, comment, save
            sample_view.scroll_into_view_if_needed()
            runs = sample_view.locator(".vlr-pv-run:not(.vlr-pv-off)")
            runs.nth(30).wait_for()
            start, end = _comment_on(
                page, sample_view, runs.nth(30), runs.nth(33), "question",
                "Which year is this figure from?",
            )  # fmt: skip

            # 2. the two-column draft: from the foot of the left column into the right one
            cols_view.scroll_into_view_if_needed()
            col_runs = cols_view.locator(".vlr-pv-run:not(.vlr-pv-off)")
            col_runs.first.wait_for()
            sheet = cols_view.locator(".vlr-pv-page").bounding_box()
            middle = sheet["x"] + sheet["width"] / 2
            body_top = sheet["y"] + 0.1 * sheet["height"]  # below the running header
            boxes = [col_runs.nth(i).bounding_box() for i in range(col_runs.count())]
            left = [
                i for i, b in enumerate(boxes) if b["x"] + b["width"] < middle and b["y"] > body_top
            ]
            right = [i for i, b in enumerate(boxes) if b["x"] > middle and b["y"] > body_top]
            assert left and right, "the test draft should have two columns"
            # the last two words of the left column and the first three of the right
            a_i = left[-2]
            b_i = right[2]
            c_start, c_end = _comment_on(
                page, cols_view, col_runs.nth(a_i), col_runs.nth(b_i), "missing_evidence",
                "Source of the mangrove figures?", sdg="14, 13.1",
            )  # fmt: skip
            assert cols_view.locator(".vlr-pv-ev").count() > 0  # mapping evidence is drawn
            cols_view.screenshot(path=str(shots / "two-columns.png"))

            assert "coastal" in cols_view.locator(".vlr-pv-thread .vlr-pv-q").inner_text()

            # 3. save the notebook (as JupyterLab's autosave would) and reload the browser:
            # the views and their highlights come back
            page.keyboard.press("Control+s")
            page.locator(".jp-mod-dirty").wait_for(state="detached")
            page.reload(wait_until="domcontentloaded")
            again = page.locator(".vlr-pv[data-ready]")
            again.nth(1).wait_for()
            assert not page.get_by_text("model not found").count()
            again.nth(0).locator(".vlr-pv-hl").first.wait_for()
            again.nth(1).locator(".vlr-pv-hl").first.wait_for()
            again.nth(1).scroll_into_view_if_needed()
            again.nth(1).locator(".vlr-pv-badge").first.click()
            again.nth(1).locator(".vlr-pv-thread .vlr-pv-q").wait_for()
            assert "mangrove" in again.nth(1).locator(".vlr-pv-thread").inner_text().lower()
            again.nth(1).screenshot(path=str(shots / "after-reload-thread.png"))
        except Exception:
            page.screenshot(path=str(shots / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()
            keep = os.environ.get("VLR_KEEP_SCREENSHOT")
            if keep:
                for png in shots.glob("*.png"):
                    shutil.copy(png, Path(keep) / f"pageview-{png.name}")

    ws = open_workspace(ws_dir, reviewer="Browser Reviewer (fictional)")
    try:
        draft = open_review(ws, sample).draft
        (a,) = list_annotations(ws, sample)
        assert (a.page, a.kind, a.comment) == (5, "question", "Which year is this figure from?")
        assert a.quote == draft.text[start:end]
        assert a.prefix == draft.text[max(0, start - 32) : start]
        assert a.suffix == draft.text[end : end + 32]
        col_draft = open_review(ws, cols).draft
        (c,) = list_annotations(ws, cols)
        assert c.quote == col_draft.text[c_start:c_end]
        assert (c.page, c.kind, c.sdg) == (1, "missing_evidence", ("14", "13.1"))
        assert c.prefix == col_draft.text[max(0, c_start - 32) : c_start]
    finally:
        ws.close()
    assert not blocked, f"the page tried to load from the internet: {blocked}"
