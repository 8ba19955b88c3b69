"""``vlr checklist``: the peer-review checklist from the command line.

Show a template's criteria, run the pre-checks on a sample draft, rate a
criterion, settle a disputed one, summarise a review, copy a template to
edit it, and compare two drafts section by section.
"""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from ..errors import ChecklistError
from ..i18n import LANGUAGES, t
from ._common import show_help

_RAW = argparse.RawDescriptionHelpFormatter


def _workspace_options(parser: argparse.ArgumentParser) -> None:
    from .workspace import add_workspace_option

    add_workspace_option(parser)


def _open(args: argparse.Namespace) -> Any:
    from .workspace import workspace_from_args

    return workspace_from_args(args)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr checklist`` and its subcommands."""
    parser = subparsers.add_parser(
        "checklist",
        help="peer-review checklist: criteria, pre-checks, ratings, summary",
        description="Rate a draft VLR against a checklist drawn from the international VLR "
        "guidelines (areas A-H), with page evidence, recommendations and several reviewers.",
        epilog="Examples:\n  vlr checklist show --lang ja\n  vlr checklist precheck --city san-fernando\n"
        "  vlr checklist summary santa-rosa-v1-1a2b3c4d",
        formatter_class=_RAW,
    )
    parser.set_defaults(func=lambda args: show_help(parser))
    sub = parser.add_subparsers(dest="checklist_command", metavar="SUBCOMMAND")

    show = sub.add_parser(
        "show",
        help="print a template's criteria",
        description="Print the criteria of a checklist template, area by area: the question, "
        "what good looks like and where the criterion comes from.",
        epilog="Example:\n  vlr checklist show --template workshop --lang ja\n"
        "  vlr checklist show --area C",
        formatter_class=_RAW,
    )
    show.add_argument(
        "--template",
        default="full",
        metavar="NAME",
        help="template name or .yaml path (default: full)",
    )
    show.add_argument("--lang", choices=LANGUAGES, default="en")
    show.add_argument("--area", metavar="LETTER", help="only this area (A-H)")
    show.set_defaults(func=_show)

    copy = sub.add_parser(
        "copy",
        help="copy a template to edit it",
        description="Copy a checklist template (keeping its comments) under a new name so you can "
        "edit its criteria. The copy records which template and version it is based on; a "
        "review rated against it records the copy's name and version.",
        epilog="Example:\n  vlr checklist copy full my-city-checklist\n"
        "  vlr checklist copy workshop ./workshop-2025.yaml",
        formatter_class=_RAW,
    )
    copy.add_argument(
        "template", metavar="NAME", help="template to copy (full, workshop or a path)"
    )
    copy.add_argument("dest", metavar="DEST", help="new name, .yaml path or folder")
    copy.set_defaults(func=_copy)

    pre = sub.add_parser(
        "precheck",
        help="suggest ratings from the draft, indicators and consultation log",
        description="Run the automatic pre-checks on a review's stored draft, indicator table "
        "and consultation log: each suggestion names a criterion, a suggested rating, the "
        "reason and the evidence. Suggestions are kept in the review but are not ratings: a "
        "reviewer confirms or overrides each one. With --score (sample cities only), compare "
        "them with the city's answer key (weaknesses found and missed, false alarms).",
        epilog="Example:\n  vlr checklist precheck --review baguio-v1-1a2b3c4d\n"
        "  vlr checklist precheck --city san-fernando --version v1 --lang ja\n"
        "  vlr checklist precheck --city santa-rosa --score",
        formatter_class=_RAW,
    )
    pre.add_argument("--review", metavar="ID", help="the review (see vlr workspace reviews)")
    pre.add_argument(
        "--city", metavar="SLUG", help="shortcut to the city's latest review, e.g. san-fernando"
    )
    pre.add_argument("--version", default=None, help="draft version (default: latest)")
    pre.add_argument(
        "--hlpf-year", type=int, default=None, help="HLPF year (default: the city's VLR year)"
    )
    pre.add_argument("--lang", choices=LANGUAGES, default="en")
    pre.add_argument("--score", action="store_true", help="measure against the city's answer key")
    _workspace_options(pre)
    pre.set_defaults(func=_precheck)

    rate = sub.add_parser(
        "rate",
        help="rate one criterion of a review",
        description="Record your rating of one criterion, saved at once in the workspace. Pages "
        "are checked against the draft's real page count. Ratings: met, partly_met, not_met, "
        "not_applicable. Priorities: high, medium, low.",
        epilog="Example:\n  vlr checklist rate santa-rosa-v1-1a2b3c4d C4 not_met --pages 22 "
        '--comment "No disaggregated data" --recommendation "Use CBMS by barangay" --priority high',
        formatter_class=_RAW,
    )
    rate.add_argument("review", metavar="REVIEW_ID")
    rate.add_argument("criterion", metavar="CRITERION", help="criterion id, e.g. C4")
    rate.add_argument("rating", metavar="RATING", help="met, partly_met, not_met or not_applicable")
    rate.add_argument("--pages", default="", help="pages of the draft, e.g. '12, 14-16'")
    rate.add_argument("--comment", default="")
    rate.add_argument("--recommendation", default="")
    rate.add_argument("--priority", default="medium", help="high, medium or low (default: medium)")
    rate.add_argument(
        "--expected-version",
        type=int,
        default=None,
        help="fail if the rating changed since this version",
    )
    _workspace_options(rate)
    rate.set_defaults(func=_rate)

    final = sub.add_parser(
        "final",
        help="lead reviewer: settle a criterion's final rating",
        description="Set the final rating of a criterion, with a note saying why. Only the "
        "review's lead reviewer may do this.",
        epilog='Example:\n  vlr checklist final santa-rosa-v1-1a2b3c4d A1 not_met --note "Placeholder message"',
        formatter_class=_RAW,
    )
    final.add_argument("review", metavar="REVIEW_ID")
    final.add_argument("criterion", metavar="CRITERION")
    final.add_argument("rating", metavar="RATING")
    final.add_argument("--note", default="")
    _workspace_options(final)
    final.set_defaults(func=_final)

    summary = sub.add_parser(
        "summary",
        help="progress, ratings by area and top recommendations of a review",
        description="Summarise a review: the share of criteria rated per area, the ratings by "
        "area, the top-priority recommendations, criteria still disputed between reviewers "
        "and ratings kept for criteria the template no longer has.",
        epilog="Example:\n  vlr checklist summary santa-rosa-v1-1a2b3c4d --lang ja --top 5",
        formatter_class=_RAW,
    )
    summary.add_argument("review", metavar="REVIEW_ID")
    summary.add_argument("--lang", choices=LANGUAGES, default="en")
    summary.add_argument(
        "--top", type=int, default=10, help="how many recommendations (default 10)"
    )
    _workspace_options(summary)
    summary.set_defaults(func=_summary)

    carry = sub.add_parser(
        "carry-over",
        help="bring an earlier draft's recommendations into the next draft's review",
        description="Copy every recommendation of the review of the earlier draft (OLD_ID) "
        "into the review of the city's next draft (NEW_ID) as items to check, and list them "
        "with what the city answered in its response sheet (vlr recommendations import). "
        "Running it again adds new items and keeps the ones already checked.",
        epilog="Example:\n  vlr checklist carry-over san-fernando-v1-1a2b3c4d "
        "san-fernando-v2-5e6f7a8b",
        formatter_class=_RAW,
    )
    carry.add_argument("old", metavar="OLD_ID")
    carry.add_argument("new", metavar="NEW_ID")
    carry.add_argument("--lang", choices=LANGUAGES, default="en")
    _workspace_options(carry)
    carry.set_defaults(func=_carry_over)

    carried = sub.add_parser(
        "carried",
        help="the earlier recommendations carried into a review, the city's answers, their status",
        description="One line per recommendation carried over from the earlier draft: the "
        "city's response and planned action (from its response sheet) and whether the new "
        "draft did it (vlr checklist addressed).",
        epilog="Example:\n  vlr checklist carried san-fernando-v2-5e6f7a8b --lang ja",
        formatter_class=_RAW,
    )
    carried.add_argument("review", metavar="REVIEW_ID")
    carried.add_argument("--lang", choices=LANGUAGES, default="en")
    _workspace_options(carried)
    carried.set_defaults(func=_carried)

    addressed = sub.add_parser(
        "addressed",
        help="record whether the new draft did what an earlier recommendation asked",
        description="Mark a carried-over recommendation as addressed, partly or not_addressed "
        "in the new draft, citing the new draft's pages.",
        epilog="Example:\n  vlr checklist addressed san-fernando-v2-5e6f7a8b H1 addressed "
        '--pages 24 --note "Follow-up table added"',
        formatter_class=_RAW,
    )
    addressed.add_argument("review", metavar="REVIEW_ID")
    addressed.add_argument("criterion", metavar="CRITERION")
    addressed.add_argument("status", metavar="STATUS", help="addressed, partly or not_addressed")
    addressed.add_argument("--pages", default="", help="pages of the new draft, e.g. 24 or 3-5")
    addressed.add_argument("--note", default="")
    _workspace_options(addressed)
    addressed.set_defaults(func=_addressed)

    compare = sub.add_parser(
        "compare",
        help="compare two drafts section by section",
        description="Line up two drafts by section heading and say which sections were added, "
        "removed or changed (with a similarity ratio and the sentences added or removed).",
        epilog="Example:\n  vlr checklist compare --city san-fernando v1 v2\n"
        "  vlr checklist compare old.pdf new.pdf",
        formatter_class=_RAW,
    )
    compare.add_argument("old", metavar="OLD", help="a draft file, or a version with --city")
    compare.add_argument("new", metavar="NEW", help="a draft file, or a version with --city")
    compare.add_argument(
        "--city", metavar="SLUG", help="sample city whose versions OLD and NEW are"
    )
    compare.add_argument("--all", action="store_true", help="list unchanged sections too")
    compare.add_argument("--lang", choices=LANGUAGES, default="en")
    _workspace_options(compare)
    compare.set_defaults(func=_compare)


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent)


def _show(args: argparse.Namespace) -> int:
    from ..checklist import load_template

    tpl = load_template(args.template)
    lang = args.lang
    print(
        t(
            "checklist.cli.template_header",
            lang,
            title=tpl.title(lang),
            name=tpl.name,
            version=tpl.version,
            count=len(tpl),
        )
    )
    for area in tpl.areas:
        if args.area and area.code != args.area.upper():
            continue
        criteria = [c for c in tpl.criteria if c.area == area.code]
        if not criteria:
            continue
        print()
        print(area.label(lang))
        for c in criteria:
            head = f"  {c.id:<4}"
            if lang == "en":
                print(
                    textwrap.fill(
                        c.question(lang),
                        width=100,
                        initial_indent=head,
                        subsequent_indent=" " * len(head),
                    )
                )
            else:
                print(head + c.question(lang))
            print(f"      {t('checklist.cli.good_label', lang)}{_sep(lang)}{c.good(lang)}")
            print(f"      {t('checklist.cli.source_label', lang)}{_sep(lang)}{c.source}")
    return 0


def _copy(args: argparse.Namespace) -> int:
    from ..checklist import copy_template

    path = copy_template(args.template, args.dest)
    print(f"copied {args.template} to {path}; edit it, then use --template {path}")
    return 0


def _precheck(args: argparse.Namespace) -> int:
    from ..checklist import rating_label, score_prechecks
    from ..checklist.precheck import precheck_review
    from .workspace import review_from_args

    lang = args.lang
    rv = review_from_args(_open(args), args)
    suggestions = precheck_review(rv, hlpf_year=args.hlpf_year, save=True)
    version = rv.version
    city_label = rv.city_name
    if not suggestions:
        print(t("checklist.cli.no_suggestions", lang))
    else:
        print(t("checklist.cli.suggestions_header", lang, city=city_label, version=version))
        for s in suggestions:
            print(
                f"  {s.criterion_id}  [{t('checklist.suggested_short', lang)}] {rating_label(s.rating, lang)}"
            )
            print(_wrap(s.reason(lang), "      ") if lang == "en" else f"      {s.reason(lang)}")
            if s.evidence:
                print(
                    f"      {t('checklist.col.evidence', lang)}{_sep(lang)}{', '.join(s.evidence[:12])}"
                )
    if args.score:
        from ..intake import is_sample_city

        if not is_sample_city(rv.slug):
            print(f"no answer key for {rv.slug}: only the sample cities have one")
            return 0
        score = score_prechecks(rv.slug, rv.version, suggestions=suggestions)
        print()
        print(
            f"answer key ({score['city']} {score['version']}): {len(score['found'])} of {score['weaknesses']} "
            f"planted weaknesses found ({score['hit_rate']:.0%}), {len(score['false_alarms'])} false alarm(s)"
        )
        if score["missed"]:
            print(f"  missed: {', '.join(score['missed'])}")
        for item in score["other_criterion"]:
            print(
                f"  {item['weakness']}: found under {item['suggested']}, key says {', '.join(item['key_criteria'])}"
            )
        for fa in score["false_alarms"]:
            print(f"  false alarm: {fa['criterion_id']} {fa['kind']} ({fa['rating']})")
    return 0


def _rate(args: argparse.Namespace) -> int:
    from ..checklist import rate, rating_label

    ws = _open(args)
    r = rate(
        ws,
        args.review,
        args.criterion,
        args.rating,
        pages=args.pages,
        comment=args.comment,
        recommendation=args.recommendation,
        priority=args.priority,
        reviewer=args.reviewer,
        expected_version=args.expected_version,
    )
    print(
        t(
            "checklist.cli.saved",
            "en",
            criterion=r.criterion_id,
            rating=rating_label(r.rating),
            reviewer=r.reviewer,
            version=r.version,
        )
    )
    return 0


def _final(args: argparse.Namespace) -> int:
    from ..checklist import lead_reviewer, rating_label, set_final

    ws = _open(args)
    try:
        f = set_final(
            ws, args.review, args.criterion, args.rating, note=args.note, reviewer=args.reviewer
        )
    except ChecklistError as exc:
        if not str(exc).startswith("only the lead reviewer"):
            raise
        lead = lead_reviewer(ws, args.review)
        who = " ".join(str(args.reviewer or ws.reviewer or "").split())
        # The library's message names rate(); on the command line the command is what helps.
        raise ChecklistError(
            f"only the lead reviewer ({lead}) sets final ratings; {who} can record a rating "
            f"with: vlr checklist rate {args.review} {args.criterion} {args.rating}"
        ) from None
    print(f"final rating of {f.criterion_id}: {rating_label(f.rating)} (set by {f.decided_by})")
    return 0


def _carry_over(args: argparse.Namespace) -> int:
    from ..checklist import carry_over

    ws = _open(args)
    items = carry_over(ws, args.old, args.new, reviewer=args.reviewer)
    print(f"{len(items)} recommendations of {args.old} carried into {args.new}")
    return _print_carried(ws, args.new, args.lang)


def _carried(args: argparse.Namespace) -> int:
    return _print_carried(_open(args), args.review, args.lang)


def _print_carried(ws: Any, review_id: str, lang: str) -> int:
    from ..checklist import carryover_frame
    from ._common import text_table

    frame = carryover_frame(ws, review_id, lang)
    if frame.empty:
        print(f"review {review_id} has no recommendation carried over from an earlier draft")
        return 0
    rows = [
        (
            r.criterion_id,
            r.priority,
            (r.recommendation.splitlines() or [""])[0][:46],
            r.city_response or "-",
            (r.planned_action or "-")[:30],
            r.target_date or "-",
            r.status_label + (f" ({r.pages})" if r.pages else ""),
        )
        for r in frame.itertuples()
    ]
    header = ("id", "priority", "recommendation", "city's response", "planned action", "due")
    print(text_table(rows, (*header, "in this draft")))
    return 0


def _addressed(args: argparse.Namespace) -> int:
    from ..checklist import mark_addressed

    ws = _open(args)
    item = mark_addressed(
        ws,
        args.review,
        args.criterion,
        args.status,
        pages=args.pages,
        note=args.note,
        reviewer=args.reviewer,
    )
    pages = f" on p. {', '.join(str(p) for p in item.pages)}" if item.pages else ""
    print(f"{item.criterion_id}: {item.status_label()}{pages} (checked by {item.checked_by})")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from ..checklist import (
        disputed,
        orphaned_ratings,
        progress_frame,
        ratings_by_area,
        top_recommendations,
    )

    ws = _open(args)
    lang = args.lang
    review = ws.review(args.review)
    print(f"{review.label} ({review.id})")
    print()
    print(t("checklist.cli.progress_header", lang))
    progress = progress_frame(ws, args.review, lang)
    by_area = ratings_by_area(ws, args.review, lang).set_index("area")
    for row in progress.itertuples():
        line = f"  {row.area:<4} {row.rated:>2}/{row.criteria:<2} {row.share_rated:>5.0%}  {row.area_name}"
        if row.area in by_area.index:
            counts = by_area.loc[row.area]
            parts = [
                f"{k}={int(counts[k])}"
                for k in ("met", "partly_met", "not_met", "not_applicable", "disputed")
                if int(counts[k])
            ]
            line += f"  ({', '.join(parts)})" if parts else ""
        print(line)
    top = top_recommendations(ws, args.review, n=args.top, lang=lang)
    print()
    print(t("checklist.cli.top_header", lang))
    for row in top.itertuples():
        print(f"  {row.criterion_id} [{row.priority_label}; {row.rating_label}]")
        print(
            _wrap(row.recommendation, "      ") if lang == "en" else f"      {row.recommendation}"
        )
    open_ids = disputed(ws, args.review)
    if open_ids:
        print()
        print(t("checklist.cli.disputed_header", lang) + ": " + ", ".join(open_ids))
    orphans = orphaned_ratings(ws, args.review)
    if orphans:
        print()
        print(t("checklist.cli.orphaned_header", lang))
        for r in orphans:
            print(f"  {r.criterion_id} {r.reviewer}: {r.rating}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from ..checklist import compare_drafts

    old, new = args.old, args.new
    if args.city:
        from ..checklist.versions import review_draft
        from ..review import resolve_review

        ws = _open(args)
        drafts = []
        for version in (old, new):
            rv = resolve_review(ws, None, city=args.city, version=version)
            drafts.append(review_draft(ws, rv.id))
        old, new = drafts
    frame = compare_drafts(old, new, lang=args.lang)
    counts = frame["status"].value_counts().to_dict()
    print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    for row in frame.itertuples():
        if row.status == "unchanged" and not args.all:
            continue
        heading = row.new_heading or row.old_heading
        pages = f"p. {row.old_pages or '-'} -> p. {row.new_pages or '-'}"
        sim = f" similarity {row.similarity:.2f}" if row.status == "changed" else ""
        print(f"[{row.status_label}] {heading} ({pages}){sim}")
        for line in str(row.diff).splitlines()[:4]:
            print(f"    {line}")
    return 0


def _sep(lang: str) -> str:
    """The label separator: a full-width colon in Japanese."""
    return "：" if lang == "ja" else ": "
