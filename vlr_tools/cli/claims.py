"""``vlr claims``: the figures and trends of a draft checked against its indicator table.

``vlr claims --review ID`` lists the figures to check: each suggestion with
the draft's words and page, the table's value and row, and why. A reviewer
confirms or dismisses each one (``confirm`` / ``dismiss``, a dismissal with
the reason), and says which indicator a sentence is about when it could be
two (``link``).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Any

from ..i18n import LANGUAGES, t

_RAW = argparse.RawDescriptionHelpFormatter


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr claims`` and its subcommands."""
    from .workspace import add_workspace_option

    parser = subparsers.add_parser(
        "claims",
        help="figures and trends in the draft's text checked against its indicator table",
        description="Read the figures, trends and statuses the draft states (in its text and "
        "its own tables), link each to an indicator of the review's table, and list the "
        "ones to check: a value that differs from the table (beyond the rounding written), "
        "a trend word the table contradicts, a status ('on track', 'achieved') the data do "
        "not support, an older year quoted as current, two different values for one year. "
        "Each is a suggestion with the draft's page and the table's row; confirm or dismiss "
        "it with the subcommands below. With --score (sample cities), compare with the "
        "city's answer key.",
        epilog="Examples:\n  vlr claims --review baguio-v1-1a2b3c4d\n"
        "  vlr claims --city santa-rosa --lang ja\n"
        "  vlr claims --city san-fernando --version v1 --score\n"
        "  vlr claims --review baguio-v1-1a2b3c4d --claims\n"
        '  vlr claims confirm baguio-v1-1a2b3c4d F0d8ec0 --note "Ask the CPDO which is right"\n'
        '  vlr claims dismiss baguio-v1-1a2b3c4d F38ef55 --reason "Target agreed after the draft"\n'
        "  vlr claims link baguio-v1-1a2b3c4d p21.4#2 BG-IND-17",
        formatter_class=_RAW,
    )
    parser.add_argument("--review", metavar="ID", help="the review (see vlr workspace reviews)")
    parser.add_argument(
        "--city", metavar="SLUG", help="shortcut to the city's latest review, e.g. santa-rosa"
    )
    parser.add_argument("--version", default=None, help="draft version (default: latest)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en")
    parser.add_argument(
        "--all", action="store_true", help="list confirmed and dismissed ones too, with the notes"
    )
    parser.add_argument(
        "--claims",
        action="store_true",
        help="list every claim read, with the indicator it was linked to, the score and why",
    )
    parser.add_argument(
        "--score", action="store_true", help="measure against the sample city's answer key"
    )
    add_workspace_option(parser)
    parser.set_defaults(func=_list)
    sub = parser.add_subparsers(dest="claims_command", metavar="SUBCOMMAND")

    confirm = sub.add_parser(
        "confirm",
        help="confirm a suggestion (it goes into the memo with both pages)",
        description="Confirm a figure check: the draft and the table disagree. The memo "
        "lists confirmed checks with the draft's page and the table's row.",
        epilog='Example:\n  vlr claims confirm baguio-v1-1a2b3c4d F0d8ec0 --note "Ask the CPDO"',
        formatter_class=_RAW,
    )
    confirm.add_argument("review", metavar="REVIEW_ID")
    confirm.add_argument(
        "check", metavar="CHECK_ID", help="the id listed by vlr claims, e.g. F0d8ec0"
    )
    confirm.add_argument("--note", default="", help="your note for the memo (optional)")
    add_workspace_option(confirm)
    confirm.set_defaults(func=_confirm)

    dismiss = sub.add_parser(
        "dismiss",
        help="dismiss a suggestion, with the reason (kept with the review)",
        description="Dismiss a figure check that is not a problem (a provincial figure, a "
        "revised value, a different definition). The reason is required and kept in the "
        "review's history; the check is not offered again.",
        epilog='Example:\n  vlr claims dismiss baguio-v1-1a2b3c4d F38ef55 --reason "Target set in the CDP"',
        formatter_class=_RAW,
    )
    dismiss.add_argument("review", metavar="REVIEW_ID")
    dismiss.add_argument("check", metavar="CHECK_ID")
    dismiss.add_argument("--reason", default="", help="why it is not a problem (required)")
    add_workspace_option(dismiss)
    dismiss.set_defaults(func=_dismiss)

    link = sub.add_parser(
        "link",
        help="say which indicator a sentence is about (when it could be two)",
        description="Tie a claim to an indicator of the review's table (or 'none'), when the "
        "workbench could not tell which of two indicators a sentence is about. The checks "
        "then use it.",
        epilog="Example:\n  vlr claims link baguio-v1-1a2b3c4d p21.4#2 BG-IND-17\n"
        "  vlr claims link baguio-v1-1a2b3c4d p21.4#2 none",
        formatter_class=_RAW,
    )
    link.add_argument("review", metavar="REVIEW_ID")
    link.add_argument("claim", metavar="CLAIM_ID", help="the claim, e.g. p21.4#2")
    link.add_argument("indicator", metavar="INDICATOR_ID", help="an indicator id, or none")
    add_workspace_option(link)
    link.set_defaults(func=_link)


def _open(args: argparse.Namespace) -> Any:
    from .workspace import workspace_from_args

    return workspace_from_args(args)


def _wrap(text: str, indent: str, lang: str) -> str:
    if lang == "ja":
        return indent + text
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent)


def _sep(lang: str) -> str:
    return "：" if lang == "ja" else ": "


def print_check(check: Any, lang: str, *, out: Any = None) -> None:
    """One suggestion as the command lists it: kind, pages, both sides, why."""
    out = out or sys.stdout
    pages = ", ".join(str(p) for p in check.pages)
    status = t(f"claims.status.{check.status}", lang)
    head = f"{check.id}  {t(f'claims.kind.{check.kind}', lang)}  ({t('claims.where.pages', lang, pages=pages)})"
    if check.status != "suggested":
        head += f"  [{status}: {check.decided_by}]"
    print(head, file=out)
    sep = _sep(lang)
    print(f'    {t("claims.col.draft", lang)}{sep}"{check.quote}" ({check.ref})', file=out)
    if check.indicator:
        table = f"{check.indicator} {check.indicator_name}"
        if check.table and check.table != "—":
            table += f"{sep}{check.table}"
        if check.table_where:
            table += f" ({check.table_where})"
        print(f"    {t('claims.col.table', lang)}{sep}{table}", file=out)
    elif check.table and check.table != "—":
        print(f"    {t('claims.col.table', lang)}{sep}{check.table}", file=out)
    print(_wrap(check.reason(lang), "    ", lang), file=out)
    if check.link:
        print(f"    {t('claims.col.link', lang)}{sep}{check.link}", file=out)
    if check.note:
        print(f"    {t('claims.col.note', lang)}{sep}{check.note}", file=out)


def _list(args: argparse.Namespace) -> int:
    from ..claims import read_claims
    from .workspace import review_from_args

    lang = args.lang
    ws = _open(args)
    rv = review_from_args(ws, args)
    report = read_claims(rv, save=True)
    shown = [c for c in report.checks if args.all or c.status == "suggested"]
    print(
        t(
            "claims.cli.header",
            lang,
            city=rv.city_name,
            version=rv.version,
            claims=len(report.claims),
            linked=report.linked,
            checks=len(report.open_checks),
        )
    )
    for note in report.notes:
        en, _, ja = note.partition("\n")
        print(_wrap(ja if lang == "ja" and ja else en, "  ", lang))
    print()
    if args.claims:
        for claim in report.claims:
            link = report.links.get(claim.id)
            target = (
                "?"
                if link is None
                else (
                    link.indicator
                    or (
                        "/".join(i for i, _s in link.candidates[:3]) + " ?"
                        if link.ambiguous
                        else "-"
                    )
                )
            )
            why = "; ".join(link.reasons) if link is not None and link.linked else ""
            score = f"{link.score:.2f}" if link is not None and link.linked else ""
            text = " ".join(claim.text.split())
            print(f"{claim.id:<10} {claim.kind:<7} -> {target:<12} {score:<5} {text[:90]}")
            if why:
                print(f"{'':<26}{why}")
        print()
    if not shown:
        print(t("claims.cli.none", lang))
    for check in shown:
        print_check(check, lang)
        print()
    if args.score:
        _score(rv, report)
    return 0


def _score(rv: Any, report: Any) -> None:
    from ..intake import is_sample_city

    if not is_sample_city(rv.slug):
        print(f"no answer key for {rv.slug}: only the sample cities have one")
        return
    from ..claims.scoring import score_claims

    score = score_claims(rv.slug, rv.version, checks=report.checks)
    print(
        f"answer key ({score['city']} {score['version']}): {len(score['found'])} of "
        f"{score['inconsistencies']} figure inconsistencies found ({score['hit_rate']:.0%}; "
        f"{len(score['planted_found'])} of {score['planted']} planted), "
        f"{len(score['false_alarms'])} false alarm(s), {score['questions']} question(s)"
    )
    if score["missed"]:
        print(f"  missed: {', '.join(score['missed'])}")
    for fa in score["false_alarms"]:
        print(f"  false alarm: {fa['id']} {fa['kind']} p. {fa['page']}")


def _decide(args: argparse.Namespace, decision: str, note: str) -> int:
    from ..claims import decide_claim

    ws = _open(args)
    check = decide_claim(ws, args.review, args.check, decision, note=note, reviewer=args.reviewer)
    print(
        t(
            "claims.cli.decided",
            "en",
            check=check.id,
            status=t(f"claims.status.{decision}", "en").lower(),
            reviewer=check.decided_by,
        )
    )
    print_check(check, "en")
    return 0


def _confirm(args: argparse.Namespace) -> int:
    return _decide(args, "confirmed", args.note)


def _dismiss(args: argparse.Namespace) -> int:
    return _decide(args, "dismissed", args.reason)


def _link(args: argparse.Namespace) -> int:
    from ..claims import link_claim

    ws = _open(args)
    indicator = link_claim(ws, args.review, args.claim, args.indicator, reviewer=args.reviewer)
    if indicator == "none":
        print(f"{args.claim}: about none of the table's indicators (saved)")
    else:
        print(f"{args.claim}: about {indicator} (saved); run `vlr claims --review {args.review}`")
    return 0
