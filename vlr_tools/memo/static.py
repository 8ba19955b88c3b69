"""Chart pictures (PNG) for the DOCX memo, rasterised from the charts' SVG.

Word needs a bitmap. The chart's SVG (:mod:`vlr_tools.memo.svg`) is laid out
by WeasyPrint, one PDF page per chart at the chart's size, and pypdfium2 draws
each page as a PNG at twice the size for crisp print. Both are Python
dependencies of the workbench, so no browser is started: a memo's four charts
take a fraction of a second. Pictures are cached by SVG content, so drawing
the same memo twice, or a second format, costs nothing.

When the PNG cannot be made (WeasyPrint's Pango libraries missing),
:class:`MissingComponentError` says how to install them; callers then put
each chart's data table in the document instead.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable

from ..errors import MemoError, MissingComponentError
from .model import Chart, Progress
from .svg import chart_svg

#: Pixels per CSS pixel of the chart: 2 gives crisp print at the memo's chart sizes.
SCALE = 2

INSTALL_HINT = (
    "Chart pictures in DOCX memos are drawn with WeasyPrint and pypdfium2, which could not "
    "run here; run ./scripts/setup (apt-get install libpango-1.0-0 libpangoft2-1.0-0). "
    "The HTML, PDF and Markdown memos draw their charts without them."
)

_SIZE = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
_lock = threading.Lock()
_cache: OrderedDict[str, bytes] = OrderedDict()


def _rasterise(svgs: list[str]) -> list[bytes]:
    """PNG bytes of each SVG: one WeasyPrint document, one page per SVG, drawn by pdfium."""
    try:
        import pypdfium2
        import weasyprint
    except (ImportError, OSError) as exc:
        raise MissingComponentError(f"{INSTALL_HINT} (reason: {exc})") from exc
    pages, rules = [], []
    for n, svg in enumerate(svgs):
        match = _SIZE.search(svg)
        if match is None:
            raise MemoError("a chart's SVG has no viewBox; cannot size its picture")
        width, height = match.groups()
        rules.append(
            f"@page c{n} {{ size: {width}px {height}px; margin: 0 }} .c{n} {{ page: c{n} }}"
        )
        pages.append(f'<div class="c{n}">{svg}</div>')
    html = (
        "<!DOCTYPE html><html><head><style>"
        + " ".join(rules)
        + " body { margin: 0 } div { break-after: page } svg { display: block }"
        + "</style></head><body>"
        + "".join(pages)
        + "</body></html>"
    )
    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"])
    pdf = pypdfium2.PdfDocument(weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf())
    try:
        out = []
        for index in range(len(pdf)):
            # PDF pages are measured in points (1 px = 0.75 pt); pdfium's scale is per point.
            image = pdf[index].render(scale=SCALE / 0.75).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, "PNG")
            out.append(buffer.getvalue())
        return out
    finally:
        pdf.close()


def chart_images(
    charts: Iterable[Chart], progress: Progress | None = None, *, lang: str = "en"
) -> dict[str, bytes]:
    """PNG bytes for each chart that has a plot, keyed by ``chart.key``.

    Raises :class:`MissingComponentError` when WeasyPrint or pypdfium2
    cannot run; any other drawing failure is a :class:`MemoError`.
    """
    charts = [c for c in charts if c.plot is not None]
    svgs = {c.key: chart_svg(c, lang=lang) for c in charts}
    keys = {k: hashlib.sha256(f"{SCALE}\n{svg}".encode()).hexdigest() for k, svg in svgs.items()}
    with _lock:
        todo = [k for k in svgs if keys[k] not in _cache]
        if todo:
            if progress:
                progress("charts", 1, 1)
            try:
                pngs = _rasterise([svgs[k] for k in todo])
            except (MissingComponentError, MemoError):
                raise
            except Exception as exc:
                raise MemoError(f"could not draw the chart pictures: {exc}") from exc
            for k, png in zip(todo, pngs, strict=True):
                _cache[keys[k]] = png
            while len(_cache) > 64:
                _cache.popitem(last=False)
        return {k: _cache[keys[k]] for k in svgs}


def data_uri(png: bytes) -> str:
    """A ``data:`` URI for a PNG image, for self-contained HTML."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def warm_up() -> bool:
    """Load the picture drawing libraries now (e.g. in a thread while other work runs).

    Importing WeasyPrint takes about a second; a notebook or the demo starts
    it while the reviewer reads. Returns False when they cannot be loaded; the
    error is raised again, with its message, when pictures are drawn.
    """
    try:
        import pypdfium2  # noqa: F401
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def clear_cache() -> None:
    """Forget cached pictures (benchmarks use it to measure drawing itself)."""
    with _lock:
        _cache.clear()


def shutdown() -> None:
    """Nothing to close any more (no browser is started); kept for callers of the old API."""
