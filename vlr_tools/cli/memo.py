"""``vlr memo`` and ``vlr demo``: write review memos, and run the workshop demo.

``vlr memo`` writes the memo of a city's review (the latest, or a given draft
version) in the chosen languages and formats. ``vlr demo`` runs a complete
scripted review of both sample cities into a fresh demo workspace and writes
every memo format in both languages under ``exports/``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import MemoError
from ..i18n import LANGUAGES
from ..paths import EXPORTS_DIR
from .workspace import add_workspace_option, workspace_from_args

_RAW = argparse.RawDescriptionHelpFormatter


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr memo`` and ``vlr demo``."""
    from ..memo.render import FORMATS

    memo = subparsers.add_parser(
        "memo",
        help="write the review memo of a city (HTML, PDF, DOCX, Markdown; EN/JA)",
        description="Write the review memo of a city's draft VLR from the workspace: cover, "
        "executive summary, SDG coverage, findings by checklist area, stakeholder engagement, "
        "indicators and data gaps, prioritised recommendations, changes since the previous "
        "draft, and an annex. Personal data of consultation participants is left out unless "
        "--include-personal is given. Files are named <city>-<version>-review-memo-<lang>.<ext> "
        "and written to OUT/<city>/. The HTML memo draws its charts as inline SVG with no "
        "script (light, accessible, for e-mail and phones); --interactive embeds plotly.js "
        "instead, for reviewers. Beside the memo goes the response sheet "
        "<city>-<version>-response-sheet-<lang>.xlsx in which the city answers each "
        "recommendation (see vlr recommendations; --no-response-sheet leaves it out).",
        epilog="Examples:\n"
        "  vlr memo --review baguio-v1-1a2b3c4d --lang en,ja\n"
        "  vlr memo --city santa-rosa\n"
        "  vlr memo --city san-fernando --version v2 --lang ja --format pdf,docx\n"
        "  vlr memo --city santa-rosa --format html --out /tmp/memos --workspace exports/demo-workspace\n"
        "  vlr memo --city santa-rosa --format html --interactive",
        formatter_class=_RAW,
    )
    memo.add_argument("--review", metavar="ID", help="the review (see vlr workspace reviews)")
    memo.add_argument(
        "--city", metavar="SLUG", help="shortcut to the city's latest review, e.g. santa-rosa"
    )
    memo.add_argument(
        "--version",
        default=None,
        metavar="V",
        help="draft version reviewed (default: the latest review)",
    )
    memo.add_argument(
        "--lang",
        default="en,ja",
        metavar="LANGS",
        help=f"comma-separated languages (default: en,ja; allowed: {', '.join(LANGUAGES)})",
    )
    memo.add_argument(
        "--format",
        default=",".join(FORMATS),
        metavar="FORMATS",
        help=f"comma-separated formats (default: all; allowed: {', '.join(FORMATS)})",
    )
    memo.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="output folder (default: exports/); files go to DIR/<city>/",
    )
    memo.add_argument(
        "--hlpf-year",
        type=int,
        default=None,
        metavar="YEAR",
        help="HLPF in-depth review set to compare coverage with (default: the city's)",
    )
    memo.add_argument(
        "--include-personal",
        action="store_true",
        help="include consultation participants' personal data (off by default; RA 10173)",
    )
    memo.add_argument(
        "--interactive",
        action="store_true",
        help="HTML memo with interactive plotly charts (about 5 MB, needs JavaScript) "
        "instead of inline SVG; for reviewers, not for sending to a city",
    )
    memo.add_argument(
        "--no-response-sheet",
        action="store_true",
        help="do not write the response sheet (.xlsx) for the city beside the memo",
    )
    memo.add_argument(
        "--hide-reviewer-names",
        action="store_true",
        help="show reviewers as 'Reviewer 1', 'Reviewer 2' instead of by name",
    )
    add_workspace_option(memo)
    memo.set_defaults(func=run_memo)

    demo = subparsers.add_parser(
        "demo",
        help="run a complete scripted review of both sample cities and write all memos",
        description="The workshop demo: create a fresh demo workspace, review both illustrative "
        "sample cities (Santa Rosa v1; San Fernando v1, then v2 with the v1 recommendations "
        "carried over), and write 16 memo files: 2 cities x 2 languages (en, ja) x 4 formats "
        "(html, pdf, docx, md) under OUT/<city>/, each language with the city's response "
        "sheet (.xlsx). Works offline.",
        epilog="Examples:\n  vlr demo\n  vlr demo --out /tmp/workshop",
        formatter_class=_RAW,
    )
    demo.add_argument(
        "--out", default=None, metavar="DIR", help="output folder (default: exports/)"
    )
    demo.set_defaults(func=run_demo_command)


def _progress(step: str, done: int, total: int) -> None:
    print(f"  [{done}/{total}] {step}", flush=True)


def run_memo(args: argparse.Namespace) -> int:
    from ..i18n import check_lang
    from ..memo import build_memo
    from ..memo.render import PdfWorker, check_format, parse_list, render_memo
    from ..responses import response_sheet_name, write_response_sheet

    try:
        langs = [check_lang(x) for x in parse_list(args.lang, LANGUAGES)]
    except ValueError as exc:
        raise MemoError(f"--lang: {exc}") from exc
    formats = [check_format(f) for f in parse_list(args.format, ())]
    if not langs or not formats:
        raise MemoError("--lang and --format each need at least one value")
    if not args.review and not args.city:
        raise MemoError("give --review ID (see vlr workspace reviews) or --city SLUG")
    ws = workspace_from_args(args)
    review = ws.review(args.review) if args.review else ws.find_review(args.city, args.version)
    if review is None:
        known = sorted({f"{r.city} {r.version}" for r in ws.reviews()})
        where = (
            f" (reviews here: {', '.join(known)})" if known else " (the workspace has no reviews)"
        )
        version = f" draft {args.version}" if args.version else ""
        start = f"vlr workspace new --city {args.city} --draft FILE" + (
            f" --version {args.version}" if args.version else ""
        )
        raise MemoError(
            f"no review of {args.city!r}{version} in the workspace {ws.location}{where}; "
            f"start one with '{start}', or run 'vlr demo' for the sample cities" + ws.demo_hint()
        )
    out = Path(args.out) if args.out else EXPORTS_DIR
    folder = out / review.city
    warnings: list[str] = []
    # The PDFs are written by a second process, started now so that it loads
    # WeasyPrint while this one builds the memos; this one writes the rest.
    worker = PdfWorker.start() if "pdf" in formats else None
    pdfs: list[Path] = []
    for lang in langs:
        print(f"{review.city} {review.version} ({lang}):", flush=True)
        sheet_name = None if args.no_response_sheet else response_sheet_name(ws, review.id, lang)
        memo = build_memo(
            ws,
            review.id,
            lang,
            hlpf_year=args.hlpf_year,
            include_personal=args.include_personal,
            show_reviewer_names=False if args.hide_reviewer_names else None,
            response_sheet=sheet_name,
        )
        for result in render_memo(
            memo,
            formats,
            folder,
            progress=_progress,
            interactive=args.interactive,
            pdf_worker=worker,
        ):
            if result.format == "pdf" and worker is not None:
                pdfs.append(result.path)
                continue
            print(f"  wrote {result.path}", flush=True)
            warnings += [w for w in result.warnings if w not in warnings]
        if sheet_name:
            done = write_response_sheet(ws, review.id, folder, lang)
            if done is not None:
                print(f"  wrote {done.path} (the city's response sheet)", flush=True)
    if worker is not None:
        worker.wait()
        for path in pdfs:
            print(f"wrote {path}", flush=True)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.include_personal:
        print(
            "warning: these memos contain personal data of consultation participants; "
            "share them only with people entitled to see it (RA 10173)",
            file=sys.stderr,
        )
    return 0


def run_demo_command(args: argparse.Namespace) -> int:
    from ..demo import run_demo

    out = Path(args.out) if args.out else EXPORTS_DIR
    result = run_demo(out, progress=lambda text: print(text, flush=True))
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"\n{len(result.files)} memo files written under {out}:")
    for path in result.files:
        print(f"  {path}")
    if result.sheets:
        print(f"{len(result.sheets)} response sheets for the cities to fill in:")
        for path in result.sheets:
            print(f"  {path}")
    print(f"Demo workspace: {result.workspace}")
    if result.warnings:
        print(
            f"The demo finished with {len(result.warnings)} problem(s); see the warnings above.",
            file=sys.stderr,
        )
        return 1
    return 0
