"""The ``vlr`` command: one entry point, one subcommand per reviewer task.

Each feature keeps its subcommands in ``vlr_tools/cli/<feature>.py`` with a
``register(subparsers)`` function. The library raises; this module explains:
any :class:`~vlr_tools.errors.VlrError` becomes one ``error:`` line on stderr
and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..errors import VlrError

#: Feature modules under vlr_tools/cli/, in the order their commands are listed.
COMMANDS: list[str] = [
    "framework",
    "workspace",
    "team",
    "city",
    "indicators",
    "mapping",
    "memo",
    "consultations",
    "coverage",
    "checklist",
    "recommendations",
    "claims",
    "app",
    "annotations",
]

EPILOG = """\
Examples:
  vlr framework show 11.6.2 --lang ja
  vlr demo
Run 'vlr COMMAND --help' for the options of one command.
"""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one ``error:`` line.

    Subcommand parsers inherit the class, so ``vlr map --lang fr`` reads like
    every other error of the command instead of a usage block.
    """

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {self.prog}: {message}; see '{self.prog} --help'\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the full argument parser with every feature's subcommands."""
    parser = _Parser(
        prog="vlr",
        description="Review workbench for Voluntary Local Reviews (VLRs).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``vlr`` command with ``argv`` and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 1
    try:
        return int(func(args) or 0)
    except VlrError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) closed the pipe: not an error of ours.
        # Point stdout at devnull so the interpreter's final flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        # A file or folder the user named cannot be read or written (a file
        # where a folder is expected, no permission, disk full ...).
        reason = exc.strerror or str(exc)
        where = exc.filename
        print(
            f"error: cannot use {where}: {reason}" if where else f"error: {reason}", file=sys.stderr
        )
        return 2


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
