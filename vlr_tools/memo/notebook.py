"""Export a reviewer's working notebook as a clean, offline HTML report.

nbconvert's own HTML templates load require.js, MathJax and the widget manager
from CDNs, and drop plotly charts whose output holds only plotly's JSON mime
type. :func:`export_notebook_report` uses the ``vlr_report`` template
(``vlr_tools/templates/nbconvert/vlr_report/``), which hides code and loads
nothing from outside, and a preprocessor that turns each plotly output into
an inline chart drawn by the plotly.js embedded once in the page.

>>> export_notebook_report("notebooks/review.ipynb", "exports/review-report.html")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..errors import MemoError

PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "nbconvert"
_EXTERNAL = re.compile(r"^\s*(https?:|//|ftp:)", re.IGNORECASE)


def _plotly_div(figure: dict[str, Any]) -> str:
    div_id = f"vlr-plot-{uuid.uuid4().hex[:12]}"
    spec = json.dumps(
        {"data": figure.get("data", []), "layout": figure.get("layout", {})},
        separators=(",", ":"),
    )
    # Written as JSON escapes so no text in the figure can close the script.
    spec = spec.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        f'<div id="{div_id}" class="vlr-plot" style="min-height:360px"></div>\n'
        f'<script type="text/javascript">(function(){{var s={spec};'
        f'if(window.Plotly){{Plotly.newPlot("{div_id}",s.data,s.layout,'
        f"{{responsive:true,displaylogo:false}});}}}})();</script>"
    )


def _clean_outputs(nb: Any) -> bool:
    """Inline plotly outputs and drop widget views; True when a plotly chart was found."""
    found = False
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if PLOTLY_MIME in data:
                found = True
                figure = data[PLOTLY_MIME]
                if isinstance(figure, str):
                    figure = json.loads(figure)
                output["data"] = {"text/html": _plotly_div(dict(figure))}
            elif WIDGET_MIME in data:
                continue  # a live widget means nothing in a static report
            elif "text/html" in data and "cdn.plot.ly" in str(data["text/html"]):
                # plotly's "notebook_connected" output: it would fetch plotly.js
                # from a CDN. Keep the image or text beside it, if any.
                del data["text/html"]
                if not data:
                    continue
            kept.append(output)
        cell["outputs"] = kept
    return found


class _Resources(HTMLParser):
    """Finds references that would make a browser load something from outside."""

    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        loading = {
            "script": "src",
            "img": "src",
            "iframe": "src",
            "embed": "src",
            "source": "src",
            "audio": "src",
            "video": "src",
            "object": "data",
        }
        name = loading.get(tag)
        if name and _EXTERNAL.match(values.get(name) or ""):
            self.external.append(f"<{tag} {name}={values.get(name)}>")
        if tag == "link" and _EXTERNAL.match(values.get("href") or ""):
            self.external.append(f"<link href={values.get('href')}>")


def external_resources(html: str) -> list[str]:
    """Elements of ``html`` that load a script, style, image or frame from outside."""
    parser = _Resources()
    parser.feed(html)
    return parser.external


def export_notebook_report(ipynb_path: str | Path, out_html: str | Path) -> Path:
    """Write ``ipynb_path`` as a self-contained HTML report at ``out_html``.

    Code cells are hidden, markdown and outputs kept, plotly charts drawn by
    inline plotly.js. Raises :class:`MemoError` when the notebook cannot be
    read or when the result would still load something from outside (e.g.
    an output holding its own ``<script src="https://...">``), naming it.
    """
    import nbformat
    from nbconvert import HTMLExporter

    from .html import plotly_js

    src = Path(ipynb_path)
    try:
        nb = nbformat.read(str(src), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises several unrelated types
        raise MemoError(f"{src}: cannot read the notebook: {exc}") from exc
    has_plotly = _clean_outputs(nb)
    nb.metadata.pop("widgets", None)
    exporter = HTMLExporter(
        template_name="vlr_report",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    resources: dict[str, Any] = {"metadata": {"name": src.stem}}
    if has_plotly:
        resources["vlr_plotly_js"] = plotly_js()
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    found = external_resources(body)
    if found:
        raise MemoError(
            f"{src}: the report would load {len(found)} thing(s) from the internet "
            f"({', '.join(found[:3])}); change those outputs (e.g. plotly renderer 'notebook' "
            "or a static image) and export again"
        )
    out = Path(out_html)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return out
