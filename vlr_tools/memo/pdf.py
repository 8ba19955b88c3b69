"""Render a memo as an A4 PDF with WeasyPrint, from the print HTML variant.

The print variant carries static chart images, a running header (city and
"Review memo"), the current section name, and page numbers "N / M". Japanese
text uses Noto Sans CJK JP (Debian's ``fonts-noto-cjk``), so it prints as
glyphs, not boxes. Everything the user typed was escaped by the HTML renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import MissingComponentError
from .html import render_html
from .model import Memo
from .static import data_uri


def pdf_bytes(
    memo: Memo,
    images: Mapping[str, bytes] | None = None,
    *,
    chart_note: str | None = None,
) -> bytes:
    """The memo as PDF bytes; charts without an image get the data table."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango libraries missing
        raise MissingComponentError(
            "PDF memos need WeasyPrint and the Pango libraries; run ./scripts/setup "
            f"(apt-get install libpango-1.0-0 libpangoft2-1.0-0). Reason: {exc}"
        ) from exc
    uris = {key: data_uri(png) for key, png in (images or {}).items()}
    html = render_html(memo, static=True, images=uris, chart_note=chart_note)
    # No base_url and a fetcher that allows only data: URIs, so a memo can
    # never make WeasyPrint read a local file or reach the network.
    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"])
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    return bytes(document.write_pdf())


def write_pdf(
    memo: Memo,
    path: Path,
    images: Mapping[str, bytes] | None = None,
    *,
    chart_note: str | None = None,
) -> Path:
    """Write the memo as a PDF file at ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(memo, images, chart_note=chart_note))
    return path
