"""Helpers every notebook and widget shares: clear errors, progress, charts, the review.

Errors
    The library raises :class:`~vlr_tools.errors.VlrError` with a message that
    says what is wrong, where and what is allowed. A widget shows that message
    in a :class:`MessageArea` (an HTML widget) through :func:`guard`; a notebook
    cell shows it as a red box once :func:`setup_notebook` has run, instead of
    a page of traceback. The cell still counts as failed, so a headless run
    (papermill) stops there.

Progress
    :class:`ProgressBar` is a bar and a line of text. It can be passed
    wherever the library takes a ``progress(step, done, total)`` callback
    (e.g. :func:`vlr_tools.memo.render_memo`).

Charts (a deliberate choice; see STACK_NOTES "the chart disappears from export")
    plotly's default notebook output holds only plotly's JSON mime type, which
    JupyterLab and Voila draw (through the jupyterlab-plotly extension
    installed in the venv) but nbconvert drops: the chart silently vanishes
    from an HTML or PDF export. :func:`show_figure` therefore displays one
    bundle with two representations:

    - ``application/vnd.plotly.v1+json``: used by JupyterLab and Voila (the
      extension is served from the venv, nothing from the internet) and by
      :func:`vlr_tools.memo.export_notebook_report`;
    - ``text/html``: a ``<div>`` and a script that draws the same figure with
      ``window.Plotly``; nbconvert keeps this one. The plotly.js library itself
      is put into the notebook **once**, by :func:`setup_notebook` in the first
      cell, inline (about 4.6 MB of output, never committed: notebooks are
      stored without outputs). So an exported notebook shows interactive
      charts offline, and a notebook copied to a workshop laptop needs no CDN.

    The workshop app (Voila) skips the inline library (``charts="live"``): it
    draws through the extension only, which keeps the page light.

The review
    :func:`open_session` turns a notebook's parameters (city, version,
    language, reviewer, workspace folder) into an open workspace and the
    review the notebook works on, creating the review the first time.
"""

from __future__ import annotations

import html
import json
import logging
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..errors import Problem, ProblemsError, VlrError
from ..i18n import check_lang, t
from ..paths import EXPORTS_DIR

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

    from ..review import OpenReview
    from ..workspace import Review, Workspace
    from ..workspace.cities import CityProfile

__all__ = [
    "HANDLED_ERRORS",
    "PLOTLY_MIME",
    "MessageArea",
    "NotebookSession",
    "ProgressBar",
    "error_html",
    "error_message",
    "figure_bundle",
    "guard",
    "notebook_paths",
    "open_session",
    "plotly_library_bundle",
    "problems_frame",
    "setup_notebook",
    "show_error",
    "show_figure",
    "show_table",
    "table_html",
    "warm_up_charts",
    "written_frame",
]

log = logging.getLogger(__name__)

PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: Errors a notebook shows as a message rather than a traceback: the library's
#: own, plus the built-in ones a typo in a parameter cell raises (an unknown
#: language is a ValueError, a missing file an OSError).
HANDLED_ERRORS: tuple[type[BaseException], ...] = (VlrError, ValueError, LookupError, OSError)
#: Plotly's own configuration for every chart: no logo, no link to the cloud.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "showLink": False}

_ERROR_STYLE = (
    "border-left:4px solid #b71c1c;background:#fdecea;color:#5f1111;"
    "padding:8px 12px;margin:6px 0;white-space:pre-wrap;font-family:inherit"
)
_COLOURS = {"info": "#0d47a1", "ok": "#1b5e20", "warn": "#8a5300"}


# --------------------------------------------------------------------------- errors


def error_message(exc: BaseException, lang: str = "en") -> str:
    """The text a reviewer sees for ``exc``: the library's message, never a traceback.

    A :class:`~vlr_tools.errors.VlrError` already says what, where and what is
    allowed; a built-in error gets its type name in front; anything else is
    called unexpected (it is a bug) and says that nothing saved was lost.
    """
    if isinstance(exc, VlrError):
        return str(exc)
    if isinstance(exc, HANDLED_ERRORS):
        text = str(exc)
        if isinstance(exc, KeyError) and exc.args:
            text = str(exc.args[0])
        return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return t("widgets.error.unexpected", lang, name=f"{type(exc).__name__}: {exc}")


def error_html(exc: BaseException, lang: str = "en") -> str:
    """``exc`` as a red message box; all text escaped (it may quote user input)."""
    title = html.escape(t("widgets.error.title", lang))
    if isinstance(exc, ProblemsError) and exc.problems:
        items = "".join(f"<li>{html.escape(str(p))}</li>" for p in exc.problems[:50])
        more = len(exc.problems) - 50
        tail = f"<li>… {more} more</li>" if more > 0 else ""
        body = f"{html.escape(exc.summary)}<ul style='margin:4px 0'>{items}{tail}</ul>"
    else:
        body = html.escape(error_message(exc, lang))
    return (
        f"<div class='vlr-error' role='alert' style='{_ERROR_STYLE}'><b>{title}</b><br>{body}</div>"
    )


def show_error(exc: BaseException, lang: str = "en") -> None:
    """Display ``exc`` as a message box in the current cell output."""
    from IPython.display import HTML, display

    display(HTML(error_html(exc, lang)))


class MessageArea:
    """An HTML widget for outcomes and errors of a widget's actions.

    >>> area = MessageArea("ja")
    >>> area.ok("保存しました")
    >>> "保存しました" in area.widget.value
    True
    """

    def __init__(self, lang: str = "en") -> None:
        self.lang = check_lang(lang)
        self.widget = w.HTML(value="")
        self.widget.add_class("vlr-messages")
        #: The last error shown (None after a success); tests read it.
        self.last_error: BaseException | None = None

    @property
    def value(self) -> str:
        return str(self.widget.value)

    def clear(self) -> None:
        self.widget.value = ""
        self.last_error = None

    def error(self, exc: BaseException) -> None:
        self.last_error = exc
        self.widget.value = error_html(exc, self.lang)

    def _say(self, kind: str, text: str, *, escape: bool = True) -> None:
        self.last_error = None
        body = html.escape(text) if escape else text
        self.widget.value = (
            f"<div class='vlr-{kind}' style='color:{_COLOURS[kind]};margin:4px 0'>{body}</div>"
        )

    def info(self, text: str) -> None:
        self._say("info", text)

    def ok(self, text: str) -> None:
        self._say("ok", text)

    def warn(self, text: str) -> None:
        self._say("warn", text)


@contextmanager
def guard(area: MessageArea, progress: ProgressBar | None = None) -> Iterator[None]:
    """Run a widget action; show any error in ``area`` instead of raising it.

    Used around everything a button or dropdown triggers: an observer that
    raises would print a traceback into a log panel no reviewer looks at.
    Unexpected errors are also logged with their traceback for the maintainers.
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - every error must reach the reviewer as a message
        if not isinstance(exc, HANDLED_ERRORS):
            log.exception("unexpected error in a workbench widget")
        area.error(exc)
        if progress is not None:
            progress.fail()


def _notebook_error_handler(lang: str) -> Any:
    def handler(shell: Any, etype: Any, value: BaseException, tb: Any, tb_offset: Any = None):
        show_error(value, lang)
        if not isinstance(value, VlrError):
            # A built-in error may be a bug: keep its traceback for the maintainers,
            # in the terminal that runs Jupyter (not in the reviewer's notebook).
            import sys
            import traceback

            traceback.print_exception(etype, value, tb, file=sys.__stderr__)
        # One line instead of the traceback; the cell still fails (papermill stops).
        return [f"{etype.__name__}: {error_message(value, lang)}"]

    return handler


def problems_frame(*groups: Iterable[Problem], lang: str = "en") -> pd.DataFrame:
    """Problems (and warnings) of an import as a table a reviewer can sort and filter.

    Each argument is one group (e.g. ``result.problems, result.warnings``);
    the ``level`` column says which: ``problem`` for the first, ``warning``
    for the others. Columns: level, file, sheet, row, column, message,
    value, allowed.
    """
    import pandas as pd

    check_lang(lang)
    rows = []
    for n, group in enumerate(groups):
        for p in group:
            rows.append(
                {
                    "level": "problem" if n == 0 else "warning",
                    "file": p.file or "",
                    "sheet": p.sheet or "",
                    "row": p.row,
                    "column": p.column or "",
                    "message": p.message,
                    "value": "" if p.value is None else str(p.value),
                    "allowed": p.allowed or "",
                }
            )
    columns = ["level", "file", "sheet", "row", "column", "message", "value", "allowed"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["row"] = frame["row"].astype("Int64")
    return frame


def written_frame(results: Iterable[Any]) -> pd.DataFrame:
    """Files written (memo render results or paths): format, file, folder, size, warnings."""
    import pandas as pd

    rows = []
    for r in results:
        path = Path(getattr(r, "path", r))
        rows.append(
            {
                "format": getattr(r, "format", path.suffix.lstrip(".")),
                "file": path.name,
                "folder": str(path.parent),
                "size_kb": round(path.stat().st_size / 1024, 1) if path.is_file() else None,
                "warnings": "; ".join(getattr(r, "warnings", ()) or ()),
            }
        )
    return pd.DataFrame(rows, columns=["format", "file", "folder", "size_kb", "warnings"])


_TABLE_STYLE = (
    "<style>.vlr-table{border-collapse:collapse;font-size:13px;margin:4px 0}"
    ".vlr-table th,.vlr-table td{border:1px solid #d0d5dd;padding:3px 6px;text-align:left;"
    "vertical-align:top;white-space:normal;max-width:32em}"
    ".vlr-table th{background:#f3f5f8}</style>"
)


def table_html(frame: pd.DataFrame) -> str:
    """``frame`` as an HTML table a reviewer reads: empty cells instead of ``<NA>``/``NaN``,
    whole texts (wrapped, never cut with "…"), everything escaped."""
    import pandas as pd

    shown = frame.astype(object).where(frame.notna(), "")
    with pd.option_context("display.max_colwidth", None):
        body = shown.to_html(index=False, escape=True, na_rep="", classes="vlr-table", border=0)
    return _TABLE_STYLE + body


def show_table(frame: pd.DataFrame) -> None:
    """Display ``frame`` with :func:`table_html` in the current cell (notebooks)."""
    from IPython.display import HTML, display

    display(HTML(table_html(frame)))


# --------------------------------------------------------------------------- progress


class ProgressBar:
    """A progress bar with a line of text, usable as a ``progress(step, done, total)`` callback.

    >>> bar = ProgressBar()
    >>> bar("Writing memo", 1, 2)
    >>> (bar.bar.value, bar.bar.max)
    (1, 2)
    """

    def __init__(self, lang: str = "en", *, width: str = "24em") -> None:
        self.lang = check_lang(lang)
        self.bar = w.IntProgress(min=0, max=1, value=0, layout=w.Layout(width=width))
        self.label = w.HTML(value="")
        self.widget = w.HBox([self.bar, self.label], layout=w.Layout(align_items="center"))
        self.widget.add_class("vlr-progress")
        #: Every step text shown, in order (tests and logs read it).
        self.steps: list[str] = []

    def start(self, total: int, text: str = "") -> None:
        """Begin a task of ``total`` steps."""
        self.bar.bar_style = "info"
        self.bar.max = max(int(total), 1)
        self.bar.value = 0
        self._text(text or t("widgets.progress.working", self.lang))

    def __call__(self, step: str, done: int, total: int) -> None:
        self.bar.bar_style = "info"
        self.bar.max = max(int(total), 1)
        # ``done`` counts the step that is starting: show the ones before it as done.
        self.bar.value = max(0, min(int(done) - 1, self.bar.max))
        self.steps.append(step)
        self._text(step)

    def advance(self, text: str) -> None:
        """Mark one more step done and show ``text``."""
        self.bar.value = min(self.bar.value + 1, self.bar.max)
        self.steps.append(text)
        self._text(text)

    def finish(self, text: str = "") -> None:
        self.bar.value = self.bar.max
        self.bar.bar_style = "success"
        self._text(text or t("widgets.progress.done", self.lang))

    def fail(self, text: str = "") -> None:
        self.bar.bar_style = "danger"
        self._text(text or t("widgets.progress.failed", self.lang))

    def _text(self, text: str) -> None:
        self.label.value = f"<span style='margin-left:8px'>{html.escape(text)}</span>"


# --------------------------------------------------------------------------- charts


def _figure_dict(fig: go.Figure | dict[str, Any]) -> dict[str, Any]:
    if isinstance(fig, dict):
        return json.loads(json.dumps(fig))
    # to_json uses plotly's encoder (numpy arrays, dates) and gives plain JSON.
    return json.loads(fig.to_json())


def _script_json(spec: dict[str, Any]) -> str:
    # Written as JSON escapes so that no text in the figure can close the <script>.
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def figure_bundle(fig: go.Figure | dict[str, Any], *, html_fallback: bool = True) -> dict[str, Any]:
    """The display bundle of a plotly figure (see the module docstring).

    Keys: ``application/vnd.plotly.v1+json`` (the figure), ``text/html`` (a
    div drawn by ``window.Plotly``, unless ``html_fallback`` is False) and
    ``text/plain`` (the chart's title).
    """
    spec = _figure_dict(fig)
    data = spec.get("data", [])
    layout = spec.get("layout", {})
    title = layout.get("title", {})
    name = title.get("text", "") if isinstance(title, dict) else str(title or "")
    plain = re.sub(r"<[^>]+>", "", html.unescape(str(name))) or "plotly chart"
    bundle: dict[str, Any] = {
        PLOTLY_MIME: {"data": data, "layout": layout, "config": PLOTLY_CONFIG},
        "text/plain": f"<chart: {plain}>",
    }
    if html_fallback:
        div = f"vlr-plot-{uuid.uuid4().hex[:12]}"
        payload = _script_json({"data": data, "layout": layout, "config": PLOTLY_CONFIG})
        height = int(layout.get("height") or 450)
        bundle["text/html"] = (
            f'<div id="{div}" class="vlr-plot" style="min-height:{height}px"></div>'
            '<script type="text/javascript">(function(){'
            f'var s={payload};var el=document.getElementById("{div}");'
            "if(!el){return;}"
            "if(window.Plotly){window.Plotly.newPlot(el,s.data,s.layout,s.config);}"
            "else{el.style.minHeight='0';el.textContent='Chart not drawn: plotly.js is loaded "
            "by the first cell of the notebook (vlr_tools.widgets.setup_notebook).';}"
            "})();</script>"
        )
    return bundle


def plotly_library_bundle(lang: str = "en") -> dict[str, Any]:
    """A display bundle that loads the bundled plotly.js inline, hiding AMD ``define``.

    nbconvert's stock HTML templates load require.js; a plotly.js bundle with
    an AMD wrapper (plotly.js 2.x does; 4.x does not) would then register
    itself as an anonymous AMD module instead of ``window.Plotly``, so
    ``define`` is hidden while it loads.
    """
    from plotly.offline import get_plotlyjs

    library = re.sub(r"</(script)", r"<\\/\1", get_plotlyjs(), flags=re.IGNORECASE)
    note = t("widgets.charts.ready", lang)
    return {
        "text/html": (
            "<script type='text/javascript'>window.__vlrDefine=window.define;"
            "window.define=undefined;</script>"
            f"<script type='text/javascript' class='vlr-plotlyjs'>{library}</script>"
            "<script type='text/javascript'>window.define=window.__vlrDefine;</script>"
            f"<div class='vlr-note' style='color:#555;font-size:90%'>{html.escape(note)}</div>"
        ),
        "text/plain": note,
    }


def show_figure(
    fig: go.Figure | dict[str, Any], *, html_fallback: bool = True, output: w.Output | None = None
) -> None:
    """Display a plotly figure so that it shows live, in Voila and in exports.

    With ``output`` the chart replaces what that Output widget showed. It is
    set as the widget's ``outputs`` state rather than captured with ``with
    output:``, so it works the same from a button callback, a thread or a
    test without a kernel. Without ``output`` it goes to the cell's output
    (nothing happens outside IPython).
    """
    bundle = figure_bundle(fig, html_fallback=html_fallback)
    if output is not None:
        output.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)
        return
    from IPython import get_ipython
    from IPython.display import display

    if get_ipython() is not None:
        display(bundle, raw=True)


def _register_renderer() -> None:
    """Make ``fig.show()`` and a bare ``fig`` at the end of a cell use :func:`figure_bundle`."""
    import plotly.io as pio

    try:
        from plotly.io._base_renderers import MimetypeRenderer
    except ImportError:  # plotly moved its renderer base: keep plotly's default
        return

    class _VlrRenderer(MimetypeRenderer):  # type: ignore[misc]
        def to_mimebundle(self, fig_dict: dict[str, Any]) -> dict[str, Any]:
            return figure_bundle(fig_dict)

    pio.renderers["vlr"] = _VlrRenderer()
    pio.renderers.default = "vlr"


def setup_notebook(lang: str = "en", *, charts: str = "export") -> None:
    """Prepare a notebook: errors as messages, charts that survive export.

    Call it once in the first code cell after the parameters. ``charts`` is
    ``"export"`` (notebooks: plotly.js inline once, so exported HTML shows the
    charts offline) or ``"live"`` (the Voila app: drawn by the local
    jupyterlab-plotly extension only).
    """
    from IPython import get_ipython
    from IPython.display import display

    check_lang(lang)
    if charts not in ("export", "live"):
        raise ValueError(f"charts={charts!r}; allowed: export, live")
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc(HANDLED_ERRORS, _notebook_error_handler(lang))
    _register_renderer()
    if charts == "export":
        display(plotly_library_bundle(lang), raw=True)


def warm_up_charts(formats: str | Iterable[str] = ("pdf", "docx")) -> bool:
    """Load the libraries that draw the memo's chart pictures, in the background.

    The PDF and DOCX memos are drawn with WeasyPrint (about a second to load);
    loading it while the reviewer reads the preview saves that wait. Does
    nothing (and returns False) unless ``formats`` (a list or ``"html,pdf"``)
    includes pdf or docx.
    """
    import threading

    wanted = {
        f.strip().lower() for f in (formats.split(",") if isinstance(formats, str) else formats)
    }
    if not wanted & {"pdf", "docx"}:
        return False
    from ..memo.static import warm_up

    threading.Thread(target=warm_up, name="vlr-chart-warm-up", daemon=True).start()
    return True


# --------------------------------------------------------------------------- the review


@dataclass(frozen=True)
class NotebookSession:
    """What a notebook works on: the workspace, the review, the city and the output folder."""

    ws: Workspace
    review: Review
    city: CityProfile
    version: str
    lang: str
    reviewer: str
    exports: Path

    @property
    def review_id(self) -> str:
        return self.review.id

    @cached_property
    def opened(self) -> OpenReview:
        """The review with its stored draft, indicator table and consultations."""
        from ..review import OpenReview

        return OpenReview(self.ws, self.review)

    def describe(self) -> str:
        """One line: which review, city, draft and workspace."""
        return t(
            "widgets.session.opened",
            self.lang,
            review=self.review.id,
            city=self.city.name,
            version=self.version,
            workspace=self.ws.location,
        )

    def __repr__(self) -> str:
        return f"<NotebookSession: {self.describe()}>"

    def _repr_html_(self) -> str:
        note = t("common.illustrative_note", self.lang) if self.city.illustrative else ""
        return (
            f"<div class='vlr-session'>{html.escape(self.describe())}"
            + (f"<br><i style='color:#8a5300'>{html.escape(note)}</i>" if note else "")
            + "</div>"
        )


def notebook_paths(
    workspace: str | Path | None = "", exports: str | Path | None = ""
) -> tuple[Path | str | None, Path]:
    """The workspace location and export folder a notebook's parameters mean.

    An empty workspace means what the ``vlr`` command uses:
    ``$VLR_DATABASE_URL``, else ``$VLR_WORKSPACE_DIR``, else ``data/workspace``
    (returned as None, resolved by :func:`~vlr_tools.workspace.open_workspace`),
    so a rating made in a notebook is the one ``vlr memo`` sees. An empty
    export folder means ``exports/``. A workspace may be a database URL.
    """
    ws_location: Path | str | None
    if workspace and "://" in str(workspace):
        ws_location = str(workspace)
    else:
        ws_location = Path(workspace).expanduser() if workspace else None
    out = Path(exports).expanduser() if exports else EXPORTS_DIR
    return ws_location, out


def open_session(
    city: str = "",
    version: str | None = None,
    lang: str = "en",
    reviewer: str = "",
    workspace: str | Path | None = "",
    exports: str | Path | None = "",
    *,
    template: str = "full",
    new: bool = False,
    review_id: str = "",
) -> NotebookSession:
    """Open the workspace and the review a notebook works on.

    ``review_id`` names any review (a real city's). Without it, ``city`` is
    the shortcut for the sample cities: the newest review of that city's
    draft ``version`` in the workspace, else (or with ``new=True``) a new one
    started through the intake with checklist ``template``. Errors name the
    allowed values (cities, versions, languages).
    """
    from ..intake import require_sample, start_sample_review
    from ..review import resolve_review
    from ..workspace import open_workspace

    check_lang(lang)
    location, out = notebook_paths(workspace, exports)
    if review_id:
        ws = open_workspace(location, reviewer=reviewer or None)
        opened = resolve_review(ws, review_id)
    else:
        require_sample(city, version or None)
        if isinstance(location, Path):
            location.mkdir(parents=True, exist_ok=True)
        ws = open_workspace(location, reviewer=reviewer or None)
        found = None if new else ws.find_review(city, version or None)
        if found is None:
            who = ws.reviewer or ""
            found = start_sample_review(
                ws, city, version or None, reviewers=(who,) if who else (), template=template
            )
        opened = resolve_review(ws, found.id)
    out.mkdir(parents=True, exist_ok=True)
    profile = opened.city or ws.city(opened.slug)
    return NotebookSession(
        ws=ws,
        review=opened.record,
        city=profile,
        version=opened.version,
        lang=lang,
        reviewer=ws.reviewer or "",
        exports=out,
    )
