"""``vlr map``: suggest the SDG goals and targets of a draft, with the words that show them."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .._shared import clip
from ..documents import draft_from_text, load_draft, text_from_stdin_bytes
from ..errors import MappingError
from ..mapping import DraftMapping, map_draft, skip_label
from ..replacement import unplaced_decisions
from ..review import open_review
from ..vocabulary import load_vocabulary
from .workspace import add_workspace_option, workspace_from_args

_RAW = argparse.RawDescriptionHelpFormatter

EPILOG = """\
Examples:
  vlr map santa-rosa-vlr-draft-v1.pdf
  vlr map san-fernando-summary-ja.pdf --level target
  vlr map draft.docx --city santa-rosa --format csv > mapping.csv
  echo "Fish catch of municipal fisherfolk fell." | vlr map - --format json
  vlr map --review baguio-v1-1a2b3c4d      # the review's stored draft; suggestions kept
  vlr map draft.pdf --no-meaning           # the word lists only (fast; no sentence model)
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr map``."""
    parser = subparsers.add_parser(
        "map",
        help="suggest the SDG goals and targets of a draft, paragraph by paragraph",
        description="Read a draft (PDF, DOCX, Markdown or text; '-' reads text from "
        "standard input) and list, for each paragraph, the SDG goals it addresses with "
        "a score (0-1), the best-supported target and the matched words. The terms come "
        "from data/reference/vocabulary/ (English and Japanese) plus the city's "
        "local terms with --city. Front matter (contents, lists "
        "of acronyms and abbreviations, glossaries) is skipped and listed after the "
        "table. A goal-level summary (paragraphs and pages per goal) follows the table. "
        "Beside the word lists, a small multilingual sentence model reads each paragraph "
        "of ten words or more and compares it with the SDG targets and with example "
        "passages (data/reference/meaning/); what it reads adds to the words, or "
        "suggests a goal when no word does ('close in meaning to target ...' in the "
        "evidence), and for a programme description (a title sentence, then text) its "
        "second reading is offered after the suggestions with a low score. The first run prepares the model's reference texts (about a "
        "minute); paragraphs once read are cached (new ones: about 45 a second).",
        epilog=EPILOG,
        formatter_class=_RAW,
    )
    parser.add_argument(
        "draft",
        metavar="DRAFT",
        nargs="?",
        default=None,
        help="draft file (.pdf .docx .md .txt) or -; leave out with --review",
    )
    parser.add_argument(
        "--review",
        metavar="ID",
        default=None,
        help="map the review's stored draft with the city's and review's local terms, and "
        "keep the suggestions (with the vocabulary version) in the review for the memo",
    )
    add_workspace_option(parser)
    parser.add_argument(
        "--lang",
        choices=("en", "ja"),
        default=None,
        help="language of the draft and of goal titles (default: detected)",
    )
    parser.add_argument("--city", metavar="SLUG", default=None, help="add the city's local terms")
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="output format (default: table)",
    )
    parser.add_argument(
        "--level",
        choices=("goal", "target"),
        default="goal",
        help="one row per paragraph and goal, or per paragraph and target (default: goal)",
    )
    parser.add_argument(
        "--no-meaning",
        dest="meaning",
        action="store_false",
        default=None,
        help="map by the word lists only, without the sentence model (as VLR_MEANING=off)",
    )
    parser.set_defaults(func=cmd_map)


def _load(args: argparse.Namespace):
    if args.draft == "-":
        # Read bytes and decode them here: the console's text decoding would turn
        # non-UTF-8 bytes into surrogates that fail later, far from the cause.
        stream = sys.stdin
        buffer = getattr(stream, "buffer", None)
        text = text_from_stdin_bytes(buffer.read()) if buffer is not None else stream.read()
        if not text.strip():
            raise MappingError("no text on standard input; pipe a draft's text into 'vlr map -'")
        return draft_from_text(text, title="standard input", lang=args.lang)
    return load_draft(Path(args.draft), lang=args.lang)


def cmd_map(args: argparse.Namespace) -> int:
    if args.review:
        if args.draft:
            raise MappingError("give either a DRAFT file or --review ID, not both")
        with workspace_from_args(args) as ws:
            mapping = open_review(ws, args.review).map(save=True, meaning=args.meaning)
            aside = unplaced_decisions(ws, args.review)
        print(
            f"saved the suggestions in review {args.review} "
            f"(vocabulary {mapping.vocabulary_version}"
            + (f", meaning {mapping.meaning_version})" if mapping.meaning_version else ")"),
            file=sys.stderr,
        )
        for rec in aside:
            print(
                f"set aside when the draft file was replaced (its paragraph is not in the new "
                f"file): {rec.key}, by {rec.data.get('decided_by') or '?'}, about "
                f"{str(rec.data.get('words') or '')[:80]!r}",
                file=sys.stderr,
            )
    elif not args.draft:
        raise MappingError("give a DRAFT file (or - for standard input), or --review ID")
    else:
        draft = _load(args)
        vocabulary = load_vocabulary(city=args.city)
        mapping = map_draft(
            draft, args.city, vocabulary=vocabulary, lang=args.lang, meaning=args.meaning
        )
    if args.format == "csv":
        mapping.to_frame(args.level).to_csv(sys.stdout, index=False)
    elif args.format == "json":
        json.dump(_as_json(mapping, args.level), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_table(mapping, args.level)
    return 0


def _as_json(mapping: DraftMapping, level: str) -> dict[str, Any]:
    draft = mapping.draft
    paragraphs = []
    for p in mapping.paragraphs:
        if not p.matches:
            continue
        matches = []
        for m in p.matches:
            entry: dict[str, Any] = {
                "goal": m.goal,
                "title": m.title,
                "target": m.target,
                "targets": list(m.targets),
                "score": m.score,
                "why": m.why(),
                "evidence": [
                    {
                        "term": e.term,
                        "text": e.text,
                        "start": e.start,
                        "end": e.end,
                        "goal": e.goal,
                        "target": e.target,
                        "kind": e.kind,
                        "weight": e.weight,
                        "place": e.place,
                        "context": e.context,
                        "source": e.source,
                    }
                    for e in m.evidence
                ],
            }
            if level == "goal":
                entry.pop("targets")
            matches.append(entry)
        paragraphs.append(
            {
                "ref": p.ref,
                "page": p.page,
                "page_label": draft.page_label(p.page),
                "section": p.section,
                "kind": p.kind,
                "text": p.text,
                "matches": matches,
            }
        )
    return {
        "draft": draft.name,
        "sha256": draft.sha256,
        "pages": draft.page_count,
        "lang": mapping.lang,
        "city": mapping.city,
        "vocabulary_version": mapping.vocabulary_version,
        "meaning_version": mapping.meaning_version,
        "goals": [
            {
                "goal": m.goal,
                "title": m.title,
                "score": m.score,
                "targets": list(m.targets),
                "pages": list(mapping.pages_for(m.goal)),
                "paragraphs": len(mapping.paragraphs_for(m.goal)),
            }
            for m in mapping.goals()
        ],
        "paragraphs": paragraphs,
        "skipped": [
            {"ref": p.ref, "page": p.page, "reason": p.skipped, "text": p.text}
            for p in mapping.skipped()
        ],
    }


def _print_table(mapping: DraftMapping, level: str) -> None:
    draft = mapping.draft
    frame = mapping.to_frame("target" if level == "target" else "goal")
    out = sys.stdout
    out.write(
        f"{draft.name}: {draft.page_count} pages, {len(mapping.paragraphs)} paragraphs, "
        f"language {mapping.lang}, vocabulary {mapping.vocabulary_version}"
        + (f", read by meaning ({mapping.meaning_version})" if mapping.meaning_version else "")
        + "\n\n"
    )
    if frame.empty:
        out.write("No SDG goal found in this draft.\n")
        _print_skipped(mapping)
        return
    head = f"{'ref':<9} {'page':>4}  {'goal':>4}  {'target':<6} {'score':>5}  words"
    out.write(head + "\n" + "-" * len(head) + "\n")
    for row in frame.itertuples(index=False):
        out.write(
            f"{row.ref:<9} {row.page_label:>4}  {row.goal:>4}  {row.target or '-':<6} "
            f"{row.score:>5.2f}  {clip(row.terms, 70)}\n"
        )
    out.write("\nGoals found (paragraphs; pages):\n")
    for m in mapping.goals():
        pages = mapping.pages_for(m.goal)
        shown = ", ".join(str(n) for n in pages[:15]) + (" ..." if len(pages) > 15 else "")
        targets = ", ".join(m.targets[:6]) or "-"
        out.write(
            f"  SDG {m.goal:>2} {clip(m.title, 38):<38} {len(mapping.paragraphs_for(m.goal)):>4} "
            f"paragraph(s); pages {shown}; targets {targets}\n"
        )
    _print_skipped(mapping)


def _print_skipped(mapping: DraftMapping) -> None:
    """Front matter left out of the mapping, grouped by reason, with its refs and pages."""
    skipped = mapping.skipped()
    if not skipped:
        return
    out = sys.stdout
    out.write("\nSkipped as front matter (not counted as coverage):\n")
    by_reason: dict[str, list] = {}
    for p in skipped:
        by_reason.setdefault(p.skipped, []).append(p)
    for reason, paras in by_reason.items():
        pages = sorted({p.page for p in paras})
        refs = f"{paras[0].ref}-{paras[-1].ref}" if len(paras) > 1 else paras[0].ref
        out.write(
            f"  {skip_label(reason)}: {len(paras)} paragraph(s); "
            f"pages {', '.join(str(n) for n in pages)}; {refs}\n"
        )
