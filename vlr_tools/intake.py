"""The one intake: a city's profile, its draft files and its tables into the workspace.

A partner city e-mails its draft VLR (PDF or Word), often with an indicator
spreadsheet and a consultation record. The reviewer takes them in here, and
every feature then reads them from the review (:mod:`vlr_tools.review`).
The sample cities go through exactly the same functions
(:func:`add_sample_city`, :func:`start_sample_review`)::

    add_city(ws, "baguio", name="Baguio City", country="Philippines")
    added = add_draft(ws, "baguio", "Baguio-VLR-draft.pdf", version="v1")
    rv = start_review(ws, "baguio", "v1").review
    import_indicators(ws, rv.id, "baguio-indicators.xlsx")
    import_consultations(ws, rv.id, "consultations.xlsx")

Nothing is half-stored: a draft that cannot be read (scanned without
``ocr=True``, encrypted, corrupt, an HTML page saved as ``.pdf``, empty, too
large) is refused with one message and the workspace is unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .column_mapping import mapping_for, parse_column_mapping, save_column_mapping
from .errors import (
    CityError,
    DataFileError,
    DocumentError,
    MissingComponentError,
    ScannedDraftError,
)
from .replacement import MovedDecisions, move_decisions
from .workspace.cities import (
    DRAFT_LANGS,
    VERSION_RE,
    CityProfile,
    StoredDraft,
    sha256_of,
    unknown_city_message,
)
from .workspace.model import now

if TYPE_CHECKING:
    from .documents import Draft
    from .workspace import Review, Workspace

#: The largest draft file the intake takes (bytes); ``VLR_MAX_DRAFT_MB`` changes it.
DEFAULT_MAX_DRAFT_MB = 100
#: Draft file types the intake takes, by what the bytes are (not the extension).
DRAFT_FORMATS = ("pdf", "docx", "md", "txt")
_EXTENSION = {"pdf": ".pdf", "docx": ".docx", "md": ".md", "txt": ".txt"}


def max_draft_bytes() -> int:
    """The size limit of a draft file, in bytes."""
    text = os.environ.get("VLR_MAX_DRAFT_MB", "")
    try:
        mb = float(text) if text else DEFAULT_MAX_DRAFT_MB
    except ValueError:
        mb = DEFAULT_MAX_DRAFT_MB
    return int(mb * 1024 * 1024)


# -- cities ------------------------------------------------------------------------------


def is_sample_city(slug: str) -> bool:
    """True for the workbench's illustrative sample cities (see :mod:`vlr_tools.cities`)."""
    from .cities import list_cities

    return slug in list_cities()


def add_city(ws: Workspace, slug: str, name: str, **facts: Any) -> CityProfile:
    """Add a city's profile to the workspace; refused if the slug is taken.

    ``facts`` are :class:`~vlr_tools.workspace.cities.CityProfile` fields
    (``country``, ``province``, ``population``, ``population_year``,
    ``barangays``, ``coastal``, ``languages``, ``hlpf_year`` ...). A real
    city is never marked illustrative.
    """
    if facts.get("illustrative"):
        raise CityError(
            "only the workbench's sample cities are illustrative; a city added by a reviewer "
            "is a real city"
        )
    facts = {k: v for k, v in facts.items() if v is not None}
    for key in ("languages", "public_facts"):
        if key in facts:
            facts[key] = tuple(facts[key])
    profile = CityProfile(slug=slug, name=name, **facts)
    return ws.put_city(profile, replace_existing=False)


def update_city(ws: Workspace, slug: str, **changes: Any) -> CityProfile:
    """Change fields of a stored city profile; returns the new profile."""
    from .workspace.cities import PROFILE_FIELDS

    current = ws.city(slug)
    unknown = sorted(set(changes) - set(PROFILE_FIELDS))
    if unknown:
        raise CityError(
            f"unknown city field(s) {', '.join(unknown)}; allowed: {', '.join(PROFILE_FIELDS)}"
        )
    if changes.get("illustrative") and not current.illustrative:
        raise CityError("a real city cannot be marked illustrative")
    for key in ("languages", "public_facts"):
        if key in changes:
            changes[key] = tuple(changes[key])
    return ws.put_city(replace(current, **changes))


def require_city(ws: Workspace, slug: str) -> CityProfile:
    """The city's profile; a sample city not yet in the workspace is taken in first."""
    found = ws.find_city(slug)
    if found is not None:
        return found
    if is_sample_city(slug):
        return add_sample_city(ws, slug)
    from .cities import list_cities

    known = sorted({c.slug for c in ws.cities()} | set(list_cities()))
    raise CityError(unknown_city_message(slug, known))


# -- drafts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftIntake:
    """What :func:`add_draft` stored and what it found in the file."""

    stored: StoredDraft
    draft: Draft
    replaced: StoredDraft | None = None
    unchanged: bool = False
    #: Reviews whose annotations point at the replaced file (re-anchor them).
    reviews_to_reanchor: tuple[str, ...] = ()
    #: What happened to each review's paragraph decisions on the replaced file.
    decisions_moved: tuple[MovedDecisions, ...] = ()

    @property
    def headings(self) -> list[str]:
        return [p.text for p in self.draft.paragraphs("heading")]

    def report(self) -> list[str]:
        """Lines for the reviewer: pages, paragraphs, language, headings, pages without text."""
        info = self.stored.info
        lines = [
            f"{self.stored.filename}: {info.get('pages')} pages, {info.get('paragraphs')} "
            f"paragraphs, {info.get('headings')} headings, language {self.stored.lang}"
            + (f", title {self.stored.title!r}" if self.stored.title else ""),
            f"stored as {self.stored.city} draft {self.stored.version} "
            f"(sha256 {self.stored.sha256[:12]}…, {_size(self.stored.size)})"
            + (" — already stored, nothing changed" if self.unchanged else ""),
        ]
        heads = self.headings
        if heads:
            shown = "; ".join(h[:60] for h in heads[:8])
            more = f" … and {len(heads) - 8} more" if len(heads) > 8 else ""
            lines.append(f"headings: {shown}{more}")
        else:
            lines.append("headings: none found (sections will be cited by page only)")
        if self.stored.ocr_pages:
            lines.append(
                f"read by OCR: pages {_pages(self.stored.ocr_pages)} (the original file is kept; "
                "check quotes from these pages against the page image)"
            )
        empty = info.get("no_text_pages") or []
        if empty:
            lines.append(
                f"pages with no text layer: {_pages(empty)}; their content cannot be mapped or "
                "quoted. If they hold text (scanned pages), add the draft again with --ocr"
            )
        if self.replaced is not None:
            lines.append(
                f"replaced the earlier file {self.replaced.filename} "
                f"(sha256 {self.replaced.sha256[:12]}…)"
            )
        if self.reviews_to_reanchor:
            lines.append(
                "the replaced file has annotations in review(s) "
                f"{', '.join(self.reviews_to_reanchor)}: re-anchor them on the new file with "
                "`vlr annotations reanchor REVIEW_ID`"
            )
        lines.extend(m.line() for m in self.decisions_moved)
        return lines


def sniff_format(data: bytes, name: str) -> str:
    """What a draft file really is (pdf, docx, md, txt), from its bytes; raises DocumentError."""
    if not data:
        raise DocumentError(f"{name}: the file is empty (0 bytes); ask the city to send it again")
    head = data[:2048].lstrip()
    low = head[:200].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower():
        raise DocumentError(
            f"{name}: is a web page (HTML), not a draft document: the link probably led to a "
            "download or sign-in page. Download the file itself and add that; allowed: PDF, "
            "DOCX, Markdown or plain text"
        )
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise DocumentError(f"{name}: is a damaged ZIP/Word file ({exc})") from exc
        if "word/document.xml" in names:
            return "docx"
        raise DocumentError(
            f"{name}: is a ZIP file but not a Word document (no word/document.xml); "
            "allowed: PDF, DOCX, Markdown or plain text"
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DocumentError(
            f"{name}: is an old Word .doc file or a password-protected Word file; open it in "
            "Word and save it as .docx without a password, then add that"
        )
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError(
            f"{name}: is not a PDF, a Word .docx or UTF-8 text; allowed: PDF, DOCX, Markdown "
            "or plain text"
        ) from None
    return "md" if Path(name).suffix.lower() in (".md", ".markdown") else "txt"


def add_draft(
    ws: Workspace,
    city: str,
    file: str | os.PathLike[str],
    *,
    version: str,
    lang: str | None = None,
    title: str | None = None,
    received: dt.date | str | None = None,
    ocr: bool = False,
    replace_existing: bool = False,
    reviewer: str | None = None,
    new_city: CityProfile | None = None,
) -> DraftIntake:
    """Store a draft file of ``city`` as draft ``version``, read it, and say what it holds.

    ``new_city`` is the profile to add when the city is not in the workspace
    yet; it is added only once the file has been read, so a draft that is
    refused leaves no city behind.

    The file's bytes go into the workspace (content-addressed: the same file
    twice is stored once). A version that already has a different file is
    refused unless ``replace_existing``. With ``ocr``, pages without a text
    layer are read with OCRmyPDF/Tesseract (English and Japanese); the
    original file is kept and the OCR'd pages are listed. Raises
    :class:`~vlr_tools.errors.DocumentError` with one message, having stored
    nothing, for a file that cannot be read.
    """
    path = Path(file)
    if not path.is_file():
        raise DocumentError(
            f"{path}: file not found" if not path.exists() else f"{path}: not a file"
        )
    if new_city is None or ws.find_city(city) is not None:
        require_city(ws, city)
    elif new_city.slug != city:
        raise CityError(f"the new city's profile is for {new_city.slug!r}, not {city!r}")
    else:
        from .workspace.cities import check_profile

        check_profile(new_city)  # a wrong profile fails before the file is read
    version = str(version or "").strip()
    if not VERSION_RE.match(version):
        raise DocumentError(
            f"draft version {version!r} is not allowed; write e.g. v1, v2 or 2025-03 "
            "(letters, digits, '.', '_' or '-')"
        )
    if lang is not None and lang not in DRAFT_LANGS:
        raise DocumentError(f"unknown language {lang!r}; allowed: {', '.join(DRAFT_LANGS)}")
    received_date = _date(received, "received")
    limit = max_draft_bytes()
    size = path.stat().st_size
    if size > limit:
        raise DocumentError(
            f"{path.name}: is {_size(size)}, over the draft size limit of {_size(limit)}; "
            "ask the city for a smaller export (e.g. images at screen resolution) or raise "
            "the limit with VLR_MAX_DRAFT_MB"
        )
    data = path.read_bytes()
    fmt = sniff_format(data, path.name)
    filename = (
        path.name
        if Path(path.name).suffix.lower() == _EXTENSION[fmt]
        else (f"{path.stem}{_EXTENSION[fmt]}")
    )
    with tempfile.TemporaryDirectory(prefix="vlr-intake-") as tmp:
        local = Path(tmp) / filename
        local.write_bytes(data)
        text_bytes: bytes | None = None
        ocr_pages: list[int] = []
        try:
            draft = _read(local, lang)
        except ScannedDraftError:
            if not ocr:
                raise ScannedDraftError(
                    f"{path.name}: is a scanned PDF with no text layer, so nothing can be "
                    "mapped or quoted. Add it with --ocr to read its pages with OCR "
                    "(the original file is kept), or ask the city for the PDF exported "
                    "from Word"
                ) from None
            draft, text_bytes, ocr_pages = _ocr(local, lang, path.name)
        else:
            if ocr and fmt == "pdf":
                empty = [p.number for p in draft.pages if not p.paragraphs]
                if empty:
                    draft, text_bytes, ocr_pages = _ocr(local, lang, path.name)
    if text_bytes is not None:
        empty_now = {p.number for p in draft.pages if not p.paragraphs}
        ocr_pages = [p for p in ocr_pages if p not in empty_now]
    info = {
        "size": len(data),
        "pages": draft.page_count,
        "paragraphs": len(draft.paragraphs()),
        "headings": len(draft.paragraphs("heading")),
        "no_text_pages": [p.number for p in draft.pages if not p.paragraphs],
        "ocr_pages": ocr_pages,
        "warnings": list(draft.warnings),
        "detected_lang": draft.lang,
    }
    who = ws._who(reviewer)  # noqa: SLF001 - the workspace's own identity rule
    if new_city is not None and ws.find_city(city) is None:
        ws.put_city(new_city, replace_existing=False, reviewer=reviewer)
    stored = StoredDraft(
        city=city,
        version=version,
        sha256=sha256_of(data),
        filename=filename,
        format=fmt,
        lang=lang or draft.lang,
        title=title or _title(draft.title, path),
        received=received_date,
        info=info,
        added_at=now(),
        added_by=who,
    )
    before = ws.find_draft(city, version)
    saved, replaced = ws.put_draft(
        stored, data, text_content=text_bytes, replace_existing=replace_existing
    )
    unchanged = before is not None and before.sha256 == saved.sha256
    if fmt == "docx" and saved.rendering is None:
        saved = _keep_rendering(ws, saved, data)
    reanchor: tuple[str, ...] = ()
    moved: tuple[MovedDecisions, ...] = ()
    if replaced is not None:
        reviews = [r.id for r in ws.reviews(city) if r.version == version]
        reanchor = tuple(r for r in reviews if ws.records(r, "annotation"))
        moved = tuple(
            m for r in reviews if (m := _move_decisions(ws, r, replaced, who)) is not None
        )
    return DraftIntake(
        stored=saved if not unchanged else before,  # type: ignore[arg-type]
        draft=draft,
        replaced=replaced,
        unchanged=unchanged,
        reviews_to_reanchor=reanchor,
        decisions_moved=moved,
    )


def _move_decisions(
    ws: Workspace, review_id: str, replaced: StoredDraft, who: str
) -> MovedDecisions | None:
    """Move a review's paragraph decisions onto the new file (None: it has none)."""
    from .documents import draft_from_reading, load_draft
    from .review import READING_KIND, materialise, open_review

    kinds = ("mapping_decision", "claim_decision", "claim_link")
    if not any(ws.records(review_id, kind) for kind in kinds):
        return None
    kept = ws.get(review_id, READING_KIND, replaced.text_source)
    if kept is not None:
        old = draft_from_reading(kept.data)
    else:  # a review that never opened the old file: read it as the review would have
        path = materialise(ws, replaced.text_source, replaced.filename)
        old = load_draft(path, lang=replaced.lang or None)
    new = open_review(ws, review_id).draft
    return move_decisions(ws, review_id, old, new, reviewer=who)


def _keep_rendering(ws: Workspace, stored: StoredDraft, data: bytes) -> StoredDraft:
    """Draw a DOCX draft as PDF with LibreOffice and keep it, for the page view.

    Word stores no pages; the rendering is how the draft looks when printed.
    Without LibreOffice (or when it fails) the draft is still taken in: the
    page view then says it cannot draw the pages.
    """
    from .pages import render_docx, rendering_pages

    with tempfile.TemporaryDirectory(prefix="vlr-intake-") as tmp:
        local = Path(tmp) / stored.filename
        local.write_bytes(data)
        try:
            pdf = render_docx(local)
        except DocumentError:
            return stored
    if pdf is None:
        return stored
    return ws.put_rendering(
        stored.city, stored.version, pdf, pages=rendering_pages(pdf), tool="LibreOffice"
    )


_NOT_TITLES = frozenset({"contents", "table of contents", "目次", "もくじ", "foreword", "preface"})


def _title(found: str, path: Path) -> str:
    """The draft's own title, unless reading picked a contents heading; else the file name."""
    text = " ".join((found or "").split())
    if not text or text.casefold() in _NOT_TITLES or "...." in text:
        return path.stem.replace("_", " ")
    return text


def _read(path: Path, lang: str | None) -> Draft:
    from .review import _read_draft
    from .workspace.cities import sha256_of

    return _read_draft(str(path), sha256_of(path.read_bytes()), lang)


def _ocr(local: Path, lang: str | None, shown: str) -> tuple[Draft, bytes, list[int]]:
    """OCR the pages without text of a PDF; return the draft read from the OCR'd copy."""
    tool = shutil.which("ocrmypdf")
    if tool is None:
        raise MissingComponentError(
            "OCR needs OCRmyPDF and Tesseract (Debian packages ocrmypdf, tesseract-ocr-eng, "
            "tesseract-ocr-jpn); ./scripts/setup installs them"
        )
    from .documents import load_draft

    before: set[int] = set()
    try:
        first = load_draft(local, lang=lang)
        before = {p.number for p in first.pages if not p.paragraphs}
    except ScannedDraftError:
        before = set()  # every page: counted from the OCR'd copy below
    out = local.with_name(local.stem + ".ocr.pdf")
    languages = {"en": "eng", "ja": "jpn"}.get(lang or "", "eng+jpn")
    command = [
        tool,
        "--skip-text",
        "--language",
        languages,
        "--output-type",
        "pdf",
        "--optimize",
        "0",
        "--quiet",
        str(local),
        str(out),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    except subprocess.TimeoutExpired:
        raise DocumentError(
            f"{shown}: OCR took longer than 30 minutes; nothing was stored"
        ) from None
    if done.returncode != 0 or not out.is_file():
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise DocumentError(
            f"{shown}: OCR failed ({reason[-1] if reason else 'exit ' + str(done.returncode)}); "
            "nothing was stored"
        )
    draft = load_draft(out, lang=lang)
    if not before:
        before = set(range(1, draft.page_count + 1))
    return draft, out.read_bytes(), sorted(before)


def _date(value: dt.date | str | None, what: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DocumentError(
            f"{what} date {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31"
        ) from None


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n} bytes"


def _pages(pages: Any) -> str:
    from .documents import _page_list

    return _page_list(list(pages))


# -- tables ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableIntake:
    """What an indicator table import stored (nothing when ``stored`` is False)."""

    filename: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    stored: bool = True
    reading: Any = None
    mapping_saved: bool = False


def read_indicators(
    ws: Workspace,
    review_id: str,
    file: str | os.PathLike[str] | None = None,
    *,
    pages: str | list[int] | None = None,
    sheet: str | None = None,
    table: int | None = None,
    columns: dict[str, str] | str | None = None,
) -> Any:
    """Read a city's indicator table for a review, without storing: the :class:`Reading`.

    The table comes from ``file`` (.xlsx or .csv, any layout) or from
    ``pages`` of the review's stored draft ("26-30": Word tables exactly,
    PDF tables with pdfplumber on those pages only; each indicator keeps the
    page and table it came from). The column mapping saved for the city's
    table is used unless ``columns`` is given; the report says which.
    """
    from .indicators import parse_pages, read_draft_tables, read_indicator_file

    if (file is None) == (pages is None):
        raise DataFileError(
            "read the indicator table from a file or from pages of the draft (one of the two)"
        )
    if isinstance(columns, str):
        columns = parse_column_mapping(columns)
    saved, origin = mapping_for(ws, review_id, "indicators", columns)
    if file is not None:
        reading = read_indicator_file(
            Path(file), sheet=sheet, table=table, columns=columns, saved=saved
        )
    else:
        from .review import open_review

        rv = open_review(ws, review_id)
        stored = rv._require_draft()  # noqa: SLF001 - the review's own "no draft" message
        count = int(stored.info.get("pages") or rv.draft.page_count)
        assert pages is not None
        wanted = parse_pages(pages, count) if isinstance(pages, str) else sorted(set(pages))
        reading = read_draft_tables(
            rv.original_path,
            stored.format,
            wanted,
            shown=stored.filename,
            table=table,
            columns=columns,
            saved=saved,
        )
    reading.saved_from = origin if saved else ""
    return reading


def indicator_source(
    ws: Workspace, review_id: str, reading: Any, file: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """Where a reading came from, as kept with the stored table: the file, or the draft's pages."""
    if file is not None:
        path = Path(file)
        return {
            "filename": path.name,
            "sha256": sha256_of(path.read_bytes()),
            "origin": reading.origin,
        }
    stored = _review_draft(ws, review_id)
    return {
        "filename": stored.filename,
        "sha256": stored.sha256,
        "origin": f"draft {stored.format}",
        "pages": list(reading.pages),
    }


def _review_draft(ws: Workspace, review_id: str) -> StoredDraft:
    from .review import open_review

    stored = open_review(ws, review_id).draft_file
    if stored is None:
        raise DataFileError(f"review {review_id} has no stored draft")
    return stored


def store_indicators(
    ws: Workspace,
    review_id: str,
    reading: Any,
    *,
    source: dict[str, Any],
    save_mapping: bool = False,
    reviewer: str | None = None,
) -> TableIntake:
    """Store the indicators of a clean reading in the review (replacing its table).

    Raises :class:`~vlr_tools.errors.DataFileError` listing every problem,
    having stored nothing, when the reading has problems.
    """
    from .review import INDICATOR_KIND, INDICATOR_SOURCE_KEY, INDICATOR_SOURCE_KIND
    from .workspace.model import iso

    table = reading.table()  # raises with every problem
    if not len(table):
        raise DataFileError(
            f"{reading.file}: the indicator table has a header but no indicator rows"
        )
    items = {ind.id: ind.to_record() for ind in table}
    saved = ws.put_many(review_id, INDICATOR_KIND, items, reviewer=reviewer)
    removed = 0
    for rec in ws.records(review_id, INDICATOR_KIND):
        if rec.key not in items:
            ws.delete(review_id, INDICATOR_KIND, rec.key, reviewer=reviewer)
            removed += 1
    ws.put(
        review_id,
        INDICATOR_SOURCE_KIND,
        INDICATOR_SOURCE_KEY,
        {
            **source,
            "sheet": table.sheet,
            "header_row": table.header_row,
            "rows": len(table),
            "layout": reading.layout,
            "order": list(items),
            "understood": reading.to_dict(),
            "imported_at": iso(now()),
        },
        reviewer=reviewer,
    )
    if save_mapping:
        save_column_mapping(ws, review_id, "indicators", reading.mapping, reviewer=reviewer)
    return TableIntake(
        filename=str(source.get("filename") or reading.file),
        rows=len(table),
        created=len(saved.created),
        updated=len(saved.updated),
        unchanged=len(saved.unchanged),
        removed=removed,
        reading=reading,
        mapping_saved=save_mapping,
    )


def import_indicators(
    ws: Workspace,
    review_id: str,
    file: str | os.PathLike[str] | None = None,
    *,
    pages: str | list[int] | None = None,
    sheet: str | None = None,
    table: int | None = None,
    columns: dict[str, str] | str | None = None,
    save_mapping: bool = False,
    check: bool = False,
    reviewer: str | None = None,
) -> TableIntake:
    """Read a city's indicator table (any layout, every cell checked) and store it in the review.

    The table comes from ``file`` or from ``pages`` of the review's stored
    draft (see :func:`read_indicators`). Raises
    :class:`~vlr_tools.errors.DataFileError` listing every problem (file,
    sheet or page, row, column, the cell's text, what is allowed); nothing is
    stored then. With ``check`` nothing is stored either: the returned
    ``reading`` says what was understood. A second import replaces the
    first: indicators no longer in the table are removed (their last values
    stay in the history). ``save_mapping`` keeps the column mapping for the
    city's next table.
    """
    reading = read_indicators(
        ws, review_id, file, pages=pages, sheet=sheet, table=table, columns=columns
    )
    if check:
        reading.table()  # every problem at once
        return TableIntake(reading.file, len(reading.indicators), stored=False, reading=reading)
    return store_indicators(
        ws,
        review_id,
        reading,
        source=indicator_source(ws, review_id, reading, file),
        save_mapping=save_mapping,
        reviewer=reviewer,
    )


@dataclass(frozen=True)
class LogIntake:
    """What a consultation log import did: the reading, and what was saved (None: nothing)."""

    reading: Any
    saved: Any = None
    mapping_saved: bool = False

    @property
    def stored(self) -> bool:
        return self.saved is not None


def read_consultations(
    ws: Workspace,
    review_id: str,
    file: str | os.PathLike[str],
    *,
    columns: dict[str, str] | str | None = None,
    dayfirst: bool | str | None = "auto",
) -> Any:
    """Read a consultation log for a review, without saving: the ``ImportResult``.

    The column mapping saved for the city's log is used unless ``columns``
    (a dict, or ``"Date=Petsa ng pulong;..."``) is given; ``result.lines()``
    says what was understood.
    """
    from .consultations import read_consultation_log

    if isinstance(columns, str):
        columns = parse_column_mapping(columns)
    saved, origin = mapping_for(ws, review_id, "consultations", columns)
    result = read_consultation_log(Path(file), dayfirst=dayfirst, columns=columns, saved=saved)
    result.saved_from = origin if saved else ""
    return result


def import_consultations(
    ws: Workspace,
    review_id: str,
    file: str | os.PathLike[str],
    *,
    dayfirst: bool | str | None = "auto",
    columns: dict[str, str] | str | None = None,
    save_mapping: bool = False,
    check: bool = False,
    accept_valid: bool = False,
    reviewer: str | None = None,
) -> LogIntake:
    """Read a consultation log (every problem listed) and save it in the review.

    With problems, nothing is saved unless ``accept_valid`` (then the valid
    rows are, and the summary counts the rejected ones); with ``check``
    nothing is saved at all. ``save_mapping`` keeps the column mapping for
    the city's next log (only when something was saved).
    """
    result = read_consultations(ws, review_id, file, columns=columns, dayfirst=dayfirst)
    if check:
        return LogIntake(result)
    return store_consultations(
        ws,
        review_id,
        result,
        accept_valid=accept_valid,
        save_mapping=save_mapping,
        reviewer=reviewer,
    )


def store_consultations(
    ws: Workspace,
    review_id: str,
    result: Any,
    *,
    accept_valid: bool = False,
    save_mapping: bool = False,
    reviewer: str | None = None,
) -> LogIntake:
    """Save a log's reading in the review: all rows, or with ``accept_valid`` the valid ones.

    Raises :class:`~vlr_tools.errors.ConsultationLogError`, having saved
    nothing (not the mapping either), when rows have problems and
    ``accept_valid`` is not given.
    """
    from .consultations import save_consultations

    summary = save_consultations(
        ws, review_id, result, accept_valid=accept_valid, reviewer=reviewer
    )
    if save_mapping:
        save_column_mapping(ws, review_id, "consultations", result.mapping, reviewer=reviewer)
    return LogIntake(result, summary, save_mapping)


# -- the common start -------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    """What :func:`start_review` did: the review and what the first steps found."""

    review: Review
    city: CityProfile
    draft: DraftIntake | None = None
    paragraphs_mapped: int = 0
    suggestions: int = 0
    notes: tuple[str, ...] = field(default=())

    def next_commands(self) -> list[str]:
        rid = self.review.id
        return [
            f"vlr map --review {rid}",
            f"vlr indicators import INDICATORS.xlsx --review {rid}",
            f"vlr consultations import LOG.xlsx --review {rid}",
            f"vlr checklist precheck --review {rid}",
            f"vlr checklist rate {rid} B1 partly --pages 3 --comment '...'",
            f"vlr annotations add {rid} --page 3 --quote 'words on the page' --comment '...'",
            f"vlr memo --review {rid} --lang en,ja",
        ]


def start_review(
    ws: Workspace,
    city: str,
    version: str,
    *,
    reviewers: tuple[str, ...] = (),
    template: str = "full",
    title: str | None = None,
    settings: dict[str, Any] | None = None,
    reviewer: str | None = None,
    map_now: bool = True,
    precheck_now: bool = True,
) -> Started:
    """Start the review of ``city``'s stored draft ``version``, map it and run the pre-checks.

    The city must be in the workspace and the draft stored (a sample city is
    taken in on the way). Mapping and pre-checks are saved in the review.
    """
    from .checklist.scripted import use_template

    profile = require_city(ws, city)
    stored = ws.find_draft(city, version)
    if stored is None:
        have = [d.version for d in ws.drafts(city)]
        raise CityError(
            f"no draft {version!r} of {city!r} is stored; "
            + (f"stored versions: {', '.join(have)}" if have else "")
            + f" add it with `vlr draft add {city} FILE --version {version}`"
        )
    merged: dict[str, Any] = {"lead": reviewers[0]} if reviewers else {}
    merged.update(settings or {})
    if profile.illustrative:
        merged.setdefault("illustrative", True)
    review = ws.create_review(
        city=city,
        document="draft",
        version=version,
        reviewers=reviewers,
        template=template,
        title=title,
        settings=merged or None,
        reviewer=reviewer,
    )
    use_template(ws, review.id, template, reviewer=reviewer)
    mapped = suggestions = 0
    if map_now or precheck_now:
        from .review import open_review

        rv = open_review(ws, review.id)
        if map_now:
            mapped = len(rv.map(save=True, reviewer=reviewer).mapped())
        if precheck_now:
            from .checklist.precheck import precheck_review

            suggestions = len(precheck_review(rv, save=True, reviewer=reviewer))
    return Started(
        review=ws.review(review.id), city=profile, paragraphs_mapped=mapped, suggestions=suggestions
    )


# -- the sample cities, through the same intake ------------------------------------------------


def sample_profile(slug: str) -> CityProfile:
    """A sample city's ``city.yaml`` as a profile (illustrative) with its local terms."""
    from .cities import sample_city, sample_vocabulary_terms

    c = sample_city(slug)
    terms = tuple(
        {k: v for k, v in asdict(t).items() if k not in ("source", "row")}
        for t in sample_vocabulary_terms(slug)
    )
    return CityProfile(
        slug=c.slug,
        name=c.name,
        country="Philippines",
        province=c.province,
        region=c.region,
        official_name=c.official_name,
        population=c.population_2020,
        population_year=2020,
        population_source=c.population_source,
        barangays=c.barangays,
        coastal=c.coastal,
        languages=tuple(c.languages),
        hlpf_year=c.hlpf_year,
        vlr_cycle=c.vlr_cycle,
        illustrative=c.illustrative,
        illustrative_note=c.illustrative_note,
        public_facts=tuple(c.public_facts),
        local_terms=terms,
    )


def add_sample_city(ws: Workspace, slug: str, *, reviewer: str | None = None) -> CityProfile:
    """Take a sample city in: its profile and every draft version, as a reviewer would."""
    from .cities import sample_city

    profile = ws.put_city(sample_profile(slug), reviewer=reviewer)
    for files in sample_city(slug).drafts:
        if ws.find_draft(slug, files.version) is None:
            add_draft(
                ws,
                slug,
                files.pdf,
                version=files.version,
                lang=files.lang,
                received=files.date,
                reviewer=reviewer,
            )
    return profile


def start_sample_review(
    ws: Workspace,
    slug: str,
    version: str | None = None,
    *,
    reviewers: tuple[str, ...] = (),
    template: str = "full",
    reviewer: str | None = None,
    map_now: bool = False,
    precheck_now: bool = False,
) -> Review:
    """Start a review of a sample city's draft with its indicator table and consultation log.

    The same steps a reviewer takes for a real city: take the city in, start
    the review, import the indicator sheet and the consultation log (valid
    rows; the sample logs contain planted problems).
    """
    from .cities import sample_city

    c = sample_city(slug)
    files = c.draft(version)
    add_sample_city(ws, slug, reviewer=reviewer)
    title = f"{c.name} Voluntary Local Review, draft {files.version} (illustrative sample)"
    started = start_review(
        ws,
        slug,
        files.version,
        reviewers=reviewers,
        template=template,
        title=title,
        settings={"hlpf_year": c.hlpf_year, "illustrative": True},
        reviewer=reviewer,
        map_now=False,
        precheck_now=False,
    )
    rid = started.review.id
    import_indicators(ws, rid, c.indicators_path, reviewer=reviewer)
    import_consultations(ws, rid, c.consultations_path, accept_valid=True, reviewer=reviewer)
    if map_now or precheck_now:
        from .review import open_review

        rv = open_review(ws, rid)
        if map_now:
            rv.map(save=True, reviewer=reviewer)
        if precheck_now:
            from .checklist.precheck import precheck_review

            precheck_review(rv, save=True, reviewer=reviewer)
    return ws.review(rid)


_SCRATCH: dict[tuple[str, str | None, str], Any] = {}


def require_sample(slug: str, version: str | None = None) -> None:
    """Raise CityError unless ``slug`` is a sample city that has draft ``version``."""
    from .cities import list_cities, sample_city

    if not is_sample_city(slug):
        raise CityError(
            f"no sample city {slug!r}; allowed: {', '.join(list_cities())}. A real city's "
            "review is named with --review ID (start one with `vlr workspace new --city SLUG "
            "--draft FILE`)"
        )
    sample_city(slug).draft(version)


def scratch_sample_review(slug: str, version: str | None = None) -> Any:
    """A sample city's review in a throw-away workspace, for calls made without a workspace.

    Goes through the same intake as every review; made once per process and
    city/version (the workspace lives in a temporary folder removed at exit).
    """
    from . import paths
    from .review import open_review
    from .workspace import open_workspace

    key = (slug, version, str(paths.CITIES_DIR))
    found = _SCRATCH.get(key)
    if found is None:
        holder = tempfile.TemporaryDirectory(prefix="vlr-scratch-")
        ws = open_workspace(holder.name, reviewer="vlr (scratch)")
        rv = start_sample_review(ws, slug, version)
        found = (holder, open_review(ws, rv.id))
        _SCRATCH[key] = found
    return found[1]


__all__ = [
    "require_sample",
    "scratch_sample_review",
    "DEFAULT_MAX_DRAFT_MB",
    "DRAFT_FORMATS",
    "DraftIntake",
    "Started",
    "TableIntake",
    "add_city",
    "add_draft",
    "add_sample_city",
    "LogIntake",
    "import_consultations",
    "import_indicators",
    "indicator_source",
    "read_consultations",
    "read_indicators",
    "store_consultations",
    "store_indicators",
    "is_sample_city",
    "max_draft_bytes",
    "require_city",
    "sample_profile",
    "sniff_format",
    "start_review",
    "start_sample_review",
    "update_city",
]
