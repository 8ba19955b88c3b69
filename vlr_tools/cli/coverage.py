"""``vlr coverage``: how deeply a city's draft covers each SDG, and its indicators' data gaps."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from ..errors import MissingComponentError, VlrError
from ..i18n import t

_RAW = argparse.RawDescriptionHelpFormatter
SHOW = ("goals", "targets", "findings", "indicators", "gaps", "alignment")
FORMATS = ("table", "csv", "json")
CHART_SUFFIXES = (".html", ".png", ".svg", ".pdf")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr coverage``."""
    from .workspace import add_workspace_option

    parser = subparsers.add_parser(
        "coverage",
        help="SDG coverage of a review's draft, HLPF gaps and indicator data gaps",
        description="Take a review's stored draft mapped to the SDGs and show, per goal, how deeply it "
        "is covered (paragraphs, pages, targets, local indicators with data) against the "
        "HLPF in-depth set of a year; or the coverage findings, the per-target view, the "
        "indicator table, its data gaps, or the suggested alignment of local with global "
        "indicators. The review's accept/reject/add decisions are applied first, and its "
        "saved mapping (vlr map --review) is used when there is one. Depth: none < mentioned < covered (main subject of 3+ paragraphs, 150+ "
        "words) < measured (covered, and an indicator has two data points).",
        epilog="Examples:\n"
        "  vlr coverage --review baguio-v1-1a2b3c4d\n"
        "  vlr coverage --city san-fernando --version v1 --year 2025\n"
        "  vlr coverage --city santa-rosa --show gaps --format csv > gaps.csv\n"
        "  vlr coverage --city santa-rosa --lang ja --chart coverage.png",
        formatter_class=_RAW,
    )
    parser.add_argument(
        "--city",
        metavar="SLUG",
        help="shortcut to the city's latest review (a sample city's is started if it has none)",
    )
    parser.add_argument("--version", metavar="V", help="draft version, e.g. v1 (default: latest)")
    parser.add_argument(
        "--year", type=int, metavar="YEAR", help="HLPF year to compare with (default: the city's)"
    )
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="language of labels")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.add_argument(
        "--show", choices=SHOW, default="goals", help="which table to print (default: goals)"
    )
    parser.add_argument(
        "--review",
        metavar="REVIEW_ID",
        help="the review to show (see vlr workspace reviews)",
    )
    parser.add_argument(
        "--chart",
        metavar="FILE",
        type=Path,
        help="also write the goal overview chart (.html works offline; .png/.svg/.pdf need Chromium)",
    )
    add_workspace_option(parser)
    parser.set_defaults(func=cmd_coverage)


def cmd_coverage(args: argparse.Namespace) -> int:
    from ..coverage import coverage_summary

    if args.chart is not None and args.chart.suffix.lower() not in CHART_SUFFIXES:
        raise VlrError(
            f"cannot write a chart as {args.chart.suffix or 'a file without extension'}; "
            f"allowed: {', '.join(CHART_SUFFIXES)}"
        )
    from .workspace import review_from_args, workspace_from_args

    ws = workspace_from_args(args)
    rv = review_from_args(ws, args)
    summary = coverage_summary(ws, rv.id, None, None, args.year, args.lang)
    c = rv
    frame = _frame(summary, args.show)
    lang = args.lang
    notice = t("common.illustrative_note", lang) if summary.illustrative else ""
    if args.format == "json":
        payload = {
            "city": summary.city,
            "version": summary.version,
            "hlpf_year": summary.hlpf_year,
            "hlpf_goals": list(summary.hlpf_goals),
            "illustrative": summary.illustrative,
            "decisions": summary.decisions,
            "show": args.show,
            "rows": json.loads(frame.to_json(orient="records", force_ascii=False)),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        if notice:
            print(notice, file=sys.stderr)  # stdout stays plain CSV
        _plain(frame).to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(
            t(
                "coverage.cli.heading",
                lang,
                city=c.city_name,
                version=summary.version,
                year=summary.hlpf_year,
                goals=", ".join(map(str, summary.hlpf_goals)),
            )
        )
        if notice:
            print(f"({notice})")
        if summary.decisions:
            print(t("coverage.cli.decisions", lang, n=summary.decisions))
        print()
        print(_table(_display(summary, args.show, lang)))
        if args.show == "goals" and not summary.findings.empty:
            print()
            print(t("coverage.cli.findings", lang))
            for row in summary.findings.itertuples(index=False):
                print(f"  - [{row.kind}] {row.message}")
    if args.chart:
        _write_chart(summary.figure, args.chart)
        print(t("coverage.cli.chart_written", lang, path=args.chart), file=sys.stderr)
    return 0


def _frame(summary: Any, show: str) -> Any:
    import pandas as pd

    frames = {
        "goals": summary.goals,
        "targets": summary.targets,
        "findings": summary.findings,
        "indicators": summary.indicators,
        "gaps": summary.gaps,
        "alignment": summary.alignment,
    }
    frame = frames[show]
    if frame is None:
        raise VlrError(f"city {summary.city!r} has no indicator sheet to show {show} from")
    return pd.DataFrame(frame)


def _plain(frame: Any) -> Any:
    """Lists become '; '-joined text, so CSV cells stay readable."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list | tuple)).any():
            out[column] = out[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    return out


def page_ranges(pages: list[int]) -> str:
    """``[3, 4, 5, 9]`` -> ``"3-5, 9"``."""
    out: list[str] = []
    start = prev = None
    for page in sorted(set(pages)):
        if start is None:
            start = prev = page
        elif page == prev + 1:  # type: ignore[operator]
            prev = page
        else:
            out.append(f"{start}-{prev}" if start != prev else str(start))
            start = prev = page
    if start is not None:
        out.append(f"{start}-{prev}" if start != prev else str(start))
    return ", ".join(out)


def _display(summary: Any, show: str, lang: str) -> list[list[str]]:
    """Header + rows of the table to print for ``show``."""

    def h(key: str) -> str:
        return t(f"coverage.cli.col.{key}", lang)

    yes = t("coverage.cli.yes", lang)
    if show == "goals":
        rows = [[h("goal"), h("name"), h("hlpf"), h("paragraphs"), h("pages"), h("targets"),
                 h("indicators"), h("depth")]]  # fmt: skip
        for r in summary.goals.itertuples(index=False):
            rows.append(
                [
                    str(r.goal),
                    _cut(r.name, 32),
                    yes if r.in_hlpf else "",
                    str(r.paragraphs),
                    _cut(page_ranges(list(r.pages)), 24),
                    str(r.target_count),
                    f"{r.indicators_with_trend}/{r.indicators}",
                    r.depth_label,
                ]
            )
        return rows
    if show == "targets":
        rows = [
            [h("target"), h("title"), h("paragraphs"), h("pages"), h("indicator_ids"), h("depth")]
        ]
        for r in summary.targets.itertuples(index=False):
            rows.append(
                [r.target, _cut(r.title, 48), str(r.paragraphs), _cut(page_ranges(list(r.pages)), 20),
                 ", ".join(r.indicator_ids), r.depth_label]
            )  # fmt: skip
        return rows
    if show == "findings":
        rows = [[h("kind"), h("goal"), h("message")]]
        rows += [[r.kind, str(r.goal), r.message] for r in summary.findings.itertuples(index=False)]
        return rows
    if show == "gaps":
        rows = [[h("id"), h("name"), h("goal"), h("gap")]]
        rows += [
            [r.id, _cut(r.name, 40), "" if r.goal is None else str(r.goal), r.message]
            for r in summary.gaps.itertuples(index=False)
        ]
        return rows
    if show == "alignment":
        rows = [[h("id"), h("name"), h("given"), h("status"), h("suggested"), h("reason")]]
        rows += [
            [r.id, _cut(r.name, 36), r.given_code, t(f"coverage.align.status.{r.status}", lang),
             r.suggested_code, _cut(r.reason, 90)]
            for r in summary.alignment.itertuples(index=False)
        ]  # fmt: skip
        return rows
    frame = summary.indicators
    rows = [[h("id"), h("name"), h("goal"), h("given"), h("baseline"), h("latest"), h("source")]]
    for r in frame.itertuples(index=False):
        rows.append(
            [r.id, _cut(r.name, 40), str(r.goal), r.global_code,
             _point(r.baseline_value, r.baseline_year), _point(r.latest_value, r.latest_year),
             _cut(r.source, 30) or "—"]
        )  # fmt: skip
    return rows


def _point(value: Any, year: Any) -> str:
    import pandas as pd

    if value is None or pd.isna(value):
        return "—"
    number = f"{float(value):g}"
    return f"{number} ({int(year)})" if year is not None and not pd.isna(year) else number


def _cut(text: Any, limit: int) -> str:
    text = " ".join(str(text or "").split())
    return text if _width(text) <= limit else text[: max(1, limit - 1)] + "…"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _table(rows: list[list[str]]) -> str:
    """Rows as aligned text columns (Japanese characters count as two columns)."""
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _write_chart(fig: Any, path: Path) -> None:
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".html", ".htm"):
        # The whole plotly.js goes into the file: it must open offline.
        fig.write_html(path, include_plotlyjs=True, full_html=True)
        return
    try:
        fig.write_image(path)
    except Exception as exc:  # kaleido raises plain errors when Chromium is missing
        raise MissingComponentError(
            f"could not write {path} ({type(exc).__name__}: {exc}); static images need "
            "Chromium (/usr/bin/chromium, installed by ./scripts/setup). Write .html instead."
        ) from exc
