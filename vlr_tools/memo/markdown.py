"""Render a memo as Markdown (CommonMark with GitHub pipe tables).

For pasting into an e-mail or a wiki. Every piece of text is escaped so that
what a reviewer typed shows as typed: ``**bold**`` stays asterisks, a
``[link](javascript:...)`` is not a link, ``<script>`` is text. Charts appear
as their title, their text description and their data table.
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import Bullets, Chart, Facts, Finding, Memo, Notice, Section, Table, Text
from .words import comment_label
from .words import labels as html_labels

# Characters that can start or end Markdown markup anywhere in a line:
# emphasis, code, links and images (a link needs "[", so "(" and "!" can stay
# readable), raw HTML, table cells, strikethrough, entities. CommonMark lets
# any ASCII punctuation be backslash-escaped.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
# Characters that are markup only at the start of a line: headings, setext
# underlines, list items and thematic breaks ("---"); "1." / "1)" lists below.
_LINE_START = re.compile(r"^([#=+-])")
_NUMBERED = re.compile(r"^(\d+)([.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: object) -> str:
    """Escape one line or paragraph of plain text for Markdown.

    Line breaks inside the text become hard line breaks; leading spaces are
    dropped so that no line turns into a code block, and a leading ``-``,
    ``+``, ``#`` or ``1.`` is escaped so that no line turns into a list item,
    a heading or a rule.
    """
    lines = []
    for raw in _CONTROL.sub("", "" if text is None else str(text)).splitlines() or [""]:
        line = _SPECIAL.sub(r"\\\1", raw.strip())
        line = _LINE_START.sub(r"\\\1", line)
        line = _NUMBERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\\\n".join(lines)


_SENTENCE_END = (".", "!", "?", ":", ";", "。", "！", "？", "：")


def cell(text: object) -> str:
    """Escape text for a pipe-table cell (one line, pipes escaped).

    A pipe table has no line breaks: lines are joined with a space after a
    sentence's end, else with "; " so that they do not run together."""
    lines = [" ".join(line.split()) for line in str(text or "").splitlines()]
    flat = ""
    for line in (x for x in lines if x):
        if flat:
            flat += " " if flat.endswith(_SENTENCE_END) else "; "
        flat += line
    return escape(flat) or " "


def render_markdown(memo: Memo) -> str:
    """Return the memo as Markdown text."""
    words = html_labels(memo.lang)
    words["lang"] = memo.lang
    out: list[str] = []
    cover = memo.cover
    out.append(f"# {escape(cover.title)}")
    out.append("")
    out.append(f"**{escape(cover.city)}**  ")
    out.append(escape(cover.subtitle))
    out.append("")
    for label, value in cover.facts.items:
        out.append(f"- **{escape(label + words['sep'].strip())}** {escape(value)}")
    out.append("")
    if cover.illustrative:
        out.append(f"> **{escape(cover.illustrative)}**")
        out.append("")
    out.append(f"## {escape(words['contents'])}")
    out.append("")
    for n, section in enumerate(memo.sections, start=1):
        out.append(f"{n}. {escape(section.title)}")
    out.append("")
    for section in memo.sections:
        _section(out, section, 2, words)
    out.append("---")
    out.append("")
    out.append(f"*{escape(words['colophon'])}*")
    return "\n".join(out).rstrip() + "\n"


def _section(out: list[str], section: Section, level: int, words: dict[str, str]) -> None:
    out.append(f"{'#' * min(level, 6)} {escape(section.title)}")
    out.append("")
    for block in section.blocks:
        _block(out, block, level, words)
    for sub in section.subsections:
        _section(out, sub, level + 1, words)


def _block(out: list[str], block: object, level: int, words: dict[str, str]) -> None:
    if isinstance(block, Text):
        out.append(escape(block.text))
    elif isinstance(block, Notice):
        text = escape(block.text)
        out.append(
            "> "
            + (f"**{text}**" if block.tone in ("illustrative", "partial") else text).replace(
                "\n", "\n> "
            )
        )
    elif isinstance(block, Bullets):
        for n, item in enumerate(block.items, start=1):
            marker = f"{n}." if block.ordered else "-"
            out.append(f"{marker} {escape(item).replace(chr(10), chr(10) + '   ')}")
    elif isinstance(block, Facts):
        for label, value in block.items:
            out.append(f"- **{escape(label + words['sep'].strip())}** {escape(value)}")
    elif isinstance(block, Table):
        _table(out, block)
        return
    elif isinstance(block, Finding):
        _finding(out, block, level, words, words["lang"])
        return
    elif isinstance(block, Chart):
        out.append(f"**{escape(block.title)}**")
        out.append("")
        out.append(f"*{escape(block.alt)}*")
        out.append("")
        if not block.table_follows:  # else the next block is the same table
            _table(out, block.table)
        return
    out.append("")


def _table(out: list[str], table: Table) -> None:
    if table.caption:
        out.append(f"*{escape(table.caption)}*")
        out.append("")
    out.append("| " + " | ".join(cell(c) for c in table.columns) + " |")
    out.append(
        "|"
        + "|".join("---:" if table.is_numeric(i) else "---" for i in range(len(table.columns)))
        + "|"
    )
    for row in table.rows:
        values = [cell(c.text) for c in row]
        values += [" "] * (len(table.columns) - len(values))
        out.append("| " + " | ".join(values[: len(table.columns)]) + " |")
    out.append("")


def _finding(
    out: list[str], finding: Finding, level: int, words: dict[str, str], lang: str
) -> None:
    out.append(
        f"{'#' * min(level + 1, 6)} {escape(finding.criterion_id)} · {escape(finding.question)}"
    )
    out.append("")
    meta = [f"**{escape(finding.rating_label)}**"]
    if finding.pages:
        meta.append(_labelled(words["evidence"], finding.pages, words))
    if finding.priority_label:
        meta.append(_labelled(words["priority"], finding.priority_label, words))
    out.append(" · ".join(meta))
    out.append("")
    for who, text in finding.comments:
        label = comment_label(who, lang)
        out.append(f"**{escape(label + words['sep'].strip())}** {escape(text)}")
        out.append("")
    if finding.recommendation:
        rec = escape(words["recommendation"] + words["sep"].strip())
        out.append(f"**{rec}** {escape(finding.recommendation)}")
        out.append("")
    if finding.note:
        out.append(f"*{escape(words['note'] + words['sep'].strip())}* {escape(finding.note)}")
        out.append("")


def _labelled(label: str, value: str, words: dict[str, str]) -> str:
    """``Evidence: p. 3`` / ``根拠：3ページ``: label, separator, value.

    The separator is added after escaping: :func:`escape` strips each line,
    which would drop the space of the English ": " (``Evidence:p. 3``).
    """
    sep = words["sep"]
    gap = " " if sep != sep.rstrip() else ""
    return f"{escape(label)}{escape(sep.strip())}{gap}{escape(value)}"


def write_markdown(memo: Memo, path: Path) -> Path:
    """Write the memo as a Markdown file at ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_markdown(memo), encoding="utf-8")
    return path
