"""``vlr indicators``: take a city's indicator table into a review, and look at it."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import show_help, text_table
from .workspace import add_workspace_option, workspace_from_args

_RAW = argparse.RawDescriptionHelpFormatter


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr indicators``."""
    parser = subparsers.add_parser(
        "indicators",
        help="a review's indicator table: import it, list it",
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

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="check an indicator table and store it in a review",
        description="Read FILE (.xlsx or .csv), check every cell (IDs, goals 1-17, global "
        "codes, years, numbers) and store the indicators in the review. Every problem is "
        "listed with file, sheet, row and column, and nothing is stored until the file is "
        "clean. Importing again replaces the table (removed indicators stay in the history).",
        epilog="Example:\n  vlr indicators import baguio-indicators.xlsx --review "
        "baguio-v1-1a2b3c4d --sheet Indicators",
        formatter_class=_RAW,
    )
    imp.add_argument("file", metavar="FILE", type=Path)
    imp.add_argument("--review", required=True, metavar="ID", help="the review")
    imp.add_argument("--sheet", help="worksheet name (default: 'Indicators', else the first)")
    imp.set_defaults(func=cmd_import)

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
    from ..intake import import_indicators

    with workspace_from_args(args) as ws:
        done = import_indicators(ws, args.review, args.file, sheet=args.sheet)
    print(
        f"stored {done.rows} indicators from {done.filename} in review {args.review} "
        f"({done.created} new, {done.updated} changed, {done.unchanged} unchanged, "
        f"{done.removed} removed)"
    )
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
