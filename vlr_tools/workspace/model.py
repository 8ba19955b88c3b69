"""What the workspace holds: reviews, records and history entries, and their rules.

Small frozen records plus the checks every value passes before it is saved,
shared by the store and the bundle reader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from ..errors import ConflictError, WorkspaceValueError
from ..i18n import check_lang, t
from .identity import check_reviewer_name

#: Review statuses, in the order a review moves through them.
REVIEW_STATUSES = ("open", "in_review", "final", "archived")
#: Kind under which a review's own changes appear in the history.
REVIEW_KIND = "review"
#: Actions written to the history.
HISTORY_ACTIONS = ("create", "update", "delete", "import")
#: Review fields :meth:`Workspace.update_review` may change.
EDITABLE_REVIEW_FIELDS = (
    "city",
    "document",
    "version",
    "title",
    "reviewers",
    "status",
    "template",
    "settings",
)
_TEXT_LIMITS = {"city": 100, "document": 200, "version": 50, "template": 100, "title": 2000}
KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
REVIEW_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

#: JSON as stored: compact, UTF-8, and strict (NaN is not JSON).
dumps = partial(json.dumps, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Dumped:
    """A value already serialised by :func:`dumps`, bound to the database as is.

    ``put_many`` serialises each value once, while checking it, and binds
    that text to both the record and its history row.
    """

    text: str


def serialise(value: object) -> str:
    """The JSON serializer of the workspace's database engines."""
    return value.text if isinstance(value, Dumped) else dumps(value)


@dataclass(frozen=True)
class Review:
    """One review of one draft of one city's VLR.

    ``version`` is the *draft's* version ("v1"); ``revision`` counts changes
    to this review itself and is what ``update_review(expected_version=)``
    compares.
    """

    id: str
    city: str
    document: str
    version: str
    title: str | None
    reviewers: tuple[str, ...]
    status: str
    template: str
    settings: dict[str, Any]
    revision: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def label(self) -> str:
        """A short human label: the title, else e.g. ``santa-rosa draft v1``."""
        return self.title or f"{self.city} {self.document} {self.version}"

    def fields(self) -> dict[str, Any]:
        """The editable fields as plain JSON values (as written to the history)."""
        return {
            "city": self.city,
            "document": self.document,
            "version": self.version,
            "title": self.title,
            "reviewers": list(self.reviewers),
            "status": self.status,
            "template": self.template,
            "settings": self.settings,
        }


@dataclass(frozen=True)
class Record:
    """The stored value of one item (``kind``/``key``) of a review.

    ``version`` starts at 1 and grows by one with each change; pass it back
    as ``expected_version`` to save over exactly this value. A deleted item
    is never returned by ``Workspace.get``; it shows up with ``deleted=True``
    only as the ``current`` of a ConflictError or in
    ``records(..., include_deleted=True)``.
    """

    review_id: str
    kind: str
    key: str
    data: dict[str, Any]
    version: int
    updated_by: str
    updated_at: datetime
    deleted: bool = False


@dataclass(frozen=True)
class SavedBatch:
    """What :meth:`Workspace.put_many` stored, item by item.

    ``records`` are the stored Records in the order the items were given
    (an unchanged item's Record is the one already stored). ``created``,
    ``updated`` and ``unchanged`` are the keys by outcome, matching the
    history: each created or updated key got one history row, an unchanged
    one none. Iterating, indexing and ``len()`` go over ``records``.
    """

    records: tuple[Record, ...]
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index: int) -> Record:
        return self.records[index]


@dataclass(frozen=True)
class HistoryEntry:
    """One append-only history row: who did what to which item, and when.

    ``old`` is None for a create, ``new`` is None for a delete. For the
    review itself ``kind`` is ``"review"`` and ``key`` the review id.
    """

    id: int
    review_id: str
    kind: str
    key: str
    action: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    version: int
    who: str
    at: datetime


# -- checks ------------------------------------------------------------------


def check_kind(kind: object) -> str:
    """Return ``kind`` if it is a valid record kind, else raise."""
    if not isinstance(kind, str) or not KIND_RE.match(kind):
        raise WorkspaceValueError(
            f"record kind {kind!r} is not allowed; use lower-case letters, digits and "
            "underscores, starting with a letter (e.g. 'rating', 'mapping_decision')"
        )
    if kind == REVIEW_KIND:
        raise WorkspaceValueError(
            "record kind 'review' is reserved for the review's own history; "
            "use update_review() to change a review"
        )
    return kind


def check_key(key: object) -> str:
    """Return ``key`` if it is a valid record key, else raise."""
    if not isinstance(key, str) or not key or len(key) > 255 or _CONTROL_RE.search(key):
        raise WorkspaceValueError(
            f"record key {key!r} is not allowed; use non-empty text of up to 255 "
            "characters without line breaks (e.g. 'A1' or 'p12.3')"
        )
    return key


def check_json(value: object, what: str) -> Any:
    """Return a JSON-clean copy of ``value`` (tuples become lists), or raise."""
    return check_json_text(value, what)[0]


def check_json_text(value: object, what: str) -> tuple[Any, str]:
    """Return a JSON-clean copy of ``value`` and its JSON text, or raise."""
    try:
        text = dumps(value)
        return json.loads(text), text
    except (TypeError, ValueError) as exc:
        raise WorkspaceValueError(
            f"{what} cannot be saved: {exc}. Allowed: mappings with text keys, lists, "
            "text, numbers (not NaN or infinity), true/false and null; "
            "write dates as ISO text such as '2026-03-31'"
        ) from exc


def check_data(data: object, kind: str, key: str) -> dict[str, Any]:
    """Return the JSON-clean dict to store for ``kind``/``key``, or raise."""
    return check_data_text(data, kind, key)[0]


def check_data_text(data: object, kind: str, key: str) -> tuple[dict[str, Any], str]:
    """Return the JSON-clean dict to store for ``kind``/``key`` and its JSON text, or raise."""
    if not isinstance(data, Mapping):
        raise WorkspaceValueError(
            f"{kind} {key!r}: data must be a mapping (dict), found {type(data).__name__}"
        )
    clean, text = check_json_text(dict(data), f"{kind} {key!r}")
    return clean, text


def check_expected(expected: object) -> int | None:
    """Return ``expected_version`` if it is None or a version number, else raise."""
    if expected is None:
        return None
    if isinstance(expected, bool) or not isinstance(expected, int) or expected < 0:
        raise WorkspaceValueError(
            "expected_version must be None, 0 (must not exist yet) or the version "
            f"you read (1, 2, ...), found {expected!r}"
        )
    return expected


def check_review_id(review_id: object) -> str:
    """Return ``review_id`` if it is a valid review id, else raise."""
    if not isinstance(review_id, str) or not REVIEW_ID_RE.match(review_id):
        raise WorkspaceValueError(
            f"review id {review_id!r} is not allowed; use up to 64 letters, digits, "
            "'.', '_' or '-', starting with a letter or digit"
        )
    return review_id


def check_review_field(name: str, value: Any) -> Any:
    """Validate and normalise one editable review field; return the value to store."""
    if name == "status":
        if value not in REVIEW_STATUSES:
            raise WorkspaceValueError(
                f"review status {value!r} is not allowed; allowed: {', '.join(REVIEW_STATUSES)}"
            )
        return value
    if name == "reviewers":
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise WorkspaceValueError(
                f"reviewers must be a list of names, found {type(value).__name__}"
            )
        return list(dict.fromkeys(check_reviewer_name(v, "reviewers") for v in value))
    if name == "settings":
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise WorkspaceValueError(
                f"review settings must be a mapping, found {type(value).__name__}"
            )
        return check_json(dict(value), "review settings")
    if name not in _TEXT_LIMITS:
        raise WorkspaceValueError(
            f"review field {name!r} is unknown; allowed: {', '.join(EDITABLE_REVIEW_FIELDS)}"
        )
    if value is None and name == "title":
        return None
    if not isinstance(value, str) or not value.strip():
        raise WorkspaceValueError(f"review {name} must be non-empty text, found {value!r}")
    value = value.strip()
    limit = _TEXT_LIMITS[name]
    if len(value) > limit or (name != "title" and _CONTROL_RE.search(value)):
        raise WorkspaceValueError(
            f"review {name} {value[:40]!r} is too long or has line breaks; "
            f"allowed: up to {limit} characters on one line"
        )
    return value


# -- small helpers -------------------------------------------------------------


def slug(text: str) -> str:
    """Lower-case letters and digits joined by hyphens: ``Santa Rosa`` -> ``santa-rosa``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def now() -> datetime:
    """The current time in UTC (every stored timestamp is UTC)."""
    return datetime.now(UTC)


def iso(when: datetime) -> str:
    """A timestamp as ISO 8601 text with microseconds and ``+00:00``."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def short(value: object, limit: int = 160) -> str:
    """A value as compact JSON, cut to ``limit`` characters for a message."""
    text = dumps(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def conflict_message(
    what: str, current: Record | Review, attempted: object, expected: int | None
) -> str:
    """Explain a refused save: who changed the item, when, and both values."""
    if isinstance(current, Review):
        version, stored = current.revision, current.fields()
    else:
        version, stored = current.version, current.data
    when = current.updated_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(current, Record) and current.deleted:
        did, theirs = "deleted it", ""
    else:
        did = "already created it" if expected == 0 else "changed it"
        theirs = f" Their value: {short(stored)}."
    mine = " You wanted to delete it." if attempted is None else f" Your value: {short(attempted)}."
    return (
        f"{what} was not saved: {current.updated_by} {did} at {when} "
        f"(now version {version}; you expected {expected}).{theirs}{mine} "
        f"Keep theirs, or save yours again with expected_version={version} "
        "(Workspace.resolve_conflict(error, 'mine'))."
    )


def describe_conflict(error: ConflictError, lang: str = "en") -> str:
    """A refused save in words for the reviewer, in English (``en``) or Japanese (``ja``).

    Says who changed the item, when, and both values. Plain text: escape it
    before putting it into HTML.
    """
    check_lang(lang)
    current = error.current
    if isinstance(current, Review):
        what = f"{current.label} ({current.id})"
        version, theirs = current.revision, short(current.fields())
    elif isinstance(current, Record):
        what = f"{current.kind} {current.key}"
        version, theirs = current.version, short(current.data)
    else:
        raise WorkspaceValueError("this error was not raised by a workspace save")
    mine = (
        t("workspace.conflict.deletion", lang)
        if error.attempted is None
        else short(error.attempted)
    )
    deleted = isinstance(current, Record) and current.deleted
    key = "workspace.conflict.deleted" if deleted else "workspace.conflict.changed"
    when = current.updated_at.strftime("%Y-%m-%d %H:%M UTC")
    return t(
        key,
        lang,
        who=current.updated_by,
        what=what,
        when=when,
        version=version,
        theirs=theirs,
        mine=mine,
    )


def saved_note(record: Record, lang: str = "en") -> str:
    """``Saved by <who> at <when> (version N)`` in English or Japanese, for a widget."""
    when = record.updated_at.strftime("%Y-%m-%d %H:%M UTC")
    return t(
        "workspace.saved",
        check_lang(lang),
        who=record.updated_by,
        when=when,
        version=record.version,
    )
