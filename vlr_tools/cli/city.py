"""``vlr city`` and ``vlr draft``: the cities a workspace reviews, and their stored draft files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import CityError
from ._common import show_help, text_table
from .workspace import add_workspace_option, workspace_from_args

_RAW = argparse.RawDescriptionHelpFormatter
_YES = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}


def _coastal(text: str) -> bool | None:
    value = text.strip().lower()
    if value in ("unknown", ""):
        return None
    if value not in _YES:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: yes, no, unknown")
    return _YES[value]


def _profile_options(parser: argparse.ArgumentParser, *, adding: bool) -> None:
    if adding:
        parser.add_argument("--name", required=True, help="the city's name as memos print it")
    else:
        parser.add_argument("--name", help="the city's name as memos print it")
    parser.add_argument("--official-name", help="e.g. City of Baguio")
    parser.add_argument("--country", help="e.g. Philippines")
    parser.add_argument("--province", help="province or prefecture, e.g. Benguet")
    parser.add_argument("--region", help="e.g. Cordillera Administrative Region")
    parser.add_argument("--population", type=int, metavar="N", help="population (whole number)")
    parser.add_argument(
        "--population-year", type=int, metavar="YEAR", help="census or estimate year"
    )
    parser.add_argument("--population-source", help="e.g. PSA, 2020 Census of Population")
    parser.add_argument("--barangays", type=int, metavar="N", help="number of barangays")
    parser.add_argument(
        "--coastal",
        type=_coastal,
        metavar="yes|no|unknown",
        help="whether the city is on the sea (the SDG 14 check uses it)",
    )
    parser.add_argument(
        "--languages",
        metavar="LIST",
        help="languages, separated by commas, e.g. 'Filipino, English'",
    )
    parser.add_argument(
        "--hlpf-year", type=int, metavar="YEAR", help="the HLPF year the VLR is presented in"
    )
    parser.add_argument("--vlr-cycle", metavar="TEXT", help="e.g. 2025-2026")


def _facts(args: argparse.Namespace) -> dict[str, Any]:
    names = (
        "name",
        "official_name",
        "country",
        "province",
        "region",
        "population",
        "population_year",
        "population_source",
        "barangays",
        "hlpf_year",
        "vlr_cycle",
    )
    facts: dict[str, Any] = {n: getattr(args, n) for n in names if getattr(args, n) is not None}
    if getattr(args, "coastal", None) is not None or "coastal" in vars(args):
        if args.coastal is not None:
            facts["coastal"] = args.coastal
    if args.languages is not None:
        facts["languages"] = tuple(x.strip() for x in args.languages.split(",") if x.strip())
    return facts


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr city`` and ``vlr draft``."""
    parser = subparsers.add_parser(
        "city",
        help="the cities whose drafts the workspace reviews: add, list, show, change",
        description="A city's profile (name, province, population, barangays, coastal, HLPF "
        "year...) is kept in the workspace; memos, coverage findings and pre-checks read it "
        "from there. The sample cities are added the same way (marked illustrative); a city "
        "you add is a real city.",
        epilog="Examples:\n  vlr city add baguio --name 'Baguio City' --country Philippines "
        "--province Benguet --population 366358 --population-year 2020 --barangays 128 "
        "--coastal no --hlpf-year 2026\n  vlr city list\n  vlr city show baguio\n"
        "  vlr city set baguio --coastal no",
        formatter_class=_RAW,
    )
    parser.set_defaults(func=lambda args: show_help(parser))
    sub = parser.add_subparsers(dest="city_command", metavar="SUBCOMMAND")
    common = argparse.ArgumentParser(add_help=False)
    add_workspace_option(common)

    add = sub.add_parser(
        "add",
        parents=[common],
        help="add a city's profile",
        description="Add a city to the workspace. SLUG is a short name in lower case with "
        "hyphens (baguio, san-fernando). Only --name is required; leave out what you do not "
        "know (checks that need it say so).",
        epilog="Example:\n  vlr city add baguio --name 'Baguio City' --country Philippines "
        "--province Benguet --coastal no",
        formatter_class=_RAW,
    )
    add.add_argument("slug", metavar="SLUG")
    _profile_options(add, adding=True)
    add.set_defaults(func=cmd_add)

    ls = sub.add_parser(
        "list",
        parents=[common],
        help="list the cities in the workspace",
        description="List every city: slug, name, place, stored drafts and reviews.",
        epilog="Example:\n  vlr city list",
        formatter_class=_RAW,
    )
    ls.set_defaults(func=cmd_list)

    show = sub.add_parser(
        "show",
        parents=[common],
        help="show a city's profile",
        description="Print every field of a city's profile and its stored drafts.",
        epilog="Example:\n  vlr city show baguio",
        formatter_class=_RAW,
    )
    show.add_argument("slug", metavar="SLUG")
    show.set_defaults(func=cmd_show)

    set_ = sub.add_parser(
        "set",
        parents=[common],
        help="change fields of a city's profile",
        description="Change the fields given; the others stay as they are.",
        epilog="Example:\n  vlr city set baguio --population 366358 --population-year 2020",
        formatter_class=_RAW,
    )
    set_.add_argument("slug", metavar="SLUG")
    _profile_options(set_, adding=False)
    set_.set_defaults(func=cmd_set)

    _register_draft(subparsers)


def cmd_add(args: argparse.Namespace) -> int:
    from ..intake import add_city

    facts = _facts(args)
    name = facts.pop("name")
    with workspace_from_args(args) as ws:
        profile = add_city(ws, args.slug, name, **facts)
    print(f"added city {profile.slug} ({profile.name}) to {ws.location}")
    print(f"next: vlr draft add {profile.slug} DRAFT.pdf --version v1")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from ..intake import update_city

    facts = _facts(args)
    if not facts:
        raise CityError("nothing to change: give at least one field, e.g. --population N")
    with workspace_from_args(args) as ws:
        profile = update_city(ws, args.slug, **facts)
    print(f"updated city {profile.slug}: {', '.join(sorted(facts))}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        cities = ws.cities()
        rows = [
            (
                c.slug,
                c.name + (" (illustrative sample)" if c.illustrative else ""),
                c.place or "-",
                ", ".join(d.version for d in ws.drafts(c.slug)) or "-",
                len(ws.reviews(c.slug)),
            )
            for c in cities
        ]
    if not rows:
        print(f"no cities in {ws.location}; add one with: vlr city add SLUG --name NAME")
        return 0
    print(text_table(rows, ("slug", "name", "place", "drafts", "reviews")))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        profile = ws.city(args.slug)
        drafts = ws.drafts(args.slug)
    data = profile.to_json()
    data.pop("local_terms", None)
    width = max(len(k) for k in data)
    for key, value in data.items():
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        shown = "unknown" if value is None or value == "" else value
        print(f"{key.replace('_', ' '):<{width}}  {shown}")
    if profile.local_terms:
        print(f"{'local terms':<{width}}  {len(profile.local_terms)}")
    for d in drafts:
        print(
            f"draft {d.version}: {d.filename}, {d.pages} pages, {d.lang}, "
            f"sha256 {d.sha256[:12]}…, added {d.added_at:%Y-%m-%d} by {d.added_by}"
        )
    return 0


# -- vlr draft --------------------------------------------------------------------------


def _register_draft(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "draft",
        help="store a city's draft file in the workspace, list drafts, get one back",
        description="A draft (PDF, DOCX, Markdown or text) is stored in the workspace itself "
        "(content-addressed by SHA-256: the same file twice is stored once), so a review "
        "works on exactly those bytes wherever the workspace is opened. Adding reads the "
        "draft and says what it found.",
        epilog="Examples:\n  vlr draft add baguio Baguio-VLR-draft.pdf --version v1 "
        "--received 2026-11-30\n  vlr draft list baguio\n"
        "  vlr draft get baguio --version v1 copy.pdf",
        formatter_class=_RAW,
    )
    parser.set_defaults(func=lambda args: show_help(parser))
    sub = parser.add_subparsers(dest="draft_command", metavar="SUBCOMMAND")
    common = argparse.ArgumentParser(add_help=False)
    add_workspace_option(common)

    add = sub.add_parser(
        "add",
        parents=[common],
        help="store a draft file of a city and report what it holds",
        description="Store FILE as draft VERSION of city SLUG (add the city first with vlr city "
        "add; a sample city is added by itself). Prints pages, paragraphs, language, "
        "headings and the pages with no text layer. A scanned PDF is refused unless --ocr is "
        "given: then OCRmyPDF/Tesseract (English and Japanese) reads the pages without text; "
        "the original file is kept. A version that already has a different file is refused "
        "unless --replace is given; then each review of that version gets its mapping and "
        "figure-check decisions moved with their paragraphs to the new file, and those whose "
        "paragraph is gone set aside (listed by vlr map --review ID). Drafts over the size "
        "limit (100 MB; VLR_MAX_DRAFT_MB) are refused.",
        epilog="Examples:\n  vlr draft add baguio Baguio-VLR-draft.pdf --version v1\n"
        "  vlr draft add baguio scanned.pdf --version v2 --ocr --received 2027-01-15\n"
        "  vlr draft add baguio Baguio-VLR-draft-corrected.pdf --version v1 --replace",
        formatter_class=_RAW,
    )
    add.add_argument("slug", metavar="SLUG")
    add.add_argument("file", metavar="FILE", type=Path)
    add.add_argument("--version", required=True, help="draft version, e.g. v1")
    add.add_argument("--lang", choices=("en", "ja"), help="language (default: detected)")
    add.add_argument("--title", help="the draft's title (default: from the file)")
    add.add_argument("--received", metavar="DATE", help="when the city sent it, YYYY-MM-DD")
    add.add_argument("--ocr", action="store_true", help="read pages without text with OCR")
    add.add_argument(
        "--replace", action="store_true", help="replace a different file stored for VERSION"
    )
    add.set_defaults(func=cmd_draft_add)

    ls = sub.add_parser(
        "list",
        parents=[common],
        help="list the stored drafts of a city (or of every city)",
        description="List stored drafts: city, version, file, pages, language, received, SHA-256.",
        epilog="Examples:\n  vlr draft list baguio\n  vlr draft list",
        formatter_class=_RAW,
    )
    ls.add_argument("slug", metavar="SLUG", nargs="?")
    ls.set_defaults(func=cmd_draft_list)

    get = sub.add_parser(
        "get",
        parents=[common],
        help="write a stored draft back to a file, byte for byte",
        description="Write the stored file of draft VERSION of SLUG to OUT (the bytes as "
        "received, not the OCR'd copy).",
        epilog="Example:\n  vlr draft get baguio --version v1 baguio-v1.pdf",
        formatter_class=_RAW,
    )
    get.add_argument("slug", metavar="SLUG")
    get.add_argument("out", metavar="OUT", type=Path)
    get.add_argument("--version", required=True)
    get.add_argument("--force", action="store_true", help="replace OUT if it exists")
    get.set_defaults(func=cmd_draft_get)


def cmd_draft_add(args: argparse.Namespace) -> int:
    from ..intake import add_draft

    with workspace_from_args(args) as ws:
        result = add_draft(
            ws,
            args.slug,
            args.file,
            version=args.version,
            lang=args.lang,
            title=args.title,
            received=args.received,
            ocr=args.ocr,
            replace_existing=args.replace,
        )
    for line in result.report():
        print(line)
    return 0


def cmd_draft_list(args: argparse.Namespace) -> int:
    with workspace_from_args(args) as ws:
        drafts = ws.drafts(args.slug)
    if not drafts:
        print("no stored drafts" + (f" of {args.slug}" if args.slug else ""))
        return 0
    rows = [
        (
            d.city,
            d.version,
            d.filename,
            d.pages,
            d.lang,
            d.received.isoformat() if d.received else "-",
            ", ".join(str(p) for p in d.ocr_pages) or "-",
            d.sha256[:12],
        )
        for d in drafts
    ]
    print(
        text_table(rows, ("city", "version", "file", "pages", "lang", "received", "OCR", "sha256"))
    )
    return 0


def cmd_draft_get(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.exists() and not args.force:
        print(f"error: {out} exists; use --force to replace it", file=sys.stderr)
        return 2
    with workspace_from_args(args) as ws:
        stored = ws.draft_file(args.slug, args.version)
        data = ws.blob(stored.sha256)
    out.write_bytes(data)
    print(f"wrote {stored.filename} ({len(data)} bytes, sha256 {stored.sha256}) to {out}")
    return 0
