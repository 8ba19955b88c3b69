"""Front matter that is not SDG content: contents pages, acronym lists, glossaries.

A real review opens with pages that name every topic it treats without
treating any: the contents ("5.1 SDG 1: No Poverty"), a list of acronyms and
abbreviations (two pages of "DRR – Disaster Risk Reduction" lines) and a
glossary. Mapped as text, they would make every goal they name look covered.
:func:`skip_reasons` recognises them so that :func:`vlr_tools.mapping.map_draft`
keeps them with a reason and no suggestion; the reviewer sees what was skipped.

Reasons (:data:`REASONS` gives the words shown to a reviewer):

- ``"toc"``: a contents line (dot leaders and a page number), a paragraph in a
  "Contents"/「目次」 section, or an entry of a contents list that follows a
  "Contents" line in a draft whose contents page has no heading (DOCX);
- ``"acronyms"``: a paragraph in an "Acronyms"/"Abbreviations"/「略語」 section,
  or a run of three or more "ACRONYM – Expansion" lines anywhere;
- ``"glossary"``: a paragraph in a "Glossary"/「用語集」 section.

>>> from vlr_tools.documents import draft_from_text
>>> d = draft_from_text("Acronyms\\n\\nDRR – Disaster Risk Reduction\\n\\nMPA – Marine protected area")
>>> skip_reasons(d.paragraphs())
['', 'acronyms', 'acronyms']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .documents import Paragraph

__all__ = ["REASONS", "is_acronym_line", "skip_reasons"]

#: What each skip reason means, in the words shown to a reviewer.
REASONS = {
    "toc": "table of contents",
    "acronyms": "list of acronyms and abbreviations",
    "glossary": "glossary",
}

_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|_{4,})\s*[\divxlc]+\s*$", re.IGNORECASE)
_NUMBERING = re.compile(
    r"^(?:(?:chapter|part|annex|appendix)\s+[\dA-Za-z]{1,4}[.:)]?\s+|\d+(?:\.\d+)*\.?\s+"
    r"|[ivxlcIVXLC]{1,5}[.)]\s+|[A-Z][.)]\s+)",
    re.IGNORECASE,
)
_SECTION_KINDS = {
    "toc": (
        "contents",
        "table of contents",
        "list of tables",
        "list of figures",
        "list of boxes",
        "list of tables and figures",
        "目次",
        "もくじ",
        "図表一覧",
    ),
    "acronyms": (
        "acronyms",
        "abbreviations",
        "list of acronyms",
        "list of abbreviations",
        "acronyms and abbreviations",
        "abbreviations and acronyms",
        "list of acronyms and abbreviations",
        "list of abbreviations and acronyms",
        "略語",
        "略語一覧",
        "略語集",
        "略称一覧",
        "用語・略語一覧",
        "略語・用語一覧",
        "用語・略語",
        "略語・用語",
        "用語及び略語",
        "用語・略語集",
    ),
    "glossary": (
        "glossary",
        "glossary of terms",
        "definition of terms",
        "definitions",
        "用語集",
        "用語解説",
        "用語の説明",
    ),
}
_SECTION_REASON = {title: reason for reason, titles in _SECTION_KINDS.items() for title in titles}
# "DRR – Disaster Risk Reduction", "CSWDO: City Social ...", "4Ps | Pantawid ...", "MPA Marine ..."
_ACRONYM_LINE = re.compile(
    r"^\s*(?P<short>[0-9A-Za-z&][0-9A-Za-z&./-]{1,11})\s*"
    r"(?:[-–—:=|]\s*|\t+|\s{2,}|\s)(?P<long>[A-Z(][^\n]{3,150})$"
)
# 「ICT　情報通信技術」「SDGs：持続可能な開発目標（Sustainable Development Goals）」
_ACRONYM_LINE_JA = re.compile(
    r"^\s*(?P<short>[A-Z][0-9A-Za-z&./-]{1,11})\s*(?:[-–—:=|：　]\s*|\t+|\s)"
    r"(?P<long>[^\n。]*[\u3040-\u30ff\u4e00-\u9fff][^\n。]{0,80})$"
)
_WORD = re.compile(r"[A-Za-z0-9]+")
_STEP = re.compile(r"^(?:\d+(?:\.\d+)*|[A-Z])\.?$")


def _title(text: str) -> str:
    """A section title as compared: lower case, numbering and trailing colon removed."""
    text = " ".join(text.replace("\u3000", " ").split()).strip().rstrip(":：")
    return _NUMBERING.sub("", text).lower()


def is_acronym_line(line: str) -> bool:
    """True for one line that defines an acronym: "DRR – Disaster Risk Reduction".

    The short form must have two or more capitals (or a digit and a capital,
    "4Ps"), and its capitals must be the initials of the long form's words,
    in order ("CSWDO" = City Social Welfare and Development Office), so that a
    sentence starting with a capitalised word is not taken for a definition.
    A Japanese long form (「ICT　情報通信技術」) has no initials to compare: it
    must be a phrase of up to about 80 characters, not a sentence (no 「。」).
    """
    m = _ACRONYM_LINE.match(line)
    if not m:
        ja = _ACRONYM_LINE_JA.match(line)
        # a Japanese long form has no initials: two capitals and a short expansion do
        return ja is not None and sum(ch.isupper() for ch in ja.group("short")) >= 2

    short, long = m.group("short").rstrip("."), m.group("long")
    capitals = [ch for ch in short if ch.isupper()]
    if len(capitals) < 2 and not (capitals and any(ch.isdigit() for ch in short)):
        return False
    if _STEP.match(short) or len(long.split()) > 16:
        return False
    initials = [w[0].upper() for w in _WORD.findall(long)]
    # every capital of the short form appears, in order, among the initials
    pos = 0
    for ch in capitals:
        while pos < len(initials) and initials[pos] != ch:
            pos += 1
        if pos == len(initials):
            return False
        pos += 1
    return True


def _acronym_like(para: Paragraph) -> bool:
    lines = [ln for ln in para.text.splitlines() if ln.strip()]
    if not lines:
        return False
    text = [ln.replace(" | ", " – ") for ln in lines]
    hits = sum(1 for ln in text if is_acronym_line(ln))
    return hits == len(lines) or (len(lines) >= 3 and hits >= 2 * len(lines) / 3)


def _toc_entry(para: Paragraph) -> bool:
    """A short line of a contents list without dot leaders ("5.1 SDG 1: No Poverty")."""
    text = " ".join(para.text.split())
    if not text or len(text) > 90 or para.kind == "heading":
        return False
    if text.endswith((".", "。", "?", "!")) and not _TOC_LINE.search(text):
        return False
    return len(text.split()) <= 12 or len(text) <= 40


def skip_reasons(paragraphs: Sequence[Paragraph]) -> list[str]:
    """For each paragraph, why it is front matter ("toc", "acronyms", "glossary") or "".

    A front-matter title ("Contents", "Acronyms", 「用語集」) is not skipped
    itself (it names no goal); the paragraphs under it are: those of its
    section when it is a heading, else the entries that follow it (contents
    lines, acronym lines) up to the next heading or ordinary paragraph.
    """
    reasons = [""] * len(paragraphs)
    block = ""  # the kind of list that follows a front-matter title that is not a heading
    for i, para in enumerate(paragraphs):
        if block == "toc" and _toc_entry(para):
            reasons[i] = "toc"  # "Abbreviations" in a contents list is a contents entry
            continue
        title = _title(para.text)
        if para.kind != "heading" and title in _SECTION_REASON:
            block = _SECTION_REASON[title]
            continue
        if block == "acronyms" and _acronym_like(para):
            reasons[i] = "acronyms"
            continue
        if block == "glossary" and para.kind != "heading":
            reasons[i] = "glossary"
            continue
        block = ""
        if _TOC_LINE.search(para.text):
            reasons[i] = "toc"
            continue
        if para.kind == "heading":
            continue
        reasons[i] = _SECTION_REASON.get(_title(para.section), "")
    # runs of acronym definitions outside a titled section
    run: list[int] = []
    for i in range(len(paragraphs) + 1):
        item = paragraphs[i] if i < len(paragraphs) else None
        if item is not None and not reasons[i] and _acronym_like(item):
            if len(item.text.splitlines()) >= 3:
                reasons[i] = "acronyms"
            else:
                run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                reasons[j] = "acronyms"
        run = []
    return reasons
