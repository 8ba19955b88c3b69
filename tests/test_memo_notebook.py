"""The nbconvert report template: a notebook exported with no code, charts kept, offline."""

from __future__ import annotations

import json

import nbformat
import pytest

from vlr_tools.errors import MemoError
from vlr_tools.memo import export_notebook_report
from vlr_tools.memo.notebook import external_resources


def _notebook(path, outputs):
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    code = nbformat.v4.new_code_cell("SECRET_CODE_LINE = compute_review()\nfig.show()")
    code.outputs = outputs
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Santa Rosa review\nCoverage of the **HLPF** goals."),
        code,
    ]
    nbformat.write(nb, str(path))
    return path


def _plotly_output(title="</script><script>alert(1)</script>"):
    figure = {
        "data": [{"type": "bar", "x": ["3", "5"], "y": [4, 2], "name": "SDG"}],
        "layout": {"title": {"text": title}},
    }
    return nbformat.v4.new_output(
        "display_data",
        data={"application/vnd.plotly.v1+json": figure, "text/plain": "Figure()"},
    )


def test_export_hides_code_keeps_the_chart_and_loads_nothing(tmp_path):
    widget = nbformat.v4.new_output(
        "display_data",
        data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
            "text/plain": "HBox(children=(Dropdown(...),))",
        },
    )
    src = _notebook(tmp_path / "review.ipynb", [_plotly_output(), widget])
    out = export_notebook_report(src, tmp_path / "report.html")
    html = out.read_text(encoding="utf-8")
    assert "SECRET_CODE_LINE" not in html  # no code
    assert "Santa Rosa review" in html and "<strong>HLPF</strong>" in html
    assert html.count('class="vlr-plot"') == 1  # the chart is kept...
    assert "Plotly.newPlot" in html and "plotly.js" in html.lower()  # ...with plotly.js inline
    assert external_resources(html) == []
    assert "<script src=" not in html
    for cdn in ("require.min.js", 'require.js"', "MathJax.js", "tex-chtml", "html-manager"):
        assert cdn not in html
    assert "HBox(children" not in html  # dead widget output dropped
    assert "</script><script>alert(1)" not in html


def test_export_refuses_outputs_that_load_from_the_internet(tmp_path):
    bad = nbformat.v4.new_output(
        "display_data",
        data={"text/html": '<script src="https://example.org/tracker.js"></script>'},
    )
    src = _notebook(tmp_path / "bad.ipynb", [bad])
    with pytest.raises(MemoError, match="example.org/tracker.js"):
        export_notebook_report(src, tmp_path / "bad.html")
    assert not (tmp_path / "bad.html").exists()


def test_export_of_a_broken_notebook_is_a_clear_error(tmp_path):
    src = tmp_path / "broken.ipynb"
    src.write_text(json.dumps({"cells": "nope"}), encoding="utf-8")
    with pytest.raises(MemoError, match="broken.ipynb: cannot read the notebook"):
        export_notebook_report(src, tmp_path / "x.html")
