"""Render a :class:`~vlr_tools.memo.model.Memo` as one self-contained HTML file.

Three variants come from one Jinja2 template (``templates/memo/memo.html.j2``):

* **static** (the default, what a partner city opens): charts are inline SVG
  drawn at build time (:mod:`vlr_tools.memo.svg`), each with its data table;
  no script at all, a few hundred kilobytes, readable on a phone (wide
  tables and charts scroll sideways) and printable;
* **interactive** (``vlr memo --interactive``, for reviewers): plotly.js is
  embedded once, inline, from the plotly package, so the charts are
  interactive offline (about 5 MB);
* **print**: charts are images given as ``data:`` URIs with their text
  alternative (or a note and the data table when none could be drawn);
  WeasyPrint turns this variant into the tagged PDF.

Nothing in any variant points outside the file: no CDN, no web font, no
external stylesheet. Autoescaping is on for every value; the only strings
marked safe are our own CSS, the SVG we draw (every text in it escaped by
:mod:`.svg`), plotly.js and chart JSON (with ``<``, ``>`` and ``&`` written
as JSON escapes so no text inside can close the script element).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .model import Chart, Memo, Section
from .svg import chart_svg
from .words import comment_label, labels

#: The HTML variants (see the module docstring).
VARIANTS = ("static", "interactive", "print")

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


#: Characters HTML forbids in a document (the Nu Html Checker reports each one):
#: C0 controls other than tab, line feed and carriage return, and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(value: object) -> object:
    """Every value the template prints, without forbidden control characters.

    Markup (our CSS, the SVG, plotly.js) passes through: it is cleaned where
    it is made."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return CONTROL.sub("", value)
    return value


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "memo")),
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=False,
        undefined=jinja2.StrictUndefined,
        finalize=strip_controls,
    )


@lru_cache(maxsize=4)
def _css(lang: str, for_print: bool) -> str:
    css = (TEMPLATES_DIR / "memo" / "memo.css").read_text(encoding="utf-8")
    if for_print:
        css += "\n" + (TEMPLATES_DIR / "memo" / "print.css").read_text(encoding="utf-8")
    # Substituted rather than left as a CSS variable: WeasyPrint's page-margin
    # boxes do not inherit custom properties from the root element.
    stacks = PRINT_FONT_STACKS if for_print else FONT_STACKS
    return css.replace("var(--font-stack)", stacks.get(lang, stacks["en"]))


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundled with the plotly package, for inline embedding."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    text = path.read_text(encoding="utf-8")
    # The file is inlined in a <script> element: a literal "</script" inside it
    # would end the element early. plotly.min.js has none today; keep it so.
    text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    # plotly.min.js holds a few raw control characters (U+0001, U+001A) inside
    # string and regex literals, which HTML forbids; "\uXXXX" means the same there.
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def chart_json(chart: Chart) -> Markup:
    """The chart's figure as JSON safe to place inside a ``<script>`` element."""
    text = json.dumps(json.loads(chart.figure), ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _anchor(section: Section) -> str:
    return "sec-" + re.sub(r"[^a-z0-9-]+", "-", section.key.lower()).strip("-")


def render_html(
    memo: Memo,
    *,
    variant: str = "static",
    images: Mapping[str, str | None] | None = None,
    chart_note: str | None = None,
) -> str:
    """Return the memo as HTML text in ``variant`` ("static", "interactive" or "print").

    For "print", ``images`` maps chart keys to ``data:`` URIs (missing keys
    get a note and the chart's data table); ``chart_note`` replaces the
    default note for charts that were not drawn.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown HTML variant {variant!r}; allowed: {', '.join(VARIANTS)}")
    template = _environment().get_template("memo.html.j2")
    words = labels(memo.lang)
    if chart_note:
        words["chart_missing"] = chart_note
    interactive = variant == "interactive" and any(True for _ in memo.charts())
    return template.render(
        memo=memo,
        variant=variant,
        images=dict(images or {}),
        labels=words,
        css=Markup(_css(memo.lang, variant == "print")),
        plotly_js=Markup(plotly_js()) if interactive else None,
        svg=lambda chart, ident: Markup(chart_svg(chart, lang=memo.lang, ident=ident)),
        anchor=_anchor,
        kind_of=lambda block: type(block).__name__,
        chart_json=chart_json,
        comment_label=lambda who: comment_label(who, memo.lang),
    )


def write_html(memo: Memo, path: Path, *, interactive: bool = False) -> Path:
    """Write the self-contained HTML memo (SVG charts, or plotly with ``interactive``) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    variant = "interactive" if interactive else "static"
    path.write_text(render_html(memo, variant=variant), encoding="utf-8")
    return path
