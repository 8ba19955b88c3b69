"""Moving annotations to and from other tools: CSV, XLSX and W3C Web Annotation JSON-LD.

**CSV / XLSX** hold one row per annotation and one per reply
(``record_type``), with every field an annotation has (:data:`COLUMNS`).
Text a spreadsheet would run as a formula (starting with ``= + - @``, a tab
or a carriage return) gets a leading apostrophe, as does text that already
starts with one, so typed text can never run and the import (which removes
one leading apostrophe) gives back exactly what was exported.

**JSON-LD** follows the W3C Web Annotation Data Model
(https://www.w3.org/TR/annotation-model/): an ``AnnotationCollection``
whose ``first`` page lists the items. Each annotation has

- ``body``: a ``TextualBody`` with the comment (``purpose: commenting``)
  and ``tagging`` bodies ``kind:<kind>``, ``SDG <code>``,
  ``criterion:<id>`` and ``status:<status>``;
- ``target``: ``source`` = the draft as ``urn:sha256:<hex>`` (with its file
  name as ``label`` and ``schema:numberOfPages``), and ``selector``: a
  ``TextQuoteSelector`` {exact, prefix, suffix}, a ``FragmentSelector``
  ``page=N`` conforming to RFC 3778 (PDF fragments) and a
  ``TextPositionSelector`` {start, end} into the draft text;
- ``creator`` (a Person with a name), ``created``, ``modified``, and
  ``vlr:details`` (paragraph ref, printed page label, position, carry-over
  origin: what the W3C model has no term for).

Replies are separate annotations with ``motivation: replying`` whose target
is the annotation they answer. Importing reads this shape (and plain
annotations from other tools: a comment plus a TextQuoteSelector, with a
page selector or a draft to find the quote in).

Imports check everything first and write nothing if anything is wrong;
annotations whose id the review already has are skipped and reported.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._shared import clip
from ..errors import AnnotationError, AnnotationImportError, Problem
from .anchoring import Anchor, locate
from .model import (
    ANNOTATION_KIND,
    DRAFT_KEY,
    DRAFT_KIND,
    REPLY_KIND,
    DraftRef,
    check_comment,
    check_criterion,
    check_kind,
    check_sdg,
    check_status,
    derived_id,
    is_our_id,
    vocabulary,
)
from .store import _template, check_draft, list_annotations, recorded_draft, who
from .text import fold, index_draft

if TYPE_CHECKING:
    from ..documents import Draft

FORMATS = ("csv", "xlsx", "jsonld")
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PDF_FRAGMENT = "http://tools.ietf.org/rfc/rfc3778"
ANNOTATION_IRI = "urn:x-vlr:annotation:"
REPLY_IRI = "urn:x-vlr:reply:"
SHEET = "Annotations"

#: Columns of the CSV/XLSX export, in order.
COLUMNS = (
    "record_type",
    "id",
    "in_reply_to",
    "review_id",
    "page",
    "page_label",
    "paragraph",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "position",
    "kind",
    "comment",
    "criterion",
    "sdg",
    "status",
    "reviewer",
    "created",
    "updated",
    "draft_name",
    "draft_sha256",
    "draft_pages",
    "draft_layout",
    "origin",
)
_REQUIRED = ("quote", "comment")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise(value: str) -> str:
    """Text made safe for a spreadsheet cell (a leading apostrophe where needed)."""
    return "'" + value if value.startswith(_DANGEROUS) else value


def restore(value: str) -> str:
    """The text :func:`neutralise` was given."""
    return value[1:] if value.startswith("'") else value


def guess_format(path: str | Path, fmt: str | None = None) -> str:
    """The exchange format from ``fmt`` or the file extension; raises naming the allowed ones."""
    if fmt:
        f = fmt.lower().lstrip(".")
        f = {"json": "jsonld", "json-ld": "jsonld", "xls": "xlsx"}.get(f, f)
    else:
        suffix = Path(path).suffix.lower().lstrip(".")
        f = {"json": "jsonld", "jsonld": "jsonld", "csv": "csv", "xlsx": "xlsx"}.get(suffix, "")
    if f not in FORMATS:
        raise AnnotationError(
            f"{Path(path).name}: cannot tell the format "
            f"({fmt or Path(path).suffix or 'no extension'}); allowed: csv, xlsx, jsonld "
            "(.csv, .xlsx, .jsonld or .json)"
        )
    return f


# -- export --------------------------------------------------------------------


def export_rows(ws: Any, review_id: str) -> list[dict[str, Any]]:
    """The review's annotations and replies as flat rows (:data:`COLUMNS`), unneutralised."""
    rows: list[dict[str, Any]] = []
    for a in list_annotations(ws, review_id):
        d = a.draft
        rows.append(
            {
                "record_type": "annotation",
                "id": a.id,
                "in_reply_to": "",
                "review_id": review_id,
                "page": a.page,
                "page_label": a.page_label,
                "paragraph": a.paragraph or "",
                "quote": a.quote,
                "prefix": a.prefix,
                "suffix": a.suffix,
                "start": a.start,
                "end": a.end,
                "position": a.position,
                "kind": a.kind,
                "comment": a.comment,
                "criterion": a.criterion or "",
                "sdg": "; ".join(a.sdg),
                "status": a.status,
                "reviewer": a.reviewer,
                "created": a.created,
                "updated": a.updated,
                "draft_name": d.name if d else "",
                "draft_sha256": d.sha256 if d else "",
                "draft_pages": d.page_count if d else None,
                "draft_layout": d.layout if d else "",
                "origin": json.dumps(a.origin, ensure_ascii=False) if a.origin else "",
            }
        )
        for r in a.replies:
            rows.append(
                {
                    **{c: None for c in COLUMNS},
                    "record_type": "reply",
                    "id": r.id,
                    "in_reply_to": a.id,
                    "review_id": review_id,
                    "comment": r.comment,
                    "reviewer": r.reviewer,
                    "created": r.created,
                }
            )
    return rows


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return value


def to_csv(ws: Any, review_id: str) -> str:
    """The annotations as CSV text (UTF-8; write it with a BOM for Excel)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in export_rows(ws, review_id):
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    return buf.getvalue()


def to_jsonld(ws: Any, review_id: str) -> dict[str, Any]:
    """The annotations as a W3C Web Annotation ``AnnotationCollection`` (a JSON-able dict)."""
    vocab = vocabulary()
    motivations = {k.id: k.motivation for k in vocab.kinds}
    items: list[dict[str, Any]] = []
    for a in list_annotations(ws, review_id):
        body: list[dict[str, Any]] = [
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": a.comment,
                "format": "text/plain",
            },
            {"type": "TextualBody", "purpose": "tagging", "value": f"kind:{a.kind}"},
        ]
        body += [{"type": "TextualBody", "purpose": "tagging", "value": f"SDG {c}"} for c in a.sdg]
        if a.criterion:
            body.append(
                {"type": "TextualBody", "purpose": "tagging", "value": f"criterion:{a.criterion}"}
            )
        body.append({"type": "TextualBody", "purpose": "tagging", "value": f"status:{a.status}"})
        selectors: list[dict[str, Any]] = [
            {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix, "suffix": a.suffix}
        ]
        if a.page is not None:
            selectors.append(
                {"type": "FragmentSelector", "conformsTo": PDF_FRAGMENT, "value": f"page={a.page}"}
            )
        if a.start is not None and a.end is not None:
            selectors.append({"type": "TextPositionSelector", "start": a.start, "end": a.end})
        target: dict[str, Any] = {"selector": selectors}
        if a.draft is not None:
            target["source"] = {
                "id": f"urn:sha256:{a.draft.sha256}",
                "type": "Text",
                "label": a.draft.name,
                "format": _mime(a.draft.name),
                "schema:numberOfPages": a.draft.page_count,
            }
        item: dict[str, Any] = {
            "id": f"{ANNOTATION_IRI}{a.id}",
            "type": "Annotation",
            "motivation": motivations.get(a.kind, "commenting"),
            "created": a.created,
            "modified": a.updated,
            "creator": {"type": "Person", "name": a.reviewer},
            "body": body,
            "target": target,
            "vlr:details": {
                "paragraph": a.paragraph,
                "page_label": a.page_label,
                "position": a.position,
                "draft_layout": a.draft.layout if a.draft else "",
                "origin": a.origin,
            },
        }
        items.append(item)
        for r in a.replies:
            items.append(
                {
                    "id": f"{REPLY_IRI}{r.id}",
                    "type": "Annotation",
                    "motivation": "replying",
                    "created": r.created,
                    "creator": {"type": "Person", "name": r.reviewer},
                    "body": {
                        "type": "TextualBody",
                        "purpose": "replying",
                        "value": r.comment,
                        "format": "text/plain",
                    },
                    "target": f"{ANNOTATION_IRI}{a.id}",
                }
            )
    return {
        "@context": ANNO_CONTEXT,
        "id": f"urn:x-vlr:review:{review_id}:annotations",
        "type": "AnnotationCollection",
        "label": f"Annotations of review {review_id}",
        "generator": {"type": "Software", "name": "VLR Review Workbench"},
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def _mime(name: str) -> str:
    return {
        ".pdf": "application/pdf",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".md": "text/markdown",
        ".txt": "text/plain",
    }.get(Path(name).suffix.lower(), "application/octet-stream")


def export_annotations(
    ws: Any, review_id: str, path: str | Path, *, format: str | None = None
) -> Path:
    """Write the review's annotations to ``path`` as csv, xlsx or jsonld (from the extension).

    Returns the path written. CSV has a byte-order mark so Excel shows
    Japanese text; spreadsheet cells are formula-safe (see the module docstring).
    """
    path = Path(path)
    fmt = guess_format(path, format)
    ws.review(review_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        path.write_text(to_csv(ws, review_id), encoding="utf-8-sig", newline="")
    elif fmt == "jsonld":
        text = json.dumps(to_jsonld(ws, review_id), ensure_ascii=False, indent=2)
        path.write_text(text + "\n", encoding="utf-8")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        sheet = wb.active
        assert sheet is not None
        sheet.title = SHEET
        sheet.append(list(COLUMNS))
        for row in export_rows(ws, review_id):
            sheet.append([_cell(row[c]) for c in COLUMNS])
        sheet.freeze_panes = "A2"
        wb.save(path)
    return path


# -- import --------------------------------------------------------------------


@dataclass
class _Item:
    """One annotation or reply read from a file, before checking."""

    where: Problem  # file/sheet/row template for problems
    type: str  # "annotation" | "reply"
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    """What an import added and what it skipped."""

    source: str
    annotations: int
    replies: int
    skipped: tuple[str, ...] = ()
    reanchored: int = 0

    @property
    def summary(self) -> str:
        text = f"{self.source}: {self.annotations} annotation(s) and {self.replies} reply(ies) imported"
        if self.reanchored:
            text += f", {self.reanchored} found again in the draft by their quote"
        if self.skipped:
            text += f"; {len(self.skipped)} skipped (already in the review: {', '.join(self.skipped[:5])}"
            text += " …)" if len(self.skipped) > 5 else ")"
        return text

    def __str__(self) -> str:
        return self.summary


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return restore(str(value))


def _read_table(path: Path, fmt: str) -> tuple[list[tuple[int, dict[str, Any]]], str | None]:
    """Rows (with their 1-based file row number) of a CSV/XLSX export, and the sheet name."""
    if fmt == "csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise AnnotationError(f"{path.name}: not UTF-8 text; save the CSV as UTF-8") from None
        reader = csv.reader(io.StringIO(text))
        table = list(reader)
        sheet = None
    else:
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # zipfile/XML errors of a damaged or wrong file
            raise AnnotationError(f"{path.name}: not a readable XLSX workbook: {exc}") from exc
        try:
            sheet = SHEET if SHEET in wb.sheetnames else wb.sheetnames[0]
            table = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
        finally:
            wb.close()
    if not table or not any(table[0]):
        raise AnnotationError(f"{path.name}: the file is empty; expected a header row {COLUMNS}")
    header = [_text(h).strip().lower() for h in table[0]]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise AnnotationError(
            f"{path.name}{f', sheet {sheet!r}' if sheet else ''}: header row lacks column(s) "
            f"{', '.join(missing)}; allowed columns: {', '.join(COLUMNS)}"
        )
    rows = []
    for n, raw in enumerate(table[1:], start=2):
        if not any(v not in (None, "") for v in raw):
            continue
        rows.append((n, {h: raw[i] if i < len(raw) else None for i, h in enumerate(header) if h}))
    return rows, sheet


def _items_from_table(path: Path, fmt: str) -> list[_Item]:
    rows, sheet = _read_table(path, fmt)
    items = []
    for n, row in rows:
        kind = _text(row.get("record_type")).strip().lower() or "annotation"
        where = Problem("", file=path.name, sheet=sheet, row=n)
        fields = {c: row.get(c) for c in COLUMNS if c in row}
        items.append(_Item(where, "reply" if kind == "reply" else "annotation", fields))
    return items


def _listify(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _target_id(target: Any) -> str:
    if isinstance(target, str):
        return target
    if isinstance(target, dict):
        return str(target.get("id") or target.get("source") or "")
    if isinstance(target, list) and target:
        return _target_id(target[0])
    return ""


def _items_from_jsonld(path: Path) -> list[_Item]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnnotationError(f"{path.name}: not valid JSON: {exc}") from None
    if isinstance(doc, list):
        raw_items = doc
    elif isinstance(doc, dict):
        types = _listify(doc.get("type"))
        if "AnnotationCollection" in types:
            first = doc.get("first")
            raw_items = []
            for page in _listify(first):
                if isinstance(page, dict):
                    raw_items += _listify(page.get("items"))
        elif "AnnotationPage" in types:
            raw_items = _listify(doc.get("items"))
        elif "Annotation" in types:
            raw_items = [doc]
        else:
            raise AnnotationError(
                f"{path.name}: not a Web Annotation document (type {doc.get('type')!r}); "
                "allowed: an Annotation, an AnnotationPage, an AnnotationCollection or a list"
            )
    else:
        raise AnnotationError(f"{path.name}: expected a JSON object or list of annotations")
    items: list[_Item] = []
    for n, obj in enumerate(raw_items, start=1):
        ident = obj.get("id", "") if isinstance(obj, dict) else ""
        where = Problem("", file=path.name, column=f"item {n}" + (f" ({ident})" if ident else ""))
        if not isinstance(obj, dict) or "Annotation" not in _listify(obj.get("type")):
            items.append(_Item(where, "bad", {"error": "is not an object of type Annotation"}))
            continue
        creator = obj.get("creator")
        if isinstance(creator, list):
            creator = creator[0] if creator else None
        name = creator.get("name") if isinstance(creator, dict) else creator
        bodies = [b for b in _listify(obj.get("body")) if isinstance(b, dict | str)]
        motivation = _listify(obj.get("motivation"))
        if "replying" in motivation:
            text = next((b if isinstance(b, str) else b.get("value") for b in bodies), "")
            parent = _target_id(obj.get("target"))
            items.append(
                _Item(
                    where,
                    "reply",
                    {
                        "id": _local_id(str(ident), REPLY_IRI, "re"),
                        "in_reply_to": _local_id(parent, ANNOTATION_IRI, "an"),
                        "comment": text,
                        "reviewer": name,
                        "created": obj.get("created"),
                    },
                )
            )
            continue
        fields: dict[str, Any] = {
            "id": _local_id(str(ident), ANNOTATION_IRI, "an") if ident else "",
            "created": obj.get("created"),
            "updated": obj.get("modified"),
            "reviewer": name,
            "sdg": [],
        }
        comments: list[str] = []
        for b in bodies:
            if isinstance(b, str):
                comments.append(b)
                continue
            value = str(b.get("value") or "")
            purpose = b.get("purpose")
            if purpose == "tagging":
                tag = value.strip()
                low = tag.lower()
                if low.startswith("kind:"):
                    fields["kind"] = tag[5:]
                elif low.startswith("criterion:"):
                    fields["criterion"] = tag[10:]
                elif low.startswith("status:"):
                    fields["status"] = tag[7:]
                elif re.match(r"^sdg\s*\S", low):
                    fields["sdg"].append(tag[3:].strip())
            elif purpose in (None, "commenting", "describing", "questioning", "editing"):
                comments.append(value)
        fields["comment"] = "\n\n".join(c for c in comments if c.strip())
        if "kind" not in fields:
            fields["kind"] = {"questioning": "question", "editing": "correction"}.get(
                next((m for m in motivation if isinstance(m, str)), ""), "suggestion"
            )
        target = obj.get("target")
        if isinstance(target, list):
            target = target[0] if target else None
        if isinstance(target, dict):
            source = target.get("source")
            src = source if isinstance(source, dict) else {"id": source}
            sid = str(src.get("id") or "")
            if sid.startswith("urn:sha256:"):
                fields["draft_sha256"] = sid[len("urn:sha256:") :]
            fields["draft_name"] = src.get("label") or ""
            fields["draft_pages"] = src.get("schema:numberOfPages")
            for sel in _listify(target.get("selector")):
                if not isinstance(sel, dict):
                    continue
                st = sel.get("type")
                if st == "TextQuoteSelector":
                    fields["quote"] = sel.get("exact")
                    fields["prefix"] = sel.get("prefix") or ""
                    fields["suffix"] = sel.get("suffix") or ""
                elif st == "FragmentSelector":
                    m = re.search(r"(?:^|&)page=(\d+)", str(sel.get("value") or ""))
                    if m:
                        fields["page"] = int(m.group(1))
                elif st == "TextPositionSelector":
                    fields["start"] = sel.get("start")
                    fields["end"] = sel.get("end")
        details = obj.get("vlr:details")
        if isinstance(details, dict):
            fields["paragraph"] = details.get("paragraph")
            fields["page_label"] = details.get("page_label")
            fields["position"] = details.get("position")
            fields["draft_layout"] = details.get("draft_layout")
            fields["origin"] = details.get("origin")
        if ident and not str(ident).startswith(ANNOTATION_IRI) and not is_our_id(str(ident)):
            fields["external_id"] = ident
        items.append(_Item(where, "annotation", fields))
    return items


def _local_id(iri: str, prefix: str, kind: str) -> str:
    if iri.startswith(prefix):
        return iri[len(prefix) :]
    if is_our_id(iri):
        return iri
    return derived_id(kind, iri) if iri else ""


def _problem(
    item: _Item,
    message: str,
    column: str | None = None,
    value: Any = None,
    allowed: str | None = None,
) -> Problem:
    w = item.where
    col = w.column if w.column else column
    if w.column and column:
        col = f"{w.column}, {column}"
    return Problem(
        message, file=w.file, sheet=w.sheet, row=w.row, column=col, value=value, allowed=allowed
    )


def _opt_int(item: _Item, name: str, problems: list[Problem]) -> int | None:
    value = item.fields.get(name)
    if value is None or (isinstance(value, str) and not restore(value).strip()):
        return None
    try:
        number = float(restore(value)) if isinstance(value, str) else float(value)
        if not number.is_integer() or number < 0:
            raise ValueError
        return int(number)
    except (TypeError, ValueError):
        problems.append(_problem(item, "must be a whole number", name, value))
        return None


def _opt_float(value: Any) -> float | None:
    try:
        return (
            None
            if value in (None, "")
            else float(restore(value) if isinstance(value, str) else value)
        )
    except (TypeError, ValueError):
        return None


def read_annotation_file(path: str | Path, *, format: str | None = None) -> list[_Item]:
    """Parse an exchange file into raw items (no checks beyond the file's shape)."""
    p = Path(path)
    fmt = guess_format(p, format)
    if not p.is_file():
        raise AnnotationError(f"{p}: file not found")
    return _items_from_jsonld(p) if fmt == "jsonld" else _items_from_table(p, fmt)


def import_annotations(
    ws: Any,
    review_id: str,
    path: str | Path,
    *,
    format: str | None = None,
    draft: Draft | None = None,
    reviewer: str | None = None,
) -> ImportResult:
    """Import annotations (and replies) from a CSV, XLSX or JSON-LD file into a review.

    Every row/item is checked first (kind, status, SDG codes, criterion,
    non-empty comment and quote, page numbers, replies pointing at an
    annotation, the draft they were made on); if anything is wrong,
    :class:`~vlr_tools.errors.AnnotationImportError` lists every problem
    with file, sheet, row or item and column, and nothing is saved.
    Annotations the review already has (same id) are skipped. Annotations
    made on another file than the review's draft (or from tools that give
    no page) need ``draft``: their quotes are then found in it.
    """
    p = Path(path)
    rv = ws.review(review_id)
    name = who(ws, reviewer)
    items = read_annotation_file(p, format=format)
    problems: list[Problem] = []
    template = _template(ws, review_id)
    recorded = recorded_draft(ws, review_id)
    target_ref: DraftRef | None = None
    if draft is not None:
        check = check_draft(ws, review_id, draft)
        if not check.ok:
            raise AnnotationError(f"{p.name}: {check.message}")
        target_ref = check.given
    existing = {r.key for r in ws.records(review_id, ANNOTATION_KIND)}
    seen: set[str] = set()
    annotations: list[dict[str, Any]] = []
    replies: list[tuple[_Item, dict[str, Any]]] = []
    skipped: list[str] = []
    reanchored = 0
    file_ref: DraftRef | None = None
    for item in items:
        f = item.fields
        if item.type == "bad":
            problems.append(_problem(item, str(f["error"])))
            continue
        if item.type == "reply":
            rid = _text(f.get("id")).strip() or derived_id("re", p.name, str(item.where))
            parent = _text(f.get("in_reply_to")).strip()
            try:
                text = check_comment(_text(f.get("comment")), "reply")
            except AnnotationError as exc:
                problems.append(_problem(item, str(exc), "comment"))
                continue
            if not parent:
                problems.append(
                    _problem(
                        item, "a reply needs the id of the annotation it answers", "in_reply_to"
                    )
                )
                continue
            replies.append(
                (
                    item,
                    {
                        "id": rid,
                        "annotation_id": parent,
                        "reviewer": _text(f.get("reviewer")).strip() or name,
                        "comment": text,
                        "created": _text(f.get("created")),
                    },
                )
            )
            continue
        aid = _text(f.get("id")).strip()
        if aid and not is_our_id(aid):
            aid = derived_id("an", aid)
        if not aid:
            aid = derived_id(
                "an", p.name, _text(f.get("quote")), _text(f.get("comment")), str(item.where)
            )
        if aid in seen:
            problems.append(_problem(item, "annotation id appears twice in the file", "id", aid))
            continue
        seen.add(aid)
        if aid in existing:
            skipped.append(aid)
            continue
        n_before = len(problems)
        data: dict[str, Any] = {"id": aid}
        for col, check_fn in (("kind", check_kind), ("status", check_status)):
            raw = _text(f.get(col)).strip() or ("open" if col == "status" else "")
            try:
                data[col] = check_fn(raw)
            except AnnotationError as exc:
                problems.append(_problem(item, str(exc), col, raw))
        try:
            data["comment"] = check_comment(_text(f.get("comment")))
        except AnnotationError as exc:
            problems.append(_problem(item, str(exc), "comment"))
        sdg_raw = f.get("sdg")
        try:
            data["sdg"] = list(
                check_sdg(
                    [restore(str(x)) for x in sdg_raw]
                    if isinstance(sdg_raw, list)
                    else _text(sdg_raw)
                )
            )
        except AnnotationError as exc:
            problems.append(_problem(item, str(exc), "sdg"))
        try:
            data["criterion"] = check_criterion(_text(f.get("criterion")), template)
        except AnnotationError as exc:
            problems.append(_problem(item, str(exc), "criterion"))
        quote = _text(f.get("quote"))
        if not quote.strip():
            problems.append(
                _problem(
                    item, "the quote is empty; an annotation points at words of the draft", "quote"
                )
            )
        page = _opt_int(item, "page", problems)
        start = _opt_int(item, "start", problems)
        end = _opt_int(item, "end", problems)
        pages = _opt_int(item, "draft_pages", problems)
        origin_raw = f.get("origin")
        origin: Any = None
        if isinstance(origin_raw, dict):
            origin = origin_raw
        elif _text(origin_raw).strip():
            try:
                origin = json.loads(_text(origin_raw))
            except json.JSONDecodeError:
                problems.append(_problem(item, "is not valid JSON", "origin", origin_raw))
        if len(problems) > n_before:
            continue
        sha = _text(f.get("draft_sha256")).strip().lower()
        ref = DraftRef(
            name=_text(f.get("draft_name")),
            sha256=sha,
            page_count=pages or 0,
            layout=_text(f.get("draft_layout")),
        )
        data.update(
            page=page,
            page_label=_text(f.get("page_label")),
            paragraph=_text(f.get("paragraph")) or None,
            quote=quote,
            prefix=_text(f.get("prefix")),
            suffix=_text(f.get("suffix")),
            start=start,
            end=end,
            position=_opt_float(f.get("position")),
            reviewer=_text(f.get("reviewer")).strip() or name,
            created=_text(f.get("created")),
            origin=origin,
        )
        if f.get("external_id"):
            data["external_id"] = str(f["external_id"])
        if draft is not None and target_ref is not None:
            # Keep the anchor only if it points at the quote in this very draft.
            fits = sha == target_ref.sha256 and _fits(draft, page, start, end, quote)
            if not fits:
                loc = locate(
                    Anchor(quote, data["prefix"], data["suffix"], data["position"]),
                    index_draft(draft),
                )
                if loc.outcome == "not_found":
                    problems.append(
                        _problem(
                            item,
                            f"the quote is not in {draft.name} (nor anything close to it)",
                            "quote",
                            clip(quote, 50),
                        )
                    )
                    continue
                data.update(loc.anchor_fields())
                reanchored += 1
            data["draft"] = target_ref.to_dict()
        else:
            if not sha:
                problems.append(
                    _problem(
                        item,
                        "does not say which draft file it was made on (no sha256); "
                        "import it with a draft (--draft FILE) so its quote can be found",
                        "draft_sha256",
                    )
                )
                continue
            base = recorded or file_ref
            if base is not None and base.sha256 != sha:
                problems.append(
                    _problem(
                        item,
                        f"was made on draft {ref.name or sha[:12]} (sha256 {sha[:12]}…) but review "
                        f"{review_id}'s annotations are on {base.describe()}; import with the "
                        "draft (--draft FILE) to find the quotes in it",
                        "draft_sha256",
                    )
                )
                continue
            if page is None and not origin:
                problems.append(
                    _problem(
                        item,
                        "has no page; give the page or import with the draft (--draft FILE)",
                        "page",
                    )
                )
                continue
            if file_ref is None and recorded is None:
                file_ref = ref
            if recorded is not None:
                ref = dataclasses.replace(recorded, path="")
            data["draft"] = ref.to_dict()
        annotations.append(data)
    known = existing | {a["id"] for a in annotations}
    reply_keys = {r.key for r in ws.records(review_id, REPLY_KIND)}
    reply_rows = []
    for item, r in replies:
        parent = r["annotation_id"]
        if parent not in known and not is_our_id(parent):
            parent = derived_id("an", parent)
            r["annotation_id"] = parent
        if parent not in known:
            problems.append(
                _problem(
                    item,
                    "answers an annotation that is neither in the file nor in the review",
                    "in_reply_to",
                    parent,
                )
            )
            continue
        if f"{parent}/{r['id']}" in reply_keys:
            continue
        reply_rows.append(r)
    if problems:
        raise AnnotationImportError(f"{p.name}: nothing was imported into review {rv.id}", problems)
    if recorded is None and (target_ref or file_ref) is not None:
        ref_to_record = DraftRef.of(draft, with_path=True) if draft is not None else file_ref
        assert ref_to_record is not None
        if ref_to_record.sha256:
            ws.put(review_id, DRAFT_KIND, DRAFT_KEY, ref_to_record.to_dict(), reviewer=name)
    for data in annotations:
        ws.put(review_id, ANNOTATION_KIND, data["id"], data, expected_version=0, reviewer=name)
    for r in reply_rows:
        ws.put(
            review_id,
            REPLY_KIND,
            f"{r['annotation_id']}/{r['id']}",
            r,
            expected_version=0,
            reviewer=name,
        )
    return ImportResult(
        source=p.name,
        annotations=len(annotations),
        replies=len(reply_rows),
        skipped=tuple(skipped),
        reanchored=reanchored,
    )


def _fits(draft: Draft, page: int | None, start: int | None, end: int | None, quote: str) -> bool:
    if page is None or start is None or end is None:
        return False
    text = draft.text
    return 0 <= start < end <= len(text) and fold(text[start:end]) == fold(quote)
