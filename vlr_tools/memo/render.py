"""Write a memo in one or several formats, sharing the chart pictures.

Every format draws its charts without a browser: HTML as inline SVG, PDF as
the same SVG (vector images with their alt text), Markdown as the data table,
DOCX as PNG pictures rasterised from the SVG (:mod:`.static`). When the DOCX
pictures cannot be drawn the DOCX is still written, each chart replaced by a
note and its data table, and the result carries a warning saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

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
) -> list[RenderResult]:
    """Write ``memo`` in each of ``formats`` into the folder ``out``.

    ``formats`` is one name or several (``"html"``, ``("pdf", "docx")``...);
    files are named by :func:`memo_filename` unless ``filename`` (a stem)
    is given. ``interactive`` makes the HTML memo embed plotly.js (for
    reviewers) instead of inline SVG charts. ``progress(step, done, total)``
    is called before each step.

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
    # The PDF takes longer than the other three formats together: with other
    # formats to write, it is written by a second process meanwhile.
    pdf_job = _start_pdf(memo, paths["pdf"]) if "pdf" in wanted and len(wanted) > 1 else None
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
        if fmt == "pdf" and pdf_job is not None:
            results.append(RenderResult(fmt, path))
            continue
        data = memo_bytes(memo, fmt, images=images, chart_note=chart_note, interactive=interactive)
        _write_atomic(path, data)
        warnings = (warning,) if warning and fmt == "docx" else ()
        results.append(RenderResult(fmt, path, warnings))
    if pdf_job is not None:
        pdf_job()
    return results


def _start_pdf(memo: Memo, path: Path) -> Callable[[], None] | None:
    """Write the PDF memo in a forked process; returns the function that waits for it.

    None where that cannot help or work (one CPU, no ``fork``): the PDF is then
    written in turn. An error in the child is raised again by the waiting
    function, with its message.
    """
    import multiprocessing
    import os

    if (os.cpu_count() or 1) < 2 or os.environ.get("VLR_MEMO_SINGLE_PROCESS"):
        return None
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return None
    reader, writer = context.Pipe(duplex=False)

    def work() -> None:
        try:
            _write_atomic(path, memo_bytes(memo, "pdf"))
            writer.send(None)
        except BaseException as exc:  # reported to the parent, which raises it
            writer.send((isinstance(exc, MissingComponentError), f"{exc}"))

    process = context.Process(target=work, name="vlr-memo-pdf", daemon=True)
    process.start()
    writer.close()

    def wait() -> None:
        try:
            outcome = reader.recv()
        except EOFError:
            outcome = (False, f"the process writing {path.name} stopped without a word")
        process.join()
        reader.close()
        if outcome is not None:
            missing, message = outcome
            raise (MissingComponentError if missing else MemoError)(message)

    return wait


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
