"""``vlr framework``: look up, search, export and update the SDG reference framework."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from ..framework import (
    CODE_FORMS,
    EXPORT_COLUMNS,
    Framework,
    Goal,
    Indicator,
    Item,
    Target,
    get_framework,
    load_framework,
    normalise_code,
)
from ..i18n import t
from ._common import show_help

_RAW = argparse.RawDescriptionHelpFormatter


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr framework`` and its subcommands."""
    parser = subparsers.add_parser(
        "framework",
        help="look up SDG goals, targets and indicators",
        description="The SDG reference framework: goals, targets and the global indicators, "
        "with the official English titles of the UN's global indicator framework and the "
        "Japanese government's provisional translations (仮訳) where recorded. The data "
        "lives in data/reference/sdg/, built from the sources of record in its source/ "
        "folder.",
        epilog="Examples:\n  vlr framework show 11.6.2 --lang ja\n  vlr framework search waste",
        formatter_class=_RAW,
    )
    parser.set_defaults(func=lambda args: show_help(parser))
    sub = parser.add_subparsers(dest="framework_command", metavar="SUBCOMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--folder",
        type=Path,
        default=None,
        help="framework data folder (default: data/reference/sdg)",
    )
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=("en", "ja"), default="en", help="language of titles")

    show = sub.add_parser(
        "show",
        parents=[common, lang],
        help="print a goal, target or indicator with its parents and children",
        description="Print one goal, target or indicator: its official title, the goal and "
        "target above it and the targets or indicators below it. CODE may be written "
        f"as {CODE_FORMS}.",
        epilog="Examples:\n  vlr framework show 11.6.2\n  vlr framework show 'SDG 11' --lang ja",
        formatter_class=_RAW,
    )
    show.add_argument("code", metavar="CODE", help="e.g. 11, 11.6, 11.a, 11.6.2")
    show.set_defaults(func=cmd_show)

    export = sub.add_parser(
        "export",
        parents=[common],
        help="write the whole framework as CSV to standard output",
        description="Write every goal, target and indicator-target link as CSV with the "
        f"columns {','.join(EXPORT_COLUMNS)}. A repeated indicator has one row per target "
        "it is listed under; indicator_id is its earliest code.",
        epilog="Example:\n  vlr framework export > sdg-framework.csv",
        formatter_class=_RAW,
    )
    export.add_argument(
        "--level",
        choices=("all", "goal", "target", "indicator"),
        default="all",
        help="only rows of this level (default: all)",
    )
    export.set_defaults(func=cmd_export)

    search = sub.add_parser(
        "search",
        parents=[common, lang],
        help="find goals, targets and indicators by words in their titles",
        description="Search titles. English words match the start of a word, ignoring case; "
        "Japanese text matches anywhere in the Japanese title. All words must match.",
        epilog="Examples:\n  vlr framework search 'solid waste'\n  vlr framework search 都市 --in ja --lang ja",
        formatter_class=_RAW,
    )
    search.add_argument("text", metavar="TEXT", help="words to look for")
    search.add_argument(
        "--in",
        dest="search_lang",
        choices=("en", "ja"),
        default=None,
        help="search only titles in this language (default: both)",
    )
    search.set_defaults(func=cmd_search)

    hlpf = sub.add_parser(
        "hlpf",
        parents=[common, lang],
        help="list the goals the HLPF reviews in depth in a year",
        description="List the goals the UN High-level Political Forum reviews in depth in "
        "YEAR, from data/reference/sdg/hlpf.csv (editable; some years are marked 'verify').",
        epilog="Example:\n  vlr framework hlpf 2025",
        formatter_class=_RAW,
    )
    hlpf.add_argument("year", metavar="YEAR", type=int, help="e.g. 2025")
    hlpf.set_defaults(func=cmd_hlpf)

    missing = sub.add_parser(
        "missing-ja",
        parents=[common],
        help="list items that have no Japanese title yet",
        description="List the goals, targets and indicators whose Japanese title is empty, "
        "so that a translator can fill them in from the government's provisional "
        "translation (仮訳). A repeated indicator is listed once, with all its codes; it "
        "counts as titled when any of its listings has a Japanese title.",
        epilog="Example:\n  vlr framework missing-ja --csv > missing-ja.csv",
        formatter_class=_RAW,
    )
    missing.add_argument("--csv", action="store_true", help="write CSV instead of a list")
    missing.set_defaults(func=cmd_missing_ja)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="update the framework from the UNSD global indicator framework xlsx",
        description="Read the UN Statistics Division's global indicator framework "
        "spreadsheet (sheet 'A.RES.71.313 Annex') and update targets.csv, indicators.csv "
        "and the English goal titles, keeping Japanese titles and colours. Footnote marks "
        "(superscript numbers after a title) are kept out of the titles; the footnote goes "
        "to the 'footnote' column. Titles that differ only in typography (non-breaking "
        "hyphens, curly apostrophes) are not reported as retitled, but the sheet's "
        "characters are stored. Prints what was added, removed or retitled. A corrupt or "
        "wrong-layout file, or a missing sheet, changes nothing.",
        epilog="Example:\n  vlr framework import "
        "data/reference/sdg/source/Global-Indicator-Framework-after-2025-review-English.xlsx "
        "--dry-run",
        formatter_class=_RAW,
    )
    imp.add_argument("file", metavar="FILE", type=Path, help="the .xlsx file")
    imp.add_argument("--dry-run", action="store_true", help="report changes, write nothing")
    imp.add_argument(
        "--sheet",
        default=None,
        help="the framework sheet, if the UN renamed it (default: 'A.RES.71.313 Annex')",
    )
    imp.set_defaults(func=cmd_import)

    imp_ja = sub.add_parser(
        "import-ja",
        parents=[common],
        help="set Japanese target and indicator titles from a table, with their provenance",
        description="Read a UTF-8 CSV with the columns code,title_ja and optionally "
        "sources_agreeing,sources_total,note (the tables in data/reference/sdg/source/) and "
        "set the Japanese titles of the targets and indicators it names. Each row records "
        "the translation it comes from (SOURCE, a source of translations.csv), how many "
        "copies agree, and whether the note says the translation follows an older English "
        "wording. A table with an unknown or repeated code or an empty title changes "
        "nothing; each problem is reported with its file, row and column.",
        epilog="Examples:\n"
        "  vlr framework import-ja data/reference/sdg/source/sdg_targets_ja.csv "
        "--source mofa\n"
        "  vlr framework import-ja data/reference/sdg/source/sdg_indicators_ja.csv "
        "--source soumu-2018 --dry-run",
        formatter_class=_RAW,
    )
    imp_ja.add_argument("file", metavar="FILE", type=Path, help="the .csv file")
    imp_ja.add_argument(
        "--source",
        required=True,
        metavar="SOURCE",
        help="the translation the titles come from, as named in translations.csv "
        "(e.g. mofa, soumu-2018)",
    )
    imp_ja.add_argument("--dry-run", action="store_true", help="report changes, write nothing")
    imp_ja.set_defaults(func=cmd_import_ja)


def _framework(args: argparse.Namespace) -> Framework:
    folder = getattr(args, "folder", None)
    return load_framework(folder) if folder else get_framework()


def _label(item: Item, lang: str, code: str | None = None) -> str:
    return t(f"framework.{item.level}", lang, code=code or item.code)


def _title(item: Item, lang: str, code: str = "") -> str:
    text = (
        item.listing_title(code, lang) if isinstance(item, Indicator) and code else item.title(lang)
    )
    if lang == "ja" and not item.title_ja:
        text += " " + t("framework.no_japanese", "ja")
    return text


def _about(fw: Framework, item: Item, lang: str, code: str) -> list[str]:
    """Where a Japanese title comes from, and the UN's footnote, as indented lines."""
    out: list[str] = []
    source = fw.translation(item) if lang == "ja" else None
    if source is not None and not isinstance(item, Goal):
        name = source.name_ja
        if item.ja_agreement:
            agreeing, total = item.ja_agreement.split("/")
            agreement = (
                t("framework.ja_single_copy", lang)
                if total == "1"
                else t("framework.ja_agreement", lang, agreeing=agreeing, total=total)
            )
            name += f"（{agreement}）" if lang == "ja" else f" ({agreement})"
        out.append("  " + t("framework.ja_source", lang, name=name))
        if isinstance(item, Indicator) and item.older_wording(code):
            out.append("  " + t("framework.ja_older_wording", lang, title=item.title_en))
    if item.footnote:
        out.append(f"  {t('framework.footnote', lang)}: {item.footnote}")
    return out


def cmd_show(args: argparse.Namespace) -> int:
    fw = _framework(args)
    item = fw.lookup(args.code)
    lang = args.lang
    # A repeated indicator is shown under the listing the reviewer asked for.
    code = normalise_code(args.code) if isinstance(item, Indicator) else item.code
    out: list[str] = [_label(item, lang, code)]
    if isinstance(item, Goal):
        out[0] += f"  [{item.colour}]"
    out.append(f"  {_title(item, lang, code)}")
    out += _about(fw, item, lang, code)
    if isinstance(item, Goal):
        out.append(f"  {t('framework.short_name', lang)}: {item.short(lang)}")
        out.append(f"  {t('framework.colour', lang)}: {item.colour}")
    else:
        out.append(f"{t('framework.under', lang)}:")
        parent = fw.parent(code)
        chain: list[Item] = []
        while parent is not None:
            chain.insert(0, parent)
            parent = fw.parent(parent.code)
        for above in chain:
            extra = f"  [{above.colour}]" if isinstance(above, Goal) else ""
            out.append(f"  {_label(above, lang)}{extra}  {_title(above, lang)}")
    if isinstance(item, Goal):
        targets = fw.children(item.code)
        out.append(t("framework.targets", lang, count=len(targets)) + ":")
        out += [f"  {c.code}  {_title(c, lang)}" for c in targets]
    elif isinstance(item, Target):
        codes = fw.listings(item.code)
        out.append(t("framework.indicators", lang, count=len(codes)) + ":")
        for listing in codes:
            ind = fw.indicator(listing)
            note = (
                f"  ({t('framework.repeat_of', lang, code=ind.code)})"
                if listing != ind.code
                else ""
            )
            out.append(f"  {listing}  {_title(ind, lang, listing)}{note}")
    elif isinstance(item, Indicator) and item.repeated:
        others = [
            f"{c} ({t('framework.target', lang, code=target)})"
            for c, target in zip(item.codes, item.targets, strict=True)
            if c != code
        ]
        out.append(f"{t('framework.also_listed', lang)}: {', '.join(others)}")
    print("\n".join(out))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    fw = _framework(args)
    writer = csv.DictWriter(sys.stdout, fieldnames=list(EXPORT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in fw.export_rows():
        if args.level in ("all", row["level"]):
            writer.writerow(row)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    fw = _framework(args)
    found = fw.search(args.text, lang=args.search_lang)
    if not found:
        print(t("framework.no_match", args.lang, text=args.text))
        return 1
    for item in found:
        print(f"{_label(item, args.lang)}  {_title(item, args.lang)}")
    return 0


def cmd_hlpf(args: argparse.Namespace) -> int:
    fw = _framework(args)
    goals = fw.hlpf_goals(args.year)
    print(t("framework.hlpf_title", args.lang, year=args.year))
    for number in goals:
        goal = fw.goal(number)
        print(f"  {number:>2}  {goal.short(args.lang)}  [{goal.colour}]")
    note = fw.hlpf_note(args.year)
    if note:
        print(f"{t('framework.hlpf_note', args.lang)}: {note}")
    return 0


def cmd_missing_ja(args: argparse.Namespace) -> int:
    fw = _framework(args)
    frame = fw.missing_japanese()
    if args.csv:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    if frame.empty:
        print(t("framework.missing_none", "en"))
        return 0
    by_level = frame["level"].value_counts()
    print(
        t(
            "framework.missing_count",
            "en",
            count=len(frame),
            goals=int(by_level.get("goal", 0)),
            targets=int(by_level.get("target", 0)),
            indicators=int(by_level.get("indicator", 0)),
        )
    )
    for row in frame.itertuples(index=False):
        print(f"  {row.level:<9} {row.codes:<22} {row.title_en}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..framework_import import import_unsd

    report = import_unsd(args.file, args.folder, dry_run=args.dry_run, sheet=args.sheet)
    print("\n".join(report.lines()))
    return 0


def cmd_import_ja(args: argparse.Namespace) -> int:
    from ..framework_import import import_japanese

    report = import_japanese(args.file, args.source, args.folder, dry_run=args.dry_run)
    print("\n".join(report.lines()))
    return 0
