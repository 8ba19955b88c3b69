"""Draft documents: read a draft VLR into pages, sections and paragraphs.

A reviewer cites a draft by page and paragraph, so every paragraph gets a
stable reference ``p{page}.{index}`` (``p12.3`` = third paragraph on page 12)
that evidence, comments and memo annexes can point at.

>>> d = load_draft("santa-rosa-vlr-draft-v1.pdf")  # doctest: +SKIP
>>> d.page_count, d.lang, d.paragraphs()[0].ref  # doctest: +SKIP
(40, 'en', 'p1.1')

What "page" means depends on the format:

- **PDF**: the page's position in the file (1 = first page). If the page
  prints its own number ("Page 7", "- 7 -", "vii") in a header or footer,
  that is kept as :attr:`Page.label`.
- **DOCX**: Word does not store pages, only breaks. Pages follow explicit
  page breaks (``w:br w:type="page"``, "page break before", next-page section
  breaks) and the breaks Word recorded the last time it laid the document
  out (``w:lastRenderedPageBreak``). A document saved by a program that
  records neither is one page long. Breaks with no text between them count
  once, so a hard break that Word also recorded is not counted twice.
- **Markdown**: a line ``<!-- pagebreak -->`` (or ``\\pagebreak``,
  ``\\newpage``) starts a new page.
- **Plain text**: a form feed character starts a new page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, NamedTuple

import yaml

from .errors import DocumentError, ScannedDraftError

#: File types :func:`load_draft` reads, by extension.
SUPPORTED_EXTENSIONS = (".pdf", ".docx", ".md", ".markdown", ".txt")

ParagraphKind = Literal["heading", "text", "table", "list"]


# --------------------------------------------------------------------------
# The document model
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """One block of a draft: a heading, a text paragraph, a list item or a table row.

    ``ref`` is stable for a given file: ``p{page}.{index}`` with ``index``
    counting from 1 on each page. ``section`` is the title of the nearest
    heading above (the heading's own title for a heading); ``section_ref``
    is that heading's ref ("" before the first heading).
    """

    ref: str
    page: int
    index: int
    text: str
    section: str = ""
    kind: ParagraphKind = "text"
    level: int = 0
    section_ref: str = ""


@dataclass(frozen=True)
class Page:
    """One page of a draft; ``label`` is the page number printed on it, if any."""

    number: int
    paragraphs: tuple[Paragraph, ...] = ()
    label: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Section:
    """A heading and the paragraphs up to the next heading (of any level)."""

    title: str
    level: int
    ref: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({p.page for p in self.paragraphs}))

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Draft:
    """A draft VLR read from a file: pages of paragraphs plus what the file says of itself.

    ``sha256`` identifies the exact file reviewed (it goes into the memo
    annex); ``warnings`` lists things a reviewer should know (e.g. pages
    without a text layer) that did not stop the reading.
    """

    path: Path | None
    format: str
    title: str
    lang: str
    sha256: str
    pages: tuple[Page, ...]
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)
    warnings: tuple[str, ...] = ()

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @cached_property
    def _paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for page in self.pages for p in page.paragraphs)

    @cached_property
    def _by_ref(self) -> dict[str, Paragraph]:
        return {p.ref: p for p in self._paragraphs}

    def paragraphs(self, kind: str | None = None) -> list[Paragraph]:
        """All paragraphs in reading order, optionally only those of one ``kind``."""
        if kind is None:
            return list(self._paragraphs)
        return [p for p in self._paragraphs if p.kind == kind]

    def page(self, number: int) -> Page:
        """Page ``number`` (1 = first page in the file)."""
        if not 1 <= number <= len(self.pages):
            raise DocumentError(
                f"{self.name}: no page {number}; the draft has pages 1-{len(self.pages)}"
            )
        return self.pages[number - 1]

    def get(self, ref: str) -> Paragraph | None:
        """The paragraph with reference ``ref`` (``"p12.3"``), or None."""
        return self._by_ref.get(ref.strip())

    def find(self, ref: str) -> Paragraph:
        """The paragraph with reference ``ref``; raises DocumentError if there is none."""
        para = self.get(ref)
        if para is None:
            if not REF_PATTERN.fullmatch(ref.strip()):
                raise DocumentError(
                    f"{ref!r} is not a paragraph reference; write p<page>.<paragraph>, e.g. p12.3"
                )
            raise DocumentError(
                f"{self.name}: no paragraph {ref}; the draft has pages 1-{len(self.pages)}"
            )
        return para

    def search(self, text: str, *, kind: str | None = None) -> list[Paragraph]:
        """Paragraphs containing ``text``, ignoring case, width and spacing differences."""
        needle = _fold(text)
        if not needle:
            return []
        return [
            p
            for p in self._paragraphs
            if (kind is None or p.kind == kind) and needle in _fold(p.text)
        ]

    def sections(self) -> list[Section]:
        """The draft split at every heading; text before the first heading is an untitled section."""
        sections: list[Section] = []
        current: list[Paragraph] = []
        head: Paragraph | None = None
        for para in self._paragraphs:
            if para.kind == "heading":
                if current:
                    sections.append(_section(head, current))
                head, current = para, [para]
            else:
                current.append(para)
        if current:
            sections.append(_section(head, current))
        return sections

    def page_label(self, number: int) -> str:
        """How to cite page ``number``: its printed label if it has one, else the number."""
        return self.page(number).label or str(number)

    @property
    def name(self) -> str:
        return self.path.name if self.path else (self.title or "draft")

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages)


def _section(head: Paragraph | None, paras: list[Paragraph]) -> Section:
    if head is None:
        return Section(title="", level=0, ref=paras[0].ref, paragraphs=tuple(paras))
    return Section(title=head.text, level=head.level, ref=head.ref, paragraphs=tuple(paras))


REF_PATTERN = re.compile(r"p(\d+)\.(\d+)")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


#: Versions of the reading rules for PDF and plain-text drafts, newest last. A review
#: keeps the reading its draft got when the review began (see
#: :func:`vlr_tools.review.OpenReview.draft`), so that its paragraph references
#: (``p12.3``) stay put when the rules improve; an older version is kept here to
#: recognise reviews that began before readings were kept.
READERS = {
    1: "until December 2026",
    2: "the usual line spacing measured per draft; one heading level per type size the "
    "outline uses; bold-title headings below those set in larger type; numbered lines after "
    "a colon, in a run or set off by a tab are list items",
    3: "a line's text runs are grouped by height, not by the bottom of their ink, and the "
    "blank half of a Japanese comma, full stop or bracket is not a gap between table cells: "
    "justified Japanese text with Latin digits is not read as a table; a line's length is its "
    "display width (a Japanese character counts two); a short line followed by a Japanese "
    "line indented by one character ends a paragraph",
}
#: The version new readings use.
READER_VERSION = max(READERS)


def load_draft(path: str | Path, *, lang: str | None = None, reader: int = READER_VERSION) -> Draft:
    """Read a draft (.pdf, .docx, .md, .txt) into a :class:`Draft`.

    ``lang`` ("en" or "ja") overrides language detection. ``reader`` is the
    version of the reading rules (:data:`READER_VERSION`, the newest, by
    default; an older one reads a PDF or text file as that version did, see
    :data:`READERS`). Raises
    :class:`~vlr_tools.errors.DocumentError` with a message a reviewer can
    act on when the file is missing, of the wrong type, encrypted, scanned,
    corrupt or empty.
    """
    path = Path(path)
    ext = path.suffix.lower()
    if path.is_dir():
        raise DocumentError(
            f"{path}: is a folder, not a draft file; give one draft file "
            f"({', '.join(SUPPORTED_EXTENSIONS)})"
        )
    if ext not in SUPPORTED_EXTENSIONS:
        raise DocumentError(
            f"{path.name}: cannot read {ext or 'files without an extension'}; "
            f"allowed: {', '.join(SUPPORTED_EXTENSIONS)}"
        )
    if not path.exists():
        raise DocumentError(f"{path}: file not found")
    if not path.is_file():
        raise DocumentError(f"{path}: is a folder, not a draft file")
    if path.stat().st_size == 0:
        raise DocumentError(f"{path.name}: the file is empty (0 bytes)")
    digest = _sha256(path)
    if reader not in READERS:
        raise DocumentError(
            f"unknown reader version {reader!r}; allowed: {', '.join(map(str, READERS))}"
        )
    if ext == ".pdf":
        blocks, labels, meta, warnings = _read_pdf(path, reader)
    elif ext == ".docx":
        blocks, labels, meta, warnings = _read_docx(path)
    else:
        text = _read_text_file(path)
        if ext in (".md", ".markdown"):
            blocks, meta = _parse_markdown(text)
        else:
            blocks, meta = _parse_plain(text, reader)
        labels, warnings = {}, []
    return _assemble(path, ext.lstrip("."), digest, blocks, labels, meta, warnings, lang)


def draft_from_text(
    text: str, *, title: str = "", lang: str | None = None, markdown: bool = False
) -> Draft:
    """Build a :class:`Draft` from text in memory (pasted text, tests, notebooks).

    Form feeds (or ``<!-- pagebreak -->`` lines when ``markdown``) start new pages.
    """
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates: bytes that were not UTF-8, smuggled in by a lenient decoder.
        raise DocumentError(
            f"{title or 'the text'}: holds characters that are not valid Unicode (bytes that "
            "were not UTF-8); save the draft as UTF-8 or pass the file"
        ) from None
    blocks, meta = _parse_markdown(text) if markdown else _parse_plain(text)
    if title:
        meta["title"] = title
    digest = hashlib.sha256(encoded).hexdigest()
    return _assemble(None, "md" if markdown else "txt", digest, blocks, {}, meta, [], lang)


def reading_of(draft: Draft, reader: int = READER_VERSION) -> dict[str, Any]:
    """How ``draft`` was read, as plain data a review keeps (see :func:`draft_from_reading`).

    Every page with its printed label and its paragraphs (kind, heading level,
    text), the title, language, format, the file's metadata and the reading's
    warnings, and ``reader``, the version of the rules that read it.
    """
    metadata: dict[str, Any] = {}
    for key, value in draft.metadata.items():
        if value is None or isinstance(value, str | int | float | bool):
            metadata[str(key)] = value
    return {
        "reader": reader,
        "sha256": draft.sha256,
        "format": draft.format,
        "title": draft.title,
        "lang": draft.lang,
        "metadata": metadata,
        "warnings": list(draft.warnings),
        "pages": [
            {
                "label": page.label,
                "paragraphs": [[p.kind, p.level, p.text] for p in page.paragraphs],
            }
            for page in draft.pages
        ],
    }


def draft_from_reading(data: Any, *, path: Path | None = None) -> Draft:
    """The :class:`Draft` a kept reading (:func:`reading_of`) describes: same pages and refs.

    Raises :class:`~vlr_tools.errors.DocumentError` naming what is wrong when
    ``data`` is not such a reading (a hand-edited bundle, say).
    """
    try:
        pages = data["pages"]
        blocks: list[_Block] = []
        labels: dict[int, str] = {}
        for number, page in enumerate(pages, start=1):
            if page.get("label"):
                labels[number] = str(page["label"])
            for kind, level, text in page["paragraphs"]:
                if kind not in ("heading", "text", "table", "list"):
                    raise ValueError(f"page {number}: unknown paragraph kind {kind!r}")
                blocks.append(_Block(number, kind, str(text), int(level)))
        meta = dict(data.get("metadata") or {})
        meta["_page_count"] = len(pages)
        draft = _assemble(
            path,
            str(data["format"]),
            str(data["sha256"]),
            blocks,
            labels,
            meta,
            [str(w) for w in data.get("warnings") or ()],
            str(data["lang"]),
        )
        return dataclasses.replace(draft, title=str(data["title"]))
    except (KeyError, TypeError, ValueError, AttributeError, DocumentError) as exc:
        raise DocumentError(f"a kept reading of a draft is not readable: {exc}") from None


def text_from_stdin_bytes(data: bytes) -> str:
    """Decode a draft piped in on standard input: UTF-8, with or without a BOM.

    Raises :class:`~vlr_tools.errors.DocumentError` for anything else, since
    a guessed encoding would silently garble the text that gets mapped.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError(
            "standard input is not UTF-8 text; save the draft as UTF-8 or pass the file"
        ) from None


class _Block(NamedTuple):
    """A paragraph before refs and sections are assigned."""

    page: int
    kind: str
    text: str
    level: int = 0
    #: A PDF heading's type size; 0 when it was guessed from its wording alone.
    size: float = 0.0


def _assemble(
    path: Path | None,
    fmt: str,
    digest: str,
    blocks: list[_Block],
    labels: dict[int, str],
    meta: dict[str, Any],
    warnings: list[str],
    lang: str | None,
) -> Draft:
    name = path.name if path else "text"
    blocks = [b for b in blocks if b.text.strip()]
    if not blocks:
        raise DocumentError(f"{name}: the document contains no text")
    page_count = max(int(meta.pop("_page_count", 0) or 0), max(b.page for b in blocks))
    per_page: dict[int, list[Paragraph]] = {}
    section, section_ref = "", ""
    for block in blocks:
        paras = per_page.setdefault(block.page, [])
        index = len(paras) + 1
        ref = f"p{block.page}.{index}"
        text = block.text.strip()
        if block.kind == "heading":
            section, section_ref = text, ref
        paras.append(
            Paragraph(
                ref=ref,
                page=block.page,
                index=index,
                text=text,
                section=section,
                kind=block.kind,  # type: ignore[arg-type]
                level=block.level,
                section_ref=section_ref,
            )
        )
    pages = tuple(
        Page(number=n, paragraphs=tuple(per_page.get(n, ())), label=labels.get(n))
        for n in range(1, page_count + 1)
    )
    cover = str(meta.pop("_cover_title", "") or "").strip()
    title = str(meta.get("title") or "").strip() or cover
    if not title:
        first_heading = next((b for b in blocks if b.kind == "heading"), None)
        title = first_heading.text.strip() if first_heading else (path.stem if path else "")
    if lang is None:
        meta_lang = str(meta.get("lang") or meta.get("language") or "").lower()[:2]
        lang = meta_lang if meta_lang in ("en", "ja") else detect_lang(_sample(blocks))
    elif lang not in ("en", "ja"):
        raise DocumentError(f"unknown language {lang!r}; allowed: en, ja")
    return Draft(
        path=path,
        format=fmt,
        title=title,
        lang=lang,
        sha256=digest,
        pages=pages,
        metadata=meta,
        warnings=tuple(warnings),
    )


def _sample(blocks: list[_Block], limit: int = 60_000) -> str:
    out: list[str] = []
    size = 0
    for b in blocks:
        out.append(b.text)
        size += len(b.text)
        if size > limit:
            break
    return "\n".join(out)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_lang(text: str) -> str:
    """ "ja" if a good share of the letters are kana or kanji, else "en"."""
    sample = text[:60_000]
    cjk = len(_KANA_KANJI.findall(sample))
    latin = len(_LATIN.findall(sample))
    # Japanese prose uses ~1 character per word, English ~5 letters per word,
    # so a fifth of the letters being CJK already means mostly Japanese words.
    if cjk and cjk >= 0.2 * (cjk + latin):
        return "ja"
    return "en"


# --------------------------------------------------------------------------
# Plain text and the line heuristics shared with PDF
# --------------------------------------------------------------------------


def _read_text_file(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    head = data[:8192]
    if b"\x00" in head or _binary_share(head) > 0.1:
        raise DocumentError(
            f"{path.name}: does not look like a text file (binary content); "
            "save the draft as UTF-8 text, or load the original PDF/DOCX"
        )
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{path.name}: the text is not UTF-8 (or Shift-JIS); save it as UTF-8")


def _binary_share(data: bytes) -> float:
    if not data:
        return 0.0
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(data)


_BULLET = re.compile(r"^\s*(?:[-*•・◦▪‣●○■□]|\(?\d{1,2}[.)]|\(?[a-z][.)]|（\d{1,2}）)\s+")
_LIST_ITEM_NUMBER = re.compile(r"^\s*\(?(\d{1,3})[.)]\s+\S")
_NUMBERED_HEADING = re.compile(
    r"^(?:(?:chapter|section|part|annex|appendix)\s+[\dIVXA-Z]+[.:]?\s*"
    r"|\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+"
    r"|第[0-9一二三四五六七八九十]+[章節部編]\s*"
    r"|(?:goal|sdg)\s*\d{1,2}\s*[:.\-–—]?\s*)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?。！？」』)）:：]$")
_MINOR_WORDS = frozenset(
    "a an and as at but by for from in into of on or the to with vs via per".split()
)
_CJK_CHAR = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _heading_level(line: str) -> int | None:
    """Guess whether a stand-alone line is a heading from its wording alone."""
    s = line.strip()
    if not 2 <= len(s) <= 100 or not any(ch.isalpha() for ch in s):
        return None
    if s[-1] in ".,;" or s.endswith("。"):
        return None
    words = s.split()
    cjk = bool(_CJK_CHAR.search(s))
    if len(words) > 14 or (cjk and len(s) > 40):
        return None
    m = _NUMBERED_HEADING.match(s)
    if m:
        rest = s[m.end() :]
        if rest and (rest[0].isupper() or _CJK_CHAR.match(rest)):
            number = re.match(r"\d+(?:\.\d+)*", s)
            return number.group(0).count(".") + 1 if number else 1
        if not rest and not s[0].isdigit():
            return 1
        return None
    if cjk:
        return 2 if s[0] in "【■◆●" else None
    letters = [ch for ch in s if ch.isalpha()]
    if len(letters) >= 4 and all(ch.isupper() for ch in letters):
        return 1
    content = [w for w in words if w.lower() not in _MINOR_WORDS]
    if 1 <= len(content) and len(words) >= 1 and words[0][:1].isupper():
        capitalised = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit())
        if len(words) >= 2 and capitalised / len(content) >= 0.75:
            return 2
    return None


def _join(left: str, right: str) -> str:
    """Join two wrapped lines: no space between CJK characters, rejoin hyphenated words."""
    if not left:
        return right
    if left.endswith(("\u00ad", "\x02")):
        return left[:-1] + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalnum() and right[:1].isalnum():
        # a word broken at its hyphen ("farm-to-" / "market"): keep the hyphen, no space
        return left + right
    if right and (_CJK_CHAR.match(left[-1]) or _CJK_CHAR.match(right[0])):
        # Japanese wraps lines anywhere and sets no spaces, not even beside Latin words
        return left + right
    return left + " " + right


def _parse_plain(text: str, reader: int = READER_VERSION) -> tuple[list[_Block], dict[str, Any]]:
    """Split plain text into blocks: form feeds are page breaks, blank lines end paragraphs."""
    blocks: list[_Block] = []
    pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    for number, page_text in enumerate(pages, start=1):
        lines = [_Line(line.rstrip()) for line in page_text.split("\n")]
        blocks.extend(_lines_to_blocks(number, lines, body_size=None, reader=reader))
    return blocks, {"_page_count": len(pages)}


class _Line(NamedTuple):
    """A line of text with, for PDF, its position (PDF points, y upwards) and font size.

    ``cells`` is true when the line has wide horizontal gaps inside it (cells
    of a table row set on one baseline); ``bullet`` when a list bullet was
    drawn beside it (pdfium reports bullets apart from their text).
    """

    text: str
    top: float = 0.0
    bottom: float = 0.0
    left: float = 0.0
    size: float = 0.0
    cells: bool = False
    bullet: bool = False


def _table_rows(
    lines: list[_Line], body_size: float | None, *, lists_apart: bool = True
) -> list[int | None]:
    """For each line of a PDF page, the table row it belongs to (None outside tables).

    A table is a run of lines that are either set in a smaller type than the
    body or have cell gaps, with at least one line that has cell gaps (two
    when the type is body-sized, and not all of them list items whose marker
    is set off by a tab). Within a table, a row starts at a line that
    begins at the table's left edge (the first column); lines that wrap
    inside a cell continue the row.
    """
    rows: list[int | None] = [None] * len(lines)
    if not body_size:
        return rows
    small = body_size * 0.93

    def tabular(ln: _Line) -> bool:
        return ln.cells or (0 < ln.size < small)

    i, row = 0, 0
    while i < len(lines):
        if not tabular(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and tabular(lines[j]):
            j += 1
        band = lines[i:j]
        gapped = sum(1 for ln in band if ln.cells)
        body_sized = all(ln.size >= small for ln in band)
        # a numbered or bulleted list whose marker is set off by a tab is not a table
        marked = lists_apart and all(_BULLET.match(ln.text) for ln in band if ln.cells)
        if gapped >= (2 if body_sized else 1) and not (body_sized and marked):
            edge = min(ln.left for ln in band)
            for k in range(i, j):
                if k == i or lines[k].left <= edge + 4:
                    row += 1
                rows[k] = row
        i = j
    return rows


def _in_list(line: str, before: str, item: str, after: str) -> bool:
    """Whether a numbered line ("2. Publish the figures") is an item of a list, not a heading.

    It is when the text before it introduces a list (ends with a colon), when
    the list item before it (``item``, "" if none) has the previous number, or
    when the very next line carries the next number.
    """
    m = _LIST_ITEM_NUMBER.match(line)
    if not m:
        return False
    number = int(m.group(1))
    if before.rstrip().endswith((":", "：")):
        return True
    previous = _LIST_ITEM_NUMBER.match(item)
    if previous is not None and int(previous.group(1)) + 1 == number:
        return True
    following = _LIST_ITEM_NUMBER.match(after)
    return following is not None and int(following.group(1)) == number + 1


def _lines_to_blocks(
    page: int,
    lines: list[_Line],
    body_size: float | None,
    line_gap: float | None = None,
    reader: int = READER_VERSION,
) -> list[_Block]:
    """Group the lines of one page into headings, paragraphs, list items and table rows.

    With positions (PDF), a vertical gap or a larger font separates blocks,
    bullets start list items and table bands become one block per row;
    without (plain text), blank lines do, and short stand-alone lines that
    look like headings become headings. ``line_gap`` is the draft's usual
    space between the lines of a paragraph (see :func:`_line_gap`): a gap
    clearly wider than it separates paragraphs even in generously spaced
    type. ``reader`` 1 leaves out what version 2 added (see :data:`READERS`).
    """
    blocks: list[_Block] = []
    cur: list[str] = []
    cur_kind = "text"
    prev: _Line | None = None
    prev_blank = True
    measure = _display_width if reader >= 3 else len
    width = max((measure(ln.text) for ln in lines), default=0)
    geometric = body_size is not None
    rows = _table_rows(lines, body_size, lists_apart=reader >= 2)
    row_parts: list[str] = []

    def flush() -> None:
        nonlocal cur, cur_kind
        if cur:
            text = ""
            for part in cur:
                text = _join(text, part.strip())
            if text.strip():
                blocks.append(_Block(page, cur_kind, text))
        cur, cur_kind = [], "text"

    def flush_row() -> None:
        nonlocal row_parts
        if row_parts:
            text = ""
            for part in row_parts:
                text = _join(text, part)
            blocks.append(_Block(page, "table", text))
        row_parts = []

    def breaks(gap: float, height: float) -> bool:
        """Whether a vertical gap between two lines separates blocks."""
        return gap > max(0.45 * height, _PARAGRAPH_GAP * line_gap if line_gap else 0.0)

    def wrap_gap(above: _Line) -> float:
        """The widest gap below a heading line that still wraps it onto the next line."""
        size = max(above.size, above.top - above.bottom)
        # the body's leading, scaled to the heading's type, for generously spaced drafts
        leading = (
            _PARAGRAPH_GAP * line_gap * above.size / body_size if line_gap and body_size else 0.0
        )
        return max(0.6 * size, leading)

    for i, line in enumerate(lines):
        s = line.text.strip()
        if rows[i] is not None:
            flush()
            if i == 0 or rows[i - 1] != rows[i]:
                flush_row()
            if s:
                row_parts.append(s)
            prev, prev_blank = line, False
            continue
        flush_row()
        if not s:
            flush()
            prev_blank = True
            prev = None
            continue
        nxt = lines[i + 1].text.strip() if i + 1 < len(lines) else ""
        starts_block = prev_blank or prev is None
        if prev is not None and geometric:
            height = max(prev.size, 1.0) if prev.size else max(prev.top - prev.bottom, 1.0)
            gap = prev.bottom - line.top
            if breaks(gap, height) or line.top > prev.top + 2:  # gap, or a new column
                starts_block = True
        if prev is not None and not starts_block:
            ended = bool(_SENTENCE_END.search(prev.text.strip()))
            short = measure(prev.text.strip()) < 0.7 * width
            if ended and short:
                starts_block = True
            elif reader >= 3 and geometric and _CJK_CHAR.search(prev.text):
                after = lines[i + 1] if i + 1 < len(lines) else None
                starts_block = _japanese_paragraph_starts(
                    prev, line, after, ended=ended, short=short, measure=measure, width=width
                )
        # A heading by font size (PDF) or by wording on a line of its own.
        level: int | None = None
        size = 0.0
        if geometric and body_size and line.size >= body_size * 1.12 and len(s) <= 160:
            level, size = (1 if line.size >= body_size * 1.45 else 2), line.size
            if (
                blocks
                and not cur
                and blocks[-1].kind == "heading"
                and prev is not None
                and abs(prev.size - line.size) < 0.5
                and prev.bottom - line.top < wrap_gap(prev)
            ):
                # a heading wrapped onto a second line
                last = blocks.pop()
                blocks.append(last._replace(text=_join(last.text, s)))
                prev, prev_blank = line, False
                continue
        elif (
            starts_block
            and not line.bullet
            and not (geometric and 0 < line.size < (body_size or 0) * 0.93)
        ):
            # Wording alone is a weaker sign: never for bullets or small print.
            guess = _heading_level(s)
            if guess is not None and reader >= 2:
                before = cur[-1] if cur else (blocks[-1].text if blocks else "")
                if cur:
                    item = cur[0] if cur_kind == "list" else ""
                else:
                    item = blocks[-1].text if blocks and blocks[-1].kind == "list" else ""
                if _in_list(s, before, item, nxt):
                    guess = None
            if guess is not None:
                if geometric and i + 1 < len(lines):
                    below = lines[i + 1]
                    alone_after = breaks(line.bottom - below.top, max(line.size, 1))
                else:
                    alone_after = not nxt
                if alone_after or bool(_BULLET.match(nxt)) or measure(s) < 0.6 * max(width, 1):
                    level = guess
        if level is not None:
            flush()
            blocks.append(_Block(page, "heading", s, level, size=size))
            prev, prev_blank = line, False
            continue
        if line.bullet or _BULLET.match(s):
            flush()
            cur_kind = "list"
        elif starts_block:
            flush()
        cur.append(s)
        prev, prev_blank = line, False
    flush_row()
    flush()
    return blocks


# --------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------

_PAGEBREAK = re.compile(r"^\s*(?:<!--\s*page-?break\s*-->|\\pagebreak|\\newpage)\s*$", re.I)
_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"<!--.*?-->"), ""),
    (re.compile(r"<[^>\n]+>"), ""),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]


def _strip_inline(text: str) -> str:
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return text.replace("\\", "")


def _parse_markdown(text: str) -> tuple[list[_Block], dict[str, Any]]:
    """Split Markdown into blocks: ``#`` headings, paragraphs, list items, table rows."""
    meta: dict[str, Any] = {}
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            try:
                front = yaml.safe_load(text[4:end])
            except yaml.YAMLError as exc:
                raise DocumentError(f"the Markdown front matter is not valid YAML: {exc}") from exc
            if isinstance(front, dict):
                meta.update(front)
            text = text[text.find("\n", end + 1) + 1 :] if "\n" in text[end + 1 :] else ""
    blocks: list[_Block] = []
    page = 1
    para: list[str] = []
    kind = "text"
    in_fence = False
    in_comment = False

    def flush() -> None:
        nonlocal para, kind
        if para:
            joined = ""
            for part in para:
                joined = _join(joined, part.strip())
            joined = _strip_inline(joined).strip()
            if joined:
                blocks.append(_Block(page, kind, joined))
        para, kind = [], "text"

    lines = text.split("\n")
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        if line.strip().startswith("```") or line.strip().startswith("~~~"):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            if line.strip():
                para.append(line)
            else:
                flush()
            continue
        if _PAGEBREAK.match(line):
            flush()
            page += 1
            continue
        if line.strip().startswith("<!--") and "-->" not in line:
            flush()
            in_comment = True
            continue
        if not line.strip():
            flush()
            continue
        m = _ATX.match(line)
        if m:
            flush()
            blocks.append(_Block(page, "heading", _strip_inline(m.group(2)), len(m.group(1))))
            continue
        if (
            para
            and kind == "text"
            and len(para) == 1
            and re.fullmatch(r"\s*(=+|-+)\s*", line)
            and i > 0
        ):
            title = _strip_inline(para[0]).strip()
            para = []
            blocks.append(_Block(page, "heading", title, 1 if "=" in line else 2))
            continue
        stripped = line.strip()
        if stripped.startswith("|") or (stripped.count("|") >= 2 and kind == "table"):
            flush()
            if _TABLE_RULE.match(stripped):
                continue
            cells = [_strip_inline(c).strip() for c in stripped.strip("|").split("|")]
            row = " | ".join(c for c in cells if c)
            if row:
                blocks.append(_Block(page, "table", row))
            continue
        if re.match(r"^\s*([-*+]|\d{1,3}[.)])\s+", line):
            flush()
            kind = "list"
            para.append(re.sub(r"^\s*([-*+]|\d{1,3}[.)])\s+", "", line))
            continue
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> ")
        para.append(stripped)
    flush()
    meta["_page_count"] = page
    return blocks, meta


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------

_PAGE_LABEL = re.compile(
    r"^(?:page|p\.|pg\.?|ページ|頁)?\s*[-–—]?\s*(\d{1,4}|[ivxlcdm]{1,7})\s*[-–—]?"
    r"(?:\s*(?:of|/)\s*\d{1,4})?\s*(?:ページ|頁)?$",
    re.IGNORECASE,
)


def _read_pdf(
    path: Path, reader: int = READER_VERSION
) -> tuple[list[_Block], dict[int, str], dict[str, Any], list[str]]:
    """Read a PDF page by page with pdfium; keep only text and line geometry in memory."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise DocumentError(
                f"{path.name}: the PDF is password-protected; ask the city for an "
                "unprotected copy or remove the password, then load it again"
            ) from exc
        raise DocumentError(
            f"{path.name}: not a readable PDF (corrupt or truncated file): {exc}"
        ) from exc
    try:
        meta: dict[str, Any] = {}
        try:
            meta = {k.lower(): v for k, v in pdf.get_metadata_dict(skip_empty=True).items()}
        except Exception:  # metadata is a nicety; a broken info dict must not stop reading
            meta = {}
        page_count = len(pdf)
        if page_count == 0:
            raise DocumentError(f"{path.name}: the PDF has no pages")
        pages: list[tuple[list[_Line], float]] = []
        images_on_empty = 0
        for index in range(page_count):
            page = pdf[index]
            try:
                height = float(page.get_height())
                textpage = page.get_textpage()
                try:
                    lines = _pdf_lines(textpage, pdfium_c, reader)
                finally:
                    textpage.close()
                if not lines and _page_has_images(page, pdfium_c):
                    images_on_empty += 1
            finally:
                page.close()
            pages.append((lines, height))
    finally:
        pdf.close()

    empty = [n for n, (lines, _h) in enumerate(pages, start=1) if not lines]
    if len(empty) == page_count:
        if images_on_empty:
            raise ScannedDraftError(
                f"{path.name}: looks like a scanned PDF with no text layer; run OCR first "
                "(e.g. 'ocrmypdf in.pdf out.pdf' or your scanner's searchable-PDF option) "
                "and load the OCR'd PDF"
            )
        raise DocumentError(f"{path.name}: the document contains no text")
    warnings: list[str] = []
    if empty and len(empty) >= max(2, page_count // 10):
        warnings.append(
            f"{len(empty)} of {page_count} pages have no text layer (scanned pages?): "
            f"{_page_list(empty)}; their content cannot be mapped"
        )
    repeated = _running_lines(pages)
    sizes: Counter[float] = Counter()
    for lines, _h in pages:
        for ln in lines:
            sizes[round(ln.size, 1)] += len(ln.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    line_gap = _line_gap(pages, body_size, reader) if reader >= 2 else None
    blocks: list[_Block] = []
    labels: dict[int, str] = {}
    for number, (lines, height) in enumerate(pages, start=1):
        kept: list[_Line] = []
        for pos, ln in enumerate(lines):
            in_margin = _in_margin(ln, height, pos, len(lines))
            if in_margin:
                m = _PAGE_LABEL.match(ln.text.strip())
                if m and (number not in labels):
                    labels[number] = m.group(1)
                    continue
                if _shape(ln.text) in repeated:
                    continue
            kept.append(ln)
        blocks.extend(
            _lines_to_blocks(
                number, kept, body_size=body_size or None, line_gap=line_gap, reader=reader
            )
        )
    meta["_page_count"] = page_count
    if reader >= 2:
        blocks = _rank_guessed_headings(_rank_sized_headings(blocks))
    meta["_cover_title"] = _pdf_cover_title(blocks)
    return blocks, labels, meta, warnings


def _pdf_cover_title(blocks: list[_Block]) -> str:
    """The heading in the largest type on the first page with text ("" when none is sized).

    A draft whose PDF has no title in its metadata is named by it: a cover page
    often sets the issuing office or the city's seal line above the title, in
    smaller type, so the first heading would name the office instead.
    """
    if not blocks:
        return ""
    first = min(b.page for b in blocks)
    sized = [b for b in blocks if b.page == first and b.kind == "heading" and b.size]
    if not sized:
        return ""
    return max(sized, key=lambda b: b.size).text  # max keeps the first of equal sizes


def _line_gap(
    pages: list[tuple[list[_Line], float]], body_size: float, reader: int = READER_VERSION
) -> float | None:
    """The usual space between two lines of one paragraph in body type (PDF points).

    Measured after lines that wrap (a line as long as the page's longest, or one
    whose next line carries on in lower case), so it is the leading inside a
    paragraph, whatever the space between paragraphs. None when there are too
    few such lines to tell. From reader version 3 a line's length is its display
    width (a Japanese character counts twice), so that a full Japanese line is as
    long as a full line with Latin digits in it.
    """
    if not body_size:
        return None
    measure = _display_width if reader >= 3 else len
    gaps: list[float] = []
    for lines, _h in pages:
        width = max((measure(ln.text) for ln in lines), default=0)
        for above, below in zip(lines, lines[1:], strict=False):
            if abs(above.size - body_size) > 0.5 or abs(below.size - body_size) > 0.5:
                continue
            if abs(above.left - below.left) > 2 or above.cells or below.cells:
                continue
            a, b = above.text.strip(), below.text.strip()
            wraps = measure(a) >= 0.85 * width or (not _SENTENCE_END.search(a) and b[:1].islower())
            gap = above.bottom - below.top
            if wraps and -1 < gap < 2.5 * body_size:
                gaps.append(gap)
    if len(gaps) < 5:
        return None
    gaps.sort()
    return gaps[len(gaps) // 2]


def _japanese_paragraph_starts(
    prev: _Line,
    line: _Line,
    after: _Line | None,
    *,
    ended: bool,
    short: bool,
    measure: Callable[[str], int],
    width: int,
) -> bool:
    """Whether ``line`` starts a paragraph after ``prev``, a line of Japanese text.

    Japanese text is set to the full measure, so a line shorter than that which ends a
    sentence ends its paragraph (an English line may end short anywhere); and every
    paragraph's first line is indented by one character, so a short line followed by an
    indented line (``after``) stands alone: a programme's name in bold body type above
    its description. A list item's hanging indent is not a paragraph's indent.
    """

    def indented(first: _Line, above: _Line) -> bool:
        if not first.size or not _CJK_CHAR.search(first.text):
            return False
        if above.bullet or _BULLET.match(above.text.strip()):
            return False
        return 0.6 * first.size <= first.left - above.left <= 1.5 * first.size

    if ended and measure(prev.text.strip()) < 0.9 * width:
        return True
    if short and indented(line, prev):
        return True  # the line below a name
    return (
        ended
        and after is not None
        and measure(line.text.strip()) < 0.7 * width
        and indented(after, line)
    )  # a name, after a paragraph whose last line is full


#: Characters of East Asian width "W" or "F" (Unicode 15), by block.
_WIDE = re.compile(
    "[\u1100-\u115f\u231a\u231b\u2329\u232a\u2e80-\u303e\u3041-\u3247\u3250-\u4dbf"
    "\u4e00-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f"
    "\uff00-\uff60\uffe0-\uffe6]"
)


def _display_width(text: str) -> int:
    """The width of ``text`` in half-width columns: a Japanese (wide) character counts two."""
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


#: How much wider than the usual line spacing a gap must be to separate paragraphs.
_PARAGRAPH_GAP = 1.4
#: Headings of one type size needed to count it as a level of the draft's outline.
_TIER_HEADINGS = 3


def _rank_sized_headings(blocks: list[_Block]) -> list[_Block]:
    """Levels for headings set in larger type: one level per type size the outline uses.

    A size used by at least :data:`_TIER_HEADINGS` headings is a level of the
    outline; the largest such size is level 1, the next level 2 and so on. A
    size used less often (a title page's lines) takes level 1 when it is larger
    than every outline size, else the level below the next larger outline size.
    Without any outline size the levels stay as read (1 from 1.45 times the
    body type, else 2). Word's Heading 1 and Heading 2 are often both within
    that band; they now differ.
    """
    sized = [b for b in blocks if b.kind == "heading" and b.size]
    tiers = Counter(round(b.size * 2) / 2 for b in sized)
    outline = sorted((size for size, n in tiers.items() if n >= _TIER_HEADINGS), reverse=True)
    if not outline:
        return blocks

    def level(size: float) -> int:
        size = round(size * 2) / 2
        if size >= outline[0]:
            return 1
        if size in outline:
            return outline.index(size) + 1
        larger = [s for s in outline if s > size]
        return min(outline.index(larger[-1]) + 2, 6)

    return [
        b._replace(level=level(b.size)) if b.kind == "heading" and b.size else b for b in blocks
    ]


def _rank_guessed_headings(blocks: list[_Block]) -> list[_Block]:
    """Put headings guessed from wording below the headings set in larger type.

    A draft that sets its chapters in larger type and its programme titles in
    bold body type ("Youth Sports Leagues") would otherwise get both at level
    2, and a chapter's body would end at its first programme. The guessed
    levels keep their order among themselves.
    """
    headings = [b for b in blocks if b.kind == "heading"]
    sized = [b.level for b in headings if b.size]
    guessed = sorted({b.level for b in headings if not b.size})
    if not sized or not guessed:
        return blocks
    deepest = max(sized)
    below = {level: min(deepest + 1 + rank, 6) for rank, level in enumerate(guessed)}
    return [
        b._replace(level=below[b.level]) if b.kind == "heading" and not b.size else b
        for b in blocks
    ]


_BULLET_GLYPHS = frozenset("•◦▪▫‣●○■□◆◇–-*·・\uf0b7\uf0a7")


def _pdf_lines(textpage: Any, pdfium_c: Any, reader: int = READER_VERSION) -> list[_Line]:
    """The page's visual text lines with box, font size, cell gaps and bullets.

    pdfium joins a line that ends in a hyphen to the next one with U+FFFE, so
    such chunks are split back into their visual lines here (the hyphen the
    reader saw is kept). Bullets drawn as separate glyphs come out on lines
    of their own; they are attached to the text line beside them instead.
    """
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    if not text.strip():
        return []
    raw = textpage.raw
    # pdfium counts the line breaks it generates as characters, so an offset
    # into the text is also a character index for the box and size queries.
    aligned = len(text) == count
    pieces: list[tuple[int, str]] = []  # (offset, visual line)
    offset = 0
    for chunk in text.split("\r\n"):
        start = 0
        for part in chunk.split("\ufffe"):
            end = start + len(part)
            hyphen = end < len(chunk)
            pieces.append((offset + start, part + ("-" if hyphen else "")))
            start = end + 1
        offset += len(chunk) + 2
    if not aligned:
        # Without aligned offsets there is no geometry: fall back to plain-text rules.
        return [_Line(t.strip()) for _o, t in pieces if t.strip() and not _only_bullets(t)]

    lines: list[_Line] = []
    bullets: list[tuple[float, float]] = []
    gapped = _gapped_bands(textpage, pdfium_c, reader)
    for off, piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        first = off + (len(piece) - len(piece.lstrip()))
        if _only_bullets(stripped):
            for k, ch in enumerate(piece):
                if not ch.isspace():
                    try:
                        _l, b, _r, t = textpage.get_charbox(off + k, loose=True)
                    except Exception:  # a box query failing only loses the bullet
                        continue
                    bullets.append((t, b))
            continue
        last = off + len(piece.rstrip()) - 1
        if piece.endswith("-") and last >= off + len(piece) - 1:
            last -= 1  # the hyphen we put back is not a character of the page
        top = bottom = left = size = 0.0
        cells = False
        try:
            left, bottom0, _r, top = textpage.get_charbox(first, loose=True)
            _l2, bottom, _r2, _t2 = textpage.get_charbox(max(last, first), loose=True)
            bottom = min(bottom, bottom0)
            size = float(pdfium_c.FPDFText_GetFontSize(raw, first))
            mid = (top + bottom0) / 2
            cells = any(lo <= mid <= hi for lo, hi in gapped)
        except Exception:  # a box query failing only costs layout hints
            pass
        lines.append(_Line(stripped, top, bottom, left, size, cells))
    for b_top, b_bottom in bullets:
        best, overlap = None, 0.0
        for idx, ln in enumerate(lines):
            ov = min(b_top, ln.top) - max(b_bottom, ln.top - max(ln.size, 1.0))
            if ov > overlap:
                best, overlap = idx, ov
        if best is not None and overlap >= 0.3 * max(b_top - b_bottom, 1.0):
            lines[best] = lines[best]._replace(bullet=True)
    return lines


_LIST_NUMBER = re.compile(r"\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]")


def _only_bullets(text: str) -> bool:
    """A line holding only list markers: bullets, or a number like "1." or "(a)"."""
    stripped = text.strip()
    if not stripped:
        return False
    if all(ch in _BULLET_GLYPHS or ch.isspace() for ch in stripped):
        return True
    return bool(_LIST_NUMBER.fullmatch(stripped))


#: Above this many text runs on a page, table-cell detection is skipped (cost, not benefit).
_MAX_RECTS = 1200


#: Japanese punctuation set in a full-width box with its mark at one side: the box's other
#: half is blank, and pdfium's rectangle ends (or starts) at the mark.
_CJK_CLOSING = tuple("、。，．」』）〕】〉》”’")
_CJK_OPENING = tuple("「『（〔【〈《“‘")


def _gapped_bands(
    textpage: Any, pdfium_c: Any, reader: int = READER_VERSION
) -> list[tuple[float, float]]:
    """Vertical bands (bottom, top) of the page where text on one baseline has wide gaps.

    pdfium reports the page's text as rectangles, one per run of text on a
    line; two runs on the same baseline separated by more than a few spaces
    are cells of a table row. Asking once per page is much cheaper than once
    per line. From reader version 3, the runs of one line are those whose
    middle lies within the line's height (the ink of 「ー」 or of digits in a
    Latin font does not share the bottom of the Japanese characters around
    it), and a gap after a Japanese comma, full stop or closing bracket (or
    before an opening one) counts one character less: the blank half of that
    character's box, widened by justification, is not a gap between cells.
    """
    import ctypes

    raw = textpage.raw
    n = pdfium_c.FPDFText_CountRects(raw, 0, -1)
    if n <= 1 or n > _MAX_RECTS:
        # Thousands of runs are dot leaders or glyph-by-glyph text, not a table.
        return []
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    rects: list[tuple[float, float, float, float]] = []
    for k in range(n):
        pdfium_c.FPDFText_GetRect(raw, k, left, top, right, bottom)
        rects.append((bottom.value, left.value, right.value, top.value))
    rects.sort()
    bands: list[tuple[float, float]] = []
    group: list[tuple[float, float, float, float]] = []

    Rect = tuple[float, float, float, float]  # bottom, left, right, top

    def text_of(r: Rect) -> str:
        return str(textpage.get_text_bounded(left=r[1], bottom=r[0], right=r[2], top=r[3]))

    def cell_gap(a: Rect, b: Rect, height: float) -> bool:
        gap = b[1] - a[2]
        if gap <= 0.8 * height:
            return False
        if reader < 3:
            return True
        # the text is asked for only where it can matter (pdfium's text query is slow):
        # a run as narrow as a bullet, or a gap less than a character too wide
        if a[2] - a[1] <= 1.5 * height and _only_bullets(text_of(a).strip()):
            return False  # a bullet drawn apart from its text
        if gap - height > 0.8 * height:
            return True
        return not (
            text_of(a).rstrip().endswith(_CJK_CLOSING)
            or text_of(b).lstrip().startswith(_CJK_OPENING)
        )

    def close() -> None:
        if len(group) < 2:
            return
        height = max(max(r[3] - r[0] for r in group), 1.0)
        row = sorted(group, key=lambda r: r[1])
        if any(cell_gap(a, b, height) for a, b in zip(row, row[1:], strict=False)):
            bands.append((min(r[0] for r in group), max(r[3] for r in group)))

    group_top = 0.0
    for rect in rects:
        if reader >= 3:
            # one line: the runs whose middle lies within the line's height so far (the
            # ink of 「ー」, 「、」 or of digits in a Latin font sits higher or lower)
            apart = bool(group) and (rect[0] + rect[3]) / 2 > group_top
        else:
            apart = bool(group) and abs(rect[0] - group[0][0]) > 1.5
        if apart:
            close()
            group = []
        group_top = max(group_top, rect[3]) if group else rect[3]
        group.append(rect)
    close()
    return bands


def _page_has_images(page: Any, pdfium_c: Any) -> bool:
    try:
        for obj in page.get_objects(max_depth=2):
            if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                return True
    except Exception:
        return False
    return False


def _in_margin(line: _Line, height: float, pos: int, count: int) -> bool:
    # Running heads sit among the first or last lines and, when the geometry
    # is known, in the top or bottom band of the page (outside the body text).
    near_edge = pos < 3 or pos >= count - 3
    if near_edge and (line.top or line.bottom):
        return line.top > height * 0.93 or line.bottom < height * 0.07
    return near_edge


def _shape(text: str) -> str:
    """A line with its digits blanked, so "Page 3 of 40" and "Page 4 of 40" look alike."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _running_lines(pages: list[tuple[list[_Line], float]]) -> set[str]:
    """Header/footer lines: the same shape in the page margin on most pages."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines, height in pages:
        seen = {
            _shape(ln.text)
            for pos, ln in enumerate(lines)
            if _in_margin(ln, height, pos, len(lines))
        }
        counts.update(seen)
    threshold = max(3, int(0.5 * len(pages)))
    return {shape for shape, n in counts.items() if n >= threshold}


def _page_list(numbers: list[int], limit: int = 12) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f" ... (+{len(numbers) - limit})" if len(numbers) > limit else "")


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_HEADING_STYLE = re.compile(r"^(?:heading|見出し)\s*(\d)$", re.IGNORECASE)


def _read_docx(path: Path) -> tuple[list[_Block], dict[int, str], dict[str, Any], list[str]]:
    """Read a DOCX body in order: paragraphs, tables (one block per row) and page breaks."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        data = path.read_bytes()
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k" in data:
            raise DocumentError(
                f"{path.name}: the DOCX is password-protected (encrypted); open it in Word, "
                "remove the password (File > Info > Protect Document) and save it again"
            )
        raise DocumentError(
            f"{path.name}: this is an old Word 97-2003 (.doc) file, not DOCX; "
            "save it as .docx first"
        )
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocumentError(
            f"{path.name}: not a readable DOCX (corrupt or not Word): {exc}"
        ) from exc
    except Exception as exc:  # lxml errors on a damaged part
        raise DocumentError(f"{path.name}: not a readable DOCX (corrupt file): {exc}") from exc

    meta: dict[str, Any] = {}
    core = document.core_properties
    if core.title:
        meta["title"] = core.title
    if core.language:
        meta["lang"] = core.language

    state = _PageState()
    blocks: list[_Block] = []
    cover: list[tuple[float, str]] = []  # (type size, text) of the first page's paragraphs
    body = _docx_body_size(document)
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            para = DocxParagraph(element, document)
            count = len(blocks)
            _docx_paragraph(para, state, blocks)
            if len(blocks) > count and blocks[-1].page == 1:
                cover.append((_docx_type_size(para, body), blocks[-1].text))
        elif element.tag == f"{_W}tbl":
            _docx_table(Table(element, document), state, blocks)
        elif element.tag == f"{_W}sectPr":
            continue
    meta["_page_count"] = state.page
    large = [(size, text) for size, text in cover if size >= _DOCX_TITLE_SIZE * body]
    if large:
        meta["_cover_title"] = max(large, key=lambda c: c[0])[1]
    return blocks, {}, meta, []


#: A first-page paragraph set this many times the body type or larger can name the draft.
_DOCX_TITLE_SIZE = 1.45


def _docx_body_size(document: Any) -> float:
    """The body type size in points: the Normal style's, else the document default (10 pt)."""
    try:
        size = document.styles["Normal"].font.size
    except KeyError:
        size = None
    if size is not None:
        return float(size.pt)
    sz = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}sz")
    return int(sz.get(f"{_W}val")) / 2 if sz is not None else 10.0


def _docx_type_size(para: Any, body: float) -> float:
    """The largest type size (points) of a DOCX paragraph's text runs.

    A run's own size wins; otherwise the paragraph style's (or a style it is
    based on); otherwise the body size.
    """
    style_size = body
    style = para.style
    while style is not None:
        if style.font.size is not None:
            style_size = float(style.font.size.pt)
            break
        style = style.base_style
    largest = 0.0
    for run in para._p.iter(f"{_W}r"):
        if not "".join(t.text or "" for t in run.iter(f"{_W}t")).strip():
            continue
        sz = run.find(f"{_W}rPr/{_W}sz")
        size = int(sz.get(f"{_W}val")) / 2 if sz is not None else style_size
        largest = max(largest, size)
    return largest


class _PageState:
    """Current page while walking a DOCX; consecutive breaks with no text between count once."""

    def __init__(self) -> None:
        self.page = 1
        self.has_text = False

    def page_break(self) -> None:
        if self.has_text:
            self.page += 1
            self.has_text = False


def _walk_runs(element: Any, state: _PageState, out: list[str], start_page: list[int]) -> None:
    """Collect the text of a paragraph element, applying page breaks in document order."""
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag == _MC_FALLBACK:
            continue
        if tag == f"{_W}t":
            if child.text:
                if not start_page and child.text.strip():
                    start_page.append(state.page)
                out.append(child.text)
                if child.text.strip():
                    state.has_text = True
        elif tag == f"{_W}tab":
            out.append(" ")
        elif tag == f"{_W}br":
            if child.get(f"{_W}type") == "page":
                state.page_break()
            else:
                out.append(" ")
        elif tag == f"{_W}lastRenderedPageBreak":
            state.page_break()
        elif tag in (f"{_W}delText", f"{_W}instrText", f"{_W}pPr", f"{_W}rPr"):
            continue
        else:
            _walk_runs(child, state, out, start_page)


def _docx_paragraph(para: Any, state: _PageState, blocks: list[_Block]) -> None:
    p_pr = para._p.pPr
    style_name = ""
    try:
        style_name = para.style.name if para.style is not None else ""
    except Exception:
        style_name = ""
    if _page_break_before(para):
        state.page_break()
    parts: list[str] = []
    start_page: list[int] = []
    _walk_runs(para._p, state, parts, start_page)
    text = " ".join("".join(parts).split())
    if text:
        page = start_page[0] if start_page else state.page
        kind, level = "text", 0
        m = _HEADING_STYLE.match(style_name.strip())
        outline = _outline_level(p_pr)
        if style_name.strip().lower() in ("title", "表題"):
            kind, level = "heading", 1
        elif m:
            kind, level = "heading", int(m.group(1))
        elif outline is not None and outline < 9:
            kind, level = "heading", outline + 1
        elif (p_pr is not None and p_pr.numPr is not None) or "list" in style_name.lower():
            kind = "list"
        blocks.append(_Block(page, kind, text, level))
    if p_pr is not None and p_pr.sectPr is not None:
        sect_type = p_pr.sectPr.find(f"{_W}type")
        value = sect_type.get(f"{_W}val") if sect_type is not None else "nextPage"
        if value in ("nextPage", "oddPage", "evenPage"):
            state.page_break()


def _page_break_before(para: Any) -> bool:
    try:
        return bool(para.paragraph_format.page_break_before) or bool(
            para.style is not None and para.style.paragraph_format.page_break_before
        )
    except Exception:
        return False


def _outline_level(p_pr: Any) -> int | None:
    if p_pr is None:
        return None
    node = p_pr.find(f"{_W}outlineLvl")
    if node is None:
        return None
    try:
        return int(node.get(f"{_W}val"))
    except (TypeError, ValueError):
        return None


def _docx_table(table: Any, state: _PageState, blocks: list[_Block]) -> None:
    for row in table._tbl.tr_lst:
        cells: list[str] = []
        start_page: list[int] = []
        for tc in row.tc_lst:
            parts: list[str] = []
            for child in tc.iterchildren():
                if child.tag == f"{_W}p":
                    chunk: list[str] = []
                    _walk_runs(child, state, chunk, start_page)
                    parts.append("".join(chunk))
                elif child.tag == f"{_W}tbl":
                    # nested table: keep its words in the cell
                    chunk = []
                    _walk_runs(child, state, chunk, start_page)
                    parts.append("".join(chunk))
            cell = " ".join(" ".join(parts).split())
            if cell:  # cells continuing a vertical merge are empty
                cells.append(cell)
        text = " | ".join(cells)
        if text:
            page = start_page[0] if start_page else state.page
            blocks.append(_Block(page, "table", text))
