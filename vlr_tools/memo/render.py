"""Write a memo in one or several formats, sharing the chart pictures.

Every format draws its charts without a browser: HTML as inline SVG, PDF as
the same SVG (vector images with their alt text), Markdown as the data table,
DOCX as PNG pictures rasterised from the SVG (:mod:`.static`). When the DOCX
pictures cannot be drawn the DOCX is still written, each chart replaced by a
note and its data table, and the result carries a warning saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MemoError, MissingComponentError
from ..i18n import t
from .model import Memo, Progress

FORMATS = ("html", "pdf", "docx", "md")
EXTENSIONS = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "md": ".md"}
_ALIASES = {"markdown": "md", "htm": "html", "word": "docx"}


@dataclass(frozen=True)
class RenderResult:
    """One written memo file and anything the reader of the log should know."""

    format: str
    path: Path
    warnings: tuple[str, ...] = ()


def check_format(fmt: str) -> str:
    """Normalise a format name; MemoError naming the allowed ones otherwise."""
    name = _ALIASES.get(fmt.strip().lower().lstrip("."), fmt.strip().lower().lstrip("."))
    if name not in FORMATS:
        raise MemoError(f"unknown memo format {fmt!r}; allowed: {', '.join(FORMATS)}")
    return name


def memo_filename(memo: Memo, fmt: str) -> str:
    """``santa-rosa-v1-review-memo-en.pdf``."""
    fmt = check_format(fmt)
    return f"{memo.city_slug}-{memo.version}-review-memo-{memo.lang}{EXTENSIONS[fmt]}"


def static_images(memo: Memo, progress: Progress | None = None) -> tuple[dict[str, bytes], str]:
    """PNG pictures of the memo's charts (for DOCX) and, when they cannot be drawn, the reason.

    Returns ``(images, warning)``: ``warning`` is empty when every chart was
    drawn; otherwise it is the message for the log (what to install).
    """
    from .static import chart_images

    charts = list(memo.charts())
    if not charts:
        return {}, ""
    try:
        return chart_images(charts, progress, lang=memo.lang), ""
    except (MissingComponentError, MemoError) as exc:
        # The libraries are missing, or they failed on a chart: the DOCX is
        # still written, each chart replaced by its data table.
        return {}, str(exc)


def memo_bytes(
    memo: Memo,
    fmt: str,
    *,
    images: dict[str, bytes] | None = None,
    chart_note: str | None = None,
    interactive: bool = False,
) -> bytes:
    """The memo in ``fmt`` as bytes (UTF-8 for HTML and Markdown).

    ``interactive`` (HTML only) embeds plotly.js for reviewers instead of
    drawing the charts as SVG. ``images`` are the DOCX chart pictures when
    already drawn.
    """
    fmt = check_format(fmt)
    if fmt == "html":
        from .html import render_html

        variant = "interactive" if interactive else "static"
        return render_html(memo, variant=variant).encode("utf-8")
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(memo).encode("utf-8")
    if fmt == "pdf":
        from .pdf import pdf_bytes

        return pdf_bytes(memo, chart_note=chart_note)
    if images is None:
        images, warning = static_images(memo)
        if warning and chart_note is None:
            chart_note = t("memo.chart_not_drawn", memo.lang)
    from .docx import docx_bytes

    return docx_bytes(memo, images, chart_note=chart_note)


def render_memo(
    memo: Memo,
    formats: str | Sequence[str] = FORMATS,
    out: str | Path = ".",
    *,
    progress: Progress | None = None,
    filename: str | None = None,
    interactive: bool = False,
    pdf_worker: PdfWorker | None = None,
) -> list[RenderResult]:
    """Write ``memo`` in each of ``formats`` into the folder ``out``.

    ``formats`` is one name or several (``"html"``, ``("pdf", "docx")``...);
    files are named by :func:`memo_filename` unless ``filename`` (a stem)
    is given. ``interactive`` makes the HTML memo embed plotly.js (for
    reviewers) instead of inline SVG charts. ``progress(step, done, total)``
    is called before each step.

    The PDF takes longer than the other three formats together: with other
    formats to write it is written by a second process meanwhile. A caller
    that writes several memos can pass its own ``pdf_worker`` (started
    early, see :class:`PdfWorker`); the PDFs are then complete only after
    its :meth:`PdfWorker.wait`.

    >>> render_memo(memo, ("html", "md"), "exports/santa-rosa")  # doctest: +SKIP
    """
    wanted = [check_format(f) for f in ([formats] if isinstance(formats, str) else formats)]
    wanted = list(dict.fromkeys(wanted))
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    images: dict[str, bytes] = {}
    warning = ""
    chart_note: str | None = None
    needs_images = "docx" in wanted
    charts = list(memo.charts()) if needs_images else []
    total = len(wanted) + (1 if charts else 0)
    step = 0
    paths = {
        fmt: folder / ((filename + EXTENSIONS[fmt]) if filename else memo_filename(memo, fmt))
        for fmt in wanted
    }
    own_worker = None
    worker = pdf_worker
    if worker is None and "pdf" in wanted and len(wanted) > 1:
        worker = own_worker = PdfWorker.start()
    if worker is not None and "pdf" in wanted:
        worker.submit(memo, paths["pdf"])
    if charts:
        step += 1
        if progress:
            progress(t("memo.progress.charts", memo.lang), step, total)
        images, warning = static_images(memo)
        if warning:
            chart_note = t("memo.chart_not_drawn", memo.lang)
    results: list[RenderResult] = []
    for fmt in wanted:
        path = paths[fmt]
        step += 1
        if progress:
            progress(t("memo.progress.write", memo.lang, file=path.name), step, total)
        if fmt == "pdf" and worker is not None:
            results.append(RenderResult(fmt, path))
            continue
        data = memo_bytes(memo, fmt, images=images, chart_note=chart_note, interactive=interactive)
        _write_atomic(path, data)
        warnings = (warning,) if warning and fmt == "docx" else ()
        results.append(RenderResult(fmt, path, warnings))
    if own_worker is not None:
        own_worker.wait()
    return results


class PdfWorker:
    """A second process that writes PDF memos while this one writes the other formats.

    Started before the memo is built (:meth:`start`), it loads WeasyPrint
    meanwhile; :meth:`submit` hands it a memo and its file, :meth:`wait`
    waits until every PDF submitted is written and raises the first error,
    with its message.

    >>> worker = PdfWorker.start()   # None: one CPU, or no fork  # doctest: +SKIP
    >>> render_memo(memo, "pdf", out, pdf_worker=worker); worker.wait()  # doctest: +SKIP
    """

    def __init__(self, process: Any, conn: Any) -> None:
        self._process = process
        self._conn = conn
        self._pending = 0

    @classmethod
    def start(cls) -> PdfWorker | None:
        """Fork the worker; None where that cannot help or work (one CPU, no ``fork``)."""
        import multiprocessing
        import os

        if (os.cpu_count() or 1) < 2 or os.environ.get("VLR_MEMO_SINGLE_PROCESS"):
            return None
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:
            return None
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_pdf_worker, args=(theirs,), name="vlr-memo-pdf", daemon=True
        )
        process.start()
        theirs.close()
        return cls(process, ours)

    def submit(self, memo: Memo, path: Path) -> None:
        """Have the worker write ``memo`` as a PDF at ``path``."""
        self._conn.send((memo, str(path)))
        self._pending += 1

    def wait(self) -> None:
        """Wait for every PDF submitted; raise the first error a PDF met."""
        errors: list[tuple[bool, str]] = []
        try:
            self._conn.send(None)
            for _ in range(self._pending):
                outcome = self._conn.recv()
                if outcome is not None:
                    errors.append(outcome)
        except (EOFError, OSError):
            errors.append((False, "the process writing the PDF memos stopped without a word"))
        finally:
            self._pending = 0
            self._conn.close()
            self._process.join()
        if errors:
            missing, message = errors[0]
            raise (MissingComponentError if missing else MemoError)(message)


def _pdf_worker(conn: Any) -> None:
    """The worker's loop: load WeasyPrint, then write each (memo, path) it is sent."""
    try:
        import weasyprint  # noqa: F401 - loaded while the parent builds the memo
    except (ImportError, OSError):
        pass  # the PDF itself then says what is missing
    while True:
        job = conn.recv()
        if job is None:
            break
        memo, path = job
        try:
            _write_atomic(Path(path), memo_bytes(memo, "pdf"))
            conn.send(None)
        except BaseException as exc:  # reported to the parent, which raises it
            conn.send((isinstance(exc, MissingComponentError), f"{exc}"))
    conn.close()


def _write_atomic(path: Path, data: bytes) -> None:
    # Write beside the target and rename, so a reader (or a crash) never sees
    # half a memo where the previous complete one was.
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def parse_list(text: str | Iterable[str] | None, default: Sequence[str]) -> list[str]:
    """``"en,ja"`` -> ``["en", "ja"]``; None -> ``default``."""
    if text is None:
        return list(default)
    items = text.split(",") if isinstance(text, str) else [str(x) for x in text]
    return [i.strip() for i in items if i.strip()]
