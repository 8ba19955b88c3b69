"""``vlr indicators``: take a city's indicator table into a review, and look at it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ._common import add_reading_options, show_help, text_table
from .workspace import add_workspace_option, workspace_from_args

_RAW = argparse.RawDescriptionHelpFormatter


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr indicators``."""
    parser = subparsers.add_parser(
        "indicators",
        help="a review's indicator table: import it (any layout), extract it from the draft, "
        "list it, write a template",
        description="The city's local indicators (baseline and latest values, global codes, "
        "sources) are kept in the review; coverage depth, data gaps, alignment, pre-checks "
        "and the memo read them from there.",
        epilog="Examples:\n  vlr indicators import baguio-indicators.xlsx --review "
        "baguio-v1-1a2b3c4d\n  vlr indicators list --review baguio-v1-1a2b3c4d",
        formatter_class=_RAW,
    )
    parser.set_defaults(func=lambda args: show_help(parser))
    sub = parser.add_subparsers(dest="indicators_command", metavar="SUBCOMMAND")
    common = argparse.ArgumentParser(add_help=False)
    add_workspace_option(common)

    mapping = argparse.ArgumentParser(add_help=False)
    mapping.add_argument("--review", required=True, metavar="ID", help="the review")
    mapping.add_argument(
        "--table", type=int, metavar="N", help="use table N when several different tables are found"
    )
    add_reading_options(
        mapping,
        fields="one of ID, Local indicator, Definition, Unit, SDG goal, Global indicator code, "
        "Baseline year, Baseline value, Latest year, Latest value, 2030 target, Data source, "
        "Disaggregation, Notes",
    )

    imp = sub.add_parser(
        "import",
        parents=[common, mapping],
        help="read an indicator table (any layout), say what was understood, store it",
        description="Read FILE (.xlsx or .csv) as the city keeps it: the table is found on "
        "any sheet (title rows, notes, several tables, one sheet per goal), one column per year "
        "or baseline/latest columns, headings in English, Filipino or Japanese, section rows "
        "such as 'GOAL 6: ...' as the goal, values such as 45.2%, 1,234, ₱ 2.3M, n/a, 12.5* or "
        "12.5 (p). It prints what it understood (which column became what, skipped rows, year "
        "columns, baseline and latest choices), then stores the indicators in the review. "
        "Every problem is listed with file, sheet, row, column, the cell's text and what is "
        "allowed, and nothing is stored until the file reads clean. Importing again replaces "
        "the table (removed indicators stay in the history).",
        epilog="Examples:\n  vlr indicators import baguio-indicators.xlsx --review "
        "baguio-v1-1a2b3c4d --check\n  vlr indicators import baguio-indicators.xlsx --review "
        'baguio-v1-1a2b3c4d --columns "Local indicator=Indicator name;Global indicator '
        'code=SDG Target" --save-mapping',
        formatter_class=_RAW,
    )
    imp.add_argument("file", metavar="FILE", type=Path)
    imp.add_argument("--sheet", help="read only this worksheet (default: every sheet)")
    imp.set_defaults(func=cmd_import)

    ext = sub.add_parser(
        "extract",
        parents=[common, mapping],
        help="read the indicator tables on pages of the review's stored draft",
        description="Read the tables on PAGES of the review's draft (Word tables exactly, PDF "
        "tables with pdfplumber on those pages only) through the same reader as `import`, "
        "print what was understood with the page each row came from, and store the "
        "indicators in the review (each keeps its page and table, so findings can cite it).",
        epilog="Example:\n  vlr indicators extract --review baguio-v1-1a2b3c4d --pages 26-30",
        formatter_class=_RAW,
    )
    ext.add_argument(
        "--pages", required=True, metavar="PAGES", help="pages of the draft, e.g. 26-30 or 26,28"
    )
    ext.set_defaults(func=cmd_extract)

    tpl = sub.add_parser(
        "template",
        parents=[common],
        help="write an indicator workbook for a city to fill in",
        description="Write OUT.xlsx: the indicator sheet with a help text on each heading, data "
        "validation for goals, years and global codes, a list of the global indicator codes, "
        "and an instructions sheet. With --review, the indicators the review already holds "
        "are filled in.",
        epilog="Examples:\n  vlr indicators template baguio-indicators.xlsx --lang fil\n"
        "  vlr indicators template baguio-v2.xlsx --review baguio-v1-1a2b3c4d --lang ja",
        formatter_class=_RAW,
    )
    tpl.add_argument("out", metavar="OUT.xlsx", type=Path)
    tpl.add_argument("--lang", default="en", choices=("en", "ja", "fil"), help="language")
    tpl.add_argument("--review", metavar="ID", help="pre-fill the review's indicators")
    tpl.set_defaults(func=cmd_template)

    ls = sub.add_parser(
        "list",
        parents=[common],
        help="list the indicators stored in a review",
        description="One line per indicator: id, goal, global code, baseline, latest, source.",
        epilog="Example:\n  vlr indicators list --review baguio-v1-1a2b3c4d",
        formatter_class=_RAW,
    )
    ls.add_argument("--review", required=True, metavar="ID", help="the review")
    ls.set_defaults(func=cmd_list)


def cmd_import(args: argparse.Namespace) -> int:
    return _read_report_store(args, file=args.file, sheet=args.sheet)


def cmd_extract(args: argparse.Namespace) -> int:
    return _read_report_store(args, pages=args.pages)


def _read_report_store(args: argparse.Namespace, **source: Any) -> int:
    """Read the table (a file or the draft's pages), say what was understood, store it if clean."""
    from ..column_mapping import parse_column_mapping
    from ..intake import indicator_source, read_indicators, store_indicators

    columns = parse_column_mapping(args.columns)
    with workspace_from_args(args) as ws:
        reading = read_indicators(ws, args.review, table=args.table, columns=columns, **source)
        print("\n".join(reading.lines(args.lang, details=args.details)))
        if reading.problems:
            print(
                f"error: {reading.file}: {len(reading.problems)} problem(s); nothing was stored. "
                "Fix the file, or correct the column mapping with --columns",
                file=sys.stderr,
            )
            return 2
        if args.check:
            print(
                f"checked: {len(reading.indicators)} indicator(s) would be stored "
                "(--check: nothing stored)"
            )
            return 0
        done = store_indicators(
            ws,
            args.review,
            reading,
            source=indicator_source(ws, args.review, reading, source.get("file")),
            save_mapping=args.save_mapping,
        )
    print(
        f"stored {done.rows} indicators from {done.filename} in review {args.review} "
        f"({done.created} new, {done.updated} changed, {done.unchanged} unchanged, "
        f"{done.removed} removed)"
        + ("; column mapping saved for the city's next table" if done.mapping_saved else "")
    )
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from ..indicators.template import write_indicator_template

    table = None
    city = ""
    illustrative = False
    if args.review:
        from ..review import open_review

        with workspace_from_args(args) as ws:
            rv = open_review(ws, args.review)
            table, city, illustrative = rv.indicators, rv.city_name, rv.illustrative
    path = write_indicator_template(
        args.out, lang=args.lang, table=table, city=city, illustrative=illustrative
    )
    filled = f", {len(table)} indicator(s) of review {args.review} filled in" if table else ""
    print(f"wrote {path} (language {args.lang}{filled})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from ..review import open_review

    with workspace_from_args(args) as ws:
        table = open_review(ws, args.review).indicators
    if table is None:
        print(f"review {args.review} has no indicator table; import one with vlr indicators import")
        return 0

    def value(year: int | None, number: float | None) -> str:
        if number is None:
            return "-"
        return f"{number:g}" + (f" ({year})" if year else "")

    rows = [
        (
            i.id,
            i.goal or "-",
            ", ".join(i.global_codes) or "proxy",
            value(i.baseline_year, i.baseline_value),
            value(i.latest_year, i.latest_value),
            (i.source or "-")[:40],
        )
        for i in table
    ]
    print(f"{table.name}: {len(rows)} indicators")
    print(text_table(rows, ("id", "goal", "global code", "baseline", "latest", "source")))
    return 0
