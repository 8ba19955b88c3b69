"""Shared pytest fixtures. Each topic appends its own small fixtures below."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_exports(tmp_path_factory, monkeypatch):
    """Keep tests from writing into the real exports/ and workspace folders."""
    from vlr_tools import paths

    monkeypatch.setenv("VLR_TEST", "1")
    # The CLI and the notebooks default to $VLR_DATABASE_URL, else data/workspace/:
    # a test that names no workspace gets an empty one of its own instead.
    default = tmp_path_factory.mktemp("default-workspace")
    monkeypatch.delenv("VLR_DATABASE_URL", raising=False)
    monkeypatch.setenv("VLR_WORKSPACE_DIR", str(default))
    monkeypatch.setattr(paths, "WORKSPACE_DIR", default)
    yield


@pytest.fixture
def project_dir() -> Path:
    return PROJECT_DIR


def postgres_url() -> str | None:
    """The PostgreSQL URL started by scripts/test, if any."""
    return os.environ.get("VLR_TEST_DATABASE_URL")


# -- workspace ---------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path):
    """A fresh SQLite review workspace under tmp_path, saving as 'Test Reviewer'."""
    from vlr_tools.workspace import open_workspace

    ws = open_workspace(tmp_path / "workspace", reviewer="Test Reviewer")
    yield ws
    ws.close()


@pytest.fixture
def sample_review(workspace):
    """Start a review of a sample city's draft in ``workspace``, through the intake.

    ``sample_review("santa-rosa", "v1", reviewers=(...))`` takes the city in
    (profile and draft files), starts the review and imports the city's
    indicator table and consultation log, as a reviewer would for a real city.
    Returns the workspace's review record; ``open_review(workspace, rv.id)``
    gives its inputs.
    """
    from vlr_tools.intake import start_sample_review

    def start(slug: str, version: str | None = "v1", **kwargs):
        return start_sample_review(workspace, slug, version, **kwargs)

    return start


# -- mapping and vocabulary ----------------------------------------------------


@pytest.fixture
def vocabulary_city(tmp_path, monkeypatch) -> str:
    """A throw-away city folder 'testville' (no local terms yet) under a temporary CITIES_DIR."""
    from vlr_tools import paths

    root = tmp_path / "cities"
    (root / "testville").mkdir(parents=True)
    monkeypatch.setattr(paths, "CITIES_DIR", root)
    return "testville"


# -- page view ------------------------------------------------------------------

TWO_COLUMNS = """<html><head><style>
@page { size: A4; margin: 2cm;
  @top-center { content: "Tacloban City VLR 2026 - draft"; font-size: 8pt } }
body { font-family: "Noto Sans", sans-serif; font-size: 10.5pt }
.cols { column-count: 2; column-gap: 1.2cm }
table { border-collapse: collapse; margin: 8px 0 } td, th { border: 1px solid #888; padding: 3px 6px }
figure { margin: 8px 0 } figcaption { font-size: 9pt; font-style: italic }
</style></head><body>
<h1>Resilient neighbourhoods</h1>
<div class="cols">
<p>Flooding along the coast affects informal settler families every typhoon season. The
city relocated 412 households from danger zones between 2018 and 2024 and built two
evacuation centres with ramps for persons with disabilities.</p>
<p>Early warning reaches every barangay by text message and by siren. Drills are held twice
a year with the schools, and the barangay councils keep lists of residents who need help to
leave their homes.</p>
<p>Mangroves planted since 2015 now protect eleven kilometres of shore. The coastal
clean-up counts plastic waste by type so that the city can talk with the producers.</p>
<figure><svg width="200" height="60"><rect width="200" height="60" fill="#7ab"/></svg>
<figcaption>Figure 2. Mangrove cover, 2015 and 2024 (illustrative).</figcaption></figure>
<table><tr><th>Year</th><th>Households relocated</th></tr>
<tr><td>2018</td><td>120</td></tr><tr><td>2024</td><td>412</td></tr></table>
<p>Informal settler families were consulted in every relocation site before the move.</p>
</div></body></html>"""


@pytest.fixture
def two_column_pdf():
    """``two_column_pdf(path)`` writes a one-page draft laid out in two columns, with a
    running header, a figure caption, a table and a phrase found twice on the page."""

    def make(path: Path, html: str = TWO_COLUMNS) -> Path:
        import weasyprint

        weasyprint.HTML(string=html).write_pdf(str(path))
        return path

    return make


# -- memo checkers (tools/package.json, installed by scripts/setup) -------------

TOOLS_DIR = PROJECT_DIR / "tools" / "node_modules"
VNU_JAR = TOOLS_DIR / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS_DIR / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require(what: str, ok: bool) -> None:
    """Skip (or fail, under scripts/test) when a checker is not installed."""
    if ok:
        return
    message = f"needs {what}: run ./scripts/setup"
    if os.environ.get("VLR_REQUIRE_CHECKERS") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def nu_html_checker():
    """``check(paths)``: the Nu Html Checker's errors for HTML files, as "file: line: message".

    Runs vnu.jar from tools/ (npm package vnu-jar) with Java, SVG checked too.
    """
    import json
    import shutil
    import subprocess

    _require("the Nu Html Checker (tools/node_modules/vnu-jar)", VNU_JAR.is_file())
    _require("Java (default-jre-headless)", shutil.which("java") is not None)

    def check(paths) -> list[str]:
        run = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--also-check-svg"]
            + [str(p) for p in paths],
            capture_output=True,
            text=True,
            timeout=300,
        )
        messages = json.loads(run.stderr or run.stdout)["messages"]
        return [
            f"{Path(m.get('url', '')).name}: {m.get('lastLine', '?')}: {m['message']}"
            for m in messages
            if m["type"] in ("error", "non-document-error")
        ]

    return check


@pytest.fixture(scope="session")
def axe_checker():
    """``check(paths, widths)``: axe-core's violations for HTML files in Debian's Chromium.

    Each file is opened at each viewport width (a desktop and a 375-px phone);
    axe-core from tools/ (npm package axe-core) is injected and run with its
    default rules. Returns ``(file, width, rule, impact, nodes)`` tuples.
    """
    _require("axe-core (tools/node_modules/axe-core)", AXE_JS.is_file())
    _require("Debian's chromium", os.path.exists(CHROMIUM))
    import tempfile

    from playwright.sync_api import sync_playwright

    def check(paths, widths=(1280, 375)) -> list[tuple[str, int, str, str, int]]:
        found = []
        with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
            context = p.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            # Nothing but the file itself may load.
            context.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith("file:") else route.abort()
                ),
            )
            try:
                for path in paths:
                    for width in widths:
                        page = context.new_page()
                        page.set_viewport_size({"width": width, "height": 900})
                        page.goto(Path(path).resolve().as_uri())
                        page.add_script_tag(path=str(AXE_JS))
                        result = page.evaluate("async () => await axe.run(document)")
                        for v in result["violations"]:
                            found.append(
                                (Path(path).name, width, v["id"], v["impact"], len(v["nodes"]))
                            )
                        page.close()
            finally:
                context.close()
        return found

    return check
