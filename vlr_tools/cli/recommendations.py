"""``vlr recommendations``: the response sheet a city fills in, and its answers coming back."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..errors import ResponseSheetError
from ..i18n import LANGUAGES, check_lang
from ._common import show_help, text_table
from .workspace import add_workspace_option, workspace_from_args

_RAW = argparse.RawDescriptionHelpFormatter


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr recommendations``."""
    parser = subparsers.add_parser(
        "recommendations",
        help="the city's response sheet: export it, import the answers, list them",
        description="The review's recommendations go to the city in a response sheet (Excel, "
        "English or Japanese) beside the memo; the city answers each one (accepted, accepted "
        "in part, not accepted, already done; planned action, office, target date) and sends "
        "it back. The answers are stored in the review, and the next draft's carry-over and "
        "memo show them beside each carried recommendation.",
        epilog="Examples:\n"
        "  vlr recommendations export --review baguio-v1-1a2b3c4d baguio-response.xlsx --lang ja\n"
        "  vlr recommendations import returned.xlsx --review baguio-v1-1a2b3c4d\n"
        "  vlr recommendations list --review baguio-v1-1a2b3c4d",
        formatter_class=_RAW,
    )
    parser.set_defaults(func=lambda args: show_help(parser))
    sub = parser.add_subparsers(dest="recommendations_command", metavar="SUBCOMMAND")
    common = argparse.ArgumentParser(add_help=False)
    add_workspace_option(common)

    exp = sub.add_parser(
        "export",
        parents=[common],
        help="write the response sheet of a review (.xlsx) for the city to fill in",
        description="Write OUT.xlsx: one locked row per recommendation of the review (ID, "
        "criterion, priority, recommendation, pages of the draft) in the memo's order, with "
        "columns the city fills in (response from a dropdown, planned action, responsible "
        "office, target date, comment) and an instructions sheet in the chosen language. "
        "`vlr memo` writes the same sheet beside the memo.",
        epilog="Examples:\n"
        "  vlr recommendations export --review baguio-v1-1a2b3c4d baguio-response.xlsx\n"
        "  vlr recommendations export --review baguio-v1-1a2b3c4d baguio-response-ja.xlsx "
        "--lang ja",
        formatter_class=_RAW,
    )
    exp.add_argument("out", metavar="OUT.xlsx", type=Path)
    exp.add_argument("--review", required=True, metavar="ID", help="the review")
    exp.add_argument(
        "--lang",
        default="en",
        choices=LANGUAGES,
        help="language of the sheet's headings, dropdown and instructions (default: en)",
    )
    exp.set_defaults(func=cmd_export)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="check the sheet a city sent back and store its answers in the review",
        description="Read FILE, the response sheet a city filled in, and check all of it: the "
        "review and export it belongs to, rows added or deleted, locked columns edited, "
        "formulas, responses not in the list, dates that are not dates, empty responses. "
        "Every problem is listed with sheet, row and column and nothing is stored until the "
        "sheet is clean, unless --accept-valid stores the rows without problems. Each answer "
        "is stored with who sent it (the sheet's 'Filled in by', or --sent-by) and when "
        "(the sheet's 'Date sent', or --received, else today).",
        epilog="Examples:\n"
        "  vlr recommendations import returned.xlsx --review baguio-v1-1a2b3c4d\n"
        "  vlr recommendations import returned.xlsx --review baguio-v1-1a2b3c4d "
        '--sent-by "CPDO Baguio" --received 2026-02-10 --accept-valid',
        formatter_class=_RAW,
    )
    imp.add_argument("file", metavar="FILE", type=Path)
    imp.add_argument("--review", required=True, metavar="ID", help="the review the sheet answers")
    imp.add_argument("--sent-by", metavar="NAME", help="who sent the sheet (name, office)")
    imp.add_argument(
        "--received", metavar="YYYY-MM-DD", help="when the sheet was sent (default: its date)"
    )
    imp.add_argument(
        "--accept-valid",
        action="store_true",
        help="store the rows without problems and list the others (default: store nothing)",
    )
    imp.set_defaults(func=cmd_import)

    ls = sub.add_parser(
        "list",
        parents=[common],
        help="the review's recommendations with the city's answers",
        description="One line per recommendation: ID, priority, the city's response, planned "
        "action, office, target date, and who sent it.",
        epilog="Example:\n  vlr recommendations list --review baguio-v1-1a2b3c4d --lang ja",
        formatter_class=_RAW,
    )
    ls.add_argument("--review", required=True, metavar="ID", help="the review")
    ls.add_argument("--lang", default="en", choices=LANGUAGES, help="language of the labels")
    ls.set_defaults(func=cmd_list)


def cmd_export(args: argparse.Namespace) -> int:
    from ..responses import export_sheet

    with workspace_from_args(args) as ws:
        done = export_sheet(ws, args.review, args.out, lang=check_lang(args.lang))
    print(
        f"wrote {done.path}: {len(done.rows)} recommendations of review {args.review} "
        f"({done.lang}, sheet {done.sheet_id}); send it to the city with the memo, then "
        f"`vlr recommendations import FILE --review {args.review}`"
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..responses import import_responses

    received = None
    if args.received:
        try:
            received = dt.date.fromisoformat(args.received)
        except ValueError as exc:
            raise ResponseSheetError(
                f"--received {args.received!r} is not a date; allowed: YYYY-MM-DD"
            ) from exc
    with workspace_from_args(args) as ws:
        done = import_responses(
            ws,
            args.review,
            args.file,
            sent_by=args.sent_by,
            received=received,
            accept_valid=args.accept_valid,
        )
    print(
        f"stored {len(done.stored)} responses from {done.file} in review {args.review} "
        f"(sent by {done.sent_by} on {done.sent_on.isoformat()})"
    )
    if done.skipped:
        print(f"left out ({len(done.skipped)} problem(s)):", file=sys.stderr)
        for problem in done.skipped:
            print(f"  - {problem}", file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from ..responses import responses_frame

    with workspace_from_args(args) as ws:
        frame = responses_frame(ws, args.review, args.lang)
    if frame.empty:
        print(f"review {args.review} has no recommendation yet")
        return 0
    rows = [
        (
            r.id,
            r.priority,
            r.response or "-",
            (r.planned_action or "-")[:40],
            (r.office or "-")[:20],
            r.target_date or "-",
            r.sent_by or "-",
        )
        for r in frame.itertuples()
    ]
    answered = int((frame["response"] != "").sum())
    print(f"review {args.review}: {len(frame)} recommendations, {answered} answered by the city")
    print(
        text_table(
            rows, ("id", "priority", "response", "planned action", "office", "target", "sent by")
        )
    )
    return 0
