"""``vlr annotations``: list, export, import, carry over and re-anchor passage annotations."""

from __future__ import annotations

import argparse
import sys

from .._shared import clip
from ._common import show_help, text_table
from .workspace import add_workspace_option, workspace_from_args

_RAW = argparse.RawDescriptionHelpFormatter


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr annotations`` and its subcommands."""
    parser = subparsers.add_parser(
        "annotations",
        help="comments anchored to passages of a draft: list, exchange, carry over",
        description="Reviewers' remarks anchored to the exact words of a draft VLR (page, "
        "paragraph, quote with context), with a kind, links to a checklist criterion and "
        "SDG codes, replies and a status. List them, exchange them with other annotation "
        "tools (CSV, XLSX, W3C Web Annotation JSON-LD) and find them again in the city's "
        "next draft.",
        epilog="Examples:\n  vlr annotations list san-fernando-v1-1a2b3c4d --kind question\n"
        "  vlr annotations export san-fernando-v1-1a2b3c4d notes.jsonld\n"
        "  vlr annotations carry-over san-fernando-v1-1a2b3c4d san-fernando-v2-5e6f7a8b",
        formatter_class=_RAW,
    )
    parser.set_defaults(func=lambda args: show_help(parser))
    sub = parser.add_subparsers(dest="annotations_command", metavar="SUBCOMMAND")

    common = argparse.ArgumentParser(add_help=False)
    add_workspace_option(common)

    add = sub.add_parser(
        "add",
        parents=[common],
        help="comment on a passage of the review's stored draft",
        description="Anchor a remark to the exact words of the review's stored draft: the "
        "quote must be on the page given (matched ignoring case, width and spacing). Saved at "
        "once in the workspace, with history. Kinds: question, correction, missing_evidence, "
        "suggestion, good_practice.",
        epilog="Examples:\n  vlr annotations add baguio-v1-1a2b3c4d --page 12 "
        "--quote 'city-wide totals' --comment 'Break these down by sex and barangay.' "
        "--kind missing_evidence --criterion C4 --sdg 5.1",
        formatter_class=_RAW,
    )
    add.add_argument("review_id", metavar="REVIEW_ID")
    add.add_argument("--page", type=int, required=True, help="page of the draft (1 = first)")
    add.add_argument("--quote", required=True, help="the words on that page you comment on")
    add.add_argument("--comment", required=True, help="your remark")
    add.add_argument(
        "--kind",
        default="question",
        help="question, correction, missing_evidence, suggestion or good_practice "
        "(default: question)",
    )
    add.add_argument(
        "--paragraph", help="paragraph reference, e.g. p12.3 (when the quote is twice on the page)"
    )
    add.add_argument("--criterion", help="checklist criterion, e.g. C4")
    add.add_argument("--sdg", default="", help="goals, targets or indicators, e.g. '5, 11.6'")
    add.set_defaults(func=cmd_add)

    ls = sub.add_parser(
        "list",
        parents=[common],
        help="list a review's annotations",
        description="List the annotations of a review in page order: id, page, paragraph, "
        "kind, status, linked criterion and SDGs, reviewer, number of replies, the quote and "
        "the comment. Filters combine.",
        epilog="Examples:\n  vlr annotations list san-fernando-v1-1a2b3c4d\n"
        "  vlr annotations list san-fernando-v1-1a2b3c4d --sdg 14 --status open",
        formatter_class=_RAW,
    )
    ls.add_argument("review_id", metavar="REVIEW_ID")
    ls.add_argument("--page", type=int, help="only annotations on this page")
    ls.add_argument(
        "--kind", help="question, correction, missing_evidence, suggestion, good_practice"
    )
    ls.add_argument("--criterion", help="checklist criterion (C4) or area (C)")
    ls.add_argument("--sdg", help="goal, target or indicator (14 includes 14.5 and 14.5.1)")
    ls.add_argument("--by", metavar="NAME", help="only annotations made by reviewer NAME")
    ls.add_argument("--status", help="open, resolved or withdrawn")
    ls.set_defaults(func=cmd_list)

    export = sub.add_parser(
        "export",
        parents=[common],
        help="write a review's annotations to CSV, XLSX or JSON-LD",
        description="Write every annotation and reply of a review to FILE. CSV and XLSX have "
        "one row per annotation or reply (cells that a spreadsheet would run as a formula "
        "are prefixed with an apostrophe); JSON-LD follows the W3C Web Annotation Data Model "
        "(TextQuoteSelector with exact/prefix/suffix, a page FragmentSelector, replies with "
        "motivation 'replying'). The format comes from --format or the file extension.",
        epilog="Examples:\n  vlr annotations export san-fernando-v1-1a2b3c4d notes.xlsx\n"
        "  vlr annotations export san-fernando-v1-1a2b3c4d notes.json --format jsonld",
        formatter_class=_RAW,
    )
    export.add_argument("review_id", metavar="REVIEW_ID")
    export.add_argument("file", metavar="FILE")
    export.add_argument("--format", choices=("csv", "xlsx", "jsonld"), help="default: from FILE")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="read annotations from CSV, XLSX or JSON-LD into a review",
        description="Import annotations and replies exported by this tool or another "
        "Web Annotation tool. Everything is checked first; if any row or item has a problem "
        "they are all listed (file, row or item, column) and nothing is imported. Annotations "
        "the review already has (same id) are skipped. Annotations made on another file "
        "than the review's draft need --draft: their quotes are found in it.",
        epilog="Examples:\n  vlr annotations import san-fernando-v1-1a2b3c4d notes.jsonld\n"
        "  vlr annotations import santa-rosa-v1-9c8d7e6f hypothesis.json --draft draft.pdf",
        formatter_class=_RAW,
    )
    imp.add_argument("review_id", metavar="REVIEW_ID")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--format", choices=("csv", "xlsx", "jsonld"), help="default: from FILE")
    imp.add_argument("--draft", metavar="DRAFT", help="draft file to find the quotes in")
    imp.set_defaults(func=cmd_import)

    carry = sub.add_parser(
        "carry-over",
        parents=[common],
        help="find an earlier review's open annotations in the new draft",
        description="Re-anchor each open annotation of review OLD_ID in the draft of review "
        "NEW_ID (exact quote first, then a fuzzy match that tolerates edits), save them in "
        "NEW_ID with a link to the original, and report per annotation: found unchanged, "
        "found changed (old and new wording) or not found (passage removed). The new draft "
        "is --draft, else NEW_ID's stored draft.",
        epilog="Examples:\n  vlr annotations carry-over san-fernando-v1-1a2b3c4d "
        "san-fernando-v2-5e6f7a8b\n  vlr annotations carry-over baguio-v1-1a2b3c4d "
        "baguio-v2-5e6f7a8b --draft baguio-draft-v2.pdf",
        formatter_class=_RAW,
    )
    carry.add_argument("old_id", metavar="OLD_ID")
    carry.add_argument("new_id", metavar="NEW_ID")
    carry.add_argument("--draft", metavar="DRAFT", help="the new draft file")
    carry.set_defaults(func=cmd_carry_over)

    re_anchor = sub.add_parser(
        "reanchor",
        parents=[common],
        help="move a review's annotations onto a re-ingested copy of its draft",
        description="When the review's draft was read again from another file (the DOCX "
        "instead of the PDF, a re-exported PDF) or with different page breaks, find each "
        "annotation's quote in DRAFT and update its page, paragraph and offsets; report what "
        "moved and what was not found. The annotations' comments are never lost. Without "
        "--draft, the review's stored draft is used (after `vlr draft add --replace`).",
        epilog="Examples:\n  vlr annotations reanchor baguio-v1-9c8d7e6f\n"
        "  vlr annotations reanchor santa-rosa-v1-9c8d7e6f --draft draft-v1.docx",
        formatter_class=_RAW,
    )
    re_anchor.add_argument("review_id", metavar="REVIEW_ID")
    re_anchor.add_argument(
        "--draft", metavar="DRAFT", help="the draft file (default: the review's stored draft)"
    )
    re_anchor.set_defaults(func=cmd_reanchor)


def cmd_list(args: argparse.Namespace) -> int:
    from ..annotations import annotations_frame

    with workspace_from_args(args) as ws:
        frame = annotations_frame(
            ws, args.review_id, page=args.page, kind=args.kind, criterion=args.criterion,
            sdg=args.sdg, reviewer=args.by, status=args.status,
        )  # fmt: skip
    if frame.empty:
        print(f"no annotations in review {args.review_id} match")
        return 0
    rows = [
        (
            r.id,
            "-" if r.page is None or str(r.page) == "<NA>" else r.page,
            r.paragraph or "-",
            r.kind,
            r.status,
            "; ".join(x for x in (r.criterion, r.sdg) if x) or "-",
            r.reviewer,
            r.replies,
            f"“{clip(str(r.quote), 40)}” {clip(str(r.comment), 60)}",
        )
        for r in frame.itertuples()
    ]
    header = (
        "id",
        "page",
        "para",
        "kind",
        "status",
        "links",
        "reviewer",
        "replies",
        "quote / comment",
    )
    print(text_table(rows, header))
    print(f"{len(frame)} annotation(s)")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from ..annotations.store import annotate, draft_for_review

    with workspace_from_args(args) as ws:
        draft = draft_for_review(ws, args.review_id)
        made = annotate(
            ws,
            args.review_id,
            draft,
            page=args.page,
            quote=args.quote,
            comment=args.comment,
            kind=args.kind,
            paragraph=args.paragraph,
            criterion=args.criterion,
            sdg=args.sdg,
        )
    print(made.id)
    print(
        f"saved annotation {made.id} on page {args.page} of {draft.name} in review "
        f"{args.review_id}",
        file=sys.stderr,
    )
    if " ".join(made.quote.split()) != " ".join(str(args.quote).split()):
        # matched another form (a dash with a space, a plural...): say what is quoted
        print(f"the draft has {made.quote!r}: the annotation quotes that", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..annotations import export_annotations, list_annotations

    with workspace_from_args(args) as ws:
        path = export_annotations(ws, args.review_id, args.file, format=args.format)
        n = len(list_annotations(ws, args.review_id))
    print(f"wrote {n} annotation(s) of review {args.review_id} to {path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..annotations import import_annotations
    from ..documents import load_draft

    draft = load_draft(args.draft) if args.draft else None
    with workspace_from_args(args) as ws:
        result = import_annotations(ws, args.review_id, args.file, format=args.format, draft=draft)
    print(result.summary)
    return 0


def _report(frame: object) -> None:
    from ..i18n import t

    rows = [
        (
            r.annotation_id,
            t(f"annotations.outcome.{r.outcome}", "en"),
            f"{r.similarity:.0f}",
            r.old_page if str(r.old_page) != "<NA>" else "-",
            r.new_page if str(r.new_page) != "<NA>" else "-",
            clip(str(r.old_quote), 45),
            clip(str(r.new_quote), 45) if r.outcome == "found_changed" else "",
        )
        for r in frame.itertuples()  # type: ignore[attr-defined]
    ]
    print(
        text_table(
            rows,
            ("annotation", "outcome", "sim.", "old p.", "new p.", "old wording", "new wording"),
        )
    )
    counts = frame["outcome"].value_counts().to_dict()  # type: ignore[index]
    print(
        f"{len(rows)} annotation(s): {counts.get('found_unchanged', 0)} found unchanged, "
        f"{counts.get('found_changed', 0)} found changed, {counts.get('not_found', 0)} not found"
        + (
            f", {counts['conflict']} not moved (changed meanwhile)"
            if counts.get("conflict")
            else ""
        )
    )


def cmd_carry_over(args: argparse.Namespace) -> int:
    from ..annotations import carry_over, draft_for_review

    with workspace_from_args(args) as ws:
        draft = draft_for_review(ws, args.new_id, args.draft)
        frame = carry_over(ws, args.old_id, args.new_id, draft)
    print(f"carried the open annotations of {args.old_id} into {args.new_id} ({draft.name})")
    _report(frame)
    return 0


def cmd_reanchor(args: argparse.Namespace) -> int:
    from ..annotations import reanchor
    from ..annotations.store import draft_for_review

    with workspace_from_args(args) as ws:
        draft = draft_for_review(ws, args.review_id, args.draft)
        frame = reanchor(ws, args.review_id, draft)
    print(f"re-anchored the annotations of {args.review_id} in {draft.name}")
    _report(frame)
    return 0
