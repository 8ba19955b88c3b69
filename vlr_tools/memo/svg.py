"""Draw a memo chart as SVG, in Python, from its :class:`~vlr_tools.memo.model.Plot`.

The memo a city opens carries its charts as inline SVG: no script, no
browser at build time, a few kilobytes per chart, crisp at any zoom and in
print. The same SVG is the chart image of the PDF (as an ``<img>`` with its
text alternative, so the tagged PDF's figure carries it) and, rasterised by
:mod:`vlr_tools.memo.static`, the picture in the DOCX.

Only bar charts are needed: columns (the 17 goals), horizontal bars
(stakeholder groups, IAP2 levels) and stacked horizontal bars (ratings by
checklist area). Every piece of text is escaped for XML here; the labels come
from data (area names, stakeholder groups) and from the UI strings.

>>> from vlr_tools.memo.svg import chart_svg          # doctest: +SKIP
>>> chart_svg(memo_chart, ident="chart-sdg-coverage")  # doctest: +SKIP
'<svg xmlns="http://www.w3.org/2000/svg" ...'
"""

from __future__ import annotations

import math
import re
import unicodedata
from html import escape

from ..charts import FONT_FAMILY
from .model import Chart, Plot

INK = "#1b1f24"
MUTED = "#4a5561"
GRID = "#d5dbe2"
AXIS = "#8a94a3"
#: Width of every chart (SVG user units, i.e. CSS pixels at 100 %).
WIDTH = 720
#: Text sizes: labels and values, axis titles.
FONT = 13
SMALL = 12


def text_width(text: str, size: float = FONT) -> float:
    """About how wide ``text`` is at ``size`` px: CJK one em, Latin letters about half.

    Used only to lay out labels; a little generous, so that labels fit."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            width += 1.0
        elif ch == " ":
            width += 0.3
        elif ch in "ijlt.,:;'|!()[]":
            width += 0.32
        elif ch in "mwMW":
            width += 0.9
        elif ch.isupper() or ch.isdigit():
            width += 0.66
        else:
            width += 0.56
    return width * size


_UNITS = re.compile(
    r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff]+\s*|\s+"
)


def wrap(text: str, width: float, size: float = FONT, max_lines: int = 3) -> list[str]:
    """``text`` broken into lines of at most ``width`` px: at spaces, or between CJK characters.

    Beyond ``max_lines`` the last line ends with "…"."""
    lines: list[str] = []
    line = ""
    for unit in _UNITS.findall(" ".join(text.split())):
        if line and text_width((line + unit).rstrip(), size) > width:
            lines.append(line.rstrip())
            line = unit.lstrip()
        else:
            line += unit
        # A single word wider than the line: cut it.
        while text_width(line.rstrip(), size) > width and len(line) > 1:
            cut = len(line)
            while cut > 1 and text_width(line[:cut], size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip() + "…"]
    return lines or [""]


def nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten, at least 1) for about ``ticks`` ticks."""
    raw = max(top, 1.0) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * magnitude >= raw:
            return float(max(1.0, m * magnitude))
    return float(max(1.0, 10 * magnitude))  # pragma: no cover - the loop always returns


def axis_top(total: float, headroom: float = 1.0) -> tuple[float, float]:
    """(top of the value axis, tick step) for bars up to ``total``."""
    step = nice_step(total * headroom)
    return step * max(1, math.ceil(total * headroom / step)), step


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _x(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _e(text: object) -> str:
    # quote=True: the same helper fills attribute values. Control characters
    # are not allowed in XML (nor in HTML): dropped.
    return escape(_CONTROL.sub("", str(text)), quote=True)


def _font_family(lang: str) -> str:
    names = [n.strip() for n in FONT_FAMILY.get(lang, FONT_FAMILY["en"]).split(",")]
    return ", ".join(n if n in ("sans-serif", "serif") or " " not in n else f"'{n}'" for n in names)


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: float = FONT,
    fill: str = INK,
    bold: bool = False,
    extra: str = "",
) -> str:
    weight = ' font-weight="700"' if bold else ""
    size_attr = f' font-size="{_x(size)}"' if size != FONT else ""
    return (
        f'<text x="{_x(x)}" y="{_x(y)}" text-anchor="{anchor}" fill="{fill}"'
        f"{size_attr}{weight}{extra}>{_e(text)}</text>"
    )


def _triangle(cx: float, base_y: float, size: float = 9.0) -> str:
    half = size / 2
    return (
        f'<path d="M{_x(cx - half)} {_x(base_y)} L{_x(cx + half)} {_x(base_y)} '
        f'L{_x(cx)} {_x(base_y - size)} Z" fill="{INK}"/>'
    )


def chart_svg(chart: Chart, *, lang: str = "en", ident: str | None = None) -> str:
    """The chart as an ``<svg>`` element with its title and text alternative.

    ``ident`` gives the title and description element ids (and points
    ``aria-labelledby``/``aria-describedby`` at them) when the SVG is placed
    inline in an HTML page; without it the SVG stands alone (an image file).
    Raises ValueError for a chart without a plot.
    """
    plot = chart.plot
    if plot is None:
        raise ValueError(f"chart {chart.key!r} has no plot to draw")
    if plot.orientation == "columns":
        width, height, body = _columns(plot)
    else:
        width, height, body = _bars(plot)
    if ident:
        head = (
            f'<title id="{_e(ident)}-t">{_e(chart.title)}</title>'
            f'<desc id="{_e(ident)}-d">{_e(chart.alt)}</desc>'
        )
        aria = f' aria-labelledby="{_e(ident)}-t" aria-describedby="{_e(ident)}-d"'
    else:
        head = f"<title>{_e(chart.title)}</title><desc>{_e(chart.alt)}</desc>"
        aria = ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_x(width)} {_x(height)}" '
        f'width="{_x(width)}" height="{_x(height)}" role="img"{aria} '
        f'font-family="{_e(_font_family(lang))}" font-size="{FONT}">'
        f'{head}<rect width="{_x(width)}" height="{_x(height)}" fill="#ffffff"/>'
        + "".join(body)
        + "</svg>"
    )


def _totals(plot: Plot) -> list[float]:
    n = len(plot.categories)
    if plot.stacked:
        return [sum(s.values[i] for s in plot.series if i < len(s.values)) for i in range(n)]
    return [
        max((s.values[i] for s in plot.series if i < len(s.values)), default=0.0) for i in range(n)
    ]


def _legend(plot: Plot, width: float) -> tuple[float, list[str]]:
    """Swatches and names of the series, flowing over as many lines as needed."""
    named = [s for s in plot.series if s.name]
    if len(named) < 2 and not plot.stacked:
        return 0.0, []
    parts: list[str] = []
    x, y, line_h = 8.0, 14.0, 20.0
    for s in named:
        item = 16 + text_width(s.name, SMALL) + 18
        if x + item > width and x > 8:
            x, y = 8.0, y + line_h
        parts.append(
            f'<rect x="{_x(x)}" y="{_x(y - 10)}" width="12" height="12" fill="{s.colour(0)}"/>'
        )
        parts.append(_text(x + 16, y, s.name, size=SMALL))
        x += item
    return y + 10, parts


def _columns(plot: Plot) -> tuple[float, float, list[str]]:
    """Vertical bars, one per category (the 17 goals), values above, marked ones outlined."""
    width = float(WIDTH)
    left, right = 58.0, 12.0
    top = 40.0 if plot.marker_note else 16.0
    plot_h = 240.0
    bottom = 52.0 if plot.category_axis else 30.0
    height = top + plot_h + bottom
    totals = _totals(plot)
    ymax, step = axis_top(max(totals, default=0.0), 1.18)
    n = max(1, len(plot.categories))
    band = (width - left - right) / n
    bar_w = band * 0.66
    base = top + plot_h
    body: list[str] = []

    def y_of(v: float) -> float:
        return base - v / ymax * plot_h

    tick = 0.0
    while tick <= ymax + 1e-9:
        y = y_of(tick)
        body.append(
            f'<line x1="{_x(left)}" y1="{_x(y)}" x2="{_x(width - right)}" y2="{_x(y)}" '
            f'stroke="{GRID if tick else AXIS}" stroke-width="1"/>'
        )
        body.append(_text(left - 6, y + 4, number(tick), anchor="end", size=SMALL, fill=MUTED))
        tick += step
    for i, label in enumerate(plot.categories):
        x0 = left + i * band + (band - bar_w) / 2
        cum = 0.0
        marked = i in plot.marked
        for s in plot.series:
            v = s.values[i] if i < len(s.values) else 0.0
            if v <= 0:
                continue
            y1, y0 = y_of(cum + v), y_of(cum)
            stroke = f' stroke="{INK}" stroke-width="2"' if marked else ""
            body.append(
                f'<rect x="{_x(x0)}" y="{_x(y1)}" width="{_x(bar_w)}" height="{_x(y0 - y1)}" '
                f'fill="{s.colour(i)}"{stroke}/>'
            )
            cum = cum + v if plot.stacked else max(cum, v)
        cx = x0 + bar_w / 2
        label_y = y_of(totals[i]) - 5
        if totals[i]:
            body.append(_text(cx, label_y, number(totals[i]), anchor="middle", size=SMALL))
        if marked:
            body.append(_triangle(cx, label_y - (15 if totals[i] else 0)))
        body.append(_text(cx, base + 17, label, anchor="middle", bold=marked))
    if plot.category_axis:
        body.append(
            _text(
                left + (width - left - right) / 2, height - 8, plot.category_axis, anchor="middle"
            )
        )
    if plot.value_axis:
        cy = top + plot_h / 2
        body.append(
            _text(
                16,
                cy,
                plot.value_axis,
                anchor="middle",
                extra=f' transform="rotate(-90 16 {_x(cy)})"',
            )
        )
    if plot.marker_note:
        note_w = text_width(plot.marker_note, SMALL)
        x = width - right - note_w
        body.append(_triangle(x - 10, 18))
        body.append(_text(x, 18, plot.marker_note, size=SMALL))
    return width, height, body


def _bars(plot: Plot) -> tuple[float, float, list[str]]:
    """Horizontal bars, categories down the left (wrapped), stacked or with values outside."""
    width = float(WIDTH)
    legend_h, body = _legend(plot, width)
    longest = max((text_width(c) for c in plot.categories), default=0.0)
    label_w = min(longest + 4, width * 0.42)
    labels = [wrap(c, label_w) for c in plot.categories]
    line_h = 16.0
    rows_h = [max(28.0, len(lines) * line_h + 10) for lines in labels]
    x0 = 8 + label_w + 8
    right = 16.0 if plot.stacked else 40.0
    x1 = width - right
    top = legend_h + 10
    plot_h = sum(rows_h)
    bottom = 50.0 if plot.value_axis else 28.0
    height = top + plot_h + bottom
    totals = _totals(plot)
    xmax, step = axis_top(max(totals, default=0.0), 1.0 if plot.stacked else 1.08)

    def x_of(v: float) -> float:
        return x0 + v / xmax * (x1 - x0)

    tick = 0.0
    while tick <= xmax + 1e-9:
        x = x_of(tick)
        body.append(
            f'<line x1="{_x(x)}" y1="{_x(top)}" x2="{_x(x)}" y2="{_x(top + plot_h)}" '
            f'stroke="{GRID if tick else AXIS}" stroke-width="1"/>'
        )
        body.append(
            _text(x, top + plot_h + 16, number(tick), anchor="middle", size=SMALL, fill=MUTED)
        )
        tick += step
    y = top
    for i, lines in enumerate(labels):
        row_h = rows_h[i]
        cy = y + row_h / 2
        first = cy - (len(lines) - 1) * line_h / 2 + 4.5
        for n, line in enumerate(lines):
            body.append(_text(8 + label_w, first + n * line_h, line, anchor="end"))
        thick = min(20.0, row_h - 8)
        cum = 0.0
        for s in plot.series:
            v = s.values[i] if i < len(s.values) else 0.0
            if v <= 0:
                continue
            start = x_of(cum) if plot.stacked else x0
            end = x_of(cum + v) if plot.stacked else x_of(v)
            body.append(
                f'<rect x="{_x(start)}" y="{_x(cy - thick / 2)}" width="{_x(end - start)}" '
                f'height="{_x(thick)}" fill="{s.colour(i)}" stroke="#ffffff" stroke-width="1"/>'
            )
            if plot.stacked:
                if end - start >= text_width(number(v), SMALL) + 6:
                    body.append(
                        _text(
                            (start + end) / 2,
                            cy + 4.5,
                            number(v),
                            anchor="middle",
                            size=SMALL,
                            fill=s.label_colour,
                            bold=True,
                        )
                    )
                cum += v
            else:
                body.append(_text(end + 5, cy + 4.5, number(v), size=SMALL))
        y += row_h
    if plot.value_axis:
        body.append(_text(x0 + (x1 - x0) / 2, height - 8, plot.value_axis, anchor="middle"))
    return width, height, body
