"""Render a memo as a tagged A4 PDF (PDF/UA-1) with WeasyPrint, from the print HTML variant.

The PDF is tagged: headings, lists, tables (header cells and captions) and
reading order are in its structure tree, the document language is set from
the memo's (``en`` or ``ja``), the title is shown in the window bar, and each
chart is a vector image (the memo's SVG) whose figure carries the chart's
text alternative. A screen reader therefore gets what the HTML memo gives.

The print variant also carries a running header (city and "Review memo"), the
current section name, and page numbers "N / M". Japanese text uses Noto Sans
CJK JP (Debian's ``fonts-noto-cjk``), so it prints as glyphs, not boxes.
Everything the user typed was escaped by the HTML renderer.
"""

from __future__ import annotations

import base64
from pathlib import Path

from ..errors import MissingComponentError
from .html import render_html
from .model import Memo
from .svg import chart_svg

#: WeasyPrint's name of the variant: tagged, with language, title and alt text.
PDF_VARIANT = "pdf/ua-1"


def svg_data_uri(svg: str) -> str:
    """A ``data:`` URI for an SVG image, for the print HTML."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def chart_uris(memo: Memo) -> dict[str, str]:
    """Every chart of ``memo`` that has a plot, as an SVG ``data:`` URI keyed by chart key."""
    return {
        chart.key: svg_data_uri(chart_svg(chart, lang=memo.lang))
        for chart in memo.charts()
        if chart.plot is not None
    }


def pdf_bytes(memo: Memo, *, chart_note: str | None = None) -> bytes:
    """The memo as tagged PDF bytes; a chart without a plot gets a note and its data table."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango libraries missing
        raise MissingComponentError(
            "PDF memos need WeasyPrint and the Pango libraries; run ./scripts/setup "
            f"(apt-get install libpango-1.0-0 libpangoft2-1.0-0). Reason: {exc}"
        ) from exc
    html = render_html(memo, variant="print", images=chart_uris(memo), chart_note=chart_note)
    # No base_url and a fetcher that allows only data: URIs, so a memo can
    # never make WeasyPrint read a local file or reach the network.
    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"])
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    return bytes(document.write_pdf(pdf_variant=PDF_VARIANT))


def write_pdf(memo: Memo, path: Path, *, chart_note: str | None = None) -> Path:
    """Write the memo as a PDF file at ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(memo, chart_note=chart_note))
    return path
