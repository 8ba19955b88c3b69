"""Render a :class:`~vlr_tools.memo.model.Memo` as one self-contained HTML file.

Two variants come from one Jinja2 template (``templates/memo/memo.html.j2``):

* **interactive** (``static=False``): plotly.js is embedded once, inline, from
  the plotly package, so the charts are interactive offline and in an e-mailed
  file; every chart also has its data table in a ``<details>`` element;
* **print** (``static=True``): charts are images given as ``data:`` URIs (or a
  note and the data table when none could be drawn); WeasyPrint turns this
  variant into the PDF.

Nothing in either variant points outside the file: no CDN, no web font, no
external stylesheet. Autoescaping is on for every value; the only strings
marked safe are our own CSS, plotly.js and chart JSON (with ``<``, ``>`` and
``&`` written as JSON escapes so no text inside can close the script element).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..i18n import t
from .model import Chart, Memo, Section

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

FONT_STACKS = {
    "en": '"Noto Sans", "Segoe UI", "Helvetica Neue", Arial, "Noto Sans CJK JP", '
    '"Hiragino Sans", "Yu Gothic", Meiryo, sans-serif',
    "ja": '"Noto Sans CJK JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", '
    'Meiryo, "Noto Sans", Arial, sans-serif',
}


#: Fonts for the PDF: only the ones ./scripts/setup installs (fonts-noto-core,
#: fonts-noto-cjk). A shorter list also makes WeasyPrint's font matching faster.
PRINT_FONT_STACKS = {
    "en": '"Noto Sans", "Noto Sans CJK JP", sans-serif',
    "ja": '"Noto Sans CJK JP", "Noto Sans", sans-serif',
}


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "memo")),
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=False,
        undefined=jinja2.StrictUndefined,
    )


@lru_cache(maxsize=4)
def _css(lang: str, static: bool) -> str:
    css = (TEMPLATES_DIR / "memo" / "memo.css").read_text(encoding="utf-8")
    if static:
        css += "\n" + (TEMPLATES_DIR / "memo" / "print.css").read_text(encoding="utf-8")
    # Substituted rather than left as a CSS variable: WeasyPrint's page-margin
    # boxes do not inherit custom properties from the root element.
    stacks = PRINT_FONT_STACKS if static else FONT_STACKS
    return css.replace("var(--font-stack)", stacks.get(lang, stacks["en"]))


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundled with the plotly package, for inline embedding."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    text = path.read_text(encoding="utf-8")
    # The file is inlined in a <script> element: a literal "</script" inside it
    # would end the element early. plotly.min.js has none today; keep it so.
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def chart_json(chart: Chart) -> Markup:
    """The chart's figure as JSON safe to place inside a ``<script>`` element."""
    text = json.dumps(json.loads(chart.figure), ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _anchor(section: Section) -> str:
    return "sec-" + re.sub(r"[^a-z0-9-]+", "-", section.key.lower()).strip("-")


def labels(lang: str) -> dict[str, str]:
    """Fixed words the renderers place around the model's content."""
    keys = (
        "contents",
        "evidence",
        "priority",
        "comment",
        "recommendation",
        "note",
        "data_table",
        "chart_missing",
        "colophon",
        "sep",
    )
    return {k: t(f"memo.label.{k}", lang) for k in keys}


def render_html(
    memo: Memo,
    *,
    static: bool = False,
    images: Mapping[str, str | None] | None = None,
    chart_note: str | None = None,
) -> str:
    """Return the memo as HTML text.

    ``static`` selects the print variant; ``images`` then maps chart keys to
    ``data:`` URIs (missing keys get a note and the chart's data table).
    ``chart_note`` replaces the default note for charts that were not drawn.
    """
    template = _environment().get_template("memo.html.j2")
    words = labels(memo.lang)
    if chart_note:
        words["chart_missing"] = chart_note
    return template.render(
        memo=memo,
        static=static,
        images=dict(images or {}),
        labels=words,
        css=Markup(_css(memo.lang, static)),
        plotly_js=None if static or not any(True for _ in memo.charts()) else Markup(plotly_js()),
        anchor=_anchor,
        kind_of=lambda block: type(block).__name__,
        chart_json=chart_json,
        comment_label=lambda who: comment_label(who, memo.lang),
    )


def comment_label(who: str, lang: str) -> str:
    """ "Comment" or "Comment by Reviewer A": the label before a reviewer's comment."""
    return t("memo.label.comment_by", lang, who=who) if who else t("memo.label.comment", lang)


def write_html(memo: Memo, path: Path) -> Path:
    """Write the interactive, self-contained HTML memo to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(memo), encoding="utf-8")
    return path
