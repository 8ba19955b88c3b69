"""``vlr consultations``: validate, import, export and analyse a consultation log."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import ConsultationLogError
from ..i18n import LANGUAGES
from ._common import add_reading_options, show_help

_RAW = argparse.RawDescriptionHelpFormatter


def _date_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--dayfirst", dest="dayfirst", action="store_const", const=True, default=None,
        help="read dates such as 03/04/2024 as day/month (3 April)",
    )  # fmt: skip
    group.add_argument(
        "--monthfirst", dest="dayfirst", action="store_const", const=False,
        help="read dates such as 03/04/2024 as month/day (4 March)",
    )  # fmt: skip
    group.add_argument(
        "--guess-date-order", dest="dayfirst", action="store_const", const="auto",
        help="follow the file's unambiguous dates (e.g. 11/28/2024) if they all agree",
    )  # fmt: skip


#: The fields --columns names, for the help text.
_LOG_FIELDS = (
    "a column of the log (Ref. No., Date, Activity, Venue, Format, Stakeholder groups, Male, "
    "Female, IAP2 level, ...) or of the sign-in sheet (Name, Sex, Age, ...)"
)


def _workspace_options(parser: argparse.ArgumentParser) -> None:
    from .workspace import add_workspace_option

    add_workspace_option(parser)
    parser.add_argument(
        "--review", metavar="ID", help="review id (default: the city's newest review)"
    )
    parser.add_argument("--version", default=None, help="draft version of the review (e.g. v1)")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr consultations`` and its subcommands."""
    parser = subparsers.add_parser(
        "consultations",
        help="stakeholder consultation logs: validate, import, export, analyse",
        description="Read a city's consultation log (XLSX or CSV, as the office keeps it), "
        "report every problem with file, sheet, row and column, store the valid records in "
        "the review workspace, export them without personal data (RA 10173) and analyse who "
        "was heard.",
        epilog="Examples:\n  vlr consultations validate consultations.xlsx\n"
        "  vlr consultations import consultations.xlsx --city san-fernando\n"
        "  vlr consultations analyse --city santa-rosa --lang ja",
        formatter_class=_RAW,
    )
    parser.set_defaults(func=lambda args: show_help(parser))
    sub = parser.add_subparsers(dest="consultations_command", metavar="SUBCOMMAND")

    tpl = sub.add_parser(
        "template",
        help="write a consultation log workbook for a city to fill in",
        description="Write OUT.xlsx: the consultation log with the headings the importer "
        "knows, a help text on each heading, checks on dates, counts, yes/no flags and the "
        "IAP2 level, and an instructions sheet (counts, not participants' names: RA 10173).",
        epilog="Examples:\n  vlr consultations template baguio-consultations.xlsx\n"
        "  vlr consultations template baguio-consultations.xlsx --lang fil",
        formatter_class=_RAW,
    )
    tpl.add_argument("out", metavar="OUT.xlsx", type=Path)
    tpl.add_argument("--lang", default="en", choices=("en", "ja", "fil"), help="language")
    tpl.set_defaults(func=_template)

    validate = sub.add_parser(
        "validate",
        help="check a consultation log and list every problem",
        description="Check a consultation log without saving anything. Exit status 0 when "
        "every row is valid, 1 when some rows have problems (all are listed), 2 when the "
        "file cannot be read at all (wrong type, password-protected, no header row).",
        epilog="Examples:\n  vlr consultations validate consultations.xlsx\n"
        "  vlr consultations validate log.csv --dayfirst --rejects to-fix.xlsx",
        formatter_class=_RAW,
    )
    validate.add_argument("file", metavar="FILE", help="consultation log (.xlsx or .csv)")
    validate.add_argument(
        "--rejects", metavar="OUT.xlsx", help="write the rows to fix, with a Problem column"
    )
    validate.add_argument("--quiet", action="store_true", help="do not list warnings")
    add_reading_options(validate, fields=_LOG_FIELDS, saved=False)
    _date_options(validate)
    validate.set_defaults(func=_validate)

    imp = sub.add_parser(
        "import",
        help="import a consultation log into a review",
        description="Read a log as the office keeps it, say what was understood (which column "
        "became which field, the rows skipped and why, how the dates were read, the sheets "
        "not read), and save its consultations (and participants: personal data, kept in the "
        "workspace only) into a review (--review ID, or --city for the city's latest review). "
        "A heading that is not recognised is named with --columns; --save-mapping keeps the "
        "mapping for the city's next log (a saved mapping is used when --columns is not "
        "given). If any row has a problem nothing is saved, unless --accept-valid is given; "
        "--check saves nothing at all. Importing the same file again changes nothing; records "
        "missing from the file are never deleted.",
        epilog="Examples:\n  vlr consultations import consultations.xlsx --review baguio-v1-1a2b3c4d "
        "--check\n  vlr consultations import consultations.xlsx --review baguio-v1-1a2b3c4d "
        '--columns "Date=Petsa ng pulong;Stakeholder groups=Dumalo" --save-mapping\n'
        "  vlr consultations import consultations.xlsx --city san-fernando\n"
        "  vlr consultations import log.xlsx --city santa-rosa --monthfirst --accept-valid "
        "--rejects to-fix.xlsx",
        formatter_class=_RAW,
    )
    imp.add_argument("file", metavar="FILE", help="consultation log (.xlsx or .csv)")
    imp.add_argument(
        "--city", metavar="SLUG", help="shortcut to the city's latest review, e.g. santa-rosa"
    )
    _workspace_options(imp)
    imp.add_argument(
        "--accept-valid",
        action="store_true",
        help="save the valid rows even if others have problems",
    )
    imp.add_argument(
        "--rejects", metavar="OUT.xlsx", help="write the rejected rows, with a Problem column"
    )
    add_reading_options(imp, fields=_LOG_FIELDS)
    _date_options(imp)
    imp.set_defaults(func=_import)

    exp = sub.add_parser(
        "export",
        help="export consultations to XLSX or CSV (personal data left out by default)",
        description="Export the consultations of a review (or of a log file with --from) to "
        "XLSX or CSV. Personal data (participants' names, contacts, age, disability and "
        "indigenous status; contact persons) is left out unless --include-personal is given; "
        "--pseudonymise (workshop mode) keeps participants under stable pseudonyms. Cells "
        "that could run as spreadsheet formulas are neutralised.",
        epilog="Examples:\n  vlr consultations export out.xlsx --city san-fernando\n"
        "  vlr consultations export out.csv --from consultations.xlsx --pseudonymise --key workshop-1",
        formatter_class=_RAW,
    )
    exp.add_argument("out", metavar="OUT", help="file to write (.xlsx or .csv)")
    exp.add_argument("--city", metavar="SLUG", help="city slug (to find its review)")
    exp.add_argument(
        "--from",
        dest="source",
        metavar="FILE",
        help="export from this log file instead of the workspace",
    )
    _workspace_options(exp)
    exp.add_argument("--format", choices=("xlsx", "csv"), help="default: from OUT's suffix")
    privacy = exp.add_mutually_exclusive_group()
    privacy.add_argument(
        "--include-personal",
        action="store_true",
        help="include personal data (RA 10173: only for those entitled)",
    )
    privacy.add_argument(
        "--pseudonymise",
        action="store_true",
        help="replace participants' names by stable pseudonyms",
    )
    exp.add_argument(
        "--key", help="pseudonym key (default: $VLR_PSEUDONYM_KEY, else random per run)"
    )
    exp.add_argument("--lang", choices=LANGUAGES, default="en", help="column headings' language")
    _date_options(exp)
    exp.set_defaults(func=_export)

    ana = sub.add_parser(
        "analyse",
        aliases=["analyze"],
        help="who was heard, how, when; engagement findings",
        description="Print the stakeholder-engagement findings and tables for a city: groups "
        "never consulted, inputs without response, IAP2 levels, validation of the draft, "
        "participation by sex and age, SDGs discussed. Reads the city's review in the "
        "workspace, else --from FILE, else the sample city's own log. No personal data is "
        "shown.",
        epilog="Examples:\n  vlr consultations analyse --city san-fernando\n"
        "  vlr consultations analyse --city santa-rosa --covered 1,3,4,5,6,8,11,13,17 --lang ja",
        formatter_class=_RAW,
    )
    ana.add_argument("--city", required=True, metavar="SLUG", help="city slug, e.g. san-fernando")
    ana.add_argument("--from", dest="source", metavar="FILE", help="analyse this log file")
    _workspace_options(ana)
    ana.add_argument(
        "--covered", help="goals the draft covers, e.g. 1,3,4,11 (compares SDGs discussed)"
    )
    ana.add_argument("--lang", choices=LANGUAGES, default="en")
    ana.add_argument(
        "--html", metavar="OUT.html", help="also write the charts to a self-contained HTML file"
    )
    _date_options(ana)
    ana.set_defaults(func=_analyse)


def _read(path: str, dayfirst: Any, columns: str | None = None) -> Any:
    from ..column_mapping import parse_column_mapping
    from ..consultations import read_consultation_log

    return read_consultation_log(path, dayfirst=dayfirst, columns=parse_column_mapping(columns))


def _template(args: argparse.Namespace) -> int:
    from ..consultations.template import write_log_template

    path = write_log_template(args.out, lang=args.lang)
    print(f"wrote {path} (language {args.lang})")
    return 0


def _validate(args: argparse.Namespace) -> int:
    result = _read(args.file, args.dayfirst, args.columns)
    print("\n".join(result.lines(args.lang, details=args.details, warnings=not args.quiet)))
    print(result.summary())
    if args.rejects:
        print(f"rows to fix written to {result.write_rejects(args.rejects)}")
    return 0 if result.ok else 1


def _review(ws: Any, args: argparse.Namespace, create: bool) -> Any:
    """The review meant by --review, or the latest of --city (a sample's is started if needed)."""
    from ..errors import UnknownReviewError
    from ..review import resolve_review

    if not args.review and not args.city:
        raise ConsultationLogError("give --review ID (see vlr workspace reviews) or --city SLUG")
    try:
        return resolve_review(
            ws,
            args.review,
            city=args.city,
            version=args.version,
            start_sample=create,
            notify=print,
        ).record
    except UnknownReviewError:
        if args.review or create:
            raise
        return None


def _import(args: argparse.Namespace) -> int:
    from ..column_mapping import parse_column_mapping
    from ..intake import read_consultations, store_consultations
    from .workspace import workspace_from_args

    columns = parse_column_mapping(args.columns)
    with workspace_from_args(args) as ws:
        # --check starts nothing: a sample city without a review is read without one.
        review = _review(ws, args, create=not args.check)
        if review is None:
            result = _read(args.file, args.dayfirst, args.columns)
        else:
            result = read_consultations(
                ws, review.id, args.file, columns=columns, dayfirst=args.dayfirst
            )
        print("\n".join(result.lines(args.lang, details=args.details)))
        print(result.summary())
        if args.rejects and result.rejected:
            print(f"rows to fix written to {result.write_rejects(args.rejects)}")
        if args.check:
            print("checked: nothing saved (--check)")
            return 0 if result.ok else 1
        if not result.ok and not args.accept_valid:
            print("nothing saved: fix the problems, or use --accept-valid to save the valid rows")
            return 1
        done = store_consultations(
            ws,
            review.id,
            result,
            accept_valid=args.accept_valid,
            save_mapping=args.save_mapping,
        )
    print(
        f"review {review.id}: {done.saved}"
        + ("; column mapping saved for the city's next log" if done.mapping_saved else "")
    )
    return 0 if result.ok else 1


def _records(args: argparse.Namespace, allow_sample: bool) -> tuple[Any, str]:
    """Consultations (and participants) from --from, the workspace, or the sample city."""
    from ..consultations import load_consultations, load_participants

    if args.source:
        result = _read(args.source, args.dayfirst)
        return result, f"file {args.source}"
    if args.city or args.review:
        from .workspace import workspace_from_args

        with workspace_from_args(args) as ws:
            review = _review(ws, args, create=False)
            if review is not None:
                consultations = load_consultations(ws, review.id)
                if consultations:
                    return (
                        [*consultations, *load_participants(ws, review.id)],
                        f"review {review.id}",
                    )
    if allow_sample and args.city:
        from ..intake import is_sample_city, scratch_sample_review

        if not is_sample_city(args.city):
            raise ConsultationLogError(
                f"no consultations for city {args.city!r} in the workspace and no sample city "
                "of that name; import a log first or give --from FILE"
            )
        rv = scratch_sample_review(args.city, args.version)
        from ..consultations import load_participants

        records = [*rv.consultations, *load_participants(rv.ws, rv.id)]
        return records, f"sample city {args.city}'s consultation log (illustrative)"
    raise ConsultationLogError(
        "no consultations found: give --from FILE, or --city/--review of a review with "
        "imported consultations"
    )


def _export(args: argparse.Namespace) -> int:
    from ..consultations import export_consultations

    records, origin = _records(args, allow_sample=False)
    illustrative = _is_sample(args.city)
    written = export_consultations(
        records,
        args.out,
        args.format,
        include_personal=args.include_personal,
        pseudonymise=args.pseudonymise,
        key=args.key,
        lang=args.lang,
        illustrative=illustrative,
    )
    mode = (
        "WITH personal data" if args.include_personal
        else "participants pseudonymised" if args.pseudonymise
        else "personal data left out"
    )  # fmt: skip
    for path in written:
        print(f"wrote {path} ({mode}; from {origin})")
    return 0


def _is_sample(city: str | None) -> bool:
    from ..intake import is_sample_city

    return bool(city) and is_sample_city(str(city))


def _analyse(args: argparse.Namespace) -> int:
    from ..consultations import Consultation, engagement_summary
    from ..consultations.analysis import draft_dates_for_city
    from ..i18n import t

    records, origin = _records(args, allow_sample=True)
    consultations = [
        r for r in getattr(records, "consultations", records) if isinstance(r, Consultation)
    ]
    covered = None
    if args.covered:
        try:
            covered = [int(g) for g in args.covered.replace(" ", "").split(",") if g]
        except ValueError:
            raise ConsultationLogError(
                f"--covered: {args.covered!r} is not a list of goal numbers; allowed: e.g. 1,3,11"
            ) from None
        bad = [g for g in covered if not 1 <= g <= 17]
        if bad:
            raise ConsultationLogError(f"--covered: no such goal {bad}; allowed: 1-17")
    dates = draft_dates_for_city(args.city)
    summary = engagement_summary(
        consultations,
        draft_dates=dates,
        version=args.version,
        covered_goals=covered,
        lang=args.lang,
    )
    if _is_sample(args.city):
        print(t("common.illustrative", args.lang).upper())
    print(f"{len(consultations)} consultation(s) from {origin}")
    print("\nFindings:")
    for finding in summary["findings"]:
        print(f"  - [{finding.kind}] {finding.message}")
    if not summary["findings"]:
        print("  (none)")
    import pandas as pd

    with pd.option_context(
        "display.width", 160, "display.max_columns", 20, "display.max_colwidth", 50
    ):
        for name in ("iap2", "participation", "no_response"):
            print(f"\n{name}:")
            print(summary["tables"][name].to_string(index=False))
        coverage = summary["tables"]["coverage"]
        print("\ncoverage (groups never heard are marked *):")
        for row in coverage.itertuples():
            mark = " " if row.heard else "*"
            print(f"  {mark} {row.name}: {row.consulted_in or row.heard_through or '-'}")
    if args.html:
        out = Path(args.html)
        out.parent.mkdir(parents=True, exist_ok=True)
        parts = [
            fig.to_html(full_html=False, include_plotlyjs=(i == 0))
            for i, fig in enumerate(summary["figures"].values())
        ]
        out.write_text(
            "<!doctype html><meta charset='utf-8'><title>Consultations</title>" + "".join(parts),
            encoding="utf-8",
        )
        print(f"\ncharts written to {out}")
    return 0


__all__ = ["register"]
