"""The notebooks: committed clean and thin, and each runs headless for both sample cities.

Each notebook is executed with papermill on a fresh kernel with its
``parameters`` cell set to the city, a temporary workspace and a temporary
export folder, then its outputs are checked: the coverage chart is there (as
plotly JSON *and* as HTML that survives nbconvert), the memo files are on
disk, no personal data of consultation participants leaks into an output.
"""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

import nbformat
import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = PROJECT_DIR / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]
CITIES = ("santa-rosa", "san-fernando")
PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
REQUIRED_PARAMETERS = {"city", "version", "lang", "reviewer", "workspace"}
#: The notebooks that work on one review: they take any review's id.
REVIEW_NOTEBOOKS = (
    "01_map_draft",
    "02_checklist",
    "03_consultations",
    "04_export_memo",
    "06_indicator_table",
)
EXPECTED = {
    "00_start_review",
    "00_workshop_tour",
    "01_map_draft",
    "02_checklist",
    "03_consultations",
    "04_export_memo",
    "06_indicator_table",
}


def _parameters_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]


def _parameters(nb: nbformat.NotebookNode) -> dict[str, object]:
    (cell,) = _parameters_cells(nb)
    tree = ast.parse(cell.source)
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }


# --------------------------------------------------------------------------- committed form


def test_the_seven_notebooks_are_there():
    assert set(NAMES) == EXPECTED


@pytest.mark.parametrize("name", REVIEW_NOTEBOOKS)
def test_review_notebooks_take_a_review_id_and_no_sample_paths(name):
    """Any city's review, through its id; the body reads the review, never the sample folders."""
    nb = nbformat.read(str(NOTEBOOK_DIR / f"{name}.ipynb"), as_version=4)
    assert _parameters(nb)["review_id"] == ""
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "review_id=review_id" in code
    for sample_only in ("_path", ".draft(", "draft_dates_for_city", "map_city_draft"):
        assert sample_only not in code.replace("draft_path", ""), sample_only


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_committed_without_outputs_and_with_a_parameters_cell(path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "strip", PROJECT_DIR / "scripts" / "strip_notebooks.py"
    )
    strip = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(strip)
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    assert strip.problems(nb) == [], "run: .venv/bin/python scripts/strip_notebooks.py"
    assert len(_parameters_cells(nb)) == 1
    params = _parameters(nb)
    assert REQUIRED_PARAMETERS <= set(params), sorted(params)
    assert nb.metadata.kernelspec.name == "vlr-tools"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebooks_are_thin(path):
    """Cells call the library: no function or class bodies live in a notebook."""
    nb = nbformat.read(str(path), as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 2
    for source in code:
        tree = ast.parse(source)
        defined = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
        assert not defined, f"move {defined[0].name} into vlr_tools"
        imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        for node in imports:
            assert node.module is None or node.module.split(".")[0] in ("vlr_tools", "IPython")
    first_md = next(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "illustrative" in first_md.lower()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_paired_py_file_matches_the_notebook(path):
    import jupytext

    pair = path.with_suffix(".py")
    assert pair.is_file(), f"{pair.name} missing: jupytext --set-formats ipynb,py:percent"
    text = jupytext.read(pair)
    nb = nbformat.read(str(path), as_version=4)
    assert [(c.cell_type, c.source) for c in text.cells] == [
        (c.cell_type, c.source) for c in nb.cells
    ], "run: .venv/bin/python scripts/strip_notebooks.py --sync"


# --------------------------------------------------------------------------- headless runs


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return "vlr-tools" if "vlr-tools" in KernelSpecManager().find_kernel_specs() else "python3"


def _outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _widget_outputs(nb: nbformat.NotebookNode) -> list[dict]:
    """Outputs held in Output widgets (the tour draws its chart into one)."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    found = []
    for model in state.values():
        found += model.get("state", {}).get("outputs", []) or []
    return found


def _widget_values(nb: nbformat.NotebookNode) -> str:
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return "\n".join(str(m.get("state", {}).get("value", "")) for m in state.values())


def _figures(outputs: list[dict]) -> list[dict]:
    return [o["data"][PLOTLY_MIME] for o in outputs if PLOTLY_MIME in o.get("data", {})]


def _shown_errors(nb: nbformat.NotebookNode) -> str:
    texts = []
    for o in _outputs(nb):
        if o.get("output_type") == "error":
            texts.append(f"{o.get('ename')}: {o.get('evalue')}")
        page = o.get("data", {}).get("text/html", "")
        if "vlr-error" in page:
            texts.append(re.sub(r"<[^>]+>", " ", page))
    return "\n".join(texts)


def run_notebook(name: str, city: str, tmp_path: Path, **extra: object) -> nbformat.NotebookNode:
    """Execute notebook ``name`` for ``city`` into tmp_path; fail with its own error message."""
    import papermill as pm

    src = NOTEBOOK_DIR / f"{name}.ipynb"
    nb = nbformat.read(str(src), as_version=4)
    known = set(_parameters(nb))
    wanted = {
        "city": city,
        "version": "",
        "lang": "en",
        "reviewer": "Notebook Tester (illustrative)",
        "workspace": str(tmp_path / "workspace"),
        "exports": str(tmp_path / "exports"),
        "autoplay": True,
        **extra,
    }
    params = {k: v for k, v in wanted.items() if k in known}
    out = tmp_path / f"{name}-{city}.ipynb"
    try:
        pm.execute_notebook(
            str(src),
            str(out),
            parameters=params,
            kernel_name=_kernel_name(),
            cwd=str(NOTEBOOK_DIR),
            progress_bar=False,
            request_save_on_cell_execute=False,
        )
    except pm.PapermillExecutionError as exc:
        shown = _shown_errors(nbformat.read(str(out), as_version=4)) if out.exists() else ""
        pytest.fail(f"{name} failed for {city}: {exc.ename}: {exc.evalue}\n{shown}")
    result = nbformat.read(str(out), as_version=4)
    assert not _shown_errors(result), _shown_errors(result)
    return result


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Kernels inherit these: nothing a notebook does lands in the real exports/ or data/."""
    monkeypatch.setenv("VLR_EXPORTS_DIR", str(tmp_path / "exports-default"))
    monkeypatch.setenv("VLR_WORKSPACE_DIR", str(tmp_path / "workspace-default"))
    monkeypatch.setenv("BROWSER_PATH", "/usr/bin/chromium")
    return tmp_path


def _check_coverage_figure(figure: dict) -> None:
    bar = figure["data"][0]
    assert bar["type"] == "bar"
    assert [str(x) for x in bar["x"]] == [str(n) for n in range(1, 18)]
    assert sum(y or 0 for y in bar["y"]) > 0


@pytest.mark.slow
@pytest.mark.parametrize("city", CITIES)
def test_00_workshop_tour(city, isolated):
    nb = run_notebook("00_workshop_tour", city, isolated)
    (figure,) = _figures(_widget_outputs(nb))  # the chart inside the tour's Output widget
    _check_coverage_figure(figure)
    memos = sorted((isolated / "exports" / city).glob(f"{city}-*-review-memo-en.html"))
    assert len(memos) == 1, memos
    assert memos[0].name in _widget_values(nb)  # the page lists the file it wrote
    assert "Saved" in _widget_values(nb)


@pytest.mark.slow
@pytest.mark.parametrize("city", CITIES)
def test_01_map_draft(city, isolated):
    nb = run_notebook("01_map_draft", city, isolated)
    outputs = _outputs(nb)
    figures = [o for o in outputs if PLOTLY_MIME in o.get("data", {})]
    assert len(figures) == 1
    _check_coverage_figure(figures[0]["data"][PLOTLY_MIME])
    # the exportable form: nbconvert keeps text/html; plotly.js is inline in the first cell
    assert "Plotly.newPlot" in figures[0]["data"]["text/html"]
    assert any("vlr-plotlyjs" in o.get("data", {}).get("text/html", "") for o in outputs)
    texts = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert re.search(r"\d+ pages, \d+ paragraphs", texts)
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


@pytest.mark.slow
@pytest.mark.parametrize("city", CITIES)
def test_02_checklist(city, isolated):
    nb = run_notebook("02_checklist", city, isolated, confirm_prechecks=True)
    outputs = _outputs(nb)
    pages = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "criterion_id" in pages  # the suggestions table
    tables = [
        o["data"]["text/html"]
        for o in outputs
        if "<table" in o.get("data", {}).get("text/html", "")
    ]
    assert tables and all("&lt;NA&gt;" not in x and ">NaN<" not in x for x in tables)
    # the summary is a live widget: its two charts are in the widget state, not cell outputs
    state = json.dumps(nb.metadata.get("widgets", {}))
    assert state.count("application/vnd.plotly.v1+json") == 2
    assert "Status not supported by the data" in pages  # the figures to check
    # confirm_prechecks saved ratings, so the summary has rated criteria
    from vlr_tools.checklist import list_ratings
    from vlr_tools.workspace import open_workspace

    with open_workspace(isolated / "workspace") as ws:
        (review,) = ws.reviews(city)
        assert list_ratings(ws, review.id)


@pytest.mark.slow
@pytest.mark.parametrize("city", CITIES)
def test_03_consultations(city, isolated):
    from vlr_tools.cities import load_city
    from vlr_tools.consultations import read_consultation_log

    nb = run_notebook("03_consultations", city, isolated)
    outputs = _outputs(nb)
    texts = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "consultation(s)" in texts
    assert len(_figures(outputs)) >= 3
    # participants' personal data stays out of every output
    log = read_consultation_log(load_city(city).consultations_path)
    names = {p.name for p in log.participants if getattr(p, "name", None)}
    assert names
    everything = json.dumps([o.get("data", o.get("text", "")) for o in outputs], ensure_ascii=False)
    leaked = sorted(n for n in names if n in everything)
    assert not leaked, f"personal data in outputs: {leaked[:3]}"


@pytest.mark.slow
@pytest.mark.parametrize("city", CITIES)
def test_04_export_memo(city, isolated):
    nb = run_notebook("04_export_memo", city, isolated)
    folder = isolated / "exports" / city
    written = sorted(p.suffix for p in folder.glob(f"{city}-*-review-memo-en.*"))
    assert written == [".docx", ".html", ".md", ".pdf"]
    assert all(p.stat().st_size > 1000 for p in folder.iterdir())
    outputs = _outputs(nb)
    preview = "".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    assert load_city_name(city) in preview
    table = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert f"{city}-v1-review-memo-en.pdf" in table or f"{city}-v2-review-memo-en.pdf" in table


@pytest.mark.slow
def test_06_indicator_table_from_the_draft_annex(isolated):
    """Santa Rosa's annex tables, pages 26-28 of its draft, read and stored headless."""
    nb = run_notebook("06_indicator_table", "santa-rosa", isolated, pages="26-28", store=True)
    texts = "".join(o.get("text", "") for o in _outputs(nb) if o.get("output_type") == "stream")
    stored = re.search(r"stored (\d+) indicators from santa-rosa-vlr-draft-v1\.pdf", texts)
    assert stored, texts
    assert f"{stored.group(1)} indicator(s) in review" in texts
    report = _widget_values(nb)
    assert "What I understood of santa-rosa-vlr-draft-v1.pdf" in report
    assert "pages 26, 27, 28 of the draft" in report
    pages = "".join(o.get("data", {}).get("text/html", "") for o in _outputs(nb))
    assert "no baseline" in pages  # the data gaps table


def load_city_name(city: str) -> str:
    from vlr_tools.cities import load_city

    return load_city(city).name


@pytest.mark.slow
def test_a_bad_parameter_stops_the_run_with_a_message_not_a_traceback(isolated):
    import papermill as pm

    out = isolated / "bad.ipynb"
    with pytest.raises(pm.PapermillExecutionError):
        pm.execute_notebook(
            str(NOTEBOOK_DIR / "02_checklist.ipynb"),
            str(out),
            parameters={"city": "atlantis", "workspace": str(isolated / "ws")},
            kernel_name=_kernel_name(),
            cwd=str(NOTEBOOK_DIR),
            progress_bar=False,
        )
    nb = nbformat.read(str(out), as_version=4)
    shown = _shown_errors(nb)
    assert "atlantis" in shown and "santa-rosa" in shown  # what was wrong, what is allowed
    tracebacks = [o for o in _outputs(nb) if o.get("output_type") == "error"]
    assert all(len(o.get("traceback", [])) <= 1 for o in tracebacks)
    assert "Traceback" not in json.dumps(_outputs(nb))


# --------------------------------------------------------------------------- a real city

REAL_DRAFT_HTML = """<html><head><title>Baguio City VLR</title></head><body>
<h1>Baguio City Voluntary Local Review 2026 (draft)</h1>
<p>The city expands the water supply and sanitation network to every barangay and
monitors drinking water quality with the water district.</p>
<p>Flooding and landslides in upland barangays are reduced by disaster risk reduction
plans, early warning systems and climate change adaptation.</p>
<p style="page-break-before: always">Every child completes primary and secondary school;
the city builds classrooms and trains teachers. Women and youth take part in the city
development council.</p>
</body></html>"""


@pytest.mark.slow
def test_start_a_real_citys_review_headless_then_map_it_by_review_id(isolated):
    """00_start_review with draft_path takes a non-sample city in; 01 then works on its review."""
    from weasyprint import HTML

    draft = isolated / "Baguio-VLR-draft.pdf"
    HTML(string=REAL_DRAFT_HTML).write_pdf(draft)
    nb = run_notebook(
        "00_start_review",
        "baguio",
        isolated,
        version="v1",
        city_name="Baguio City",
        province="Benguet",
        draft_path=str(draft),
    )
    texts = "".join(o.get("text", "") for o in _outputs(nb) if o.get("output_type") == "stream")
    assert "Baguio-VLR-draft.pdf: 2 pages" in texts
    found = re.search(r"review_id = '([^']+)'", texts)
    assert found, texts
    review_id = found.group(1)

    from vlr_tools.workspace import open_workspace

    with open_workspace(isolated / "workspace") as ws:
        city = ws.city("baguio")
        assert (city.name, city.province, city.illustrative) == ("Baguio City", "Benguet", False)
        assert ws.draft_file("baguio", "v1").pages == 2
        assert [r.id for r in ws.reviews("baguio")] == [review_id]

    # city stays a sample slug: review_id must win over it
    nb = run_notebook("01_map_draft", "santa-rosa", isolated, review_id=review_id)
    outputs = _outputs(nb)
    texts = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert re.search(r"2 pages, \d+ paragraphs", texts), texts
    pages = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert review_id in pages and "Baguio City" in pages  # the session line names the review
    assert len(_figures(outputs)) == 1
    with open_workspace(isolated / "workspace") as ws:
        assert ws.get(review_id, "mapping_run", "latest") is not None  # the mapping was saved
        assert not ws.reviews("santa-rosa")  # no sample review was started

    # a consultation log given as log_file is imported into that review
    from vlr_tools.cities import load_city

    log = load_city("san-fernando").consultations_path
    nb = run_notebook(
        "03_consultations", "santa-rosa", isolated, review_id=review_id, log_file=str(log)
    )
    texts = "".join(o.get("text", "") for o in _outputs(nb) if o.get("output_type") == "stream")
    stored = re.search(rf"(\d+) consultation\(s\) in review {re.escape(review_id)}", texts)
    assert stored and int(stored.group(1)) > 0, texts
    assert "row(s) rejected" in texts  # the log's validation summary
    with open_workspace(isolated / "workspace") as ws:
        assert len(ws.records(review_id, "consultation")) == int(stored.group(1))

    # the city's own indicator table, one column per year with Filipino headings
    table = _baguio_indicators(isolated / "baguio-panukat.xlsx")
    nb = run_notebook(
        "06_indicator_table",
        "santa-rosa",
        isolated,
        review_id=review_id,
        table_file=str(table),
        columns="Local indicator=Ano ang sinusukat",
        save_mapping=True,
        store=True,
    )
    texts = "".join(o.get("text", "") for o in _outputs(nb) if o.get("output_type") == "stream")
    assert "stored 3 indicators from baguio-panukat.xlsx" in texts, texts
    report = html.unescape(_widget_values(nb))
    assert "'Ano ang sinusukat' -> Local indicator (your mapping)" in report
    with open_workspace(isolated / "workspace") as ws:
        assert {r.key for r in ws.records(review_id, "indicator")} == {"BG-01", "BG-02", "BG-03"}
        assert ws.get(review_id, "column_mapping", "indicators") is not None


def _baguio_indicators(path: Path) -> Path:
    """A made-up real city's table: one column per year, Filipino headings, marks in cells."""
    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Panukat"
    for row in [
        ["Mga panukat ng Lungsod ng Baguio"],
        [],
        ["Blg.", "Ano ang sinusukat", "Yunit", "Layunin", "Kodigo ng SDG", 2019, 2021, 2023],
        ["BG-01", "Kabahayan na may malinis na tubig", "%", 6, "6.1.1", "74%", "n/a", "82%"],
        ["BG-02", "Barangay na may koleksiyon ng basura", "barangay", 11, "—", 100, 120, 128],
        ["BG-03", "Pamilyang nasalanta ng baha", "pamilya", 11, "11.5.1", "—", "6,100",
         "5,400 (p)"],
        [],
        ["Pinagmulan: mga tanggapan ng lungsod."],
    ]:  # fmt: skip
        sheet.append(row)
    wb.save(path)
    return path
