"""Pieces every ``vlr`` subcommand module shares: the bare-command help and plain tables."""

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
