"""A draft's pages as the city laid them out: page images and the words on them.

The page view (:mod:`vlr_tools.widgets.pageview`) draws a page of the stored
draft and lays a transparent, selectable text layer over it. Both come from
pdfium (pypdfium2), the library the draft's text was read with, so the words
a reviewer selects on the drawing are the words the anchoring matches:

- :meth:`PageLayout.image` renders the page to PNG (lazily, one page at a
  time, at most :data:`MAX_PIXELS` pixels so a poster-sized page cannot
  freeze the notebook);
- :meth:`PageLayout.layer` gives the page's words (*runs*) with their boxes,
  each tied to the character offset in :attr:`Draft.text` where the anchoring
  has it; words the reader left out of the draft's text (running headers,
  page numbers) have offset -1 and cannot start a selection;
- :meth:`PageLayout.rects` turns a span of draft text into boxes on the page,
  for highlights.

Runs are given in the order of the draft's text, not the order pdfium met
them, so a mouse selection running from the foot of one column to the top of
the next covers a contiguous span of the text the anchoring uses.

A DOCX draft has no pages of its own: the intake makes a PDF rendering with
LibreOffice, and the view shows that rendering's pages (said so on the page);
the anchoring keeps the page numbers of the Word file's breaks.

>>> layout = PageLayout.open(pdf_path, draft)        # doctest: +SKIP
>>> layer = layout.layer(3)                          # doctest: +SKIP
>>> layer.runs[0].text, layer.runs[0].start          # doctest: +SKIP
('Santa', 1042)
"""

from __future__ import annotations

import io
import re
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DocumentError

if TYPE_CHECKING:
    from .documents import Draft

#: Width in pixels a page is rendered at (zoom is done by the browser).
RENDER_WIDTH = 1400
#: Largest image rendered for one page (pixels); huge pages are drawn smaller.
MAX_PIXELS = 4_000_000
#: Pages kept rendered in memory per layout.
CACHE_PAGES = 6
#: Separators the reader may put between the lines of one block (table cells).
_GAP = re.compile(r"[\s|]*")


@dataclass(frozen=True)
class Run:
    """One word (or run of characters without spaces) drawn on a page.

    ``box`` is (left, top, right, bottom) as fractions of the page's width and
    height, measured from the top-left corner. ``start`` is the offset of the
    run's first character in :attr:`Draft.text` (-1: not part of the text the
    anchoring uses). ``edges`` are the left edges of each character and the
    right edge of the last one (fractions of the width), for partial boxes.
    """

    text: str
    start: int
    box: tuple[float, float, float, float]
    edges: tuple[float, ...] = field(default=(), compare=False, repr=False)
    line: int = 0
    #: Clockwise turn of the page as shown (a page saved with /Rotate): 0, 90, 180, 270.
    turn: int = 0

    @property
    def end(self) -> int:
        return self.start + len(self.text) if self.start >= 0 else -1


@dataclass(frozen=True)
class PageLayer:
    """The words of one page with their boxes; ``size`` is the page size in points."""

    page: int
    size: tuple[float, float]
    runs: tuple[Run, ...]
    #: Offsets of the draft text this page's runs cover: (first, last end), or None.
    span: tuple[int, int] | None = None

    @property
    def has_text(self) -> bool:
        return any(r.start >= 0 for r in self.runs)

    def to_json(self) -> list[list[Any]]:
        """Runs as compact lists for the browser: [start, text, left, top, right, bottom, turn]."""
        return [[r.start, r.text, *r.box, r.turn] for r in self.runs]


class PageLayout:
    """The drawn pages of a draft file and their words, tied to a :class:`Draft`'s text.

    ``pdf`` is the file drawn (the draft itself, its OCR'd copy, or a DOCX's
    PDF rendering); ``draft`` the draft the anchoring reads. With
    ``same_pages`` the file's page N is the draft's page N (a PDF draft);
    otherwise (a rendering) the whole draft text is matched in order.
    """

    def __init__(self, pdf: Path, draft: Draft, *, same_pages: bool = True) -> None:
        import pypdfium2 as pdfium

        self.path = Path(pdf)
        self.draft = draft
        self.same_pages = same_pages
        try:
            self._pdf = pdfium.PdfDocument(str(self.path))
        except pdfium.PdfiumError as exc:
            raise DocumentError(f"{self.path.name}: cannot be drawn: {exc}") from exc
        self.page_count = len(self._pdf)
        # Closed with the layout (a widget dropped by the notebook), without pdfium's warning.
        self._closer = weakref.finalize(self, self._pdf.close)
        self._lock = threading.RLock()
        self._images: OrderedDict[int, bytes] = OrderedDict()
        self._layers: dict[int, PageLayer] = {}
        self._rendering_cursor: list[int] = []

    @classmethod
    def open(cls, pdf: str | Path, draft: Draft, *, same_pages: bool = True) -> PageLayout:
        return cls(Path(pdf), draft, same_pages=same_pages)

    def close(self) -> None:
        with self._lock:
            self._closer()

    # -- drawing ----------------------------------------------------------------------

    def size(self, page: int) -> tuple[float, float]:
        """Width and height of ``page`` in PDF points."""
        self._check(page)
        with self._lock:
            p = self._pdf[page - 1]
            try:
                return float(p.get_width()), float(p.get_height())
            finally:
                p.close()

    def image(self, page: int) -> bytes:
        """``page`` rendered as PNG bytes (cached for the last few pages viewed)."""
        self._check(page)
        with self._lock:
            found = self._images.get(page)
            if found is not None:
                self._images.move_to_end(page)
                return found
            p = self._pdf[page - 1]
            try:
                width, height = float(p.get_width()), float(p.get_height())
                scale = RENDER_WIDTH / max(width, 1.0)
                pixels = (width * scale) * (height * scale)
                if pixels > MAX_PIXELS:
                    scale *= (MAX_PIXELS / pixels) ** 0.5
                bitmap = p.render(scale=scale)
                pil = bitmap.to_pil()
            finally:
                p.close()
            out = io.BytesIO()
            pil.save(out, format="PNG", compress_level=1)
            data = out.getvalue()
            self._images[page] = data
            while len(self._images) > CACHE_PAGES:
                self._images.popitem(last=False)
            return data

    # -- words ------------------------------------------------------------------------

    def layer(self, page: int) -> PageLayer:
        """The words of ``page`` with their boxes and draft-text offsets."""
        self._check(page)
        with self._lock:
            found = self._layers.get(page)
            if found is None:
                if not self.same_pages:
                    self._layers_in_order(page)
                    found = self._layers[page]
                else:
                    found = self._build(page, *self._page_text_span(page))
                    self._layers[page] = found
            return found

    def _page_text_span(self, page: int) -> tuple[int, int]:
        from .annotations.text import index_draft

        if page > self.draft.page_count:
            return (0, 0)
        return index_draft(self.draft).page_span(page)

    def _layers_in_order(self, upto: int) -> None:
        """Rendering pages: match every page up to ``upto`` in order against the whole text."""
        cursor = self._rendering_cursor or [0]
        for n in range(len(self._layers) + 1, upto + 1):
            layer = self._build(n, cursor[0], len(self.draft.text))
            self._layers[n] = layer
            if layer.span is not None:
                cursor[0] = layer.span[1]
        self._rendering_cursor = cursor

    def _build(self, page: int, lo: int, hi: int) -> PageLayer:
        p = self._pdf[page - 1]
        try:
            left, bottom, right, top = (float(v) for v in p.get_cropbox())
            width, height = max(right - left, 1.0), max(top - bottom, 1.0)
            # Character boxes are in the page's own space; the page is drawn turned.
            turn = int(p.get_rotation() or 0) % 360
            textpage = p.get_textpage()
            try:
                lines = _page_lines(textpage)
            finally:
                textpage.close()
        finally:
            p.close()
        text = self.draft.text
        runs: list[Run] = []
        pos = lo
        first: int | None = None
        last = lo
        for k, (line, boxes) in enumerate(lines):
            at = _find_line(text, line, pos, hi, lines[k + 1][0] if k + 1 < len(lines) else None)
            if at >= 0:
                pos = at + len(line)
                first = at if first is None else first
                last = pos
            for m in re.finditer(r"\S+", line):
                chars = boxes[m.start() : m.end()]
                real = [b for b in chars if b is not None]
                if not real:
                    continue
                x0 = min(b[0] for b in real)
                x1 = max(b[2] for b in real)
                y_top = max(b[3] for b in real)
                y_bot = min(b[1] for b in real)
                edges = [(b[0] if b is not None else x0) for b in chars] + [x1]
                box = (
                    _frac(x0 - left, width),
                    _frac(top - y_top, height),
                    _frac(x1 - left, width),
                    _frac(top - y_bot, height),
                )
                runs.append(
                    Run(
                        text=m.group(),
                        start=at + m.start() if at >= 0 else -1,
                        box=_turned(box, turn),
                        # partial boxes along a line only on pages shown upright
                        edges=tuple(_frac(e - left, width) for e in edges) if not turn else (),
                        line=k,
                        turn=turn,
                    )
                )
        # Reading order of the draft text (what a selection must follow); words
        # outside it keep pdfium's order after them.
        runs.sort(key=lambda r: (r.start < 0, r.start if r.start >= 0 else 0))
        span = (first, last) if first is not None else None
        size = (height, width) if turn in (90, 270) else (width, height)
        return PageLayer(page=page, size=size, runs=tuple(runs), span=span)

    # -- highlights ------------------------------------------------------------------

    def rects(self, page: int, start: int, end: int) -> list[tuple[float, float, float, float]]:
        """Boxes (fractions, top-left origin) covering draft text ``[start, end)`` on ``page``.

        One box per line of the page; empty when none of the span is drawn there.
        """
        out: list[tuple[float, float, float, float]] = []
        by_line: dict[int, list[float]] = {}
        for r in self.layer(page).runs:
            if r.start < 0 or r.end <= start or r.start >= end:
                continue
            a = max(start, r.start) - r.start
            b = min(end, r.end) - r.start
            if b <= a:
                continue
            x0 = r.edges[a] if a < len(r.edges) else r.box[0]
            x1 = r.edges[b] if b < len(r.edges) else r.box[2]
            box = by_line.get(r.line)
            if box is None:
                by_line[r.line] = [x0, r.box[1], x1, r.box[3]]
            else:
                box[0], box[1] = min(box[0], x0), min(box[1], r.box[1])
                box[2], box[3] = max(box[2], x1), max(box[3], r.box[3])
        for box in by_line.values():
            out.append((box[0], box[1], box[2], box[3]))
        return out

    def page_of_offset(self, offset: int) -> int | None:
        """The drawn page whose words include draft-text ``offset`` (None: not drawn)."""
        if self.same_pages:
            from .annotations.text import index_draft

            return index_draft(self.draft).page_of(offset)
        for n in range(1, self.page_count + 1):
            span = self.layer(n).span
            if span is not None and span[0] <= offset < span[1]:
                return n
        return None

    def _check(self, page: int) -> None:
        if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= self.page_count:
            raise DocumentError(
                f"{self.path.name} has no page {page!r}; its pages are 1-{self.page_count}"
            )


def _turned(box: tuple[float, float, float, float], turn: int) -> tuple[float, float, float, float]:
    """A box (fractions, top-left origin) of the page's own space, on the page as shown.

    pdfium draws a page saved with /Rotate turned clockwise by that angle,
    but gives character boxes in the unturned page's space.
    """
    x0, y0, x1, y1 = box
    if turn == 90:
        return (round(1 - y1, 5), x0, round(1 - y0, 5), x1)
    if turn == 180:
        return (round(1 - x1, 5), round(1 - y1, 5), round(1 - x0, 5), round(1 - y0, 5))
    if turn == 270:
        return (y0, round(1 - x1, 5), y1, round(1 - x0, 5))
    return box


def _frac(value: float, whole: float) -> float:
    return round(min(max(value / whole, 0.0), 1.0), 5)


def _page_lines(textpage: Any) -> list[tuple[str, list[tuple[float, float, float, float] | None]]]:
    """The page's visual lines as pdfium gives them, with a box per character (None: none).

    pdfium joins a line ending in a hyphen to the next with U+FFFE; the draft
    reader splits there and keeps a "-", so the same is done here.
    """
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    aligned = len(text) == count
    lines: list[tuple[str, list[tuple[float, float, float, float] | None]]] = []
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float] | None] = []

    def close() -> None:
        if chars:
            lines.append(("".join(chars), list(boxes)))
        chars.clear()
        boxes.clear()

    for i, ch in enumerate(text):
        if ch in "\r\n":
            close()
            continue
        box = None
        if aligned:
            try:
                box = tuple(float(v) for v in textpage.get_charbox(i, loose=True))
            except Exception:  # a box query failing only leaves the character undrawn
                box = None
        if ch == "\ufffe":
            chars.append("-")
            boxes.append(box)  # type: ignore[arg-type]
            close()
            continue
        chars.append(ch)
        boxes.append(box)  # type: ignore[arg-type]
    close()
    out = []
    for line, bx in lines:
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        out.append((stripped, bx[lead : lead + len(stripped)]))
    return out


def _find_line(text: str, line: str, pos: int, hi: int, following: str | None) -> int:
    """Where ``line`` continues the draft text at ``pos`` (-1: it is not part of the text).

    A line right after the previous one (only white space or table-cell bars
    between) is taken; a line further on only when it is long enough to be
    unambiguous, or the next line follows it too, so that a short header such
    as "12" is not matched to a "12" later in the text.
    """
    at = text.find(line, pos, hi)
    if at < 0:
        return -1
    gap = text[pos:at]
    if _GAP.fullmatch(gap):
        return at
    if len(line) >= 16 and len(gap) < 4000:
        return at
    if following is not None:
        nxt = text.find(following, at + len(line), hi)
        if nxt >= 0 and _GAP.fullmatch(text[at + len(line) : nxt]):
            return at
    return -1


def rendering_pages(data: bytes) -> int:
    """The page count of a PDF given as bytes (for a rendering's summary)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_docx(path: Path, *, timeout: int = 180) -> bytes | None:
    """A PDF rendering of a DOCX made with LibreOffice, or None when LibreOffice is missing.

    Used by the intake so the page view can draw a Word draft as laid out.
    Raises DocumentError when LibreOffice runs but makes no PDF.
    """
    import shutil
    import subprocess
    import tempfile

    tool = shutil.which("soffice") or shutil.which("libreoffice")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory(prefix="vlr-render-") as tmp:
        profile = Path(tmp) / "profile"
        command = [
            tool,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(path),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise DocumentError(
                f"{path.name}: LibreOffice took more than {timeout} s to draw the pages"
            ) from None
        out = Path(tmp) / (path.stem + ".pdf")
        if not out.is_file():
            raise DocumentError(f"{path.name}: LibreOffice could not draw the pages as PDF")
        return out.read_bytes()


__all__ = ["MAX_PIXELS", "PageLayer", "PageLayout", "Run", "render_docx", "rendering_pages"]
