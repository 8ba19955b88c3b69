"""What an annotation is: the records, the reference kinds and statuses, and their checks.

Kinds and statuses are reference data (``data/reference/annotations/kinds.yaml``)
so a reviewer can reword a label without touching Python.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .._shared import load_yaml_text
from ..errors import AnnotationError, DataFileError, Problem, UnknownCodeError
from ..paths import REFERENCE_DIR

if TYPE_CHECKING:
    from ..documents import Draft

#: Workspace record kinds this feature writes.
ANNOTATION_KIND = "annotation"
REPLY_KIND = "annotation_reply"
DRAFT_KIND = "annotation_draft"
DRAFT_KEY = "draft"
CARRYOVER_KIND = "annotation_carryover"

#: Outcomes of carrying an annotation to a new draft (or re-anchoring it).
OUTCOMES = ("found_unchanged", "found_changed", "not_found")

#: Longest comment and quote accepted (characters).
MAX_COMMENT = 10_000
MAX_QUOTE = 2_000

_ID = re.compile(r"^(an|re)-[0-9a-f]{6,32}$")
_CRITERION = re.compile(r"^[A-Za-z][0-9]{1,2}$")


def kinds_path() -> Path:
    """Where the kinds and statuses are read from."""
    return REFERENCE_DIR / "annotations" / "kinds.yaml"


@dataclass(frozen=True)
class Label:
    """A kind or status: its id, labels and description in English and Japanese."""

    id: str
    en: str
    ja: str
    about_en: str = ""
    about_ja: str = ""
    motivation: str = "commenting"
    colour: str = ""

    def label(self, lang: str = "en") -> str:
        return (self.ja if lang == "ja" else self.en) or self.en

    def about(self, lang: str = "en") -> str:
        return (self.about_ja if lang == "ja" else self.about_en) or self.about_en


@dataclass(frozen=True)
class Vocabulary:
    """The annotation kinds and statuses from ``kinds.yaml``, in file order."""

    kinds: tuple[Label, ...]
    statuses: tuple[Label, ...]

    @property
    def kind_ids(self) -> tuple[str, ...]:
        return tuple(k.id for k in self.kinds)

    @property
    def status_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.statuses)

    def kind(self, kind_id: str) -> Label:
        for k in self.kinds:
            if k.id == kind_id:
                return k
        raise AnnotationError(
            f"unknown annotation kind {kind_id!r}; allowed: {', '.join(self.kind_ids)}"
        )

    def status(self, status_id: str) -> Label:
        for s in self.statuses:
            if s.id == status_id:
                return s
        raise AnnotationError(
            f"unknown annotation status {status_id!r}; allowed: {', '.join(self.status_ids)}"
        )


@lru_cache(maxsize=4)
def _load_vocabulary(path: Path, _mtime: float) -> Vocabulary:
    try:
        data = load_yaml_text(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot be read as YAML: {exc}") from exc
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: expected a mapping with 'kinds' and 'statuses'")

    def labels(section: str) -> tuple[Label, ...]:
        raw = data.get(section)
        if not isinstance(raw, dict) or not raw:
            problems.append(Problem(f"'{section}' must map id -> labels", file=path.name))
            return ()
        out = []
        for key, entry in raw.items():
            if not isinstance(entry, dict) or not entry.get("en"):
                problems.append(
                    Problem(f"{section}.{key} needs at least an 'en' label", file=path.name)
                )
                continue
            if not re.match(r"^[a-z][a-z_]*$", str(key)):
                problems.append(
                    Problem(
                        f"{section}: id {key!r} must be lower-case letters and underscores",
                        file=path.name,
                    )
                )
                continue
            colour = str(entry.get("colour") or "")
            if colour and not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
                problems.append(
                    Problem(
                        f"{section}.{key}: colour {colour!r} must be written #rrggbb",
                        file=path.name,
                    )
                )
                continue
            out.append(
                Label(
                    id=str(key),
                    en=str(entry["en"]),
                    ja=str(entry.get("ja") or ""),
                    about_en=str(entry.get("about_en") or ""),
                    about_ja=str(entry.get("about_ja") or ""),
                    motivation=str(entry.get("motivation") or "commenting"),
                    colour=colour,
                )
            )
        return tuple(out)

    vocab = Vocabulary(kinds=labels("kinds"), statuses=labels("statuses"))
    if vocab.statuses and "open" not in vocab.status_ids:
        problems.append(Problem("statuses must include 'open'", file=path.name))
    if problems:
        raise DataFileError(f"{path}: annotation kinds are malformed", problems)
    return vocab


def vocabulary(path: str | Path | None = None) -> Vocabulary:
    """The kinds and statuses (re-read when the file changes)."""
    p = Path(path) if path is not None else kinds_path()
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise DataFileError(f"{p}: annotation kinds file missing: {exc}") from exc
    return _load_vocabulary(p, mtime)


def kind_label(kind: str, lang: str = "en") -> str:
    """The label of annotation kind ``kind`` in ``lang`` ("en"/"ja")."""
    return vocabulary().kind(kind).label(lang)


def status_label(status: str, lang: str = "en") -> str:
    """The label of annotation status ``status`` in ``lang``."""
    return vocabulary().status(status).label(lang)


# -- records -----------------------------------------------------------------


@dataclass(frozen=True)
class DraftRef:
    """Which draft file an annotation's page numbers and offsets refer to.

    ``layout`` fingerprints how the file was read into pages: the same file
    read by a changed reader, with different page breaks, gets a new one.
    """

    name: str
    sha256: str
    page_count: int
    layout: str = ""
    path: str = ""

    @classmethod
    def of(cls, draft: Draft, *, with_path: bool = False) -> DraftRef:
        """The reference of ``draft``; ``with_path`` adds where the file is on this machine.

        Annotations carry the reference without the path (it means nothing on
        another computer); the review's recorded draft keeps it, so the CLI
        can open the file again.
        """
        return cls(
            name=draft.name,
            sha256=draft.sha256,
            page_count=draft.page_count,
            layout=layout_fingerprint(draft),
            path=str(draft.path.resolve()) if with_path and draft.path else "",
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DraftRef | None:
        if not data:
            return None
        return cls(
            name=str(data.get("name") or ""),
            sha256=str(data.get("sha256") or ""),
            page_count=int(data.get("page_count") or 0),
            layout=str(data.get("layout") or ""),
            path=str(data.get("path") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "page_count": self.page_count,
            "layout": self.layout,
            "path": self.path,
        }

    def describe(self) -> str:
        return f"{self.name} (sha256 {self.sha256[:12]}…, {self.page_count} pages)"


def layout_fingerprint(draft: Draft) -> str:
    """A short hash of the draft's pages and paragraph breaks."""
    h = hashlib.sha256()
    for page in draft.pages:
        h.update(page.text.encode("utf-8"))
        h.update(b"\x0c")
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Reply:
    """One answer in an annotation's thread."""

    id: str
    annotation_id: str
    reviewer: str
    comment: str
    created: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "annotation_id": self.annotation_id,
            "reviewer": self.reviewer,
            "comment": self.comment,
            "created": self.created,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        return cls(
            id=str(data["id"]),
            annotation_id=str(data["annotation_id"]),
            reviewer=str(data.get("reviewer") or ""),
            comment=str(data.get("comment") or ""),
            created=str(data.get("created") or ""),
        )


@dataclass(frozen=True)
class Annotation:
    """A reviewer's remark anchored to a passage of a draft.

    The anchor: ``page`` (1-based page of the file), ``paragraph`` (its ref,
    e.g. ``"p12.3"``), the exact ``quote`` with ``prefix``/``suffix`` context
    (about 32 characters each), and ``start``/``end`` offsets into
    :attr:`Draft.text`. ``position`` (0-1) is where the passage lies in the
    draft, used to prefer nearby matches when re-anchoring. An annotation
    whose passage was not found in a newer draft keeps its quote but has
    ``page`` None.

    ``origin`` is set on annotations carried over from an earlier review:
    ``{"review_id", "annotation_id", "outcome", "similarity", "old_page",
    "old_paragraph", "old_quote", "draft"}``. ``version`` is the workspace
    record version (pass it back as ``expected_version``).
    """

    id: str
    review_id: str
    page: int | None
    paragraph: str | None
    quote: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    kind: str
    comment: str
    criterion: str | None = None
    sdg: tuple[str, ...] = ()
    status: str = "open"
    reviewer: str = ""
    created: str = ""
    updated: str = ""
    updated_by: str = ""
    page_label: str = ""
    position: float | None = None
    draft: DraftRef | None = None
    origin: dict[str, Any] | None = None
    replies: tuple[Reply, ...] = field(default=(), compare=False)
    version: int = 0

    @property
    def anchored(self) -> bool:
        """True when the annotation points at a passage of its draft."""
        return self.page is not None

    def to_data(self) -> dict[str, Any]:
        """The JSON value stored in the workspace (no replies, no version)."""
        return {
            "id": self.id,
            "page": self.page,
            "page_label": self.page_label,
            "paragraph": self.paragraph,
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
            "position": self.position,
            "kind": self.kind,
            "comment": self.comment,
            "criterion": self.criterion,
            "sdg": list(self.sdg),
            "status": self.status,
            "reviewer": self.reviewer,
            "created": self.created,
            "draft": self.draft.to_dict() if self.draft else None,
            "origin": self.origin,
        }

    @classmethod
    def from_record(cls, rec: Any, replies: tuple[Reply, ...] = ()) -> Annotation:
        d = rec.data
        return cls(
            id=str(d.get("id") or rec.key),
            review_id=rec.review_id,
            page=_int_or_none(d.get("page")),
            paragraph=d.get("paragraph") or None,
            quote=str(d.get("quote") or ""),
            prefix=str(d.get("prefix") or ""),
            suffix=str(d.get("suffix") or ""),
            start=_int_or_none(d.get("start")),
            end=_int_or_none(d.get("end")),
            kind=str(d.get("kind") or ""),
            comment=str(d.get("comment") or ""),
            criterion=d.get("criterion") or None,
            sdg=tuple(str(x) for x in d.get("sdg") or ()),
            status=str(d.get("status") or "open"),
            reviewer=str(d.get("reviewer") or ""),
            created=str(d.get("created") or ""),
            updated=rec.updated_at.isoformat(timespec="seconds"),
            updated_by=rec.updated_by,
            page_label=str(d.get("page_label") or ""),
            position=d.get("position"),
            draft=DraftRef.from_dict(d.get("draft")),
            origin=d.get("origin"),
            replies=replies,
            version=rec.version,
        )


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


def new_id(prefix: str = "an") -> str:
    """A fresh stable id: ``an-<12 hex>`` for annotations, ``re-...`` for replies."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def derived_id(prefix: str, *parts: str) -> str:
    """A stable id computed from ``parts`` (so doing the same thing twice finds the same id)."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{digest}"


def is_our_id(value: str) -> bool:
    return bool(_ID.match(value))


# -- checks ------------------------------------------------------------------


def check_comment(comment: object, what: str = "comment") -> str:
    """Return the stripped comment, or raise if it is empty or too long."""
    text = str(comment or "").strip() if comment is not None else ""
    if not text:
        raise AnnotationError(f"the {what} is empty; write what the reviewer wants to say")
    if len(text) > MAX_COMMENT:
        raise AnnotationError(
            f"the {what} is {len(text)} characters long; at most {MAX_COMMENT} are allowed"
        )
    return text


def check_kind(kind: object) -> str:
    """Return ``kind`` if it is a known annotation kind, else raise naming the allowed ones."""
    vocab = vocabulary()
    value = str(kind or "").strip().lower().replace(" ", "_").replace("-", "_")
    if value not in vocab.kind_ids:
        raise AnnotationError(
            f"unknown annotation kind {kind!r}; allowed: {', '.join(vocab.kind_ids)}"
        )
    return value


def check_status(status: object) -> str:
    """Return ``status`` if it is a known status, else raise naming the allowed ones."""
    vocab = vocabulary()
    value = str(status or "").strip().lower()
    if value not in vocab.status_ids:
        raise AnnotationError(
            f"unknown annotation status {status!r}; allowed: {', '.join(vocab.status_ids)}"
        )
    return value


def check_sdg(codes: object) -> tuple[str, ...]:
    """Normalised SDG codes ("SDG 5" -> "5", "Target 11.6" -> "11.6"), or raise.

    Accepts one code, a comma/semicolon separated string, or a sequence.
    """
    from ..framework import get_framework

    if codes is None or codes == "":
        return ()
    if isinstance(codes, str | int):
        items = [c for c in re.split(r"[;,]", str(codes))]
    else:
        items = [str(c) for c in codes]  # type: ignore[attr-defined]
    fw = get_framework()
    out: list[str] = []
    for item in items:
        text = item.strip()
        if not text:
            continue
        try:
            code = fw.lookup(text).code
        except UnknownCodeError as exc:
            raise AnnotationError(
                f"SDG link {text!r} is not a goal, target or indicator: {exc}; "
                "write e.g. 5, 11.6 or 11.6.2"
            ) from None
        if code not in out:
            out.append(code)
    return tuple(out)


def check_criterion(criterion: object, template: Any) -> str | None:
    """Return the criterion id (e.g. ``"C4"``) if ``template`` has it; None for empty."""
    if criterion is None or str(criterion).strip() == "":
        return None
    value = str(criterion).strip().upper()
    if not _CRITERION.match(value) or value not in template.ids:
        raise AnnotationError(
            f"unknown checklist criterion {criterion!r} for template {template.name!r}; "
            f"allowed: {', '.join(template.ids)}"
        )
    return value
