"""``vlr workspace``: start reviews, look into the store and its history, move reviews between offices.

Other commands that read or write the workspace reuse the shared options::

    from .workspace import add_workspace_option, workspace_from_args

    add_workspace_option(parser)          # adds --workspace LOC and --reviewer NAME
    ws = workspace_from_args(args)        # opens it (env VLR_DATABASE_URL / default)
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from ..workspace import (
    Workspace,
    config_path,
    configured_reviewer,
    hub_user,
    open_workspace,
    save_reviewer,
)
from ..workspace.model import short

if TYPE_CHECKING:
    from ..review import OpenReview
from ._common import show_help, text_table

_RAW = argparse.RawDescriptionHelpFormatter


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--workspace LOC`` and ``--reviewer NAME`` to ``parser``."""
    parser.add_argument(
        "--workspace",
        metavar="LOC",
        default=None,
        help="workspace folder, SQLite file or postgresql+psycopg:// URL "
        "(default: $VLR_DATABASE_URL, else data/workspace/)",
    )
    parser.add_argument(
        "--reviewer",
        metavar="NAME",
        default=None,
        help="your name, recorded with each change (default: $VLR_REVIEWER, else the "
        "'reviewer' in ~/.config/vlr/config.yaml; on the team hub it is your hub account and "
        "another name is refused)",
    )


def workspace_from_args(args: argparse.Namespace) -> Workspace:
    """Open the workspace chosen by the options :func:`add_workspace_option` added."""
    return open_workspace(
        getattr(args, "workspace", None), reviewer=getattr(args, "reviewer", None)
    )


def review_from_args(ws: Workspace, args: argparse.Namespace) -> OpenReview:
    """The review of ``--review ID``, else the latest of ``--city`` (a sample's is started).

    Starting a sample city's review is said on standard error, so standard
    output stays the command's own (CSV, JSON...).
    """
    from ..errors import UnknownReviewError
    from ..review import resolve_review

    review, city = getattr(args, "review", None), getattr(args, "city", None)
    if not review and not city:
        raise UnknownReviewError("give --review ID (see vlr workspace reviews) or --city SLUG")
    return resolve_review(
        ws,
        review,
        city=city,
        version=getattr(args, "version", None),
        notify=lambda text: print(text, file=sys.stderr),
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr workspace`` and its subcommands."""
    parser = subparsers.add_parser(
        "workspace",
        help="the review store: reviews, history, bundles",
        description="The review workspace keeps every rating, mapping decision, comment and "
        "consultation record, with a history of who changed what and when. It is a SQLite "
        "file by default (data/workspace/workspace.sqlite) or a shared PostgreSQL database.",
        epilog="Examples:\n  vlr workspace new --city santa-rosa\n  vlr workspace info\n"
        "  vlr workspace reviews --city santa-rosa\n"
        "  vlr workspace export santa-rosa-v1-1a2b3c4d review.zip",
        formatter_class=_RAW,
    )
    parser.set_defaults(func=lambda args: show_help(parser))
    sub = parser.add_subparsers(dest="workspace_command", metavar="SUBCOMMAND")

    common = argparse.ArgumentParser(add_help=False)
    add_workspace_option(common)

    new = sub.add_parser(
        "new",
        parents=[common],
        help="start a review of a city's draft and print its id",
        description="The common start of a review, in one command: add the city if it is "
        "missing (--city-name and the other profile options), store the draft file (--draft), "
        "create the review, map the draft to the SDGs and run the checklist pre-checks, then "
        "print the review id (the other commands take it as REVIEW_ID) and the next commands. "
        "Without --draft, the city's draft VERSION must already be stored (vlr draft add); a "
        "sample city (santa-rosa, san-fernando) brings its own draft, indicator table and "
        "consultation log. The first reviewer listed is the lead reviewer, who settles final "
        "ratings.",
        epilog="Examples:\n  vlr workspace new --city baguio --city-name 'Baguio City' "
        "--country Philippines --draft Baguio-VLR-draft.pdf\n"
        "  vlr workspace new --city santa-rosa\n"
        "  vlr workspace new --city san-fernando --version v2 "
        '--reviewers "A. Reviewer, B. Reviewer" --template workshop',
        formatter_class=_RAW,
    )
    new.add_argument(
        "--city", required=True, metavar="SLUG", help="city slug, e.g. santa-rosa or san-fernando"
    )
    new.add_argument("--version", default="v1", help="draft version (default: v1)")
    new.add_argument(
        "--document", default="draft", help="which document is reviewed (default: draft)"
    )
    new.add_argument(
        "--reviewers",
        metavar="NAMES",
        default="",
        help="reviewers, separated by commas (the first is the lead; a comma inside "
        "brackets belongs to the name); default: you (--reviewer)",
    )
    new.add_argument(
        "--template",
        default="full",
        metavar="NAME",
        help="checklist template: full, workshop or a .yaml path (default: full)",
    )
    new.add_argument("--title", default=None, help="a title for the review (optional)")
    new.add_argument("--draft", metavar="FILE", help="the city's draft file to store and review")
    new.add_argument(
        "--lang", choices=("en", "ja"), help="the draft's language (default: detected)"
    )
    new.add_argument("--received", metavar="DATE", help="when the city sent the draft, YYYY-MM-DD")
    new.add_argument("--ocr", action="store_true", help="read pages without text with OCR")
    new.add_argument("--city-name", metavar="NAME", help="the city's name, when it is new here")
    new.add_argument("--country", help="the city's country, when it is new here")
    new.add_argument("--province", help="the city's province, when it is new here")
    new.add_argument("--coastal", choices=("yes", "no"), help="whether the city is coastal")
    new.add_argument("--hlpf-year", type=int, metavar="YEAR", help="HLPF year of the VLR")
    new.add_argument(
        "--no-map", action="store_true", help="do not map the draft or run the pre-checks now"
    )
    new.set_defaults(func=cmd_new)

    info = sub.add_parser(
        "info",
        parents=[common],
        help="where the workspace is and what it holds",
        description="Show the workspace location (passwords hidden), its database, schema "
        "version, journal mode, the reviewer name changes are recorded under, which access "
        "checks are in force (none on SQLite; the database's own on a team workspace), and how many "
        "reviews, records and history entries it holds. Creates an empty workspace if "
        "there is none yet.",
        epilog="Examples:\n  vlr workspace info\n  vlr workspace info --workspace ~/reviews",
        formatter_class=_RAW,
    )
    info.set_defaults(func=cmd_info)

    reviews = sub.add_parser(
        "reviews",
        parents=[common],
        help="list the reviews in the workspace",
        description="List every review: id, city, draft document and version, status, "
        "reviewers and when it last changed.",
        epilog="Examples:\n  vlr workspace reviews\n  vlr workspace reviews --city san-fernando",
        formatter_class=_RAW,
    )
    reviews.add_argument("--city", help="only reviews of this city (slug, e.g. santa-rosa)")
    reviews.add_argument("--status", help="only reviews with this status")
    reviews.set_defaults(func=cmd_reviews)

    history = sub.add_parser(
        "history",
        parents=[common],
        help="show or export the history of a review",
        description="Show every change to a review, oldest first: when, who, which item, "
        "the action and the new value. On a team workspace 'who' is the database user the "
        "database itself recorded, not a name a client sent. With --csv, write the full history (old and new "
        "values as JSON) as CSV to standard output or to FILE.",
        epilog="Examples:\n  vlr workspace history santa-rosa-v1-1a2b3c4d\n"
        "  vlr workspace history santa-rosa-v1-1a2b3c4d --kind rating --csv history.csv",
        formatter_class=_RAW,
    )
    history.add_argument("review_id", metavar="REVIEW_ID")
    history.add_argument("--kind", help="only items of this kind (e.g. rating)")
    history.add_argument("--key", help="only the item with this key (e.g. A1)")
    history.add_argument(
        "--csv",
        nargs="?",
        const="-",
        metavar="FILE",
        help="write CSV (UTF-8 with BOM, for Excel) to FILE, or to standard output",
    )
    history.set_defaults(func=cmd_history)

    export = sub.add_parser(
        "export",
        parents=[common],
        help="write a review to one bundle file to send to another office",
        description="Write the whole review (its records and full history, the city's profile "
        "and the stored draft file the review works on, with its indicator table and "
        "consultation log) to one .zip bundle with a manifest and SHA-256 checksums. Import it elsewhere with "
        "'vlr workspace import'. The bundle may hold personal data from consultation "
        "records: send it only to people who may see it.",
        epilog="Example:\n  vlr workspace export santa-rosa-v1-1a2b3c4d exports/santa-rosa-review.zip",
        formatter_class=_RAW,
    )
    export.add_argument("review_id", metavar="REVIEW_ID")
    export.add_argument("file", metavar="FILE", help="bundle file (or folder) to write")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="import a review bundle from another office",
        description="Verify a review bundle completely (zip intact, format version, every "
        "checksum, every line) and import it in one transaction. A bundle already imported, "
        "damaged, truncated or changed after export, or a review that already exists here, "
        "is refused and nothing is changed. A city missing here is added from the bundle; a "
        "different local profile is kept (with a warning); a different file stored here for "
        "the same draft version refuses the import.",
        epilog="Example:\n  vlr workspace import santa-rosa-review.zip --reviewer 'A. Reviewer'",
        formatter_class=_RAW,
    )
    imp.add_argument("file", metavar="FILE", help="bundle file made by 'vlr workspace export'")
    imp.set_defaults(func=cmd_import)

    whoami = sub.add_parser(
        "whoami",
        help="show or set the reviewer name recorded with your changes",
        description="Print the reviewer name your changes are recorded under, and where it "
        "comes from. With --set, save the name in your config file "
        "(~/.config/vlr/config.yaml) so every notebook and command uses it.",
        epilog="Examples:\n  vlr workspace whoami\n  vlr workspace whoami --set 'A. Reviewer'",
        formatter_class=_RAW,
    )
    whoami.add_argument("--set", dest="name", metavar="NAME", help="save this name")
    whoami.set_defaults(func=cmd_whoami)


def split_names(text: str) -> list[str]:
    """Names from ``"A. Reviewer, B. Reviewer"``; a comma inside brackets stays in the name."""
    names: list[str] = []
    depth, current = 0, ""
    for char in text:
        if char in "([（":
            depth += 1
        elif char in ")]）":
            depth = max(0, depth - 1)
        if char in ",;、" and depth == 0:
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    return [" ".join(n.split()) for n in names if n.strip()]


def cmd_new(args: argparse.Namespace) -> int:
    from ..checklist import load_template
    from ..intake import (
        add_city,
        add_draft,
        is_sample_city,
        require_city,
        start_review,
        start_sample_review,
    )
    from ..review import open_review
    from ..workspace.cities import CityProfile

    load_template(args.template)  # a wrong template name fails before anything is saved
    reviewers = tuple(split_names(args.reviewers))
    lines: list[str] = []
    with workspace_from_args(args) as ws:
        if ws.find_city(args.city) is None and not is_sample_city(args.city):
            if not args.city_name:
                from ..cities import list_cities
                from ..errors import CityError
                from ..workspace.cities import unknown_city_message

                known = sorted({c.slug for c in ws.cities()} | set(list_cities()))
                raise CityError(
                    unknown_city_message(args.city, known).replace(
                        "add it with `vlr city add",
                        "give --city-name NAME to add it, or `vlr city add",
                    )
                )
            facts = {
                "country": args.country,
                "province": args.province,
                "coastal": {"yes": True, "no": False}.get(args.coastal or ""),
                "hlpf_year": args.hlpf_year,
            }
            if not args.draft:
                add_city(ws, args.city, args.city_name, **facts)
                lines.append(f"added city {args.city} ({args.city_name})")
            new_city = CityProfile(
                slug=args.city,
                name=args.city_name,
                **{k: v for k, v in facts.items() if v is not None},
            )
        else:
            require_city(ws, args.city)
            new_city = None
        if args.draft:
            intake = add_draft(
                ws,
                args.city,
                args.draft,
                version=args.version,
                lang=args.lang,
                received=args.received,
                ocr=args.ocr,
                new_city=new_city,
            )
            if new_city is not None:
                lines.append(f"added city {args.city} ({args.city_name})")
            lines += intake.report()
        map_now = not args.no_map
        if is_sample_city(args.city) and not args.draft:
            review = start_sample_review(
                ws,
                args.city,
                args.version,
                reviewers=reviewers,
                template=args.template,
                map_now=map_now,
                precheck_now=map_now,
            )
            if args.title:
                review = ws.update_review(review.id, title=args.title)
        else:
            review = start_review(
                ws,
                args.city,
                args.version,
                reviewers=reviewers,
                template=args.template,
                title=args.title,
                map_now=map_now,
                precheck_now=map_now,
            ).review
        rv = open_review(ws, review.id)
        if map_now:
            mapped = ws.get(review.id, "mapping_run", "latest")
            paragraphs = (mapped.data.get("paragraphs") or {}) if mapped else {}
            with_goal = sum(1 for p in paragraphs.values() if p.get("matches"))
            lines.append(f"mapped: {with_goal} paragraph(s) with suggested SDG goals")
            lines.append(
                f"pre-checks: {len(ws.records(review.id, 'precheck'))} criteria with suggestions"
            )
        where = ws.location
        name = rv.city_name
    # Only the id goes to standard output, so scripts can write RID=$(vlr workspace new ...).
    print(review.id)
    for line in lines:
        print(line, file=sys.stderr)
    print(
        f"created review {review.id} ({name} draft {review.version}; reviewers: "
        f"{', '.join(review.reviewers)}) in {where}",
        file=sys.stderr,
    )
    rid = review.id
    print(
        "next:\n"
        f"  vlr coverage --review {rid}\n"
        f"  vlr indicators import INDICATORS.xlsx --review {rid}\n"
        f"  vlr consultations import LOG.xlsx --review {rid}\n"
        f"  vlr checklist precheck --review {rid}\n"
        f"  vlr checklist rate {rid} B1 partly_met --pages 3 --comment '...'\n"
        f"  vlr annotations add {rid} --page 3 --quote 'words on the page' --comment '...'\n"
        f"  vlr memo --review {rid}",
        file=sys.stderr,
    )
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        facts = ws.info()
    if facts["reviewer"] is None:
        facts["reviewer"] = "(not set: vlr workspace whoami --set 'Your Name')"
    width = max(len(k) for k in facts)
    for key, value in facts.items():
        print(f"{key.replace('_', ' '):<{width}}  {value}")
    return 0


def cmd_reviews(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        found = ws.reviews(args.city, status=args.status)
    if not found:
        print(f"no reviews in {ws.location}")
        return 0
    rows = [
        (
            r.id,
            r.city,
            f"{r.document} {r.version}",
            r.status,
            ", ".join(r.reviewers),
            f"{r.updated_at:%Y-%m-%d %H:%M} {r.updated_by}",
        )
        for r in found
    ]
    print(text_table(rows, ("id", "city", "draft", "status", "reviewers", "last change (UTC)")))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        if args.csv is not None:
            path = None if args.csv == "-" else args.csv
            text = ws.export_history(args.review_id, path, kind=args.kind, key=args.key)
            if path is None:
                sys.stdout.write(text)
            else:
                print(f"wrote {text.count(chr(10)) - 1} history entries to {path}")
            return 0
        entries = ws.history_entries(args.review_id, args.kind, args.key)
        source = ws.history_source()
    rows = [
        (
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            e.who,
            e.kind,
            e.key,
            e.action,
            e.version,
            short(e.new, 60) if e.new is not None else "",
        )
        for e in entries
    ]
    print(text_table(rows, ("when (UTC)", "who", "kind", "key", "action", "version", "new value")))
    print(f"who: {source}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        path = ws.export_bundle(args.review_id, args.file, overwrite=args.force)
        review = ws.review(args.review_id)
        city = ws.find_city(review.city)
        draft = ws.find_draft(review.city, review.version)
    carried = ["records and history"]
    if city is not None:
        carried.append(f"the profile of {city.name}")
    if draft is not None:
        carried.append(f"draft {draft.version} ({draft.filename})")
    print(f"exported review {review.id} ({review.label}) to {path}: {', '.join(carried)}")
    if city is None:
        print(
            f"warning: no profile of city {review.city!r} is in this workspace, so the bundle "
            "carries none",
            file=sys.stderr,
        )
    if draft is None:
        print(
            f"warning: no draft {review.version!r} of {review.city!r} is stored in this "
            "workspace, so the bundle carries no draft file; the receiving office must add it "
            f"(vlr draft add {review.city} FILE --version {review.version})",
            file=sys.stderr,
        )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        review = ws.import_bundle(args.file)
        count = len(ws.records(review.id))
        notes = ws.import_notes(review.id)
    print(f"imported review {review.id} ({review.label}, {count} items) into {ws.location}")
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    return 0


def cmd_whoami(args: argparse.Namespace) -> int:
    if args.name:
        path = save_reviewer(args.name)
        print(f"saved reviewer name {args.name.strip()!r} in {path}")
        if os.environ.get("VLR_REVIEWER", "").strip():
            print("note: the environment variable VLR_REVIEWER is set and takes precedence")
        return 0
    name = configured_reviewer()
    if name is None:
        print(
            f"no reviewer name set; set one with: vlr workspace whoami --set 'Your Name' ({config_path()})"
        )
        return 1
    if hub_user() is not None:
        source = "your account on the team hub"
    elif os.environ.get("VLR_REVIEWER", "").strip():
        source = "VLR_REVIEWER"
    else:
        source = str(config_path())
    print(f"{name} (from {source})")
    return 0
