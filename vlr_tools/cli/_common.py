"""Pieces every ``vlr`` subcommand module shares: the bare-command help, plain tables, and the
options of the commands that read a city's table (indicators, consultation logs)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def show_help(parser: argparse.ArgumentParser) -> int:
    """Print ``parser``'s help; the exit code of a command given without a subcommand."""
    parser.print_help()
    return 1


def text_table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    """Plain aligned columns for a terminal, with a dashed line under the header."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def add_reading_options(
    parser: argparse.ArgumentParser, *, fields: str, saved: bool = True
) -> None:
    """``--columns``, ``--details`` and ``--lang`` of a command that says what it understood of
    a city's table, and with ``saved`` ``--save-mapping`` and ``--check`` (it stores)."""
    parser.add_argument(
        "--columns",
        metavar="MAP",
        help=f'correct the column mapping: "FIELD=HEADING;..." with FIELD {fields}, or ignore',
    )
    parser.add_argument(
        "--details", action="store_true", help="list every skipped row, choice and warning"
    )
    parser.add_argument("--lang", default="en", choices=("en", "ja"), help="report language")
    if saved:
        parser.add_argument(
            "--save-mapping",
            action="store_true",
            help="keep the column mapping for the next version of this city's table",
        )
        parser.add_argument(
            "--check", action="store_true", help="only say what was understood; store nothing"
        )
